/**
 * Update records: what happened to every update of a module, newest first. The engine keeps the
 * recent ones in memory here; the registry (./registry.ts) persists each one as it is, by id.
 */
import type { DeploymentOutcome, StrategyKind } from './deploy/types';
import type { Refusal } from './pipeline/refusal';

export type UpdateOutcome = 'committed' | 'refused' | 'superseded' | 'rolled back' | 'already running';

/**
 * The step an update failed in: `read` (the input itself: its size, its header, a fetch), then
 * the pipeline's steps (docs/hot-reload.md), and `probation` for automatic rollbacks.
 */
export const UPDATE_STEPS = ['read', 'stage', 'check', 'exports', 'api version', 'benchmark', 'shadow check', 'cutover', 'probation'] as const;
export type UpdateStep = (typeof UPDATE_STEPS)[number];

/**
 * What started the update (`editor`: a build of text edited in the page, see LoadOptions.text;
 * `publish`: a version kept by registry.publish, never an update; `inject` and `rewind`: state
 * given to the serving version, see ./state.ts).
 */
export type UpdateTrigger = 'load' | 'push' | 'editor' | 'reload' | 'rollback' | 'auto rollback' | 'restore' | 'publish' | 'inject' | 'rewind' | 'deploy';

export interface VersionRef {
  /** The version label: the one given to load(), else v1, v2, … per module (never reused). */
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
  /** The version serving before; null for a first load. */
  from: VersionRef | null;
  /** The version the update would have served; null when it was refused before one existed. */
  to: VersionRef | null;
  outcome: UpdateOutcome;
  durationMs: number;
  /** The step that refused the update, and why, in words. */
  failedStep: UpdateStep | null;
  error: string | null;
  /** The refusal as data (`code` and `detail`), for programs; `error` is its text. */
  refusal: Pick<Refusal, 'code' | 'detail'> | null;
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
  /** A deployment's record (./deploy): its strategy, how it ended, and its decisions in words. */
  deployment?: { id: number; strategy: StrategyKind; outcome: DeploymentOutcome; decisions: string[] };
}

/**
 * A record's identity: its id counts from 1 in every page, so two tabs (or two visits) can both
 * have a record 7; with its module and timestamp it is the same record only if it is.
 */
export const recordKey = (r: Pick<UpdateRecord, 'id' | 'module' | 'timestamp'>): string => `${r.module}#${r.id}@${r.timestamp}`;

/** Newest first: by timestamp, then id. */
export const newestFirst = (a: UpdateRecord, b: UpdateRecord): number => b.timestamp - a.timestamp || b.id - a.id;

/** Records kept in memory (the registry keeps them all). */
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

  /**
   * Take the records kept from earlier sessions (newest first), under the ones of this session;
   * new records are numbered after every id among them.
   */
  hydrate(kept: readonly UpdateRecord[]): void {
    const known = new Set(this.records.map(recordKey));
    const older = kept.filter((r) => !known.has(recordKey(r)));
    this.records = [...this.records, ...older].sort(newestFirst).slice(0, LIMIT);
    for (const r of kept) if (r.id >= this.nextId) this.nextId = r.id + 1;
  }

  /** Newest first; optionally only one module's. */
  list(module?: string): UpdateRecord[] {
    return module ? this.records.filter((r) => r.module === module) : [...this.records];
  }
}
