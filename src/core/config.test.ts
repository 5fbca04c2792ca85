import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, mergeConfig, readStoredConfig, toStoredConfig } from './config';

describe('engine settings', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_CONFIG).toMatchObject({ call_timeout_ms: 5000, memory_budget_mb: 256, max_module_bytes: 64 * 1024 * 1024 });
  });

  it('refuses out-of-range values instead of clamping', () => {
    expect(() => mergeConfig(DEFAULT_CONFIG, { call_timeout_ms: 0 })).toThrow(/call_timeout_ms must be between 10 and 600000 ms, got 0/);
    expect(() => mergeConfig(DEFAULT_CONFIG, { memory_budget_mb: 5000 })).toThrow(/memory_budget_mb must be between 1 and 4096/);
  });

  it('refuses unknown keys and non-integers, naming every problem', () => {
    expect(() => mergeConfig(DEFAULT_CONFIG, { callTimeout: 5, memory_budget_mb: 1.5 })).toThrow(/unknown setting "callTimeout".*memory_budget_mb must be a whole number/);
  });

  it('merges valid values', () => {
    expect(mergeConfig(DEFAULT_CONFIG, { call_timeout_ms: 250 }).call_timeout_ms).toBe(250);
  });
});

describe('stored settings', () => {
  it('round-trips only what differs from the defaults', () => {
    const stored = toStoredConfig(mergeConfig(DEFAULT_CONFIG, { debounce_ms: 100, enabled: false }));
    expect(stored).toEqual({ schema: 1, values: { debounce_ms: 100, enabled: false } });
    expect(readStoredConfig(JSON.parse(JSON.stringify(stored)), () => undefined)).toEqual({ debounce_ms: 100, enabled: false });
  });

  it('drops invalid stored values and unknown formats, saying so', () => {
    const warnings: string[] = [];
    expect(readStoredConfig({ schema: 1, values: { debounce_ms: -5, probation_ms: 10 } }, (w) => warnings.push(w))).toEqual({ probation_ms: 10 });
    expect(readStoredConfig({ schema: 99, values: {} }, (w) => warnings.push(w))).toEqual({});
    expect(readStoredConfig('garbage', (w) => warnings.push(w))).toEqual({});
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/debounce_ms must be between 0 and 60000 ms, got -5/);
  });

  it('validates booleans', () => {
    expect(() => mergeConfig(DEFAULT_CONFIG, { rollback_on_failure: 'yes' })).toThrow(/rollback_on_failure must be true or false/);
  });
});
