// A strict RFC 8259 JSON parser reading UTF-8 bytes straight from linear memory (the argument the
// host wrote), so the text is never copied into a UTF-16 string first.
import { Value, joinParts } from "./value";

/** Why the last parse failed ("" after a success), with the byte offset. */
export let parseError = "";

/** Nesting deeper than this is refused rather than overflowing the wasm stack. */
const MAX_DEPTH = 512;

/** Parse `len` UTF-8 bytes at `ptr`; null (and `parseError` set) when they are not one JSON value. */
export function parseJSONBytes(ptr: usize, len: usize): Value | null {
  const p = new Parser(ptr, ptr + len);
  p.ws();
  const v = p.value(0);
  if (v !== null) {
    p.ws();
    if (p.pos < p.end) return p.fail("unexpected text after the value");
  }
  parseError = p.error;
  return v;
}

/** Parse a string holding JSON text; null (and `parseError` set) when it is not one JSON value. */
export function parseJSON(text: string): Value | null {
  const bytes = String.UTF8.encode(text);
  return parseJSONBytes(changetype<usize>(bytes), <usize>bytes.byteLength);
}

class Parser {
  error: string = "";
  pos: usize;
  constructor(public start: usize, public end: usize) {
    this.pos = start;
  }

  fail(why: string): Value | null {
    if (!this.error.length) this.error = why + " at byte " + (this.pos - this.start).toString();
    parseError = this.error;
    return null;
  }

  peek(): u32 { return this.pos < this.end ? <u32>load<u8>(this.pos) : 0xffffffff; }

  ws(): void {
    while (this.pos < this.end) {
      const c = load<u8>(this.pos);
      if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
      this.pos++;
    }
  }

  literal(word: string, v: Value): Value | null {
    const n = <usize>word.length;
    if (this.end - this.pos < n) return this.fail("unexpected end of input");
    for (let i: usize = 0; i < n; i++) {
      if (<u32>load<u8>(this.pos + i) != <u32>word.charCodeAt(<i32>i)) return this.fail("unexpected character");
    }
    this.pos += n;
    return v;
  }

  value(depth: i32): Value | null {
    const c = this.peek();
    if (c == 0x7b || c == 0x5b) { // { [
      if (depth >= MAX_DEPTH) return this.fail("nested too deeply");
      return c == 0x7b ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c == 0x22) { const s = this.string(); return s === null ? null : Value.str(s); }
    if (c == 0x74) return this.literal("true", Value.bool(true));
    if (c == 0x66) return this.literal("false", Value.bool(false));
    if (c == 0x6e) return this.literal("null", Value.null());
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    return this.fail(c == 0xffffffff ? "unexpected end of input" : "unexpected character");
  }

  array(depth: i32): Value | null {
    const v = Value.array();
    this.pos++; // [
    this.ws();
    if (this.peek() == 0x5d) { this.pos++; return v; }
    while (true) {
      this.ws();
      const item = this.value(depth);
      if (item === null) return null;
      v.push(item);
      this.ws();
      const c = this.peek();
      this.pos++;
      if (c == 0x5d) return v;
      if (c != 0x2c) { this.pos--; return this.fail("expected , or ]"); }
    }
    return null; // unreachable; keeps the compiler's flow analysis happy
  }

  object(depth: i32): Value | null {
    const v = Value.object();
    this.pos++; // {
    this.ws();
    if (this.peek() == 0x7d) { this.pos++; return v; }
    while (true) {
      this.ws();
      if (this.peek() != 0x22) return this.fail("expected a string key");
      const key = this.string();
      if (key === null) return null;
      this.ws();
      if (this.peek() != 0x3a) return this.fail("expected :");
      this.pos++;
      this.ws();
      const item = this.value(depth);
      if (item === null) return null;
      // Kept in order, duplicates included: Value.get and stringify take the last, like JSON.parse.
      v.keys.push(key);
      v.items.push(item);
      this.ws();
      const c = this.peek();
      this.pos++;
      if (c == 0x7d) return v;
      if (c != 0x2c) { this.pos--; return this.fail("expected , or }"); }
    }
    return null;
  }

