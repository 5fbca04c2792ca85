/**
 * Update records: what happened to every update of a module, newest first. Kept in memory here;
 * the record type carries a schema version so the registry can persist it unchanged.
 */

export type UpdateOutcome = 'committed' | 'refused' | 'superseded' | 'rolled back' | 'already running';

/** The pipeline step an update failed in. */
export type UpdateStep = 'check' | 'stage' | 'api version' | 'benchmark' | 'shadow check' | 'cutover' | 'probation';

/** What started the update. */
export type UpdateTrigger = 'load' | 'push' | 'reload' | 'rollback' | 'auto rollback';

export interface VersionRef {
  /** The version label: the one given to load(), else v1, v2, … per module. */
  version: string;
  sha256: string;
}

export interface UpdateRecord {
  schema: 1;
  /** Increasing across the engine's lifetime. */
  id: number;
  /** When the update was asked for (ms since epoch). */
  timestamp: number;
  module: string;
  trigger: UpdateTrigger;
  from: VersionRef | null;
  to: VersionRef | null;
  outcome: UpdateOutcome;
  durationMs: number;
  /** The step that refused the update, and why, in words. */
  failedStep: UpdateStep | null;
  error: string | null;
  /** State bytes carried into the new version, or null when none were. */
  stateBytes: number | null;
  /** E.g. "state was not carried: v1 has no save_state". */
  warning: string | null;
  /**
   * Committed updates: how long calls were held at the cutover, and the save/restore of the state
   * carried, inside the workers (ms). `held` is false when nothing reached the serving version
   * after the shadow check's snapshot: the candidate already held the current state, checked, so
   * it took over without holding any call.
   */
  cutover: { pauseMs: number; saveMs: number; restoreMs: number; held: boolean } | null;
}

const LIMIT = 1000;

export class History {
  private records: UpdateRecord[] = [];
  private nextId = 1;

  add(record: Omit<UpdateRecord, 'schema' | 'id'>): UpdateRecord {
    const full: UpdateRecord = { schema: 1, id: this.nextId++, ...record };
    this.records.unshift(full);
    if (this.records.length > LIMIT) this.records.length = LIMIT;
    return full;
  }

  /** Newest first; optionally only one module's. */
  list(module?: string): UpdateRecord[] {
    return module ? this.records.filter((r) => r.module === module) : [...this.records];
  }
}
