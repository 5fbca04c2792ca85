import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type Engine, type EngineConfig, type EngineEvent, type EngineStatus, HotwasmError, type ModuleInfo, type UpdateRecord } from '../core';
import { createAppStore } from './app-store';
import { connectEngine } from './bridge';
import { initialStatus } from './status-slice';

/** Just enough of an engine for the bridge: status, module, history, versions, config and subscribe. */
function fakeEngine() {
  const listeners = new Set<(event: EngineEvent) => void>();
  const state: {
    status: EngineStatus;
    module: ModuleInfo | null;
    history: UpdateRecord[];
    versions: { version: string; sha256: string; source: string }[];
    config: EngineConfig;
  } = { status: initialStatus, module: null, history: [], versions: [], config: { ...DEFAULT_CONFIG } };
  const engine = {
    status: () => state.status,
    module: () => state.module,
    history: () => state.history,
    versions: () => state.versions,
    get config() {
      return state.config;
    },
    subscribe(listener: (event: EngineEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as Engine;
  const emit = (event: EngineEvent) => listeners.forEach((l) => l(event));
  return { engine, state, emit, listeners };
}

const counter = { name: 'counter', source: 'counter.wasm', size: 1207 } as ModuleInfo;
const record = (id: number, outcome: UpdateRecord['outcome']): UpdateRecord => ({
  schema: 1,
  id,
  timestamp: 1_700_000_000_000 + id,
  module: 'counter',
  trigger: 'load',
  from: { version: 'v1', sha256: 'a'.repeat(64) },
  to: { version: 'v2', sha256: 'b'.repeat(64) },
  outcome,
  durationMs: 12,
  failedStep: outcome === 'refused' ? 'shadow check' : null,
  error: outcome === 'refused' ? 'health_check failed' : null,
  stateBytes: null,
  warning: null,
  cutover: null,
});
const healthy: EngineStatus = { ...initialStatus, state: 'healthy', name: 'counter', modules: ['counter'] };

describe('connectEngine', () => {
  it('turns engine events into store state', () => {
    const { engine, state, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);

    state.status = healthy;
    state.module = counter;
    emit({ type: 'loaded', module: counter, replaced: false });
    expect(store.getState().status.module).toBe(counter);
    expect(store.getState().status.modules).toEqual(['counter']);
    expect(store.getState().notices.info?.text).toBe('Loaded counter.wasm (1.2 KiB)');

    emit({ type: 'output', module: 'counter', stream: 'stdout', text: 'processed 8 bytes\nbye' });
    expect(store.getState().console.lines.map((l) => l.text)).toEqual(['processed 8 bytes', 'bye']);

    emit({ type: 'status', status: { ...healthy, calls: 3 } });
    expect(store.getState().status.current.calls).toBe(3);
  });

  it('with a scheduler, applies a burst of events together, in order, when it runs', () => {
    const { engine, state, emit } = fakeEngine();
    const store = createAppStore();
    const pending: (() => void)[] = [];
    connectEngine(engine, store, { schedule: (flush) => pending.push(flush) });
    state.status = healthy;
    emit({ type: 'output', module: 'counter', stream: 'stdout', text: 'one\n' });
    emit({ type: 'output', module: 'counter', stream: 'stdout', text: 'two\n' });
    emit({ type: 'status', status: { ...healthy, calls: 2 } });
    expect(store.getState().console.lines).toEqual([]);
    expect(pending).toHaveLength(1); // one flush for the burst
    pending[0]!();
    expect(store.getState().console.lines.map((l) => l.text)).toEqual(['one', 'two']);
    expect(store.getState().status.current.calls).toBe(2);
  });

  it('shows load errors and leaves call errors to their caller', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);
    emit({ type: 'error', action: 'call', error: new HotwasmError('trap', 'trap trapped: unreachable') });
    expect(store.getState().notices.error).toBeNull();
    emit({ type: 'error', action: 'load', error: new HotwasmError('not-wasm', 'logo.wasm is not a WebAssembly module') });
    expect(store.getState().notices.error).toMatchObject({ message: 'logo.wasm is not a WebAssembly module', action: 'load', name: 'HotwasmError' });
    // The same message again is a new notice (announced again).
    const first = store.getState().notices.error!.id;
    emit({ type: 'error', action: 'load', error: new HotwasmError('not-wasm', 'logo.wasm is not a WebAssembly module') });
    expect(store.getState().notices.error!.id).not.toBe(first);
  });

  it('fills the history at connect and adds a record per update event', () => {
    const { engine, state, emit } = fakeEngine();
    state.history = [record(2, 'refused'), record(1, 'committed')];
    state.versions = [{ version: 'v1', sha256: 'a'.repeat(64), source: 'counter.wasm' }];
    const store = createAppStore();
    connectEngine(engine, store);
    expect(store.getState().history.records.map((r) => r.id)).toEqual([2, 1]);
    expect(store.getState().history.versions.map((v) => v.version)).toEqual(['v1']);

    state.versions = [...state.versions, { version: 'v2', sha256: 'b'.repeat(64), source: 'counter-b.wasm' }];
    emit({ type: 'update', record: record(3, 'committed') });
    expect(store.getState().history.records.map((r) => r.id)).toEqual([3, 2, 1]);
    expect(store.getState().history.versions.map((v) => v.version)).toEqual(['v1', 'v2']);
  });

  it('refreshes the settings on status events, keeping the object when nothing changed', () => {
    const { engine, state, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);
    const first = store.getState().config.values;
    expect(first).toEqual(DEFAULT_CONFIG);
    emit({ type: 'status', status: healthy });
    expect(store.getState().config.values).toBe(first);
    state.config = { ...state.config, probation_ms: 100 };
    emit({ type: 'status', status: healthy });
    expect(store.getState().config.values.probation_ms).toBe(100);
  });

  it('clears a reload error when a version goes live', () => {
    const { engine, emit } = fakeEngine();
    const store = createAppStore();
    connectEngine(engine, store);
    store.getState().notices.reportError(new HotwasmError('update-refused', 'Update of counter refused at shadow check'), 'reload');
    emit({ type: 'loaded', module: counter, replaced: true });
    expect(store.getState().notices.error).toBeNull();
  });

  it('seals open output lines when a module is loaded, and stops on unsubscribe', () => {
    const { engine, emit, listeners } = fakeEngine();
    const store = createAppStore();
    const disconnect = connectEngine(engine, store);
    emit({ type: 'output', module: 'hello', stream: 'stdout', text: 'bye' });
    emit({ type: 'loaded', module: counter, replaced: true });
    emit({ type: 'output', module: 'counter', stream: 'stdout', text: 'hi\n' });
    expect(store.getState().console.lines.map((l) => l.text)).toEqual(['bye', 'hi']);
    expect(store.getState().notices.info?.text).toBe('Loaded counter.wasm (1.2 KiB), replacing the running build');
    disconnect();
    expect(listeners.size).toBe(0);
  });
});
