import { describe, expect, it } from 'vitest';
import { createAppStore } from './app-store';
import { selectCallPick, selectCallPickRequest } from './selectors';

describe('call pick requests', () => {
  it('name the module and function, with a new id each time, and keep the same request maker', () => {
    const store = createAppStore();
    expect(selectCallPickRequest(store.getState())).toBeNull();
    const pick = selectCallPick(store.getState());
    pick('counter', 'increment');
    const first = selectCallPickRequest(store.getState());
    expect(first).toMatchObject({ module: 'counter', fn: 'increment' });
    pick('counter', 'increment');
    const second = selectCallPickRequest(store.getState());
    expect(second).toMatchObject({ module: 'counter', fn: 'increment' });
    expect(second!.id).not.toBe(first!.id);
    expect(selectCallPick(store.getState())).toBe(pick);
  });
});
