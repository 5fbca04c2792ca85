// save_state / restore_state from one declaration, and health_check.
//
//   state(1, (w) => { w.i64(count); w.str(name); }, (r) => { count = r.i64(); name = r.str(); });
//
// The default encoding is the version byte, then the fields in the order written, each in a
// fixed form (little-endian integers and floats, bool as one byte, strings and byte arrays as a
// u32 byte length then the bytes). restore_state refuses (non-zero, state untouched) bytes of
// another version (2) and bytes the reader cannot read exactly — too short or too long (1).
// `state(UNVERSIONED, ...)` writes no version byte (an existing format such as the counters'
// 8-byte count); `customState` hands you the raw bytes both ways.

/** Pass as the version to write no version byte. */
export const UNVERSIONED: i32 = -1;

export class StateWriter {
  buf: Uint8Array = new Uint8Array(64);
  length: i32 = 0;

  private room(n: i32): usize {
    if (this.length + n > this.buf.length) {
      const bigger = new Uint8Array(max(this.buf.length * 2, this.length + n));
      bigger.set(this.buf.subarray(0, this.length));
      this.buf = bigger;
    }
    const at = this.buf.dataStart + <usize>this.length;
    this.length += n;
    return at;
  }

  u8(v: u8): void { store<u8>(this.room(1), v); }
  bool(v: bool): void { store<u8>(this.room(1), v ? 1 : 0); }
  i32(v: i32): void { store<i32>(this.room(4), v); } // wasm memory is little-endian
  u32(v: u32): void { store<u32>(this.room(4), v); }
  i64(v: i64): void { store<i64>(this.room(8), v); }
  u64(v: u64): void { store<u64>(this.room(8), v); }
  f32(v: f32): void { store<f32>(this.room(4), v); }
  f64(v: f64): void { store<f64>(this.room(8), v); }
  /** A u32 byte length, then the bytes. */
  bytes(v: Uint8Array): void {
    this.u32(<u32>v.length);
    memory.copy(this.room(v.length), v.dataStart, <usize>v.length);
  }
  /** A u32 byte length, then the UTF-8. */
  str(v: string): void {
    const n = String.UTF8.byteLength(v);
    this.u32(<u32>n);
    String.UTF8.encodeUnsafe(changetype<usize>(v), v.length, this.room(n), false, String.UTF8.ErrorMode.REPLACE);
  }
  /** A u32 count, then each string. */
  strings(v: Array<string>): void {
    this.u32(<u32>v.length);
    for (let i = 0; i < v.length; i++) this.str(v[i]);
  }
}

/** Reads what a StateWriter wrote; past the end it returns zeros and `ok` turns false. */
export class StateReader {
  ok: bool = true;
  constructor(public pos: usize, public end: usize) {}

  get atEnd(): bool { return this.pos == this.end; }

  private take(n: usize): usize {
    if (!this.ok || this.end - this.pos < n) { this.ok = false; return 0; }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(): u8 { const p = this.take(1); return p ? load<u8>(p) : 0; }
  bool(): bool {
    const b = this.u8();
    if (b > 1) this.ok = false; // not something a StateWriter wrote
    return b == 1;
  }
  i32(): i32 { const p = this.take(4); return p ? load<i32>(p) : 0; }
  u32(): u32 { const p = this.take(4); return p ? load<u32>(p) : 0; }
  i64(): i64 { const p = this.take(8); return p ? load<i64>(p) : 0; }
  u64(): u64 { const p = this.take(8); return p ? load<u64>(p) : 0; }
  f32(): f32 { const p = this.take(4); return p ? load<f32>(p) : 0; }
  f64(): f64 { const p = this.take(8); return p ? load<f64>(p) : 0; }
  bytes(): Uint8Array {
    const n = <usize>this.u32();
    const p = this.take(n);
    const out = new Uint8Array(p ? <i32>n : 0);
    if (p) memory.copy(out.dataStart, p, n);
    return out;
  }
  str(): string {
    const n = <usize>this.u32();
    const p = this.take(n);
    return p ? String.UTF8.decodeUnsafe(p, n) : "";
  }
  /** A u32 count of items at least `minBytes` long each: refused (0, ok false) when the bytes
   *  left cannot hold that many, so a garbage count never runs a loop four billion times. */
  count(minBytes: u32 = 1): i32 {
    const n = this.u32();
    if (<u64>n * <u64>max<u32>(minBytes, 1) > <u64>(this.end - this.pos)) { this.ok = false; return 0; }
    return <i32>n;
  }
  strings(): Array<string> {
    const n = this.count(4);
    const out = new Array<string>();
    for (let i = 0; i < n && this.ok; i++) out.push(this.str());
    return out;
  }
}

// Function references cannot be null in every AssemblyScript version: "declared" says whether
// the defaults below were replaced.
let declared = 0; // 0 none, 1 state(), 2 customState()
let version: i32 = UNVERSIONED;
let saveFields: (w: StateWriter) => void = (w: StateWriter): void => {};
let loadFields: (r: StateReader) => void = (r: StateReader): void => {};
let saveCustom: () => Uint8Array = (): Uint8Array => new Uint8Array(0);
let loadCustom: (bytes: Uint8Array) => bool = (bytes: Uint8Array): bool => bytes.length == 0;
let health: () => string = (): string => "ok";

/**
 * Declare the state: `save` writes every field, `load` reads them back in the same order and
 * assigns them. A refused restore is rolled back (the current state is saved first and loaded
 * again), so `load` may assign as it reads. Bump `ver` when the fields change: old bytes are
 * then refused instead of misread.
 */
export function state(ver: i32, save: (w: StateWriter) => void, load: (r: StateReader) => void): void {
  declared = 1;
  version = ver;
  saveFields = save;
  loadFields = load;
}

/** Declare the state with an encoding of your own: `load` returns false to refuse the bytes. */
export function customState(save: () => Uint8Array, load: (bytes: Uint8Array) => bool): void {
  declared = 2;
  saveCustom = save;
  loadCustom = load;
}

/** Replace health_check's answer ("ok" = healthy; anything else is shown as the problem). */
export function healthCheck(fn: () => string): void {
  health = fn;
}

/** The bytes save_state returns (empty when no state is declared). */
export function saveStateBytes(): Uint8Array {
  if (declared == 2) return saveCustom();
  const w = new StateWriter();
  if (declared == 1) {
    if (version >= 0) w.u8(<u8>version);
    saveFields(w);
  }
  return w.buf.subarray(0, w.length);
}

/** restore_state's answer for len bytes at ptr: 0 accepted, 1 unreadable, 2 another version. */
export function restoreStateBytes(ptr: usize, len: usize): i32 {
  if (declared == 2) {
    const bytes = new Uint8Array(<i32>len);
    memory.copy(bytes.dataStart, ptr, len);
    return loadCustom(bytes) ? 0 : 1;
  }
  if (declared == 0) return len == 0 ? 0 : 1;
  const r = new StateReader(ptr, ptr + len);
  if (version >= 0) {
    const v = r.u8();
    if (!r.ok) return 1;
    if (<i32>v != version) return 2;
  }
  // Keep the current fields, to put them back if these bytes turn out unreadable.
  const backup = new StateWriter();
  saveFields(backup);
  loadFields(r);
  if (r.ok && r.atEnd) return 0;
  const start = backup.buf.dataStart;
  loadFields(new StateReader(start, start + <usize>backup.length));
  return 1;
}

export function healthText(): string {
  return health();
}
