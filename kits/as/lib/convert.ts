// Typed arguments and results: a JSON `Value` to an AssemblyScript type and back, decided at
// compile time by the type (AssemblyScript has no reflection, so the supported types are the
// ones below; anything else can travel as a `Value`).
//
//   bool, integers (range-checked), f32/f64, string, Value, arrays of these, nullable versions
//   (null ↔ null); results also: any class with a `toJSON(): Value` method.
import { Value, formatF64, joinParts, quote } from "./value";

/** What the last `fromValue` expected and did not get ("" after a success). */
export let decodeError = "";

function zero<T>(): T {
  // Never seen by the caller: it checks decodeError first.
  if (isReference<T>()) return changetype<T>(0);
  // @ts-ignore: a numeric T
  return <T>0;
}

function fail<T>(expected: string): T {
  if (!decodeError.length) decodeError = expected;
  return zero<T>();
}

/** The value as a T, or (with `decodeError` set to what was expected) a placeholder. */
export function fromValue<T>(v: Value): T {
  decodeError = "";
  return convert<T>(v);
}

function convert<T>(v: Value): T {
  if (isBoolean<T>()) {
    if (!v.isBool) return fail<T>("a boolean");
    // @ts-ignore: T is bool
    return <T>v.b;
  } else if (isInteger<T>()) {
    if (!v.isInteger) return fail<T>("an integer");
    const n = v.int;
    // @ts-ignore: T is an integer type
    if ((!isSigned<T>() && n < 0) || <i64><T>n != n) return fail<T>("an integer in range");
    // @ts-ignore
    return <T>n;
  } else if (isFloat<T>()) {
    if (!v.isNumber) return fail<T>("a number");
    // @ts-ignore: T is f32 or f64
    return <T>v.num;
  } else if (isReference<T>()) {
    if (isNullable<T>()) {
      if (v.isNull) return changetype<T>(0);
    }
    if (isString<T>()) {
      if (!v.isString) return fail<T>("a string");
      return changetype<T>(v.str);
    } else if (isArray<T>()) {
      if (!v.isArray) return fail<T>("an array");
      const out = instantiate<nonnull<T>>(0);
      for (let i = 0; i < v.items.length; i++) {
        const item = convert<valueof<nonnull<T>>>(v.items[i]);
        if (decodeError.length) return zero<T>();
        out.push(item);
      }
      return changetype<T>(out);
    } else if (idof<nonnull<T>>() == idof<Value>()) {
      return changetype<T>(v);
    }
  }
  ERROR("hotwasm kit: unsupported argument type (use bool, an integer, f64, string, Value or an array of these)");
  return zero<T>();
}

/** Append the JSON text of x to out. */
export function writeJSON<T>(x: T, out: Array<string>): void {
  if (isBoolean<T>()) {
    out.push(x ? "true" : "false");
  } else if (isInteger<T>()) {
    // @ts-ignore: integer toString
    out.push(x.toString());
  } else if (isFloat<T>()) {
    out.push(formatF64(<f64>x));
  } else if (isReference<T>()) {
    if (changetype<usize>(x) == 0) {
      out.push("null");
    } else if (isString<T>()) {
      out.push(quote(changetype<string>(x)));
    } else if (isArray<T>()) {
      const a = changetype<nonnull<T>>(x);
      out.push("[");
      for (let i = 0; i < a.length; i++) {
        if (i) out.push(",");
        writeJSON<valueof<nonnull<T>>>(a[i], out);
      }
      out.push("]");
    } else if (idof<nonnull<T>>() == idof<Value>()) {
      out.push(changetype<Value>(x).stringify());
    } else {
      // @ts-ignore: checked at compile time
      if (isDefined(x.toJSON)) {
        // @ts-ignore
        out.push((<Value>x.toJSON()).stringify());
      } else {
        ERROR("hotwasm kit: unsupported result type (give the class a toJSON(): Value method, or return a Value)");
      }
    }
  } else {
    ERROR("hotwasm kit: unsupported result type");
  }
}

/** The JSON text of x. */
export function stringify<T>(x: T): string {
  const out = new Array<string>();
  writeJSON<T>(x, out);
  return joinParts(out);
}
