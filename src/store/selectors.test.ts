import { describe, expect, it } from 'vitest';
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
  it('stays the same object while the engine reports an unchanged status', () => {
    const store = createAppStore();
    let notified = 0;
    store.subscribe(() => notified++);
    const report = { ...store.getState().status.current, state: 'healthy' as const, name: 'counter', modules: ['counter'] };
    store.getState().status.update(report, null);
    const first = selectStatus(store.getState());
    expect(notified).toBe(1);
    store.getState().status.update({ ...report, modules: ['counter'] }, null); // equal, not identical
    expect(selectStatus(store.getState())).toBe(first);
    expect(notified).toBe(1);
    store.getState().status.update({ ...report, calls: 1 }, null);
    expect(selectStatus(store.getState())).not.toBe(first);
    expect(selectStatus(store.getState()).calls).toBe(1);
  });
});
