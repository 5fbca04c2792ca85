/**
 * Engine settings: defaults, and validation that refuses out-of-range values with a message
 * (never silently clamps).
 */
import { HotwasmError } from '../shared/errors';

export interface EngineConfig {
  /** A call running longer than this terminates the worker; the module is re-instantiated. */
  call_timeout_ms: number;
  /** Hard cap on a guest's linear memory, in MiB (memory.grow past it fails inside the guest). */
  memory_budget_mb: number;
  /** Largest module accepted, in bytes; larger inputs are refused from their size before reading. */
  max_module_bytes: number;
  /** Time allowed to compile, instantiate and initialise a module. */
  load_timeout_ms: number;
}

export const DEFAULT_CONFIG: Readonly<EngineConfig> = Object.freeze({
  call_timeout_ms: 5000,
  memory_budget_mb: 256,
  max_module_bytes: 64 * 1024 * 1024,
  load_timeout_ms: 30_000,
});

interface Range {
  min: number;
  max: number;
  unit: string;
}

const RANGES: Record<keyof EngineConfig, Range> = {
  call_timeout_ms: { min: 10, max: 600_000, unit: 'ms' },
  // wasm32 memory tops out at 4 GiB.
  memory_budget_mb: { min: 1, max: 4096, unit: 'MiB' },
  max_module_bytes: { min: 8, max: 1024 * 1024 * 1024, unit: 'bytes' },
  load_timeout_ms: { min: 100, max: 600_000, unit: 'ms' },
};

/** Validate a partial config against the ranges; returns the merged config or throws naming every bad key. */
export function mergeConfig(base: EngineConfig, patch: Partial<Record<string, unknown>>): EngineConfig {
  const problems: string[] = [];
  const next: EngineConfig = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in RANGES)) {
      problems.push(`unknown setting "${key}" (settings: ${Object.keys(RANGES).join(', ')})`);
      continue;
    }
    const range = RANGES[key as keyof EngineConfig];
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      problems.push(`${key} must be a whole number of ${range.unit}, got ${JSON.stringify(value)}`);
    } else if (value < range.min || value > range.max) {
      problems.push(`${key} must be between ${range.min} and ${range.max} ${range.unit}, got ${value}`);
    } else {
      next[key as keyof EngineConfig] = value;
    }
  }
  if (problems.length) throw new HotwasmError('bad-arguments', `Invalid settings: ${problems.join('; ')}`);
  return next;
}
