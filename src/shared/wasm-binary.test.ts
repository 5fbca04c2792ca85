/**
 * The memory cap: a patched module is the original with only the maximums changed, and a memory
 * section that cannot be patched that way is left for the engine to judge. Checked against an
 * independent decoder written here, and against Node's own WebAssembly engine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from './prng';
import { MAX_MEMORY_PAGES, type MemoryCap, applyPatch, memoryCap } from './memory-cap';

const file = (path: string) => new Uint8Array(readFileSync(new URL(`../../${path}`, import.meta.url)));
const wasmIn = (dir: string) =>
  readdirSync(new URL(`../../${dir}`, import.meta.url))
    .filter((f) => f.endsWith('.wasm'))
    .map((f) => `${dir}/${f}`);
const hex = (text: string) => new Uint8Array(text.split(' ').map((b) => parseInt(b, 16)));
const concat = (...parts: ArrayLike<number>[]) => new Uint8Array(parts.flatMap((p) => Array.from(p)));
const validate = (bytes: Uint8Array) => WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>);
const patched = (bytes: Uint8Array, cap: MemoryCap) => (cap.kind === 'patch' ? applyPatch(bytes, cap.patch) : bytes);

const counter = file('public/examples/counter.wasm');
const COUNTER_MEMORY = hex('05 03 01 00 01');
const memoryAt = (() => {
  for (let i = 8; i + COUNTER_MEMORY.length <= counter.length; i++) {
    if (COUNTER_MEMORY.every((b, j) => counter[i + j] === b)) return i;
  }
  throw new Error('the example counter no longer has the memory section 05 03 01 00 01');
})();
/** The example counter with its memory section replaced. */
const counterWith = (section: Uint8Array) => concat(counter.subarray(0, memoryAt), section, counter.subarray(memoryAt + COUNTER_MEMORY.length));

/** A module of a type section, `memory` as its memory section (id and size included) and a custom section. */
const moduleWith = (memory: ArrayLike<number>) => concat(hex('00 61 73 6d 01 00 00 00 01 04 01 60 00 00'), memory, hex('00 04 03 61 62 63'));

// --- an independent decoder, so the property is not checked with the code it checks ---

interface Leb {
  value: number;
  bytes: number[];
}
function leb(bytes: Uint8Array, at: number): Leb {
  let value = 0;
  for (let i = 0; ; i++) {
    const b = bytes[at + i];
    if (b === undefined || i > 4) throw new Error(`bad LEB128 at ${at}`);
    value += (b & 0x7f) * 2 ** (7 * i);
    if (!(b & 0x80)) return { value, bytes: Array.from(bytes.subarray(at, at + i + 1)) };
  }
}
interface Entry {
  flags: number;
  initial: Leb;
  max: Leb | null;
}
/** The memory section found by walking section headers: where it is and what it holds. */
function decodeMemory(bytes: Uint8Array): { start: number; end: number; size: Leb; count: Leb; entries: Entry[] } {
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at]!;
    const size = leb(bytes, at + 1);
    const content = at + 1 + size.bytes.length;
    if (id === 5) {
      const count = leb(bytes, content);
      let p = content + count.bytes.length;
      const entries: Entry[] = [];
      for (let i = 0; i < count.value; i++) {
        const flags = bytes[p++]!;
        const initial = leb(bytes, p);
        p += initial.bytes.length;
        const max = flags & 1 ? leb(bytes, p) : null;
        if (max) p += max.bytes.length;
        entries.push({ flags, initial, max });
      }
      expect(p, 'the section holds its entries and nothing else').toBe(content + size.value);
      return { start: at, end: content + size.value, size, count, entries };
    }
    at = content + size.value;
  }
  throw new Error('no memory section');
}

/** `after` is `before` with every memory's maximum at most `maxPages`, and nothing else changed. */
function expectOnlyMaximumsChanged(before: Uint8Array, after: Uint8Array, maxPages: number): void {
  const a = decodeMemory(before);
  const b = decodeMemory(after);
  expect(b.start).toBe(a.start);
  expect(after.subarray(0, b.start)).toEqual(before.subarray(0, a.start));
  expect(after.subarray(b.end)).toEqual(before.subarray(a.end));
  expect(b.size.bytes.length).toBeGreaterThanOrEqual(a.size.bytes.length);
  expect(b.count.bytes).toEqual(a.count.bytes);
  expect(b.entries).toHaveLength(a.entries.length);
  a.entries.forEach((was, i) => {
    const now = b.entries[i]!;
    expect(now.flags).toBe(was.flags | 1);
    expect(now.initial.bytes).toEqual(was.initial.bytes);
    if (was.max && was.max.value <= maxPages) expect(now.max!.bytes).toEqual(was.max.bytes);
    else expect(now.max!.value).toBe(maxPages);
  });
}

