import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../store';
import { fieldState, parseField, patchOf } from './draft';

const current = { ...DEFAULT_CONFIG };

describe('config draft', () => {
  it('shows the engine value when a field is not edited', () => {
    expect(fieldState('probation_ms', current, {})).toEqual({ input: '5000', changed: false, problem: null });
    expect(fieldState('enabled', current, {})).toEqual({ input: true, changed: false, problem: null });
  });

  it('parses numbers and keeps text that is not one, so the message quotes it', () => {
    expect(parseField('probation_ms', ' 100 ')).toBe(100);
    expect(parseField('probation_ms', '')).toBe('');
    expect(parseField('probation_ms', 'abc')).toBe('abc');
    expect(parseField('enabled', false)).toBe(false);
  });

  it('flags an out-of-range or fractional value with the engine’s message, never clamping it', () => {
    expect(fieldState('probation_ms', current, { probation_ms: '-5' })).toEqual({
      input: '-5',
      changed: true,
      problem: 'probation_ms must be between 0 and 3600000 ms, got -5',
    });
    expect(fieldState('probation_ms', current, { probation_ms: '1.5' }).problem).toMatch(/whole number/);
    expect(fieldState('probation_ms', current, { probation_ms: '' }).problem).toMatch(/whole number of ms, got ""/);
  });

  it('patches only the fields that differ from the engine', () => {
    expect(patchOf(current, { probation_ms: '100', debounce_ms: '500', enabled: false })).toEqual({ probation_ms: 100, enabled: false });
    expect(patchOf(current, { probation_ms: '-5' })).toEqual({ probation_ms: -5 });
  });
});
