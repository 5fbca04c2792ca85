/**
 * The Call panel's argument text → call arguments. Pure, so it is easy to test.
 *
 * JSON calls take one JSON value (an empty editor means `null`). Raw calls take a JSON array of
 * numbers, one per parameter; `i64` parameters become BigInts (numbers or numeric strings, as
 * i64 values past 2^53 cannot be written as JSON numbers without losing digits).
 */
import type { RawValue } from '../../store';
import type { ValType } from '../../shared/inspect';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Parse the editor text as JSON. With `exactIntegers` (raw calls), integer literals too large for
 * a double come back as their digits (a string), so an i64 argument like 9007199254740993 reaches
 * BigInt() exactly instead of rounded.
 */
export function parseArgument(text: string, options: { exactIntegers?: boolean } = {}): Parsed<unknown> {
  if (text.trim() === '') return { ok: true, value: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { ok: true, value: options.exactIntegers ? JSON.parse(quoteBigIntegers(text)) : value };
}

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Put quotes around integer literals (outside strings) that a double cannot hold exactly. */
export function quoteBigIntegers(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    NUMBER.lastIndex = i;
    const match = ch === '-' || (ch >= '0' && ch <= '9') ? NUMBER.exec(text) : null;
    if (match) {
      const token = match[0];
      out += /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token)) ? `"${token}"` : token;
      i += token.length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/**
 * Turn a parsed JSON value into raw arguments for a function with these parameters: `null` is
 * no arguments, an array is one argument per item, anything else is one argument. Numbers and
 * numeric strings are converted to what each parameter needs (BigInt for i64); anything that
 * cannot be converted is passed as it is, so the engine's own message says what is wrong.
 */
export function rawArguments(value: unknown, params: readonly ValType[]): RawValue[] {
  const items: unknown[] = value === null ? [] : Array.isArray(value) ? value : [value];
  return items.map((item, i) => convert(item, params[i]) as RawValue);
}

function convert(item: unknown, type: ValType | undefined): unknown {
  const numericText = typeof item === 'string' && item.trim() !== '' && !Number.isNaN(Number(item.trim()));
  if (type === 'i64' && (numericText || (typeof item === 'number' && Number.isInteger(item)))) {
    try {
      return BigInt((item as string | number).toString().trim());
    } catch {
      return item; // "1.5" or "1e3": the engine explains that an i64 needs an integer
    }
  }
  if (numericText) return Number(item);
  return item;
}

/**
 * The argument a function starts from. A raw call takes one number per parameter, so it starts
 * from a zero of each parameter's type: `0` for integers (an i64 too: rawArguments makes it a
 * BigInt), `0.0` for floats, so the text says which is which. A JSON call starts from `null`.
 * A parameter a raw call cannot pass (v128, references) gets a `0` too: the engine then says
 * what is wrong with it, which an empty list ("takes 1 argument, got 0") would hide.
 */
export function defaultArgument(params: readonly ValType[] | null, raw: boolean): string {
  if (!raw || params === null) return 'null';
  return `[${params.map((type) => (type === 'f32' || type === 'f64' ? '0.0' : '0')).join(', ')}]`;
}
