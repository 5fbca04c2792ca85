import { describe, expect, it } from 'vitest';
import type { ExportInfo, ModuleStatus, VersionInfo } from '../core';
import { createAppStore } from './app-store';
import { choiceNamed, defaultFunction, firstMatches, functionChoices, functionLabel, selectModuleName, selectNoticeActions, selectStatus, selectVersions } from './selectors';

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

describe('selectVersions', () => {
  it('keeps the objects of versions that did not change, so only the rows of those that did redraw', () => {
    const store = createAppStore();
    const version = (label: string, servedAt: number | null): VersionInfo => ({
      version: label,
      sha256: `sha-${label}`,
      source: 'counter.wasm',
      size: 100,
      apiVersion: '1.0.0',
      trigger: 'load',
      createdAt: 1,
      servedAt,
      pinned: false,
      tag: null,
      imports: ['wasi_snapshot_preview1.fd_write'],
      exports: ['get'],
    });
    const versions = (list: VersionInfo[]) => store.getState().modules.apply({ type: 'versions', module: 'counter', versions: list });
    store.getState().modules.apply({ type: 'status', module: 'counter', status: statusOf('counter') });
    versions([version('v1', 10)]);
    const [v1] = selectVersions(store.getState());
    versions([version('v1', 10), version('v2', null)]); // every event lists them all, as new objects
    const [v1again, v2] = selectVersions(store.getState());
    expect(v1again).toBe(v1);
    versions([version('v1', 10), version('v2', 20)]); // v2 served
    const [v1still, v2served] = selectVersions(store.getState());
    expect(v1still).toBe(v1);
    expect(v2served).not.toBe(v2);
    expect(v2served!.servedAt).toBe(20);
    versions([{ ...version('v1', 10), tag: 'stable' }, version('v2', 20)]); // v1 named
    expect(selectVersions(store.getState())[0]!.tag).toBe('stable');
    expect(selectVersions(store.getState())[1]).toBe(v2served);
  });
});

describe('selectModuleName', () => {
  it('names the active module, else the module still loading (its History shows while it comes back), else none', () => {
    const store = createAppStore();
    expect(selectModuleName(store.getState())).toBeNull();
    store.getState().modules.apply({ type: 'status', module: 'counter', status: statusOf('counter') });
    expect(selectModuleName(store.getState())).toBe('counter');
    store.getState().modules.apply({ type: 'status', module: 'other', status: statusOf('other') });
    store.getState().modules.apply({ type: 'active', module: 'other' });
    expect(selectModuleName(store.getState())).toBe('other');
  });
});

const fn = (name: string, jsonCallable: boolean, rawCallable = !jsonCallable, lifecycle = false): ExportInfo => ({ name, kind: 'function', jsonCallable, rawCallable, lifecycle });


describe('function choices', () => {
  it('lists function exports JSON calls first, labelled, and answers the same array for the same module', () => {
    const exports = [fn('add', false), { name: 'memory', kind: 'memory', jsonCallable: false, rawCallable: false, lifecycle: true } as const, fn('echo', true), fn('alloc', false, true, true)];
    const choices = functionChoices(exports);
    expect(choices.map(functionLabel)).toEqual(['echo', 'add (raw)', 'alloc (lifecycle)']);
    expect(functionChoices(exports)).toBe(choices);
    expect(functionChoices(null)).toEqual([]);
    expect(choiceNamed(choices, 'add')?.rawCallable).toBe(true);
    expect(choiceNamed(choices, 'nope')).toBeNull();
  });

  it('selects increment, else the first own JSON call, else a raw call', () => {
    expect(defaultFunction(functionChoices([fn('get', true), fn('increment', true)]))).toBe('increment');
    expect(defaultFunction(functionChoices([fn('health_check', true, false, true), fn('get', true)]))).toBe('get');
    expect(defaultFunction(functionChoices([fn('alloc', false, true, true), fn('add', false)]))).toBe('add');
    expect(defaultFunction(functionChoices([]))).toBeNull();
  });

  it('stays linear at 100,000 exports', () => {
    const exports = Array.from({ length: 100_000 }, (_, i) => fn(`fn_${i}`, i % 2 === 0));
    const t0 = performance.now();
    const choices = functionChoices(exports);
    expect(defaultFunction(choices)).toBe('fn_0');
    expect(choiceNamed(choices, 'fn_99999')?.name).toBe('fn_99999');
    // JSON calls come first, so the odd (raw) fn_9999 is not among the first five.
    expect(firstMatches(choices, 'FN_9999', (c) => c.name, 5)).toMatchObject({ total: 11, shown: [{ name: 'fn_99990' }, { name: 'fn_99992' }, { name: 'fn_99994' }, { name: 'fn_99996' }, { name: 'fn_99998' }] });
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('firstMatches', () => {
  it('answers the first matches ignoring case and how many match in all; an empty query matches everything', () => {
    const names = ['Alpha', 'beta', 'alphabet', 'gamma'];
    expect(firstMatches(names, ' ALPHA ', (n) => n, 1)).toEqual({ shown: ['Alpha'], total: 2 });
    expect(firstMatches(names, '', (n) => n, 3)).toEqual({ shown: ['Alpha', 'beta', 'alphabet'], total: 4 });
    expect(firstMatches(names, 'zeta', (n) => n, 3)).toEqual({ shown: [], total: 0 });
  });
});

function statusOf(name: string): ModuleStatus {
  return { name, state: 'loading', version: null, apiVersion: null, sha256: null, lastUpdate: null, message: null, messageAt: null, checkpointAt: null, updating: null, instances: 0, busy: null, busySince: null, calls: 0, errors: 0, p50Ms: null, p99Ms: null };
}
