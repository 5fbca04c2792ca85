/**
 * The engine's update pipeline with real guests, run in-process (src/worker/in-process.ts).
 * Hangs and runaway calls need a real worker's terminate(): those are e2e tests.
 */
import { counter, file, inProcess, swap } from '../test-support/engine';
import { InProcessWorker } from '../worker/in-process';
import { afterEach, describe, expect, it } from 'vitest';
import { RECYCLE_MAX_INSTANCES } from '../shared/tuning';
import type { Engine } from './api';
import { createEngine } from './engine';
import { ManualClock } from './manual-clock';
import { MemoryRegistry } from './registry';
import type { WorkerLike } from './rpc';

let engine: Engine;
afterEach(() => engine?.dispose());


function make(config = {}, options: Parameters<typeof createEngine>[0] = {}) {
  engine = createEngine({ workerFactory: inProcess, spares: false, config: { probation_ms: 50, ...config }, ...options });
  return engine;
}

/** Resolves as the update step `step` begins (its requests have been sent when this continues). */
function stepStarted(step: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = engine.subscribe((event) => {
      if (event.type === 'status' && event.status.updating === step) {
        stop();
        resolve();
      }
    });
  });
}

async function counterAt(n: number) {
  make();
  await engine.load(counter(), { name: 'counter' });
  await engine.call('increment', n);
}

