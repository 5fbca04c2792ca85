import { describe, expect, it } from 'vitest';
import { HotwasmError } from '../../shared/errors';
import { formatElapsed, formatError, formatValue } from './format';

describe('formatError', () => {
  it('shows the message alone, without the class name in front', () => {
    expect(formatError(new HotwasmError('trap', 'The call to trap failed: unreachable'))).toBe('The call to trap failed: unreachable');
    expect(formatError(new TypeError('x is not a function'))).toBe('x is not a function');
    expect(formatError('plain text')).toBe('plain text');
  });
});

describe('formatValue', () => {
  it('shows i64 results as plain digits, alone and inside JSON', () => {
    expect(formatValue(9007199254740994n)).toBe('9007199254740994');
    expect(formatValue([1n, -2n])).toBe('[\n  1,\n  -2\n]');
    expect(formatValue({ big: 123456789012345678901234567890n })).toBe('{\n  "big": 123456789012345678901234567890\n}');
  });

  it('keeps strings that look like the marker as they are, and says when there is no result', () => {
    expect(formatValue('42n')).toBe('"42n"');
    expect(formatValue(undefined)).toBe('(no result)');
  });
});

describe('formatElapsed', () => {
  it('counts tenths of seconds, then minutes', () => {
    expect(formatElapsed(0)).toBe('0.0 s');
    expect(formatElapsed(3_240)).toBe('3.2 s');
    expect(formatElapsed(125_000)).toBe('2 min 05 s');
  });
});
