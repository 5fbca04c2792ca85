/**
 * The memory cap: rewriting a module's memory section so that every memory stops at the memory
 * budget, byte for byte the module's own otherwise — or saying why that cannot be done exactly.
 */
import { BinaryFormatError, Reader, SECTION, type SectionSpan, sections } from './wasm-binary';

/** Unsigned LEB128, in at least `width` bytes (padding keeps an encoding as long as the one it replaces). */
function encodeU32(value: number, width = 1): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0 || out.length + 1 < width) b |= 0x80;
    out.push(b);
  } while (v !== 0 || out.length < width);
  return out;
}

/** The most pages a 32-bit memory can have (4 GiB); the engine refuses a larger maximum. */
export const MAX_MEMORY_PAGES = 65536;

/**
 * Bytes of room after a module in its buffer that let the memory section be rewritten in place
 * (a maximum added to each memory; see the worker's compilePatched and the page's BufferPool).
 */
export const PATCH_ROOM = 64;

/** A memory section to put in place of the bytes at [start, end). */
export interface SectionPatch {
  start: number;
  end: number;
  section: Uint8Array;
}

/** How a module's memory growth is capped at the memory budget (see {@link memoryCap}). */
export type MemoryCap =
  /** No memory section, or every memory already stops at the budget: the bytes as they are. */
  | { kind: 'as-is' }
  /** The memory section with the budget written in, to put in place of the module's own. */
  | { kind: 'patch'; patch: SectionPatch }
  /** The section cannot be rewritten exactly; `reason` says why, in words. */
  | { kind: 'unpatchable'; reason: string };

const AS_IS: MemoryCap = { kind: 'as-is' };

/**
 * How to cap every memory the module defines at `maxPages`. The patched module is the original
 * byte for byte except the maximums: each entry keeps its flags and the encoding of its initial
 * size, gains the maximum flag if it had none, and has its maximum set or lowered; the section
 * size keeps its width where it can. A section that cannot be rewritten that way — trailing
 * bytes, entries the count does not match, unknown or memory64 flags, a shared memory without
 * a maximum, a maximum over {@link MAX_MEMORY_PAGES} or under the initial size, an initial
 * size over the budget, a second memory section — is `unpatchable`: rewriting it would hand the
 * engine bytes that differ from the module in more than the cap, and could turn bytes it
 * refuses into bytes it runs. Assumes the header was checked; never throws.
 */
export function memoryCap(bytes: Uint8Array, maxPages: number): MemoryCap {
  try {
    let span: SectionSpan | null = null;
    for (const s of sections(bytes)) {
      if (s.id !== SECTION.memory) continue;
      if (span) return { kind: 'unpatchable', reason: `a second memory section at byte ${s.start}` };
      span = s;
    }
    return span ? capSection(bytes, span, maxPages) : AS_IS;
  } catch (error) {
    if (error instanceof BinaryFormatError) return { kind: 'unpatchable', reason: error.message };
    throw error;
  }
}

function capSection(bytes: Uint8Array, span: SectionSpan, maxPages: number): MemoryCap {
  const r = new Reader(bytes, span.contentStart, span.end);
  const unpatchable = (reason: string, at: number): MemoryCap => ({ kind: 'unpatchable', reason: `${reason} at byte ${at}` });
  const countAt = r.pos;
  const count = r.u32();
  const content: number[] = Array.from(bytes.subarray(countAt, r.pos));
  let changed = false;
  for (let i = 0; i < count; i++) {
    const at = r.pos;
    const flags = r.byte();
    if (flags & 0x04) return unpatchable(`memory ${i} is a 64-bit memory (memory64)`, at);
    if (flags > 0x03) return unpatchable(`memory ${i} has limits flags 0x${flags.toString(16)}${flags & 0x08 ? ' (a custom page size)' : ''}`, at);
    const initialAt = r.pos;
    const initial = r.u32();
    const initialBytes = bytes.subarray(initialAt, r.pos);
    const maxAt = r.pos;
    const max = flags & 0x01 ? r.u32() : null;
    const maxBytes = bytes.subarray(maxAt, r.pos);
    if (flags & 0x02 && max === null) return unpatchable(`memory ${i} is shared without a maximum`, at);
    if (max !== null && max > MAX_MEMORY_PAGES) return unpatchable(`memory ${i} has a maximum of ${max} pages, over the ${MAX_MEMORY_PAGES} a memory can have`, maxAt);
    if (max !== null && max < initial) return unpatchable(`memory ${i} has an initial size of ${initial} pages, over its maximum of ${max}`, initialAt);
    if (initial > maxPages) return unpatchable(`memory ${i} has an initial size of ${initial} pages, over the budget of ${maxPages}`, initialAt);
    content.push(flags | 0x01, ...initialBytes);
    if (max !== null && max <= maxPages) {
      content.push(...maxBytes);
    } else {
      content.push(...encodeU32(maxPages));
      changed = true;
    }
  }
  const rest = span.end - r.pos;
  if (rest !== 0) return unpatchable(`the memory section has ${rest} byte${rest === 1 ? '' : 's'} after its ${count} ${count === 1 ? 'memory' : 'memories'}`, r.pos);
  if (!changed) return AS_IS;
  const sizeWidth = span.contentStart - span.start - 1;
  const section = new Uint8Array([span.id, ...encodeU32(content.length, sizeWidth), ...content]);
  return { kind: 'patch', patch: { start: span.start, end: span.end, section } };
}

/** `bytes` with `patch` applied, as a new array (the bytes themselves when there is no patch). */
export function applyPatch(bytes: Uint8Array, patch: SectionPatch | null): Uint8Array {
  if (!patch) return bytes;
  const { start, end, section } = patch;
  const out = new Uint8Array(bytes.length - (end - start) + section.length);
  out.set(bytes.subarray(0, start), 0);
  out.set(section, start);
  out.set(bytes.subarray(end), start + section.length);
  return out;
}
