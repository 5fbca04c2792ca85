/**
 * Guest ABI v1: the packing rules shared by the host (worker) and tests. See docs/abi.md.
 *
 * Pure functions only: no DOM, no worker globals.
 */
import { HotwasmError } from './errors';

/** The only import namespace a guest may use. */
export const WASI_MODULE = 'wasi_snapshot_preview1';

/** Exports the host gives a meaning to. Calls to them from the Call panel are allowed but marked. */
export const LIFECYCLE_EXPORTS = [
  'memory',
  'alloc',
  'dealloc',
  '_initialize',
  '_start',
  'save_state',
  'restore_state',
  'health_check',
  'get_api_version',
  'benchmark_function',
] as const;

const LIFECYCLE_SET: ReadonlySet<string> = new Set(LIFECYCLE_EXPORTS);
export function isLifecycleExport(name: string): boolean {
  return LIFECYCLE_SET.has(name);
}

/** A packed i64 result split into an unsigned 32-bit pointer (high half) and length (low half). */
export interface PackedSlice {
  ptr: number;
  len: number;
}

const MASK32 = 0xffff_ffffn;

/** Unpack `(ptr << 32) | len`. The engine hands i64 results to JS as *signed* BigInts; pointers ≥ 2^31 must survive. */
export function unpackSlice(packed: bigint): PackedSlice {
  const unsigned = BigInt.asUintN(64, packed);
  return { ptr: Number(unsigned >> 32n), len: Number(unsigned & MASK32) };
}

/** Pack a pointer and length the way a guest does (as a signed i64, what a wasm function returns). */
export function packSlice(ptr: number, len: number): bigint {
  if (!Number.isInteger(ptr) || ptr < 0 || ptr > 0xffff_ffff) throw new RangeError(`pointer ${ptr} is not a u32`);
  if (!Number.isInteger(len) || len < 0 || len > 0xffff_ffff) throw new RangeError(`length ${len} is not a u32`);
  return BigInt.asIntN(64, (BigInt(ptr) << 32n) | BigInt(len));
}

/** Interpret an i32 returned by wasm (signed in JS) as an unsigned pointer. */
export function u32(value: number): number {
  return value >>> 0;
}

const encoder = new TextEncoder();

/**
 * The JSON text of a call argument. `undefined` becomes `null`. Values JSON cannot represent
 * (BigInt, cycles, a function or symbol) are refused with a message naming the problem.
 */
export function jsonArgText(arg: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(arg === undefined ? null : arg);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new HotwasmError('bad-arguments', `The argument cannot be encoded as JSON: ${why}`);
  }
  if (text === undefined) {
    throw new HotwasmError('bad-arguments', `The argument cannot be encoded as JSON: a ${typeof arg} has no JSON form`);
  }
  return text;
}


const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** Show at most `max` characters of a text, marking a cut. */
export function preview(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

function hexPreview(bytes: Uint8Array, max = 16): string {
  const head = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
  return bytes.length > max ? `${head} …` : head;
}

/** Decode a guest's result bytes as UTF-8 text, refusing invalid UTF-8 with the bytes shown. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw new HotwasmError('bad-result', `${what} is not valid UTF-8 (${bytes.length} bytes: ${hexPreview(bytes)})`, {
      length: bytes.length,
    });
  }
}

/** Parse a JSON result's text; text that is not JSON is refused and shown. */
export function parseJsonResult(text: string, fn: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HotwasmError('bad-result', `The result of ${fn} is not JSON: ${JSON.stringify(preview(text))}`, {
      text: preview(text, 1000),
    });
  }
}

/**
 * UTF-8 byte length of a string, exactly as TextEncoder encodes it (a lone surrogate becomes
 * U+FFFD, 3 bytes). Equal to `text.length` for ASCII.
 */
export function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}

/** Below this many bytes, ASCII is copied by hand: cheaper than a call into native code. */
const SHORT = 64;

/** Write `text`, whose UTF-8 length is `n`, into `heap` at `ptr`. */
export function writeUtf8(text: string, n: number, heap: Uint8Array, ptr: number): void {
  if (n === text.length && n <= SHORT) {
    for (let i = 0; i < n; i++) heap[ptr + i] = text.charCodeAt(i);
  } else {
    encoder.encodeInto(text, heap.subarray(ptr, ptr + n));
  }
}

/** Read UTF-8 text straight out of memory, refusing invalid UTF-8. */
export function readUtf8(heap: Uint8Array, ptr: number, len: number, what: string): string {
  if (len <= SHORT) {
    let ascii = '';
    let i = 0;
    for (; i < len; i++) {
      const b = heap[ptr + i]!;
      if (b >= 0x80) break;
      ascii += String.fromCharCode(b);
    }
    if (i === len) return ascii;
  }
  return decodeUtf8(heap.subarray(ptr, ptr + len), what);
}

/** Check that a result slice lies inside linear memory; never read past it. */
export function checkSliceBounds(slice: PackedSlice, memoryBytes: number, what: string): void {
  if (slice.ptr + slice.len > memoryBytes) {
    throw new HotwasmError(
      'bad-result',
      `${what} points outside linear memory: ptr ${slice.ptr}, len ${slice.len}, memory size ${memoryBytes} bytes`,
      { ptr: slice.ptr, len: slice.len, memoryBytes },
    );
  }
}

/** `health_check` is healthy iff it answers `ok` or the JSON string `"ok"`. */
export function isHealthy(text: string): boolean {
  return text === 'ok' || text === '"ok"';
}

/** Semantic version, as the ABI requires for api_version (https://semver.org, 2.0.0). */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

export function parseSemver(text: string): SemVer | null {
  const m = SEMVER.exec(text);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text };
}
