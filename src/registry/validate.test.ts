/** The checks of records read back: what passes, and the words for what does not. */
import { describe, expect, it } from 'vitest';
import type { UpdateRecord } from '../core/history';
import { checkBytes, checkModule, checkUpdateRecord, checkVersion } from './validate';
import { versionRecord } from './test-support';

const record: UpdateRecord = {
  schema: 1,
  id: 7,
  timestamp: 1,
  module: 'counter',
  trigger: 'push',
  from: { version: 'v1', sha256: 'aaa' },
  to: { version: 'v2', sha256: 'bbb' },
  outcome: 'refused',
  durationMs: 2,
  failedStep: 'exports',
  error: 'v2 no longer has the JSON export get',
  refusal: { code: 'lost-exports', detail: { version: 'v2', serving: 'v1', lost: ['get'] } },
  stateBytes: null,
  warning: null,
  cutover: null,
};

const reason = (result: { ok: boolean; reason?: string }) => (result.ok ? 'ok' : result.reason);

describe('record checks', () => {
  it('passes a whole record, and returns it as it is', () => {
    expect(checkUpdateRecord(record)).toEqual({ ok: true, value: record });
  });

  it('names the field that is wrong, also inside a nested object', () => {
    expect(reason(checkUpdateRecord({ ...record, to: { version: 'v2' } }))).toBe('"to.sha256" is missing');
    expect(reason(checkUpdateRecord({ ...record, cutover: { pauseMs: 1, saveMs: 1, restoreMs: 1, held: 'yes' } }))).toBe(
      '"cutover.held" should be true or false, but is the text "yes"',
    );
    expect(reason(checkUpdateRecord({ ...record, refusal: { code: 'gone', detail: {} } }))).toMatch(/^"refusal.code" should be one of "load-failed", /);
    expect(reason(checkUpdateRecord({ ...record, failedStep: 'lunch' }))).toMatch(/^"failedStep" should be one of "read", "stage"/);
  });

  it('tells a missing, an unknown and a newer schema apart', () => {
    expect(reason(checkModule({ name: 'counter', serving: null, at: 1 }))).toBe('not a module record: it has no "schema" field');
    expect(reason(checkModule({ schema: 'one', name: 'counter', serving: null, at: 1 }))).toBe('schema the text "one" is not one this page knows (it reads 1)');
    expect(reason(checkModule({ schema: 3, name: 'counter', serving: null, at: 1 }))).toMatch(/^schema 3 is newer than this page reads \(1\)/);
  });

  it('refuses what is not a record at all', () => {
    expect(reason(checkVersion(null))).toBe('not a version record: it is null');
    expect(reason(checkVersion([1, 2]))).toBe('not a version record: it is a list');
    expect(reason(checkBytes(new ArrayBuffer(2)))).toBe('not bytes: it is an ArrayBuffer');
    expect(reason(checkBytes(new Uint16Array(2)))).toBe('not bytes: it is an object');
    expect(checkBytes(new Uint8Array(2)).ok).toBe(true);
  });

  it('reads a schema 1 version record as schema 2, after checking it by the rules of 1', () => {
    const { tag: _t, imports: _i, exports: _e, removed: _r, ...fields } = versionRecord('v1', 'aaa', { servedAt: 5, pinned: true });
    const v1 = { ...fields, schema: 1 };
    expect(checkVersion(v1)).toEqual({ ok: true, value: versionRecord('v1', 'aaa', { servedAt: 5, pinned: true }) });
    expect(reason(checkVersion({ ...v1, pinned: 'no' }))).toBe('"pinned" should be true or false, but is the text "no" (a schema 1 record)');
    expect(reason(checkVersion({ ...v1, schema: 3 }))).toMatch(/^schema 3 is newer than this page reads \(2\)/);
    expect(reason(checkVersion({ ...versionRecord('v1', 'aaa'), removed: { at: 1, why: 'lost' } }))).toMatch(/^"removed.why" should be one of "deleted", "evicted"/);
  });
});
