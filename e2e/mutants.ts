/**
 * Seeded mutants of WebAssembly modules, for the hot-swap property test (e2e/fuzz.spec.ts).
 *
 * Mutant `index` of campaign `seed` depends on nothing else, so any one of them can be made
 * again on its own: `makeMutant(seed, index, sources)`. The operators are the ones a fuzz
 * campaign found defects with: byte and bit flips, truncations, spliced, duplicated and deleted
 * slices, changed section sizes, vector counts and section ids, corrupted memory limits, and
 * changes that keep the module valid (flips inside code and data sections that the engine still
 * validates, section sizes re-encoded with padding), which take a mutant through the whole
 * update pipeline instead of the compiler's refusal.
 */
import { mulberry32 } from '../src/shared/prng';

/** The seed of mutant `index`: a 32-bit mix of both, so neighbouring indices are unrelated. */
function mutantSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface Source {
  name: string;
  bytes: Uint8Array;
  /** How often it is picked, relative to the others. */
  weight: number;
}

export interface Mutant {
  index: number;
  source: string;
  /** What was done, with offsets: enough to tell one mutant from another in a report. */
  ops: string[];
  bytes: Uint8Array;
}

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  weighted<T>(xs: readonly (readonly [T, number])[]): T {
    let r = this.next() * xs.reduce((sum, [, w]) => sum + w, 0);
    for (const [x, w] of xs) if ((r -= w) < 0) return x;
    return xs[xs.length - 1]![0];
  }
}

interface Leb {
  value: number;
  length: number;
}

function readLeb(bytes: Uint8Array, at: number): Leb | null {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const b = bytes[at + i];
    if (b === undefined) return null;
    value += (b & 0x7f) * 2 ** (7 * i);
    if (!(b & 0x80)) return { value, length: i + 1 };
  }
  return null;
}

/** Unsigned LEB128 of `value` (up to 2^35), padded to at least `width` bytes. */
function leb(value: number, width = 1): number[] {
  const out: number[] = [];
  do {
    out.push(value % 128);
    value = Math.floor(value / 128);
  } while (value > 0 || out.length < width);
  return out.map((b, i) => (i < out.length - 1 ? b | 0x80 : b));
}

interface Section {
  id: number;
  start: number;
  sizeLength: number;
  contentStart: number;
  end: number;
}

/** The well-formed sections at the front of a module (a malformed one ends the list). */
function sectionsOf(bytes: Uint8Array): Section[] {
  const out: Section[] = [];
  for (let at = 8; at < bytes.length; ) {
    const size = readLeb(bytes, at + 1);
    if (!size) break;
    const contentStart = at + 1 + size.length;
    const end = contentStart + size.value;
    if (end > bytes.length) break;
    out.push({ id: bytes[at]!, start: at, sizeLength: size.length, contentStart, end });
    at = end;
  }
  return out;
}

const splice = (bytes: Uint8Array, start: number, end: number, insert: ArrayLike<number>) => {
  const out = new Uint8Array(bytes.length - (end - start) + insert.length);
  out.set(bytes.subarray(0, start), 0);
  out.set(insert, start);
  out.set(bytes.subarray(end), start + insert.length);
  return out;
};

/** A slice length: mostly short, sometimes long. */
const sliceLength = (rng: Rng, max: number) => Math.max(1, Math.min(max, rng.chance(0.8) ? 1 + rng.int(16) : 1 + rng.int(max)));

const validates = (bytes: Uint8Array) => WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>);

type Op = (rng: Rng, bytes: Uint8Array, sources: readonly Source[]) => { bytes: Uint8Array; what: string } | null;

