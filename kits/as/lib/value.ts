// A JSON value and its serialiser. AssemblyScript has no JSON in its standard library, so the
// kit carries its own: `Value` is what `parseJSON` returns and what a JSON export may return.
//
// Numbers keep an exact i64 beside the f64 when the literal is an integer that fits, so 64-bit
// counts survive a round trip (an f64 would round them past 2^53).

export const enum Kind { Null, Bool, Number, String, Array, Object }

// Scalars share these (never written: push and set refuse a scalar), so that a parsed number or
// string costs one object, not five — the garbage collector's work grows with the object count.
const NO_ITEMS = new Array<Value>(0);
const NO_KEYS = new Array<string>(0);

export class Value {
  kind: Kind = Kind.Null;
  b: bool = false;
  num: f64 = 0;
  int: i64 = 0;
  /** Whether `int` holds the number exactly (an integer literal within the i64 range). */
  exactInt: bool = false;
  str: string = "";
  /** Array items, or object values (in the order their keys were first seen). */
  items: Array<Value> = NO_ITEMS;
  /** Object keys, one per item. */
  keys: Array<string> = NO_KEYS;

  static null(): Value { return new Value(); }
  static bool(b: bool): Value { const v = new Value(); v.kind = Kind.Bool; v.b = b; return v; }
  static int(n: i64): Value {
    const v = new Value(); v.kind = Kind.Number; v.int = n; v.num = <f64>n; v.exactInt = true; return v;
  }
  static num(x: f64): Value {
    const v = new Value(); v.kind = Kind.Number; v.num = x;
    // An integral f64 inside the i64 range is also an exact integer.
    if (isFinite(x) && Math.floor(x) == x && x >= -9223372036854775808.0 && x < 9223372036854775808.0) {
      v.int = <i64>x; v.exactInt = true;
    }
    return v;
  }
  static str(s: string): Value { const v = new Value(); v.kind = Kind.String; v.str = s; return v; }
  static array(): Value { const v = new Value(); v.kind = Kind.Array; v.items = []; return v; }
  static object(): Value { const v = new Value(); v.kind = Kind.Object; v.items = []; v.keys = []; return v; }
  /** `{"error": message}`: the kit's answer to a bad argument, and a handy result. */
  static error(message: string): Value { return Value.object().set("error", Value.str(message)); }

  get isNull(): bool { return this.kind == Kind.Null; }
  get isBool(): bool { return this.kind == Kind.Bool; }
  get isNumber(): bool { return this.kind == Kind.Number; }
  get isInteger(): bool { return this.kind == Kind.Number && this.exactInt; }
  get isString(): bool { return this.kind == Kind.String; }
  get isArray(): bool { return this.kind == Kind.Array; }
  get isObject(): bool { return this.kind == Kind.Object; }

  /** Items of an array, entries of an object, else 0. */
  get length(): i32 { return this.items.length; }
  /** Item i of an array (null for anything out of range or not an array). */
  at(i: i32): Value | null {
    return this.kind == Kind.Array && i >= 0 && i < this.items.length ? this.items[i] : null;
  }
  /** The value of key in an object (the last one given when a key repeats), else null. */
  get(key: string): Value | null {
    if (this.kind != Kind.Object) return null;
    const i = this.keys.lastIndexOf(key);
    return i < 0 ? null : this.items[i];
  }
  has(key: string): bool { return this.get(key) !== null; }

  /** Append to an array; returns this for chaining. */
  push(item: Value): Value {
    assert(this.kind == Kind.Array, "Value.push: not an array");
    this.items.push(item);
    return this;
  }
  /** Set a key of an object (replacing it if present); returns this for chaining. */
  set(key: string, item: Value): Value {
    assert(this.kind == Kind.Object, "Value.set: not an object");
    const i = this.keys.lastIndexOf(key);
    if (i >= 0) this.items[i] = item;
    else { this.keys.push(key); this.items.push(item); }
    return this;
  }

