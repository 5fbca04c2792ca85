/**
 * History slice: the engine's update records, newest first, and the versions of the active
 * module kept for rollback. Filled from `engine.history()` when the bridge connects and one
 * record at a time from `update` events; at most {@link MAX_RECORDS} are kept (the oldest go).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { UpdateOutcome, UpdateRecord } from '../core';
import type { AppState } from './app-store';

export const MAX_RECORDS = 1000;

/** Every outcome, in the order the History filter offers them. */
export const OUTCOMES: readonly UpdateOutcome[] = ['committed', 'refused', 'superseded', 'rolled back', 'already running'];

/** A version of the active module that can be rolled back to, as `engine.versions()` lists it. */
export interface KeptVersion {
  version: string;
  sha256: string;
  source: string;
}

/**
 * Add one record, keeping the list newest first (by id) and at most `max` long. A record already
 * present (same id) changes nothing: the same array is returned.
 */
export function addRecord(records: readonly UpdateRecord[], record: UpdateRecord, max = MAX_RECORDS): readonly UpdateRecord[] {
  if (records.some((r) => r.id === record.id)) return records;
  // Records arrive in id order, so this is almost always the front.
  const at = records.findIndex((r) => r.id < record.id);
  const next = at === -1 ? [...records, record] : [...records.slice(0, at), record, ...records.slice(at)];
  if (next.length > max) next.length = max;
  return next;
}

/** A list from `engine.history()`: newest first, at most `max`. */
export function normaliseRecords(records: readonly UpdateRecord[], max = MAX_RECORDS): readonly UpdateRecord[] {
  return [...records].sort((a, b) => b.id - a.id).slice(0, max);
}

/** The records with `outcome` ('all': every record). Returns the same array when nothing is filtered. */
export function filterRecords(records: readonly UpdateRecord[], outcome: UpdateOutcome | 'all'): readonly UpdateRecord[] {
  return outcome === 'all' ? records : records.filter((r) => r.outcome === outcome);
}

const sameVersions = (a: readonly KeptVersion[], b: readonly KeptVersion[]) =>
  a.length === b.length && a.every((v, i) => v.version === b[i]!.version && v.sha256 === b[i]!.sha256 && v.source === b[i]!.source);

export interface HistorySlice {
  history: {
    /** Update records of every module, newest first. */
    records: readonly UpdateRecord[];
    /** The active module's versions kept for rollback, oldest first. */
    versions: readonly KeptVersion[];
    /** Replace every record (the engine's list, when connecting). */
    reset(records: readonly UpdateRecord[]): void;
    /** A new record from an `update` event. */
    add(record: UpdateRecord): void;
    setVersions(versions: readonly KeptVersion[]): void;
  };
}

export const createHistorySlice: StateCreator<AppState, [], [], HistorySlice> = (set) => ({
  history: {
    records: [],
    versions: [],
    reset: (records) => set((state) => ({ history: { ...state.history, records: normaliseRecords(records) } })),
    add: (record) =>
      set((state) => {
        const records = addRecord(state.history.records, record);
        return records === state.history.records ? state : { history: { ...state.history, records } };
      }),
    // Status events come often (call statistics): keep the old array when nothing changed.
    setVersions: (versions) =>
      set((state) => (sameVersions(state.history.versions, versions) ? state : { history: { ...state.history, versions: [...versions] } })),
  },
});
