/** One line per setting for the Config panel (the full story is in src/core/config.ts). */
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