describe('hot swap', () => {
  it('reload({ fresh: true }) replaces a build refused for its API major, with state reset', async () => {
    await counterAt(7);
    const refused = 'counter v2 was refused at the API version check: API version 2.0.0 is not compatible with the serving 1.0.0 (major 2 ≠ 1). v1 keeps serving.';
    await expect(engine.load(swap('api-v2'), { name: 'counter' })).rejects.toMatchObject({
      code: 'update-refused',
      message: `${refused} To replace it anyway with fresh state, load it with { fresh: true }.`,
      details: { step: 'api version', refusal: 'api-major', story: { subject: 'counter v2', keeper: 'v1', refusal: { code: 'api-major' } } },
    });
    // The status tells what happened; the way out goes with the error.
    expect(engine.module('counter').status().message).toBe(refused);
    expect(await engine.call('get')).toBe(7);
    const info = await engine.reload({ fresh: true });
    expect(info).toMatchObject({ version: 'v2', apiVersion: '2.0.0' });
    expect(await engine.call('get')).toBe(0);
    expect(engine.history()[0]).toMatchObject({ trigger: 'reload', outcome: 'committed', warning: 'fresh load: state was reset by request', stateBytes: null });
  });

  it('carries state into the new version and records it', async () => {
    await counterAt(7);
    const info = await engine.load(swap('counter-b'), { name: 'counter' });
    expect(info.version).toBe('v2');
    expect(await engine.call('get')).toBe(7);
    const [record] = engine.history();
    expect(record).toMatchObject({ module: 'counter', outcome: 'committed', from: { version: 'v1' }, to: { version: 'v2' }, stateBytes: 8, failedStep: null });
  });

  it('carries state between languages (WAT → C → Rust → AssemblyScript)', async () => {
    await counterAt(3);
    for (const lang of ['counter-c', 'counter-rust', 'counter-as']) {
      await engine.load(file(`public/examples/${lang}.wasm`), { name: 'counter' });
      expect(await engine.call('increment', 1)).toBeGreaterThan(3);
    }
    expect(await engine.call('get')).toBe(6);
  });

  it('names a module by the sha256 and size of the bytes given, not of the copy it runs', async () => {
    make();
    const bytes = counter();
    const info = await engine.load(bytes, { name: 'counter' });
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    expect(info.sha256).toBe(Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''));
    expect(info.size).toBe(bytes.length);
    expect(info.memories).toEqual([expect.objectContaining({ maxPages: null })]); // as declared, not as capped
    expect(bytes.length).toBeGreaterThan(0); // the caller's bytes were copied, not moved
  });

  it('answers "already running" for the same bytes', async () => {
    await counterAt(2);
    await engine.load(counter(), { name: 'counter' });
    expect(engine.history()[0]).toMatchObject({ outcome: 'already running' });
    expect(engine.status().message).toMatch(/is already running as counter v1/);
    expect(await engine.call('get')).toBe(2);
  });

  it('records a push of the bytes already running without saying so in the status (a dev server on connect)', async () => {
    await counterAt(2);
    engine.configure({ debounce_ms: 0 });
    const before = engine.status().message;
    await engine.push(counter(), { name: 'counter' });
    expect(engine.history()[0]).toMatchObject({ trigger: 'push', outcome: 'already running' });
    expect(engine.status().message).toBe(before);
  });

  it.each([
    ['restore-refuses', 'shadow check', /restore_state of v2 refused the current state \(it answered 1\)/],
    ['restore-traps', 'shadow check', /restore_state failed on v2: restore_state trapped: unreachable/],
    ['unhealthy', 'shadow check', /health_check of v2 answered "degraded", not "ok"/],
    ['api-v2', 'api version', /API version 2\.0\.0 is not compatible with the serving 1\.0\.0 \(major 2 ≠ 1\)/],
  ])('refuses %s at %s; the old version keeps serving with its state', async (name, step, message) => {
    await counterAt(7);
    await expect(engine.load(swap(name), { name: 'counter' })).rejects.toMatchObject({ code: 'update-refused', message: expect.stringMatching(message) });
    expect(engine.history()[0]).toMatchObject({ outcome: 'refused', failedStep: step, error: expect.stringMatching(message) });
    expect(engine.status()).toMatchObject({ version: 'v1', state: 'healthy' });
    expect(await engine.call('get')).toBe(7);
  });

  it('refuses when save_state traps on the serving version', async () => {
    make();
    await engine.load(swap('save-traps'), { name: 'counter' });
    await engine.call('increment', 4);
    await expect(engine.load(counter(), { name: 'counter' })).rejects.toThrow(/save_state failed on the serving version v1: save_state trapped/);
    expect(await engine.call('get')).toBe(4);
  });

  it('swaps in a version without restore_state even when save_state traps on the serving one', async () => {
    make();
    await engine.load(swap('save-traps'), { name: 'counter' });
    await engine.call('increment', 4);
    await engine.load(swap('stateless'), { name: 'counter' });
    expect(engine.history()[0]).toMatchObject({ outcome: 'committed', warning: 'state was not carried: v2 has no restore_state' });
    expect(await engine.call('get')).toBe(0);
  });

  it('refuses a benchmark_function over budget', async () => {
    await counterAt(1);
    engine.configure({ benchmark_budget_ms: 1 });
    await expect(engine.load(swap('bench-slow'), { name: 'counter' })).rejects.toThrow(/benchmark_function took [\d.]+ ms, over the 1 ms budget/);
    expect(engine.history()[0]).toMatchObject({ failedStep: 'benchmark' });
  });

  it('accepts a compatible API version and a quick benchmark', async () => {
    await counterAt(5);
    await engine.load(swap('api-v1-2'), { name: 'counter' });
    await engine.load(swap('bench-ok'), { name: 'counter' });
    expect(await engine.call('get')).toBe(5);
  });

  it('proceeds with fresh state and a warning when state exports are missing, either way', async () => {
    await counterAt(5);
    await engine.load(swap('stateless'), { name: 'counter' });
    expect(engine.history()[0]).toMatchObject({ outcome: 'committed', stateBytes: null, warning: 'state was not carried: v2 has no restore_state' });
    expect(await engine.call('get')).toBe(0);
    await engine.call('increment', 2);
    await engine.load(counter(), { name: 'counter' });
    expect(engine.history()[0]).toMatchObject({ outcome: 'committed', warning: 'state was not carried: v2 has no save_state' });
  });

  it('a fresh load replaces an incompatible API version and resets state', async () => {
    await counterAt(5);
    await engine.load(swap('api-v2'), { name: 'counter', fresh: true });
    expect(engine.status().apiVersion).toBe('2.0.0');
    expect(await engine.call('get')).toBe(0);
  });

  it('supersedes an update when a newer one arrives; the older never serves', async () => {
    await counterAt(9);
    const first = engine.load(swap('counter-b'), { name: 'counter', version: 'first' });
    const second = engine.load(swap('api-v1-2'), { name: 'counter', version: 'second' });
    await expect(first).rejects.toMatchObject({ code: 'superseded' });
    expect((await second).version).toBe('second');
    expect(engine.history().map((r) => r.outcome)).toEqual(['committed', 'superseded']);
    expect(await engine.call('get')).toBe(9);
  });

  it('loses no call and reorders none across a successful and a failed cutover', async () => {
    await counterAt(0);
    const calls: Promise<unknown>[] = [];
    const update = engine.load(swap('counter-b'), { name: 'counter' });
    for (let i = 0; i < 200; i++) calls.push(engine.call('increment', 1));
    await update;
    for (let i = 0; i < 100; i++) calls.push(engine.call('increment', 1));
    const refused = engine.load(swap('restore-refuses'), { name: 'counter' }).catch(() => 'refused');
    for (let i = 0; i < 100; i++) calls.push(engine.call('increment', 1));
    expect(await refused).toBe('refused');
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
  });

  it('takes over without holding calls when nothing reached the serving version after its snapshot', async () => {
    await counterAt(7);
    await engine.load(swap('counter-b'), { name: 'counter' });
    expect(engine.history()[0]).toMatchObject({ outcome: 'committed', stateBytes: 8, cutover: { held: false, pauseMs: 0 } });
    expect(await engine.call('get')).toBe(7);
  });

  it('holds the calls made during staging and carries the final state', async () => {
    await counterAt(0);
    const staging = stepStarted('stage');
    const update = engine.load(swap('counter-b'), { name: 'counter' });
    await staging; // the snapshot request has gone out: the calls below reach v1 after it
    const calls = Array.from({ length: 100 }, () => engine.call('increment', 1));
    await update;
    expect(engine.history()[0]).toMatchObject({ outcome: 'committed', stateBytes: 8, cutover: { held: true } });
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await engine.call('get')).toBe(100);
    expect(engine.status().version).toBe('v2');
  });

  it('runs the held calls on the old version, in order, when the final state is refused at the cutover', async () => {
    await counterAt(7);
    // Its benchmark_function is slow on purpose (calls pile up meanwhile): a loaded machine took
    // it past the default 100 ms budget, which is not what this test is about.
    engine.configure({ benchmark_budget_ms: 2000 });
    const staging = stepStarted('stage');
    const update = engine.load(swap('refuses-final-state'), { name: 'counter' });
    await staging;
    const calls = Array.from({ length: 200 }, () => engine.call('increment', 1));
    await expect(update).rejects.toThrow(/restore_state of v2 refused the final state \(it answered 2\)/);
    expect(engine.history()[0]).toMatchObject({ outcome: 'refused', failedStep: 'cutover' });
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 200 }, (_, i) => i + 8));
    expect(engine.status().version).toBe('v1');
    expect(await engine.call('get')).toBe(207);
  });

  it('rolls back to the previous version with the current state, and forward again', async () => {
    await counterAt(1);
    await engine.load(swap('counter-b'), { name: 'counter' });
    await engine.call('increment', 1);
    await engine.rollback();
    expect(engine.status().version).toBe('v1');
    expect(await engine.call('get')).toBe(2);
    await engine.rollback('v2');
    expect(engine.status().version).toBe('v2');
    expect(engine.history()[0]).toMatchObject({ trigger: 'rollback', outcome: 'committed' });
    await expect(engine.rollback('v9')).rejects.toThrow(/no version "v9"/);
  });

  it('keeps its own copy of the bytes: a caller that reuses its buffer changes nothing', async () => {
    const clock = new ManualClock();
    make({ probation_ms: 0 }, { clock });
    const first = counter();
    await engine.load(first, { name: 'counter' });
    await engine.call('increment', 3);
    await engine.load(swap('counter-b'), { name: 'counter' });
    await clock.advance(1000); // probation over: v1 is no longer warm, its bytes come from the registry
    first.fill(0); // the caller reuses its buffer
    expect(await engine.rollback('v1')).toMatchObject({ version: 'v1' });
    expect(engine.history()[0]).toMatchObject({ trigger: 'rollback', outcome: 'committed', stateBytes: 8 });
    expect(await engine.call('get')).toBe(3);
  });

  it('refuses kept bytes that no longer match their sha256, and v2 keeps serving', async () => {
    const clock = new ManualClock();
    const registry = new MemoryRegistry();
    make({ probation_ms: 0 }, { clock, registry });
    await engine.load(counter(), { name: 'counter' });
    await engine.load(swap('counter-b'), { name: 'counter' });
    await clock.advance(1000);
    const [v1] = await registry.listVersions('counter');
    const kept = (await registry.getBytes(v1!.sha256))!;
    kept[kept.length - 1]! ^= 0x01; // the stored copy is damaged
    await expect(engine.rollback('v1')).rejects.toThrow(/the bytes kept for v1 no longer match the sha256 they were kept under/);
    expect(engine.history()[0]).toMatchObject({ outcome: 'refused', failedStep: 'check', refusal: { code: 'bytes-changed' } });
    expect(engine.status().version).toBe('v2');
  });

  it('rolls back automatically when the new version traps during probation', async () => {
    await counterAt(3);
    engine.configure({ probation_ms: 10_000 });
    await engine.load(swap('increment-traps'), { name: 'counter' });
    await expect(engine.call('increment', 1)).rejects.toThrow(/trapped/);
    await expect.poll(() => engine.status().version).toBe('v1');
    expect(engine.history()[0]).toMatchObject({ outcome: 'rolled back', trigger: 'auto rollback', failedStep: 'probation', warning: 'resumed with the state saved from v2' });
    expect(await engine.call('increment', 1)).toBe(4);
  });

  it('pauses auto reload after max_rollback_attempts automatic rollbacks in a row', async () => {
    await counterAt(0);
    engine.configure({ probation_ms: 10_000, max_rollback_attempts: 2 });
    for (let i = 0; i < 2; i++) {
      await engine.load(swap('increment-traps'), { name: 'counter' });
      await engine.call('increment', 1).catch(() => undefined);
      await expect.poll(() => engine.status().version).toBe('v1');
    }
    expect(engine.status()).toMatchObject({ autoReload: false, autoReloadPaused: expect.stringMatching(/rolled back automatically 2 times in a row/) });
    engine.config.enabled = true;
    expect(engine.status().autoReloadPaused).toBeNull();
  });

  it('reloads the latest bytes received', async () => {
    await counterAt(1);
    await expect(engine.load(swap('unhealthy'), { name: 'counter' })).rejects.toThrow();
    await expect(engine.reload()).rejects.toThrow(/health_check/);
    expect(engine.history().slice(0, 2).map((r) => r.trigger)).toEqual(['reload', 'load']);
  });

  it('validates settings assigned through config', async () => {
    make();
    expect(engine.config.debounce_ms).toBe(500);
    engine.config.debounce_ms = 100;
    expect(engine.config.debounce_ms).toBe(100);
    expect(() => (engine.config.debounce_ms = -1)).toThrow(/debounce_ms must be between 0 and 60000/);
    expect(engine.config.debounce_ms).toBe(100);
  });
});