  /** A string literal at pos (on its opening quote); null on error. */
  string(): string | null {
    this.pos++; // "
    // Created at the first escape: most strings have none and are decoded in one piece.
    let parts: Array<string> | null = null;
    let run = this.pos;
    while (true) {
      if (this.pos >= this.end) { this.fail("unterminated string"); return null; }
      const c = load<u8>(this.pos);
      if (c == 0x22) {
        const tail = String.UTF8.decodeUnsafe(run, this.pos - run);
        this.pos++;
        if (parts === null) return tail;
        parts.push(tail);
        return joinParts(parts);
      }
      if (c < 0x20) { this.fail("control character in string"); return null; }
      if (c != 0x5c) { this.pos++; continue; }
      if (parts === null) parts = new Array<string>();
      if (this.pos > run) parts.push(String.UTF8.decodeUnsafe(run, this.pos - run));
      this.pos++; // backslash
      if (this.pos >= this.end) { this.fail("unterminated string"); return null; }
      const e = load<u8>(this.pos);
      this.pos++;
      let unit: i32 = -1;
      if (e == 0x22 || e == 0x5c || e == 0x2f) unit = e;
      else if (e == 0x62) unit = 0x08;
      else if (e == 0x66) unit = 0x0c;
      else if (e == 0x6e) unit = 0x0a;
      else if (e == 0x72) unit = 0x0d;
      else if (e == 0x74) unit = 0x09;
      else if (e == 0x75) {
        // \uXXXX is one UTF-16 unit: a surrogate pair arrives as two escapes and, appended one
        // after the other, forms the pair in the (UTF-16) string. A lone surrogate stays lone.
        unit = 0;
        for (let i = 0; i < 4; i++) {
          const h = this.pos < this.end ? hexDigit(load<u8>(this.pos)) : -1;
          if (h < 0) { this.fail("bad \\u escape"); return null; }
          unit = (unit << 4) | h;
          this.pos++;
        }
      }
      if (unit < 0) { this.pos--; this.fail("bad escape"); return null; }
      parts.push(String.fromCharCode(unit));
      run = this.pos;
    }
    return null;
  }

  number(): Value | null {
    const from = this.pos;
    const negative = this.peek() == 0x2d;
    if (negative) this.pos++;
    const intStart = this.pos;
    if (this.peek() == 0x30) this.pos++;
    else if (this.peek() >= 0x31 && this.peek() <= 0x39) { while (isDigit(this.peek())) this.pos++; }
    else return this.fail("expected a digit");
    const intEnd = this.pos;
    let integral = true;
    if (this.peek() == 0x2e) {
      integral = false;
      this.pos++;
      if (!isDigit(this.peek())) return this.fail("expected a digit");
      while (isDigit(this.peek())) this.pos++;
    }
    if (this.peek() == 0x65 || this.peek() == 0x45) {
      integral = false;
      this.pos++;
      if (this.peek() == 0x2b || this.peek() == 0x2d) this.pos++;
      if (!isDigit(this.peek())) return this.fail("expected a digit");
      while (isDigit(this.peek())) this.pos++;
    }
    if (integral) {
      // Exact i64, accumulated negatively so that -9223372036854775808 fits.
      let n: i64 = 0;
      let fits = true;
      for (let p = intStart; p < intEnd; p++) {
        const d = <i64>(load<u8>(p) - 0x30);
        if (n < (i64.MIN_VALUE + d) / 10) { fits = false; break; }
        n = n * 10 - d;
      }
      if (fits && (negative || n != i64.MIN_VALUE)) return Value.int(negative ? n : -n);
    }
    const x = parseFloat(String.UTF8.decodeUnsafe(from, this.pos - from));
    const v = Value.num(x);
    // A huge integer literal read through f64 is not exact, whatever the f64 happens to be.
    if (integral) v.exactInt = false;
    return v;
  }
}

function isDigit(c: u32): bool { return c >= 0x30 && c <= 0x39; }

function hexDigit(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>c - 0x30;
  c |= 0x20; // lower case
  if (c >= 0x61 && c <= 0x66) return <i32>c - 0x61 + 10;
  return -1;
}
