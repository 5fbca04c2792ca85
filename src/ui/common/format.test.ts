import { describe, expect, it } from 'vitest';
import { formatElapsed } from './format';

describe('formatElapsed', () => {
  it('counts tenths of seconds, then minutes', () => {
    expect(formatElapsed(0)).toBe('0.0 s');
    expect(formatElapsed(3_240)).toBe('3.2 s');
    expect(formatElapsed(125_000)).toBe('2 min 05 s');
  });
});
