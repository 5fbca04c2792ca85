import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type Engine, type EngineConfig, type EngineEvent, type ModuleInfo, type ModuleStatus, type UpdateRecord } from '../core';
import { createAppStore } from './app-store';
import { connectEngine } from './bridge';
import { selectModule, selectStatus, selectVersions } from './selectors';

/** Just enough of an engine for the bridge to connect: an empty snapshot and subscribe. */
function fakeEngine(history: UpdateRecord[] = []) {
  const listeners = new Set<(event: EngineEvent) => void>();
  const engine = {
    modules: () => [],
    active: () => null,
    history: () => history,
    status: () => ({ autoReloadPaused: null }),
    config: { ...DEFAULT_CONFIG },
    subscribe(listener: (event: EngineEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as Engine;
  const emit = (event: EngineEvent) => listeners.forEach((l) => l(event));
  return { engine, emit, listeners };
}

const counter = { name: 'counter', source: 'counter.wasm', size: 1207, sha256: 'a'.repeat(64), version: 'v1' } as ModuleInfo;
const status = (patch: Partial<ModuleStatus> = {}): ModuleStatus => ({
  name: 'counter',
  state: 'healthy',
  version: 'v1',
  apiVersion: '1.0.0',
  sha256: 'a'.repeat(64),
  lastUpdate: 1,
  message: null,
  messageAt: null,
  checkpointAt: null,
  updating: null,
  instances: 1,
  busy: null,
  busySince: null,
  calls: 0,
  errors: 0,
  p50Ms: null,
  p99Ms: null,
  ...patch,
});
const record = (id: number, outcome: UpdateRecord['outcome'], module = 'counter'): UpdateRecord => ({
  schema: 1,
  id,
  timestamp: 1_700_000_000_000 + id,
  module,
  trigger: 'load',
  from: { version: 'v1', sha256: 'a'.repeat(64) },
  to: { version: 'v2', sha256: 'b'.repeat(64) },
  outcome,
  durationMs: 12,
  failedStep: outcome === 'refused' ? 'shadow check' : null,
  error: outcome === 'refused' ? 'health_check failed' : null,
  refusal: null,
  stateBytes: null,
  warning: null,
  cutover: null,
});
const error = (message: string) => ({ name: 'HotwasmError', message, code: 'not-wasm' as const });

describe('connectEngine', () => {
  it('turns engine events into store state, keyed by module', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);
    emit({ type: 'status', module: 'counter', status: status({ state: 'loading', version: null }) });
    expect(selectStatus(store.getState())).toMatchObject({ name: 'counter', state: 'loading' });
    emit({ type: 'loaded', module: 'counter', info: counter, replaced: false, trigger: 'load' });
    emit({ type: 'active', module: 'counter' });
    emit({ type: 'versions', module: 'counter', versions: [{ version: 'v1', sha256: counter.sha256, source: 'counter.wasm', size: 1207, apiVersion: '1.0.0', trigger: 'load', createdAt: 1, servedAt: 1, pinned: false, tag: null, imports: [], exports: [] }] });
    expect(selectModule(store.getState())).toBe(counter);
    expect(store.getState().modules.names).toEqual(['counter']);
    expect(selectVersions(store.getState()).map((v) => v.version)).toEqual(['v1']);
    expect(store.getState().notices.info?.text).toBe('Loaded counter.wasm (1.2 KiB)');
    emit({ type: 'output', module: 'counter', stream: 'stdout', text: 'processed 8 bytes\nbye' });
    expect(store.getState().console.lines.map((l) => [l.module, l.text])).toEqual([
      ['counter', 'processed 8 bytes'],
      ['counter', 'bye'],
    ]);
    emit({ type: 'status', module: 'counter', status: status({ calls: 3 }) });
    expect(selectStatus(store.getState())!.calls).toBe(3);
    // Another module's status changes nothing the active module shows.
    const before = selectStatus(store.getState());
    emit({ type: 'status', module: 'other', status: status({ name: 'other', calls: 9 }) });
    expect(selectStatus(store.getState())).toBe(before);
  });

  it('with a scheduler, applies a burst of events together, in order, when it runs', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    const pending: (() => void)[] = [];
    connectEngine(engine, store, { schedule: (flush) => pending.push(flush) });
    emit({ type: 'output', module: 'counter', stream: 'stdout', text: 'one\n' });
    emit({ type: 'output', module: 'counter', stream: 'stdout', text: 'two\n' });
    emit({ type: 'status', module: 'counter', status: status({ calls: 2 }) });
    expect(store.getState().console.lines).toEqual([]);
    expect(pending).toHaveLength(1); // one flush for the burst
    pending[0]!();
    expect(store.getState().console.lines.map((l) => l.text)).toEqual(['one', 'two']);
    expect(selectStatus(store.getState())!.calls).toBe(2);
  });

  it('shows load errors with their module and leaves call errors to their caller', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);
    emit({ type: 'error', module: 'counter', action: 'call', error: { ...error('trap trapped: unreachable'), code: 'trap' }, at: 1 });
    expect(store.getState().notices.error).toBeNull();
    emit({ type: 'error', module: 'logo', action: 'load', error: error('logo.wasm is not a WebAssembly module'), at: 2 });
    expect(store.getState().notices.error).toMatchObject({ message: 'logo.wasm is not a WebAssembly module', action: 'load', name: 'HotwasmError', module: 'logo' });
    expect(store.getState().modules.lastError).toEqual({ text: 'logo.wasm is not a WebAssembly module', at: 2 });
    // The same message again is a new notice (announced again).
    const first = store.getState().notices.error!.id;
    emit({ type: 'error', module: 'logo', action: 'load', error: error('logo.wasm is not a WebAssembly module'), at: 3 });
    expect(store.getState().notices.error!.id).not.toBe(first);
  });

  it('clears a storage-full alert once everything that waited for room is saved, and says so', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);
    emit({ type: 'error', module: 'logo', action: 'load', error: error('logo.wasm is not a WebAssembly module'), at: 1 });
    emit({ type: 'saved', at: 2 });
    expect(store.getState().notices.error?.message).toBe('logo.wasm is not a WebAssembly module'); // not about room: it stays
    const full = "counter: version v2 not saved: storage full (this site's storage quota is used up; nothing of it was written).";
    emit({ type: 'error', module: 'counter', action: 'save', error: { ...error(full), code: 'not-saved' }, at: 3 });
    expect(store.getState().notices.error?.message).toBe(full);
    emit({ type: 'saved', at: 4 });
    expect(store.getState().notices.error).toBeNull();
    expect(store.getState().notices.info?.text).toBe('Everything that waited for room is saved now');
  });

  it('fills the history at connect and adds a record per update event', () => {
    const { engine, emit } = fakeEngine([record(2, 'refused'), record(1, 'committed')]);
    const store = createAppStore();
    connectEngine(engine, store);
    expect(store.getState().history.records.map((r) => r.id)).toEqual([2, 1]);
    emit({ type: 'update', module: 'counter', record: record(3, 'committed') });
    expect(store.getState().history.records.map((r) => r.id)).toEqual([3, 2, 1]);
  });

  it('takes the settings and the auto reload pause from config events, keeping the object when nothing changed', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);
    const first = store.getState().config.values;
    expect(first).toEqual(DEFAULT_CONFIG);
    emit({ type: 'config', config: { ...DEFAULT_CONFIG }, autoReloadPaused: null });
    expect(store.getState().config.values).toBe(first);
    const changed: EngineConfig = { ...DEFAULT_CONFIG, enabled: false };
    emit({ type: 'config', config: changed, autoReloadPaused: 'Auto reload paused: counter was rolled back' });
    expect(store.getState().config).toMatchObject({ values: { enabled: false }, autoReloadPaused: 'Auto reload paused: counter was rolled back' });
  });

  it('words a refused update again for a person, from the story its error carries, and offers Load it fresh where that gets past it', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);
    const refusal = { step: 'api version', code: 'api-major', detail: { version: 'v2', next: '2.0.0', current: '1.0.0', nextMajor: 2, currentMajor: 1 } };
    const story = { subject: 'counter v2', keeper: 'v1', untouched: false, refusal };
    const message = 'counter v2 was refused at the API version check: API version 2.0.0 is not compatible with the serving 1.0.0 (major 2 ≠ 1). v1 keeps serving.';
    const sent = { name: 'HotwasmError', code: 'update-refused' as const, message: `${message} To replace it anyway with fresh state, load it with { fresh: true }.`, details: { step: 'api version', refusal: 'api-major', module: 'counter', story } };
    emit({ type: 'error', module: 'counter', action: 'load', error: sent, at: 1 });
    expect(store.getState().notices.error).toMatchObject({ message: `${message} To replace it anyway, with its state reset, choose Load it fresh.`, offerFresh: true, step: 'api version', module: 'counter' });
    // The Status panel says what happened; the way out is the alert's button.
    expect(store.getState().modules.lastError).toEqual({ text: message, at: 1 });
    // Another refusal: no way out to offer, and the words as they came when there is no story.
    const health = { ...story, refusal: { step: 'shadow check', code: 'unhealthy', detail: { version: 'v2', answer: 'degraded' } } };
    store.getState().notices.reportError({ ...sent, details: { ...sent.details, story: health } }, 'reload');
    expect(store.getState().notices.error).toMatchObject({ message: 'counter v2 was refused in its trial run (the shadow check): health_check of v2 answered "degraded", not "ok". v1 keeps serving.', offerFresh: false });
    store.getState().notices.reportError({ message: 'It broke', code: 'internal', details: { story: { subject: 1 } } }, 'reload');
    expect(store.getState().notices.error).toMatchObject({ message: 'It broke', offerFresh: false });
  });

  it("clears a reload error of the module when one of its versions goes live, not another module's", () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);
    emit({ type: 'loaded', module: 'counter', info: counter, replaced: false, trigger: 'load' });
    store.getState().notices.reportError({ message: 'counter v2 was refused in its trial run (the shadow check)', code: 'update-refused', details: { step: 'shadow check', module: 'counter' } }, 'reload');
    emit({ type: 'loaded', module: 'other', info: { ...counter, name: 'other' }, replaced: false, trigger: 'load' });
    expect(store.getState().notices.error).not.toBeNull();
    emit({ type: 'loaded', module: 'counter', info: counter, replaced: true, trigger: 'load' });
    expect(store.getState().notices.error).toBeNull();
  });

  it('clears the refusal of a file that never became a module when another one loads, and an older info notice when an error comes', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);
    emit({ type: 'loaded', module: 'counter', info: counter, replaced: false, trigger: 'load' });
    expect(store.getState().notices.info?.text).toMatch(/^Loaded counter\.wasm/);
    // A dropped file refused: the blue "Loaded counter.wasm" from before is not its outcome.
    emit({ type: 'error', module: 'logo', action: 'load', error: error('logo.wasm is not a WebAssembly module'), at: 2 });
    expect(store.getState().notices.info).toBeNull();
    expect(store.getState().notices.error?.module).toBe('logo');
    // The user goes on to load another file: the refusal of logo.wasm is over.
    emit({ type: 'loaded', module: 'other', info: { ...counter, name: 'other', source: 'other.wasm' }, replaced: false, trigger: 'load' });
    expect(store.getState().notices.error).toBeNull();
    expect(store.getState().notices.info?.text).toMatch(/^Loaded other\.wasm/);
  });

  it('forgets a module whose first load failed, and keeps one that serves when a load of it fails', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);
    emit({ type: 'status', module: 'counter', status: status({ state: 'loading', version: null }) });
    expect(Object.keys(store.getState().modules.byName)).toEqual(['counter']);
    emit({ type: 'error', module: 'counter', action: 'load', error: error('counter v2 was refused by a check before it could serve: the bytes kept for v2 no longer match'), at: 1 });
    expect(store.getState().modules.byName).toEqual({});
    expect(store.getState().modules.lastError).toMatchObject({ text: expect.stringContaining('no longer match') });
    emit({ type: 'loaded', module: 'logo', info: { ...counter, name: 'logo' }, replaced: false, trigger: 'load' });
    emit({ type: 'error', module: 'logo', action: 'load', error: error('logo.wasm is not a WebAssembly module'), at: 2 });
    expect(Object.keys(store.getState().modules.byName)).toEqual(['logo']);
  });

  it('forgets an unloaded module and follows the active one', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);
    emit({ type: 'loaded', module: 'counter', info: counter, replaced: false, trigger: 'load' });
    emit({ type: 'loaded', module: 'other', info: { ...counter, name: 'other' }, replaced: false, trigger: 'load' });
    emit({ type: 'active', module: 'other' });
    expect(selectModule(store.getState())?.name).toBe('other');
    emit({ type: 'unloaded', module: 'other' });
    emit({ type: 'active', module: 'counter' });
    expect(store.getState().modules.names).toEqual(['counter']);
    expect(selectModule(store.getState())?.name).toBe('counter');
  });

  it('gives deployment and pool events to the deploy slice, and forgets them with the module', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);
    const instances = [{ id: '#1', version: 'v1', state: 'healthy' as const, stateBytes: null, calls: 4, errors: 0, p50Ms: 0.1, p99Ms: 0.2, share: 1 }];
    emit({ type: 'pool', module: 'counter', instances, traffic: [{ at: 1000, version: 'v1', calls: 4, errors: 0, p99Ms: 0.2 }] });
    const started = { id: 1, module: 'counter', strategy: { kind: 'rolling' as const }, from: 'v1', to: 'v2', phase: 'rolling' as const, outcome: null, reason: null, startedAt: 1, endedAt: null, traffic: [], decisions: [], canary: null, shadow: null };
    emit({ type: 'deployment', module: 'counter', status: started });
    expect(store.getState().deploy.byModule.counter).toEqual({ instances, traffic: [{ at: 1000, version: 'v1', calls: 4, errors: 0, p99Ms: 0.2 }], deployment: started });
    emit({ type: 'unloaded', module: 'counter' });
    expect(store.getState().deploy.byModule).toEqual({});
  });

  it('seals open output lines when a module is loaded, and stops on unsubscribe', () => {
    const { engine, emit, listeners } = fakeEngine();
    const store = createAppStore();
    const disconnect = connectEngine(engine, store);
    emit({ type: 'output', module: 'hello', stream: 'stdout', text: 'bye' });
    emit({ type: 'loaded', module: 'counter', info: counter, replaced: true, trigger: 'load' });
    emit({ type: 'output', module: 'counter', stream: 'stdout', text: 'hi\n' });
    expect(store.getState().console.lines.map((l) => l.text)).toEqual(['bye', 'hi']);
    expect(store.getState().notices.info).toBeNull(); // an update is told by the Status panel, not announced again
    disconnect();
    expect(listeners.size).toBe(0);
  });
});

