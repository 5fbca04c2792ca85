import { describe, expect, it } from 'vitest';
import type { UpdateOutcome, UpdateRecord } from '../core';
import { createAppStore } from './app-store';
import { MAX_RECORDS, addRecord, filterRecords, normaliseRecords } from './history-slice';

const record = (id: number, outcome: UpdateOutcome = 'committed'): UpdateRecord => ({
  schema: 1,
  id,
  timestamp: 1_700_000_000_000 + id,
  module: 'counter',
  trigger: 'load',
  from: { version: `v${id}`, sha256: 'a'.repeat(64) },
  to: { version: `v${id + 1}`, sha256: 'b'.repeat(64) },
  outcome,
  durationMs: 3,
  failedStep: null,
  error: null,
  refusal: null,
  stateBytes: 8,
  warning: null,
  cutover: null,
});
const ids = (records: readonly UpdateRecord[]) => records.map((r) => r.id);

describe('history records', () => {
  it('adds new records at the front (newest first)', () => {
    let records: readonly UpdateRecord[] = [];
    for (const id of [1, 2, 3]) records = addRecord(records, record(id));
    expect(ids(records)).toEqual([3, 2, 1]);
  });

  it('puts a late record in id order and ignores one already present', () => {
    const records = addRecord(addRecord([record(5), record(2)], record(3)), record(1));
    expect(ids(records)).toEqual([5, 3, 2, 1]);
    expect(addRecord(records, record(3))).toBe(records);
  });

  it('keeps two tabs\' records that share an id (ids count from 1 in every page), newest first by time', () => {
    const other = { ...record(3), timestamp: record(3).timestamp + 10, module: 'counter' };
    const records = addRecord([record(4), record(3)], other);
    expect(records.map((r) => [r.id, r.timestamp - 1_700_000_000_000])).toEqual([
      [3, 13],
      [4, 4],
      [3, 3],
    ]);
  });

  it('keeps at most the limit, dropping the oldest', () => {
    let records: readonly UpdateRecord[] = [];
    for (let id = 1; id <= 5; id++) records = addRecord(records, record(id), 3);
    expect(ids(records)).toEqual([5, 4, 3]);
  });

  it('sorts and caps the engine list taken at connect', () => {
    expect(ids(normaliseRecords([record(1), record(3), record(2)], 2))).toEqual([3, 2]);
  });

  it('filters by outcome, and returns the same array for "all"', () => {
    const records = [record(3, 'refused'), record(2, 'committed'), record(1, 'refused')];
    expect(ids(filterRecords(records, 'refused'))).toEqual([3, 1]);
    expect(filterRecords(records, 'rolled back')).toEqual([]);
    expect(filterRecords(records, 'all')).toBe(records);
  });
});

describe('history slice', () => {
  it('resets, adds and caps through the store', () => {
    const store = createAppStore();
    store.getState().history.reset([record(1), record(2)]);
    expect(ids(store.getState().history.records)).toEqual([2, 1]);
    for (let id = 3; id <= MAX_RECORDS + 10; id++) store.getState().history.add(record(id));
    const records = store.getState().history.records;
    expect(records).toHaveLength(MAX_RECORDS);
    expect(records[0]!.id).toBe(MAX_RECORDS + 10);
    expect(records.at(-1)!.id).toBe(11);
  });

  it('does not notify subscribers for a duplicate record', () => {
    const store = createAppStore();
    store.getState().history.add(record(1));
    let notified = 0;
    store.subscribe(() => notified++);
    store.getState().history.add(record(1));
    expect(notified).toBe(0);
    store.getState().history.add(record(2));
    expect(notified).toBe(1);
  });

  it('filters by outcome and by module', () => {
    const records = [{ ...record(3), module: 'other' }, record(2, 'refused'), record(1)];
    expect(filterRecords(records, 'all', 'counter').map((r) => r.id)).toEqual([2, 1]);
    expect(filterRecords(records, 'refused', 'counter').map((r) => r.id)).toEqual([2]);
    expect(filterRecords(records, 'all')).toBe(records);
  });
});
