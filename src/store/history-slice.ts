/**
 * History slice: the engine's update records of every module, newest first. Filled from
 * `engine.history()` when the bridge connects and one record at a time from `update` events; at
 * most {@link MAX_RECORDS} are kept (the oldest go). Versions live with their module (modules-slice).
 */
import type { StateCreator } from 'zustand/vanilla';
import { newestFirst, recordKey, type UpdateOutcome, type UpdateRecord } from '../core/history';
import type { AppState } from './app-store';

export const MAX_RECORDS = 1000;

/** Every outcome, in the order the History filter offers them. */
export const OUTCOMES: readonly UpdateOutcome[] = ['committed', 'refused', 'superseded', 'rolled back', 'already running'];

/**
 * Add one record, keeping the list newest first (by timestamp, then id) and at most `max` long. A
 * record already present (the same record: recordKey) changes nothing: the same array is returned.
 */
export function addRecord(records: readonly UpdateRecord[], record: UpdateRecord, max = MAX_RECORDS): readonly UpdateRecord[] {
  const key = recordKey(record);
  if (records.some((r) => recordKey(r) === key)) return records;
  // Records arrive newest last, so this is almost always the front.
  const at = records.findIndex((r) => newestFirst(record, r) < 0);
  const next = at === -1 ? [...records, record] : [...records.slice(0, at), record, ...records.slice(at)];
  if (next.length > max) next.length = max;
  return next;
}

/** A list from `engine.history()`: newest first, at most `max`. */
export function normaliseRecords(records: readonly UpdateRecord[], max = MAX_RECORDS): readonly UpdateRecord[] {
  return [...records].sort(newestFirst).slice(0, max);
}

/** The records of `module` with `outcome` ('all': every outcome). */
export function filterRecords(records: readonly UpdateRecord[], outcome: UpdateOutcome | 'all', module?: string | null): readonly UpdateRecord[] {
  if (outcome === 'all' && module === undefined) return records;
  return records.filter((r) => (outcome === 'all' || r.outcome === outcome) && (module === undefined || r.module === module));
}

export interface HistorySlice {
  history: {
    /** Update records of every module, newest first. */
    records: readonly UpdateRecord[];
    /** Replace every record (the engine's list, when connecting). */
    reset(records: readonly UpdateRecord[]): void;
    /** A new record from an `update` event. */
    add(record: UpdateRecord): void;
  };
}

export const createHistorySlice: StateCreator<AppState, [], [], HistorySlice> = (set) => ({
  history: {
    records: [],
    reset: (records) => set((state) => ({ history: { ...state.history, records: normaliseRecords(records) } })),
    add: (record) =>
      set((state) => {
        const records = addRecord(state.history.records, record);
        return records === state.history.records ? state : { history: { ...state.history, records } };
      }),
  },
});