describe('the spare worker', () => {
  it('is woken as a load of bytes begins, before the load reaches it', async () => {
    const seen: string[][] = [];
    engine = createEngine({
      spares: { keep: 1 },
      workerFactory: () => {
        const worker = new InProcessWorker();
        const log: string[] = [];
        seen.push(log);
        const post = worker.postMessage.bind(worker);
        worker.postMessage = (message, transfer) => {
          log.push(message.type === 'requests' ? message.requests.map((r) => r.op).join('+') : message.type);
          post(message, transfer);
        };
        return worker as unknown as WorkerLike;
      },
      config: { probation_ms: 50 },
    });
    await engine.load(counter(), { name: 'counter' });
    await expect.poll(() => seen.length).toBe(2); // the first worker, then a spare
    expect(seen[0]).not.toContain('warm-up'); // the first, started for a load that is coming, is not asked to warm up
    await engine.load(swap('counter-b'), { name: 'counter' });
    expect(seen[1]!.slice(0, 2)).toEqual(['warm-up', 'wake']); // a spare warms up until a load wakes it
    expect(seen[1]![2]).toMatch(/^load\+/);
    expect(await engine.call('get')).toBe(0);
  });
});

describe('pushed builds', () => {
  it('are applied at once, and those arriving within debounce_ms of the previous one coalesced into the last', async () => {
    await counterAt(7);
    engine.configure({ debounce_ms: 40 });
    // The first of a burst: nothing came before it, so it does not wait.
    const first = engine.push(swap('counter-b'), { name: 'counter' });
    expect(await first).toMatchObject({ version: 'v2' });
    const second = engine.push(swap('stateless'), { name: 'counter' });
    const third = engine.push(swap('unhealthy'), { name: 'counter' });
    const last = engine.push(swap('api-v1-2'), { name: 'counter' });
    expect(await second).toBeNull();
    expect(await third).toBeNull();
    expect(await last).toMatchObject({ version: 'v3' });
    expect(await engine.call('get')).toBe(7);
    const records = engine.history();
    expect(records.map((r) => [r.trigger, r.outcome, r.stateBytes])).toEqual([
      ['push', 'committed', 8],
      ['push', 'committed', 8],
    ]);
  });

  it('wait for Reload while auto reload is off', async () => {
    await counterAt(7);
    engine.configure({ enabled: false, debounce_ms: 0 });
    expect(await engine.push(swap('counter-b'), { name: 'counter' })).toBeNull();
    expect(engine.module()).toMatchObject({ version: 'v1' });
    expect(engine.history()).toHaveLength(0);
    expect(engine.status().message).toMatch(/auto reload is off, so it waits: Reload applies it/);
    expect(await engine.reload()).toMatchObject({ version: 'v2' });
    expect(await engine.call('get')).toBe(7);
  });

  it('load a module that is not running yet, and reject as load() does', async () => {
    make({ debounce_ms: 0 });
    expect(await engine.push(counter(), { name: 'counter' })).toMatchObject({ name: 'counter', version: 'v1' });
    await expect(engine.push(swap('unhealthy'), { name: 'counter' })).rejects.toMatchObject({ code: 'update-refused' });
    expect(engine.module()).toMatchObject({ version: 'v1' });
  });
});