/** `value` as LEB128 padded to `width` bytes (at least its minimal width). */
function encode(value: number, width: number): number[] {
  const out: number[] = [];
  do {
    const b = value % 128;
    value = Math.floor(value / 128);
    out.push(b);
  } while (value > 0);
  while (out.length < width) out.push(0);
  return out.map((b, i) => (i < out.length - 1 ? b | 0x80 : b));
}

describe('memoryCap on the corrupted counters a fuzz campaign found running', () => {
  it.each([
    ['05 04 01 00 01 00', 'a trailing byte', /the memory section has 1 byte after its 1 memory/],
    ['05 05 01 00 01 00 01', 'count 1, two entries', /the memory section has 2 bytes after its 1 memory/],
    ['05 03 01 02 01', 'shared memory without a maximum', /memory 0 is shared without a maximum/],
    ['05 04 01 08 01 10', 'the custom-page-size flag', /memory 0 has limits flags 0x8 \(a custom page size\)/],
    ['05 06 01 01 01 81 80 04', 'a maximum of 65,537 pages', /memory 0 has a maximum of 65537 pages, over the 65536 a memory can have/],
  ])('%s (%s) is not patched: the engine sees the bytes as they are', (section, _what, reason) => {
    const bytes = counterWith(hex(section));
    expect(validate(bytes)).toBe(false);
    const cap = memoryCap(bytes, 4096);
    expect(cap).toEqual({ kind: 'unpatchable', reason: expect.stringMatching(reason) });
  });

  it('patches the counter as it is: only the maximum is added', () => {
    const cap = memoryCap(counter, 4096);
    expect(cap.kind).toBe('patch');
    const capped = patched(counter, cap);
    expect(Array.from(capped.subarray(memoryAt, memoryAt + 7))).toEqual([0x05, 0x05, 0x01, 0x01, 0x01, 0x80, 0x20]);
    expectOnlyMaximumsChanged(counter, capped, 4096);
    expect(validate(capped)).toBe(true);
  });
});

describe('memoryCap on every example and fixture', () => {
  const modules = [...wasmIn('public/examples'), ...wasmIn('fixtures'), ...wasmIn('fixtures/swap')].filter((path) => {
    const bytes = file(path);
    return bytes.length >= 8 && bytes[4] === 1 && bytes[6] === 0 && validate(bytes);
  });

  it.each(modules)('%s: patched = original except the maximums, and still valid', (path) => {
    const bytes = file(path);
    for (const maxPages of [1, 2, 17, 256 * 16, MAX_MEMORY_PAGES]) {
      const cap = memoryCap(bytes, maxPages);
      if (cap.kind === 'patch') {
        const capped = patched(bytes, cap);
        expectOnlyMaximumsChanged(bytes, capped, maxPages);
        expect(validate(capped)).toBe(true);
        // Capping again changes nothing.
        expect(memoryCap(capped, maxPages)).toEqual({ kind: 'as-is' });
      } else if (cap.kind === 'unpatchable') {
        // Valid modules are unpatchable only when their initial size is over the budget (refused anyway).
        expect(cap.reason).toMatch(/initial size of \d+ pages, over the budget/);
      }
    }
  });
});

