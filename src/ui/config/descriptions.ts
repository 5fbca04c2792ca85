/** A name and one line per setting for the Config panel (the full story is in src/core/config.ts). */
import type { EngineConfig } from '../../store';

export const DESCRIPTIONS: Record<keyof EngineConfig, string> = {
  enabled: 'Auto reload: apply pushed updates as they arrive',
  debounce_ms: 'Pushed updates closer together are coalesced',
  validation_timeout_ms: 'Time allowed for each validation step of an update',
  benchmark_budget_ms: 'benchmark_function must answer within this',
  rollback_on_failure: 'Roll back when a new version fails during probation',
  max_rollback_attempts: 'Automatic rollbacks in a row before auto reload pauses',
  probation_ms: 'How long the previous version stays warm for a rollback',
  checkpoint_interval_ms: 'Keep a state checkpoint at most this often',
  call_timeout_ms: 'A longer call stops the worker; the module restarts',
  memory_budget_mb: 'Cap on a guest’s linear memory',
  max_module_bytes: 'Largest module accepted',
  load_timeout_ms: 'Time allowed to compile, instantiate and initialise',
  keep_versions: 'Unpinned versions kept per module; the least recently used go first',
};

/** What each setting is called in the page; its API name (engine.configure) is shown beside it. */
export const LABELS: Record<keyof EngineConfig, string> = {
  enabled: 'Auto reload',
  debounce_ms: 'Push debounce',
  validation_timeout_ms: 'Validation timeout',
  benchmark_budget_ms: 'Benchmark budget',
  rollback_on_failure: 'Roll back on failure',
  max_rollback_attempts: 'Rollbacks before pausing',
  probation_ms: 'Probation',
  checkpoint_interval_ms: 'Checkpoint interval',
  call_timeout_ms: 'Call timeout',
  memory_budget_mb: 'Memory budget',
  max_module_bytes: 'Largest module',
  load_timeout_ms: 'Load timeout',
  keep_versions: 'Versions kept per module',
};
