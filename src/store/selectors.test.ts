import { describe, expect, it } from 'vitest';
import { createAppStore } from './app-store';
import { selectNoticeActions } from './selectors';

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