const OPS: Record<string, Op> = {
  'flip-byte': (rng, bytes) => {
    const at = rng.int(bytes.length);
    const mask = 1 + rng.int(255);
    const out = bytes.slice();
    out[at]! ^= mask;
    return { bytes: out, what: `flip-byte @${at} ^0x${mask.toString(16)}` };
  },
  'flip-bit': (rng, bytes) => {
    const at = rng.int(bytes.length);
    const bit = rng.int(8);
    const out = bytes.slice();
    out[at]! ^= 1 << bit;
    return { bytes: out, what: `flip-bit @${at} bit ${bit}` };
  },
  truncate: (rng, bytes) => {
    // Often at or next to a section boundary, where a reader is most likely to slip.
    const boundaries = sectionsOf(bytes).flatMap((s) => [s.start, s.contentStart, s.end - 1]);
    const at = boundaries.length && rng.chance(0.5) ? rng.pick(boundaries) + rng.int(3) - 1 : rng.int(bytes.length);
    const length = Math.max(1, Math.min(bytes.length - 1, at));
    return { bytes: bytes.slice(0, length), what: `truncate to ${length}` };
  },
  splice: (rng, bytes, sources) => {
    // A slice of this module or another, written over a stretch of this one.
    const from = rng.chance(0.5) ? bytes : rng.pick(sources).bytes;
    const n = sliceLength(rng, Math.min(from.length, bytes.length));
    const a = rng.int(from.length - n + 1);
    const at = rng.int(bytes.length - n + 1);
    return { bytes: splice(bytes, at, at + n, from.subarray(a, a + n)), what: `splice ${n} bytes from ${from === bytes ? 'itself' : 'another module'} @${a} over @${at}` };
  },
  duplicate: (rng, bytes) => {
    if (bytes.length < 10) return null;
    const n = sliceLength(rng, bytes.length - 8);
    const a = 8 + rng.int(bytes.length - 8 - n + 1);
    const at = rng.chance(0.5) ? a + n : rng.int(bytes.length + 1);
    return { bytes: splice(bytes, at, at, bytes.slice(a, a + n)), what: `duplicate ${n} bytes @${a} at @${at}` };
  },
  'delete-slice': (rng, bytes) => {
    if (bytes.length < 2) return null;
    const n = sliceLength(rng, bytes.length - 1);
    const at = rng.int(bytes.length - n + 1);
    return { bytes: splice(bytes, at, at + n, []), what: `delete ${n} bytes @${at}` };
  },
  'section-size': (rng, bytes) => {
    const sections = sectionsOf(bytes);
    if (!sections.length) return null;
    const s = rng.pick(sections);
    const size = s.end - s.contentStart;
    const next = rng.weighted<number>([
      [size + 1 + rng.int(3), 3],
      [Math.max(0, size - 1 - rng.int(3)), 3],
      [0, 1],
      [rng.int(2 ** 32), 1],
      [bytes.length - s.contentStart, 1],
    ]);
    const width = rng.chance(0.5) ? s.sizeLength : 1;
    return { bytes: splice(bytes, s.start + 1, s.contentStart, leb(next, width)), what: `section ${s.id} @${s.start} size ${size} → ${next}` };
  },
  'vector-count': (rng, bytes) => {
    const sections = sectionsOf(bytes).filter((s) => s.id !== 0 && s.id !== 8 && s.end > s.contentStart);
    if (!sections.length) return null;
    const s = rng.pick(sections);
    const count = readLeb(bytes, s.contentStart);
    if (!count) return null;
    const next = rng.weighted<number>([
      [count.value + 1, 3],
      [Math.max(0, count.value - 1), 3],
      [count.value + 2 + rng.int(100), 1],
      [rng.int(2 ** 32), 1],
    ]);
    // The section size follows the count's new width, so only the count is wrong.
    const counted = leb(next, count.length);
    const content = splice(bytes.subarray(s.contentStart, s.end), 0, count.length, counted);
    return { bytes: splice(bytes, s.start, s.end, [s.id, ...leb(content.length), ...content]), what: `section ${s.id} @${s.start} count ${count.value} → ${next}` };
  },
  'section-id': (rng, bytes) => {
    const sections = sectionsOf(bytes);
    if (!sections.length) return null;
    const s = rng.pick(sections);
    const out = bytes.slice();
    if (rng.chance(0.3) && sections.length > 1) {
      // Two sections swapped: each well-formed, in the wrong order.
      const t = rng.pick(sections.filter((x) => x !== s));
      const [first, second] = s.start < t.start ? [s, t] : [t, s];
      const swapped = [...bytes.subarray(second.start, second.end), ...bytes.subarray(first.end, second.start), ...bytes.subarray(first.start, first.end)];
      return { bytes: splice(bytes, first.start, second.end, swapped), what: `swap sections ${first.id} @${first.start} and ${second.id} @${second.start}` };
    }
    const id = rng.chance(0.8) ? rng.int(14) : rng.int(256);
    out[s.start] = id;
    return { bytes: out, what: `section ${s.id} @${s.start} id → ${id}` };
  },
  'memory-limits': (rng, bytes) => {
    const s = sectionsOf(bytes).find((x) => x.id === 5);
    if (!s) return null;
    const value = () => rng.pick([0, 1, 2, 16, 256, 4096, 65535, 65536, 65537, 2 ** 32 - 1, rng.int(70000)]);
    const entries = rng.weighted<number>([
      [1, 6],
      [0, 1],
      [2, 1],
    ]);
    const count = rng.chance(0.85) ? entries : rng.int(4);
    const content = [...leb(count, rng.chance(0.8) ? 1 : 2)];
    for (let i = 0; i < entries; i++) {
      const flags = rng.chance(0.7) ? rng.int(4) : rng.int(16);
      content.push(flags, ...leb(value(), rng.chance(0.8) ? 1 : 1 + rng.int(4)));
      if (flags & 1 || rng.chance(0.1)) content.push(...leb(value(), rng.chance(0.8) ? 1 : 1 + rng.int(4)));
    }
    if (rng.chance(0.15)) content.push(rng.int(256));
    const section = [5, ...leb(content.length, rng.chance(0.8) ? 1 : 2), ...content];
    const hex = section.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    return { bytes: splice(bytes, s.start, s.end, section), what: `memory section → ${hex}` };
  },
  'pad-leb': (rng, bytes) => {
    // Valid: the same section size, encoded in more bytes.
    const sections = sectionsOf(bytes).filter((s) => s.sizeLength < 5);
    if (!sections.length) return null;
    const s = rng.pick(sections);
    const width = s.sizeLength + 1 + rng.int(5 - s.sizeLength);
    return { bytes: splice(bytes, s.start + 1, s.contentStart, leb(s.end - s.contentStart, width)), what: `section ${s.id} @${s.start} size padded to ${width} bytes` };
  },
  'valid-flip': (rng, bytes) => {
    // A flip inside the code or data section that the engine still validates (tried a few times).
    const sections = sectionsOf(bytes).filter((s) => (s.id === 10 || s.id === 11) && s.end > s.contentStart + 1);
    if (!sections.length) return null;
    for (let attempt = 0; attempt < 40; attempt++) {
      const s = rng.pick(sections);
      const at = s.contentStart + 1 + rng.int(s.end - s.contentStart - 1);
      const mask = rng.chance(0.5) ? 1 << rng.int(8) : 1 + rng.int(255);
      const out = bytes.slice();
      out[at]! ^= mask;
      if (validates(out)) return { bytes: out, what: `valid flip in section ${s.id} @${at} ^0x${mask.toString(16)}` };
    }
    return null;
  },
};