describe('modules by name', () => {
  it('serialises loads of a new name from the first, in order: one module, no leaked worker', async () => {
    let started = 0;
    let stopped = 0;
    make({}, {
      workerFactory: () => {
        started++;
        const worker = new InProcessWorker();
        const terminate = worker.terminate.bind(worker);
        worker.terminate = () => {
          stopped++;
          terminate();
        };
        return worker as unknown as WorkerLike;
      },
    });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => engine.load(counter(), { name: 'same' })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    expect(engine.modules().map((m) => m.name)).toEqual(['same']);
    // The first load, three superseded updates, and the last one finding the same bytes running.
    expect(engine.history('same').map((r) => r.outcome)).toEqual(['already running', 'superseded', 'superseded', 'superseded']);
    engine.unload('same');
    await expect.poll(() => stopped).toBe(started);
  });

  it('applies a second load of a new name as an update of the first, with its state carried', async () => {
    make();
    const a = engine.load(counter(), { name: 'counter' });
    const b = engine.load(swap('counter-b'), { name: 'counter' });
    expect((await a).version).toBe('v1');
    expect((await b).version).toBe('v2');
    expect(engine.history('counter')[0]).toMatchObject({ outcome: 'committed', from: { version: 'v1' }, to: { version: 'v2' } });
  });

  it('records a load refused before the pipeline (its header) against the module it names', async () => {
    await counterAt(2);
    await expect(engine.load(new TextEncoder().encode('not a module'), { name: 'counter' })).rejects.toThrow(/is not a WebAssembly module/);
    expect(engine.history()[0]).toMatchObject({ module: 'counter', outcome: 'refused', failedStep: 'read', from: { version: 'v1' }, to: null });
    expect(await engine.call('get')).toBe(2);
  });

  it('counts a call to an export the new version lost against it during probation', async () => {
    await counterAt(4);
    engine.configure({ probation_ms: 10_000 });
    await engine.load(file('public/examples/hello.wasm'), { name: 'counter', fresh: true });
    await expect(engine.call('get')).rejects.toMatchObject({ code: 'no-such-export' });
    await expect.poll(() => engine.status().version).toBe('v1');
    expect(engine.history()[0]).toMatchObject({ outcome: 'rolled back', trigger: 'auto rollback', failedStep: 'probation' });
    expect(await engine.call('get')).toBe(4);
  });

  it('times calls as the engine sees them, and says which module and version answered', async () => {
    await counterAt(2);
    const timed = await engine.callTimed('increment', 3);
    expect(timed).toMatchObject({ value: 5, module: 'counter', version: 'v1' });
    expect(timed.guestMs).toBeGreaterThanOrEqual(0);
    expect(timed.roundTripMs).toBeGreaterThanOrEqual(timed.guestMs!);
    expect(Math.abs(timed.answeredAt - Date.now())).toBeLessThan(5_000);
    await engine.load(swap('counter-b'), { name: 'counter' });
    expect(await engine.module('counter').callTimed('get')).toMatchObject({ value: 5, module: 'counter', version: 'v2' });
    // The plain calls answer the value alone, as before.
    expect(await engine.call('get')).toBe(5);

    await engine.load(file('fixtures/bad-calls.wasm'), { name: 'bad-calls' });
    const raw = await engine.callRawTimed('add64', 9007199254740993n, 1n);
    expect(raw).toMatchObject({ value: 9007199254740994n, module: 'bad-calls', version: 'v1' });
    expect(raw.roundTripMs).toBeGreaterThanOrEqual(raw.guestMs!);
    // A failing timed call fails as a plain one does.
    await expect(engine.callTimed('trap')).rejects.toThrow(/trapped/);
  });

  it('gives each module a handle, and keys events by module', async () => {
    make();
    const events: string[] = [];
    engine.subscribe((e) => events.push(`${e.type}:${'module' in e ? e.module : ''}`));
    await engine.load(counter(), { name: 'a' });
    await engine.load(counter(), { name: 'b' });
    await engine.module('a').call('increment', 5);
    expect(await engine.module('b').call('get')).toBe(0);
    expect(engine.module('a').status()).toMatchObject({ name: 'a', state: 'healthy', calls: 1 });
    expect(engine.active()).toBe('b'); // the module loaded last
    expect(events).toContain('loaded:b');
    expect(events.filter((e) => e.startsWith('active:'))).toEqual(['active:a', 'active:b']);
    expect(() => engine.module('nope')).toThrow(/No module named "nope" is loaded \(loaded: a, b\)/);
    engine.module('b').configure({ call_timeout_ms: 1234 });
    expect(engine.module('b').config().call_timeout_ms).toBe(1234);
    expect(engine.module('a').config().call_timeout_ms).toBe(5000);
  });

  it('reports a failing measure() through the error path', async () => {
    await counterAt(0);
    const errors: string[] = [];
    engine.subscribe((e) => e.type === 'error' && errors.push(`${e.action}:${e.error.code}`));
    await expect(engine.measure('nope', 1, 10)).rejects.toMatchObject({ code: 'no-such-export' });
    expect(errors).toEqual(['call:no-such-export']);
  });

  it('stops the displaced version once probation is over', async () => {
    const clock = new ManualClock();
    const stopped: number[] = [];
    let made = 0;
    make({ probation_ms: 100 }, {
      clock,
      workerFactory: () => {
        const n = made++;
        const worker = new InProcessWorker();
        const terminate = worker.terminate.bind(worker);
        worker.terminate = () => (stopped.push(n), terminate());
        return worker as unknown as WorkerLike;
      },
    });
    await engine.load(counter(), { name: 'counter' });
    await engine.load(swap('counter-b'), { name: 'counter' });
    expect(stopped).toEqual([]); // v1 is warm, for an instant rollback
    await clock.advance(500);
    expect(stopped).toEqual([0]);
    expect(await engine.call('get')).toBe(0);
  });

  it('recycles a retired version\'s worker as the next update\'s candidate (updates back to back)', async () => {
    const clock = new ManualClock();
    let started = 0;
    make({ probation_ms: 100 }, { clock, spares: { keep: 1, startDelayMs: 50 }, workerFactory: () => (started++, inProcess()) });
    await engine.load(counter(), { name: 'counter' });
    await clock.advance(60); // a fresh spare is started while nothing loads
    expect(started).toBe(2);
    // Each update displaces the version the one before kept warm: its worker, idle, goes back to
    // the spares at once and takes the next update's candidate.
    for (const bytes of [swap('counter-b'), counter(), swap('counter-b'), counter(), swap('counter-b')]) await engine.load(bytes, { name: 'counter' });
    expect(started).toBe(3); // the first load, the spare, and the second update's candidate
    expect(await engine.call('get')).toBe(0);
  });

  it('starts no fresh spare for the room a retiring version\'s worker is about to take', async () => {
    const clock = new ManualClock();
    let started = 0;
    make({ probation_ms: 10_000 }, { clock, spares: { keep: 1, startDelayMs: 50 }, workerFactory: () => (started++, inProcess()) });
    await engine.load(counter(), { name: 'counter' });
    await clock.advance(60); // a fresh spare, while nothing loads
    await engine.load(swap('counter-b'), { name: 'counter' }); // takes it; v1 stays warm (probation)
    await clock.advance(60); // the spare taken is replaced: v1 is not coming back yet
    expect(started).toBe(3);
    await engine.load(counter(), { name: 'counter' }); // v1 is displaced: it retires in a moment
    await clock.advance(500);
    expect(started).toBe(3); // its worker came back as the spare; none was started to be stopped
    expect(await engine.call('get')).toBe(0);
  });

  it('recycles a worker only while the instances it made in its whole life are few', async () => {
    const clock = new ManualClock();
    const made: number[] = [];
    const factory = () => {
      const worker = new InProcessWorker();
      const at = made.push(0) - 1;
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (message, transfer) => {
        if (message.type === 'requests') for (const r of message.requests) if (['load', 'instantiate', 'prepare', 'renew'].includes(r.op)) made[at]!++;
        post(message, transfer);
      };
      return worker as unknown as WorkerLike;
    };
    make({ probation_ms: 100 }, { clock, spares: { keep: 1, startDelayMs: 50 }, workerFactory: factory });
    await engine.load(counter(), { name: 'counter' });
    for (let i = 0; i < 30; i++) {
      await engine.load(i % 2 ? counter() : swap('counter-b'), { name: 'counter' });
      await engine.call('increment', 1);
    }
    // A worker at the limit may take one more update (a load, a prepare and a renew) before it
    // is stopped; recycled without a lifetime count, one worker would have taken all 30.
    expect(Math.max(...made)).toBeLessThanOrEqual(RECYCLE_MAX_INSTANCES + 3);
    expect(made.length).toBeGreaterThan(3);
    expect(await engine.call('get')).toBe(30);
  });

  it('when WebAssembly memory runs out, stops the spare workers and tries the load once more', async () => {
    const clock = new ManualClock();
    let failNext = 0;
    const made: string[] = [];
    make({}, {
      clock,
      spares: { keep: 1, startDelayMs: 10 },
      workerFactory: () => {
        const worker = new InProcessWorker();
        const listeners: ((event: { data: unknown }) => void)[] = [];
        const add = worker.addEventListener.bind(worker);
        worker.addEventListener = (type: string, listener: (event: { data: unknown }) => void) => {
          if (type === 'message') listeners.push(listener);
          add(type, listener);
        };
        const post = worker.postMessage.bind(worker);
        worker.postMessage = (message, transfer) => {
          const requests = message.type === 'requests' ? message.requests : [];
          const load = requests.find((r) => r.op === 'load');
          if (load && failNext > 0) {
            failNext--;
            // As a worker answers when no memory can be reserved: the bytes come back with the refusal.
            const error = { name: 'HotwasmError', code: 'init-failed' as const, message: 'counter could not be instantiated: Out of memory: Cannot allocate Wasm memory for new instance', details: { bytes: (load as { data: Uint8Array }).data } };
            const replies = requests.map((r) => ({ id: r.id, ok: false as const, error: r === load ? error : { name: 'HotwasmError', code: 'skipped' as const, message: 'skipped' } }));
            setTimeout(() => listeners.forEach((l) => l({ data: { type: 'replies', replies } })), 0);
            return;
          }
          post(message, transfer);
        };
        made.push('worker');
        return worker as unknown as WorkerLike;
      },
    });
    await engine.load(counter(), { name: 'counter' });
    await engine.call('increment', 2);
    await clock.advance(20); // a spare is ready
    failNext = 1;
    expect(await engine.load(swap('counter-b'), { name: 'counter' })).toMatchObject({ version: 'v2' });
    expect(await engine.call('get')).toBe(2); // the retry carried the state, as the first attempt would have
    failNext = 2; // the retry fails too: refused with the engine's words
    await expect(engine.load(counter(), { name: 'counter', version: 'v9' })).rejects.toThrow(/^The new build of counter was refused while loading: counter could not be instantiated: Out of memory.*\. v2 keeps serving\.$/);
    expect(engine.status().version).toBe('v2');
  });
});

describe('pushes from a dev server', () => {
  it('refuse bytes whose sha256 is not the one announced, first load or update', async () => {
    make({ debounce_ms: 0 });
    const wrong = 'f'.repeat(64);
    await expect(engine.push(counter(), { name: 'counter', sha256: wrong })).rejects.toThrow(/^counter v1 was refused by a check before it could serve: the bytes of counter hash to [0-9a-f]{12}…, not to the ffffffffffff… announced with them\.$/);
    expect(engine.modules()).toEqual([]);
    await engine.load(counter(), { name: 'counter' });
    await expect(engine.push(swap('counter-b'), { name: 'counter', sha256: wrong })).rejects.toMatchObject({ code: 'update-refused', details: { step: 'check', refusal: 'sha-mismatch' } });
    expect(engine.status().version).toBe('v1');
  });

  it('load a new module without taking the active one from the user', async () => {
    make({ debounce_ms: 0 });
    await engine.load(counter(), { name: 'counter' });
    await engine.push(swap('counter-b'), { name: 'other' });
    expect(engine.modules().map((m) => m.name)).toEqual(['counter', 'other']);
    expect(engine.active()).toBe('counter');
  });
});
