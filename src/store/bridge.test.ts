import { describe, expect, it } from 'vitest';
import { type Engine, type EngineEvent, type EngineStatus, HotwasmError, type ModuleInfo } from '../core';
import { createAppStore } from './app-store';
import { connectEngine } from './bridge';
import { initialStatus } from './status-slice';

/** Just enough of an engine for the bridge: status, module and subscribe. */
function fakeEngine() {
  const listeners = new Set<(event: EngineEvent) => void>();
  const state: { status: EngineStatus; module: ModuleInfo | null } = { status: initialStatus, module: null };
  const engine = {
    status: () => state.status,
    module: () => state.module,
    subscribe(listener: (event: EngineEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as Engine;
  const emit = (event: EngineEvent) => listeners.forEach((l) => l(event));
  return { engine, state, emit, listeners };
}

const counter = { name: 'counter', source: 'counter.wasm', size: 1207 } as ModuleInfo;
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