/** How often each operator is chosen. */
const OP_WEIGHTS: [string, number][] = [
  ['flip-byte', 3],
  ['flip-bit', 2],
  ['truncate', 2],
  ['splice', 2],
  ['duplicate', 2],
  ['delete-slice', 1],
  ['section-size', 3],
  ['vector-count', 2],
  ['section-id', 2],
  ['memory-limits', 3],
  ['pad-leb', 2],
  ['valid-flip', 6],
];

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Mutant `index` of campaign `seed`: one to three operators applied to one of `sources`. */
export function makeMutant(seed: number, index: number, sources: readonly Source[]): Mutant {
  const rng = new Rng(mutantSeed(seed, index));
  const source = rng.weighted(sources.map((s) => [s, s.weight] as const));
  for (;;) {
    let bytes = source.bytes;
    const ops: string[] = [];
    const steps = rng.weighted<number>([
      [1, 8],
      [2, 2],
      [3, 1],
    ]);
    for (let i = 0; i < steps; i++) {
      const done = OPS[rng.weighted(OP_WEIGHTS)]!(rng, bytes, sources);
      if (done && done.bytes.length > 0) {
        bytes = done.bytes;
        ops.push(done.what);
      }
    }
    if (ops.length && !equal(bytes, source.bytes)) return { index, source: source.name, ops, bytes };
  }
}
