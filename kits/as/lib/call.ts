// JSON calls: what an export `(ptr: usize, len: usize): u64` returns. Each wrapper reads the
// argument the host wrote at ptr, calls the user's function and hands back its result packed
// (pointer in the high 32 bits, length in the low), in a fresh block the host frees with dealloc.
//
// Results live in `heap` blocks (AssemblyScript's raw allocator), which the garbage collector
// never touches: the host reads them after the call returns. Everything else a call makes (the
// parsed Value, strings) is ordinary GC garbage, collected by later calls, so memory stays flat.
import { Value } from "./value";
import { parseError, parseJSONBytes } from "./parse";
import { decodeError, fromValue, stringify } from "./convert";

/** Pack a (ptr, len) pair into the i64 a JSON call returns. */
// @ts-ignore: decorator
@inline export function pack(ptr: usize, len: usize): u64 {
  return (<u64>ptr << 32) | <u64>len;
}

/** Copy len bytes at src into a fresh heap block, packed. */
export function returnBytes(src: usize, len: usize): u64 {
  const ptr = heap.alloc(len);
  memory.copy(ptr, src, len);
  return pack(ptr, len);
}

/** A string as UTF-8 in a fresh heap block, packed (a lone surrogate becomes U+FFFD: the host
 *  decodes strictly). */
export function returnString(s: string): u64 {
  const len = <usize>String.UTF8.byteLength(s);
  const ptr = heap.alloc(len);
  String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, ptr, false, String.UTF8.ErrorMode.REPLACE);
  return pack(ptr, len);
}

/** `{"error": message}`, packed. */
export function returnError(message: string): u64 {
  return returnString(Value.error(message).stringify());
}

/**
 * A JSON export with a typed argument and result:
 *
 *   function add(n: i64): i64 { return total += n; }
 *   export function add_json(ptr: usize, len: usize): u64 { return json(ptr, len, add); }
 *
 * An argument that is not JSON, or not an A, is answered with `{"error": ...}`: `error` if
 * given, else a message saying what was wrong. The function is not called then.
 */
export function json<A, R>(ptr: usize, len: usize, fn: (arg: A) => R, error: string | null = null): u64 {
  const v = parseJSONBytes(ptr, len);
  if (v === null) return returnError(error !== null ? error : "the argument is not JSON: " + parseError);
  const arg = fromValue<A>(v);
  if (decodeError.length) return returnError(error !== null ? error : "the argument must be " + decodeError);
  return returnString(stringify<R>(fn(arg)));
}

/** A JSON export that ignores its argument (whatever the host sends). */
export function json0<R>(ptr: usize, len: usize, fn: () => R): u64 {
  return returnString(stringify<R>(fn()));
}

/** An export working on the raw argument text; it must return JSON text itself. */
export function text(ptr: usize, len: usize, fn: (arg: string) => string): u64 {
  return returnString(fn(String.UTF8.decodeUnsafe(ptr, len)));
}

/** An export working on the raw argument bytes (a copy); it must return UTF-8 JSON bytes. */
export function bytes(ptr: usize, len: usize, fn: (arg: Uint8Array) => Uint8Array): u64 {
  const arg = new Uint8Array(<i32>len);
  memory.copy(arg.dataStart, ptr, len);
  const out = fn(arg);
  return returnBytes(out.dataStart, <usize>out.length);
}

/** A string's UTF-8 bytes. */
export function utf8(s: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(s));
}

/** Byte arrays joined end to end. */
export function concat(parts: Array<Uint8Array>): Uint8Array {
  let n = 0;
  for (let i = 0; i < parts.length; i++) n += parts[i].length;
  const out = new Uint8Array(n);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i], at);
    at += parts[i].length;
  }
  return out;
}