  /** The JSON text of this value. */
  stringify(): string {
    const out = new Array<string>();
    writeValue(this, out);
    return joinParts(out);
  }
  toString(): string { return this.stringify(); }
}

function writeValue(v: Value, out: Array<string>): void {
  switch (v.kind) {
    case Kind.Null: out.push("null"); break;
    case Kind.Bool: out.push(v.b ? "true" : "false"); break;
    case Kind.Number: out.push(v.exactInt ? v.int.toString() : formatF64(v.num)); break;
    case Kind.String: out.push(quote(v.str)); break;
    case Kind.Array: {
      out.push("[");
      for (let i = 0; i < v.items.length; i++) {
        if (i) out.push(",");
        writeValue(v.items[i], out);
      }
      out.push("]");
      break;
    }
    default: {
      out.push("{");
      for (let i = 0; i < v.keys.length; i++) {
        // A key set twice by parsing is written once, with its last value (as JSON.parse keeps it).
        if (v.keys.lastIndexOf(v.keys[i]) != i) continue;
        if (out[out.length - 1] != "{") out.push(",");
        out.push(quote(v.keys[i]));
        out.push(":");
        writeValue(v.items[i], out);
      }
      out.push("}");
    }
  }
}

/** An f64 as JSON.stringify writes it: no NaN/Infinity (null), no "1.0", no "-0". */
export function formatF64(x: f64): string {
  if (!isFinite(x)) return "null";
  if (x == 0) return "0";
  let s = x.toString();
  if (s.endsWith(".0")) s = s.slice(0, s.length - 2);
  return s;
}

const HEX = "0123456789abcdef";

/** A string as a JSON string literal, escaped like JSON.stringify (lone surrogates as \uXXXX). */
export function quote(s: string): string {
  const n = s.length;
  // Fast path: nothing to escape.
  let plain = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c == 0x22 || c == 0x5c || (c >= 0xd800 && c <= 0xdfff)) { plain = false; break; }
  }
  if (plain) return "\"" + s + "\"";
  const out = new Array<string>();
  out.push("\"");
  let run = 0; // start of the pending unescaped run
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let esc: string | null = null;
    if (c == 0x22) esc = "\\\"";
    else if (c == 0x5c) esc = "\\\\";
    else if (c == 0x0a) esc = "\\n";
    else if (c == 0x0d) esc = "\\r";
    else if (c == 0x09) esc = "\\t";
    else if (c == 0x08) esc = "\\b";
    else if (c == 0x0c) esc = "\\f";
    else if (c < 0x20) esc = unicodeEscape(c);
    else if (c >= 0xd800 && c <= 0xdbff) {
      // A high surrogate followed by a low one is a pair: kept as it is.
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) { i++; continue; }
      esc = unicodeEscape(c);
    } else if (c >= 0xdc00 && c <= 0xdfff) esc = unicodeEscape(c);
    if (esc === null) continue;
    if (i > run) out.push(s.slice(run, i));
    out.push(esc);
    run = i + 1;
  }
  if (n > run) out.push(s.slice(run, n));
  out.push("\"");
  return joinParts(out);
}

/**
 * The parts end to end. Not Array#join: with shrinkLevel ≥ 1 asc compiles that for strings as
 * one concatenation per part (quadratic), which made a 5 KB result take 20 ms.
 */
export function joinParts(parts: Array<string>): string {
  let units = 0;
  for (let i = 0; i < parts.length; i++) units += parts[i].length;
  const out = changetype<string>(__new(<usize>units << 1, idof<string>()));
  let at = changetype<usize>(out);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const size = <usize>part.length << 1;
    memory.copy(at, changetype<usize>(part), size);
    at += size;
  }
  return out;
}

function unicodeEscape(c: i32): string {
  return "\\u" + HEX.charAt((c >> 12) & 15) + HEX.charAt((c >> 8) & 15) + HEX.charAt((c >> 4) & 15) + HEX.charAt(c & 15);
}