describe('connectEngine while an update runs', () => {
  it('holds events until the update ends, or until UPDATE_HOLD_MS have passed', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    const frames: (() => void)[] = [];
    const timers: (() => void)[] = [];
    connectEngine(engine, store, { schedule: (flush) => frames.push(flush), setTimer: (fn) => timers.push(fn), clearTimer: () => timers.splice(0) });
    emit({ type: 'status', module: 'counter', status: status({ updating: 'stage' }) });
    emit({ type: 'status', module: 'counter', status: status({ updating: 'shadow check' }) });
    expect(frames).toHaveLength(0); // nothing renders in the middle of the update
    expect(timers).toHaveLength(1);
    emit({ type: 'status', module: 'counter', status: status({ updating: null, version: 'v2' }) });
    expect(frames).toHaveLength(0); // the update's caller goes first: the panels show it a moment later
    timers.shift()!();
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(selectStatus(store.getState())).toMatchObject({ version: 'v2', updating: null });
    // A long update shows its progress after the hold.
    emit({ type: 'status', module: 'counter', status: status({ updating: 'benchmark' }) });
    expect(frames).toHaveLength(0);
    timers.shift()!();
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(selectStatus(store.getState())!.updating).toBe('benchmark');
  });

  it('holds events while a deployment runs, as while an update runs, and shows its end a moment later', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    const frames: (() => void)[] = [];
    const timers: (() => void)[] = [];
    connectEngine(engine, store, { schedule: (flush) => frames.push(flush), setTimer: (fn) => timers.push(fn), clearTimer: () => timers.splice(0) });
    const running = { id: 1, module: 'counter', strategy: { kind: 'blue-green' as const }, from: 'v1', to: 'v2', phase: 'preparing' as const, outcome: null, reason: null, startedAt: 1, endedAt: null, traffic: [], decisions: [], canary: null, shadow: null };
    emit({ type: 'deployment', module: 'counter', status: running });
    emit({ type: 'pool', module: 'counter', instances: [], traffic: [] });
    expect(frames).toHaveLength(0);
    expect(timers).toHaveLength(1);
    emit({ type: 'deployment', module: 'counter', status: { ...running, phase: 'done' as const, outcome: 'promoted' as const, endedAt: 2 } });
    expect(frames).toHaveLength(0);
    timers.shift()!();
    frames.shift()!();
    expect(store.getState().deploy.byModule.counter?.deployment).toMatchObject({ outcome: 'promoted' });
    // Ended: events go at once again.
    emit({ type: 'pool', module: 'counter', instances: [], traffic: [] });
    expect(frames).toHaveLength(1);
  });
});
