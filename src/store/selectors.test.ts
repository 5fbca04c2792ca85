import { describe, expect, it } from 'vitest';
import type { ModuleStatus } from '../core';
import { createAppStore } from './app-store';
import { selectNoticeActions, selectStatus } from './selectors';

describe('selectNoticeActions', () => {
  it('stays the same object when notices change, so panels that only report errors do not re-render', () => {
    const store = createAppStore();
    const before = selectNoticeActions(store.getState());
    before.announce('Loaded counter.wasm');
    before.reportError(new Error('boom'), 'load');
    const after = selectNoticeActions(store.getState());
    expect(after).toBe(before);
    expect(store.getState().notices.error).toMatchObject({ message: 'boom' });
    expect(selectNoticeActions(createAppStore().getState())).not.toBe(before); // one per store
  });
});

describe('selectStatus', () => {
  it("stays the same object while the engine reports an unchanged status, and follows the active module", () => {
    const store = createAppStore();
    let notified = 0;
    store.subscribe(() => notified++);
    const report = { ...statusOf('counter'), state: 'healthy' as const };
    store.getState().modules.apply({ type: 'status', module: 'counter', status: report });
    const first = selectStatus(store.getState());
    expect(first).toMatchObject({ name: 'counter', state: 'healthy' });
    expect(notified).toBe(1);
    store.getState().modules.apply({ type: 'status', module: 'counter', status: { ...report } }); // equal, not identical
    expect(selectStatus(store.getState())).toBe(first);
    expect(notified).toBe(1);
    store.getState().modules.apply({ type: 'status', module: 'counter', status: { ...report, calls: 1 } });
    expect(selectStatus(store.getState())).not.toBe(first);
    expect(selectStatus(store.getState())!.calls).toBe(1);
    store.getState().modules.apply({ type: 'status', module: 'other', status: { ...statusOf('other'), calls: 5 } });
    store.getState().modules.apply({ type: 'active', module: 'other' });
    expect(selectStatus(store.getState())).toMatchObject({ name: 'other', calls: 5 });
  });
});

function statusOf(name: string): ModuleStatus {
  return { name, state: 'loading', version: null, apiVersion: null, sha256: null, lastUpdate: null, message: null, messageAt: null, checkpointAt: null, updating: null, instances: 0, calls: 0, errors: 0, p50Ms: null, p99Ms: null };
}
