/**
 * Engine settings (the HotReloadConfig): defaults, and validation that refuses out-of-range values
 * with a message — never silently clamps. Stored settings are validated the same way when read.
 */
import { HotwasmError } from '../shared/errors';
import { DEFAULT_KEEP_VERSIONS } from './eviction';

export interface EngineConfig {
  /** Auto reload: apply pushed updates as they arrive. Paused after too many automatic rollbacks. */
  enabled: boolean;
  /** Pushed builds closer together than this are coalesced into the last one (the first of a burst goes at once). */
  debounce_ms: number;
  /** Time allowed for each validation step of an update (stage, benchmark, shadow check, cutover). */
  validation_timeout_ms: number;
  /** `benchmark_function` must answer within this, or the update is refused. */
  benchmark_budget_ms: number;
  /** Roll back automatically when a new version traps or times out during probation. */
  rollback_on_failure: boolean;
  /** Automatic rollbacks in a row before auto reload pauses. */
  max_rollback_attempts: number;
  /** How long the previous version stays warm after a cutover, ready for a rollback. */
  probation_ms: number;
  /** During activity, keep a state checkpoint at most this often (restored after a runaway call). */
  checkpoint_interval_ms: number;
  /** A call running longer than this terminates the worker; the module is re-instantiated. */
  call_timeout_ms: number;
  /** Hard cap on a guest's linear memory, in MiB (memory.grow past it fails inside the guest). */
  memory_budget_mb: number;
  /** Largest module accepted, in bytes; larger inputs are refused from their size before reading. */
  max_module_bytes: number;
  /** Time allowed to compile, instantiate and initialise a module on a first load. */
  load_timeout_ms: number;
  /** Unpinned versions kept per module, with their bytes; past it, the ones used least recently go (never pinned or serving ones). */
  keep_versions: number;
}

export const DEFAULT_CONFIG: Readonly<EngineConfig> = Object.freeze({
  enabled: true,
  debounce_ms: 500,
  validation_timeout_ms: 5000,
  benchmark_budget_ms: 100,
  rollback_on_failure: true,
  max_rollback_attempts: 3,
  probation_ms: 5000,
  checkpoint_interval_ms: 1000,
  call_timeout_ms: 5000,
  memory_budget_mb: 256,
  max_module_bytes: 64 * 1024 * 1024,
  load_timeout_ms: 30_000,
  keep_versions: DEFAULT_KEEP_VERSIONS,
});

type Rule = { kind: 'boolean' } | { kind: 'integer'; min: number; max: number; unit: string };

export const CONFIG_RULES: Record<keyof EngineConfig, Rule> = {
  enabled: { kind: 'boolean' },
  debounce_ms: { kind: 'integer', min: 0, max: 60_000, unit: 'ms' },
  validation_timeout_ms: { kind: 'integer', min: 10, max: 600_000, unit: 'ms' },
  benchmark_budget_ms: { kind: 'integer', min: 1, max: 600_000, unit: 'ms' },
  rollback_on_failure: { kind: 'boolean' },
  max_rollback_attempts: { kind: 'integer', min: 1, max: 100, unit: 'rollbacks' },
  probation_ms: { kind: 'integer', min: 0, max: 3_600_000, unit: 'ms' },
  checkpoint_interval_ms: { kind: 'integer', min: 10, max: 3_600_000, unit: 'ms' },
  call_timeout_ms: { kind: 'integer', min: 10, max: 600_000, unit: 'ms' },
  // wasm32 memory tops out at 4 GiB.
  memory_budget_mb: { kind: 'integer', min: 1, max: 4096, unit: 'MiB' },
  max_module_bytes: { kind: 'integer', min: 8, max: 1024 * 1024 * 1024, unit: 'bytes' },
  load_timeout_ms: { kind: 'integer', min: 100, max: 600_000, unit: 'ms' },
  keep_versions: { kind: 'integer', min: 1, max: 10_000, unit: 'versions' },
};

/** Why `value` is not acceptable for `key`, or null when it is. */
export function configProblem(key: string, value: unknown): string | null {
  if (!(key in CONFIG_RULES)) return `unknown setting "${key}" (settings: ${Object.keys(CONFIG_RULES).join(', ')})`;
  const rule = CONFIG_RULES[key as keyof EngineConfig];
  if (rule.kind === 'boolean') return typeof value === 'boolean' ? null : `${key} must be true or false, got ${JSON.stringify(value)}`;
  if (typeof value !== 'number' || !Number.isInteger(value)) return `${key} must be a whole number of ${rule.unit}, got ${JSON.stringify(value)}`;
  if (value < rule.min || value > rule.max) return `${key} must be between ${rule.min} and ${rule.max} ${rule.unit}, got ${value}`;
  return null;
}

/** Validate a partial config; returns the merged config or throws naming every bad key. */
export function mergeConfig(base: EngineConfig, patch: Partial<Record<string, unknown>>): EngineConfig {
  const problems: string[] = [];
  const next = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    const problem = configProblem(key, value);
    if (problem) problems.push(problem);
    else next[key] = value;
  }
  if (problems.length) throw new HotwasmError('bad-arguments', `Invalid settings: ${problems.join('; ')}`);
  return next as unknown as EngineConfig;
}

/** Where settings persist. The app passes localStorage; tests pass memory. */
export interface ConfigStorage {
  read(): unknown;
  write(record: StoredConfig): void;
}

/** The stored record carries a schema version so later releases can migrate it. */
export interface StoredConfig {
  schema: 1;
  values: Partial<EngineConfig>;
}

/**
 * Read stored settings: a record of another schema or with invalid values is not trusted — each
 * bad value is dropped (and reported) and the defaults stand for it.
 */
export function readStoredConfig(raw: unknown, warn: (message: string) => void): Partial<EngineConfig> {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || (raw as { schema?: unknown }).schema !== 1 || typeof (raw as { values?: unknown }).values !== 'object') {
    warn('hotwasm: ignoring stored settings of an unknown format');
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((raw as StoredConfig).values ?? {})) {
    const problem = configProblem(key, value);
    if (problem) warn(`hotwasm: ignoring a stored setting: ${problem}`);
    else out[key] = value;
  }
  return out as Partial<EngineConfig>;
}

/** Only the values that differ from the defaults are stored. */
export function toStoredConfig(config: EngineConfig): StoredConfig {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_CONFIG) as (keyof EngineConfig)[]) {
    if (config[key] !== DEFAULT_CONFIG[key]) values[key] = config[key];
  }
  return { schema: 1, values: values as Partial<EngineConfig> };
}