describe('memoryCap on synthetic memory sections', () => {
  it('caps an initial size under the budget whose declared maximum is above it', async () => {
    const bytes = moduleWith(hex('05 05 01 01 02 e8 07')); // memory 2, max 1000 pages
    const cap = memoryCap(bytes, 40);
    const capped = patched(bytes, cap);
    expectOnlyMaximumsChanged(bytes, capped, 40);
    const memory = concat(capped.subarray(0, -6), hex('07 07 01 03 6d 65 6d 02 00'));
    const { instance } = await WebAssembly.instantiate(memory as Uint8Array<ArrayBuffer>);
    const mem = instance.exports.mem as WebAssembly.Memory;
    expect(mem.grow(38)).toBe(2);
    expect(() => mem.grow(1)).toThrow(RangeError);
  });

  it('keeps maximums at or under the budget and padded encodings as they are', () => {
    // Two memories (multi-memory): the first stays, the second gets its max lowered; padded LEBs kept.
    const bytes = moduleWith(hex('05 8b 00 82 00 01 81 00 8a 00 01 01 e8 07'));
    const cap = memoryCap(bytes, 100);
    expect(cap.kind).toBe('patch');
    expectOnlyMaximumsChanged(bytes, patched(bytes, cap), 100);
    expect(memoryCap(moduleWith(hex('05 04 01 01 01 0a')), 10)).toEqual({ kind: 'as-is' });
    expect(memoryCap(moduleWith(hex('05 01 00')), 10)).toEqual({ kind: 'as-is' });
  });

  it.each([
    ['05 04 01 01 05 02', /initial size of 5 pages, over its maximum of 2/],
    ['05 03 01 00 0b', /initial size of 11 pages, over the budget of 10/],
    ['05 03 01 04 01', /memory 0 is a 64-bit memory/],
    ['05 03 01 10 01', /limits flags 0x10/],
    ['05 03 02 00 01', /unexpected end of data/],
    ['05 07 01 00 ff ff ff ff 7f', /integer too large for u32/],
  ])('%s is not patched (%s)', (section, reason) => {
    expect(memoryCap(moduleWith(hex(section)), 10)).toEqual({ kind: 'unpatchable', reason: expect.stringMatching(reason) });
  });

  it('refuses a second memory section', () => {
    const bytes = concat(moduleWith(hex('05 03 01 00 01')), hex('05 03 01 00 01'));
    expect(memoryCap(bytes, 10)).toEqual({ kind: 'unpatchable', reason: expect.stringMatching(/a second memory section/) });
  });

  it('never turns bytes the engine refuses into bytes it accepts, nor the reverse (seeded)', () => {
    const seed = 0x6d656d;
    const random = mulberry32(seed);
    const int = (n: number) => Math.floor(random() * n);
    const pick = <T>(xs: T[]) => xs[int(xs.length)]!;
    const kinds: Record<MemoryCap['kind'], number> = { 'as-is': 0, patch: 0, unpatchable: 0 };
    for (let i = 0; i < 3000; i++) {
      let content: number[];
      if (i % 3 === 0) {
        // Arbitrary bytes: anything at all.
        content = Array.from({ length: int(9) }, () => (random() < 0.5 ? int(256) : int(8)));
      } else {
        // Well-formed-looking entries, with edge values, flags and padded encodings.
        const count = int(3);
        content = encode(count, 1 + int(2));
        const value = () => pick([0, 1, 2, 9, 10, 11, 100, 65535, 65536, 65537, 2 ** 32 - 1, int(70000)]);
        for (let e = 0; e < count + (random() < 0.1 ? 1 : 0); e++) {
          const flags = random() < 0.8 ? int(4) : int(16);
          const initial = value();
          content.push(flags, ...encode(initial, 1 + int(3)));
          if (flags & 1) content.push(...encode(random() < 0.5 ? Math.max(initial, value()) : value(), 1 + int(3)));
        }
        if (random() < 0.1) content.push(int(256));
      }
      const bytes = moduleWith([5, ...encode(content.length, 1 + int(2)), ...content]);
      const maxPages = pick([1, 10, 100, 4096, 65536]);
      const cap = memoryCap(bytes, maxPages);
      kinds[cap.kind]++;
      const context = `seed ${seed}, case ${i}: ${Array.from(bytes.subarray(14, -6), (b) => b.toString(16).padStart(2, '0')).join(' ')}, budget ${maxPages} pages`;
      if (cap.kind === 'patch') {
        const capped = patched(bytes, cap);
        expect(validate(capped), context).toBe(validate(bytes));
        expectOnlyMaximumsChanged(bytes, capped, maxPages);
      } else if (cap.kind === 'as-is') {
        if (validate(bytes)) for (const m of decodeMemory(bytes).entries) expect(m.max!.value, context).toBeLessThanOrEqual(maxPages);
      }
    }
    // The cases reach every outcome.
    expect(Object.values(kinds).every((n) => n > 100)).toBe(true);
  });
});
