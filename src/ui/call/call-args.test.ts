import { describe, expect, it } from 'vitest';
import { defaultArgument, parseArgument, quoteBigIntegers, rawArguments } from './call-args';

describe('parseArgument', () => {
  it('reads JSON, with an empty editor meaning null', () => {
    expect(parseArgument('5')).toEqual({ ok: true, value: 5 });
    expect(parseArgument(' \n ')).toEqual({ ok: true, value: null });
    expect(parseArgument('"héllo"')).toEqual({ ok: true, value: 'héllo' });
  });
  it('says why text is not JSON', () => {
    const parsed = parseArgument('{oops');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(/^Invalid JSON: /);
  });
});

describe('exact integers for raw calls', () => {
  it('keeps integer literals past 2^53 exact, and leaves strings and small numbers alone', () => {
    expect(quoteBigIntegers('[9007199254740993, 1, -9223372036854775808, 1.5, "12345678901234567890"]')).toBe(
      '[9007199254740993, 1, -9223372036854775808, 1.5, "12345678901234567890"]'.replace('9007199254740993', '"9007199254740993"').replace('-9223372036854775808', '"-9223372036854775808"'),
    );
    expect(quoteBigIntegers('"a \\" 99999999999999999999"')).toBe('"a \\" 99999999999999999999"');
  });
  it('reaches BigInt without rounding', () => {
    const parsed = parseArgument('[9007199254740993, 1]', { exactIntegers: true });
    expect(parsed.ok && rawArguments(parsed.value, ['i64', 'i64'])).toEqual([9007199254740993n, 1n]);
    const plain = parseArgument('[9007199254740993]');
    expect(plain.ok && plain.value).toEqual([9007199254740992]);
  });
});

describe('rawArguments', () => {
  it('converts i64 parameters to BigInt and keeps other numbers', () => {
    expect(rawArguments([1, '9007199254740993', 2.5], ['i32', 'i64', 'f64'])).toEqual([1, 9007199254740993n, 2.5]);
    expect(rawArguments([7], ['i64'])).toEqual([7n]);
  });
  it('treats null as no arguments and a lone value as one', () => {
    expect(rawArguments(null, [])).toEqual([]);
    expect(rawArguments(3, ['i32'])).toEqual([3]);
    expect(rawArguments('12', ['i32'])).toEqual([12]);
  });
  it('passes what it cannot convert through, for the engine to explain', () => {
    expect(rawArguments([1.5], ['i64'])).toEqual([1.5]);
    expect(rawArguments(['x'], ['i32'])).toEqual(['x']);
    expect(rawArguments([1, 2], ['i32'])).toEqual([1, 2]);
  });
});

describe('defaultArgument', () => {
  it('starts a raw call from a zero of each parameter type, which reaches the call as that type', () => {
    expect(defaultArgument(['i32'], true)).toBe('[0]');
    expect(defaultArgument(['i64', 'i64'], true)).toBe('[0, 0]');
    expect(defaultArgument(['i32', 'f32', 'f64', 'i64'], true)).toBe('[0, 0.0, 0.0, 0]');
    expect(defaultArgument([], true)).toBe('[]');
    const parsed = parseArgument(defaultArgument(['i32', 'i64', 'f64'], true), { exactIntegers: true });
    expect(parsed.ok && rawArguments(parsed.value, ['i32', 'i64', 'f64'])).toEqual([0, 0n, 0]);
  });
  it('starts a JSON call, or a function whose signature is unknown, from null', () => {
    expect(defaultArgument(['i32', 'i32'], false)).toBe('null');
    expect(defaultArgument(null, true)).toBe('null');
  });
  it('gives a parameter a raw call cannot pass a zero too, for the engine to explain', () => {
    expect(defaultArgument(['v128', 'externref'], true)).toBe('[0, 0]');
  });
});
