/** The engine's update records: numbered, newest first, and taken from other sessions and tabs. */
import { describe, expect, it } from 'vitest';
import { updateRecord } from '../registry/test-support';
import { History, recordKey } from './history';

/** A draft as the pipeline hands it to add(): no schema, no id. */
const draft = (timestamp: number) => {
  const { schema: _schema, id: _id, ...rest } = updateRecord(0, { timestamp });
  return rest;
};

describe('History', () => {
  it('takes kept records under its own, keeps two tabs\' records that share an id, and numbers new ones after them all', () => {
    const history = new History();
    const mine = history.add(draft(300));
    expect(mine.id).toBe(1);
    // Another tab's record 1 (another moment), this session's own record read back, and an older visit's 5.
    history.hydrate([updateRecord(1, { timestamp: 200 }), mine, updateRecord(5, { timestamp: 100 })]);
    expect(history.list().map((r) => [r.id, r.timestamp])).toEqual([
      [1, 300],
      [1, 200],
      [5, 100],
    ]);
    expect(history.add(draft(400)).id).toBe(6);
    expect(new Set(history.list().map(recordKey)).size).toBe(4);
  });
});
