/**
 * State by hand (./state.ts) with real guests, run in-process: read, inject, probe and rewind,
 * each through the update pipeline's steps; every refusal leaves the serving version as it was.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { counter, inProcess, swap } from '../test-support/engine';
import type { Engine } from './api';
import { createEngine } from './engine';

let engine: Engine;
afterEach(() => engine?.dispose());

/** The counter's state: its count as 8 bytes, little-endian. */
const count = (n: number) => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, BigInt(n), true);
  return bytes;
};

/** Resolves once an update of the active module is in the pipeline (a load reads its bytes first). */
function updating(): Promise<void> {
  return new Promise((resolve) => {
    const stop = engine.subscribe((event) => {
      if (event.type === 'status' && event.status.updating !== null) {
        stop();
        resolve();
      }
    });
  });
}

async function counterAt(n: number) {
  engine = createEngine({ workerFactory: inProcess, spares: false, config: { probation_ms: 50 } });
  await engine.load(counter(), { name: 'counter' });
  await engine.call('increment', n);
}

describe('checkpoints dropped', () => {
  it('says so with an event when the ring is cleared, so that no one offers them any more', async () => {
    await counterAt(3);
    await engine.state(); // a checkpoint of v1
    expect(engine.checkpoints().length).toBeGreaterThan(0);
    const cleared: string[] = [];
    engine.subscribe((e) => e.type === 'checkpoints-cleared' && cleared.push(e.module));
    await engine.load(swap('stateless'), { name: 'counter' });
    // Displacing a version without save_state leaves no state to keep: the ring goes.
    await engine.load(counter(), { name: 'counter' });
    await expect.poll(() => cleared).toEqual(['counter']);
    expect(engine.checkpoints()).toEqual([]);
  });
});

describe('reading state', () => {
  it('answers the serving version\'s save_state and keeps it as a checkpoint', async () => {
    await counterAt(7);
    const seen: number[] = [];
    engine.subscribe((e) => e.type === 'checkpoint' && seen.push(e.checkpoint.seq));
    expect(await engine.state()).toEqual(count(7));
    const latest = engine.checkpoints().at(-1)!;
    expect(latest).toMatchObject({ version: 'v1', bytes: 8, calls: 1 });
    expect(seen.at(-1)).toBe(latest.seq);
    expect(engine.module('counter').checkpointState(latest.seq)).toEqual(count(7));
  });

  it('answers null for a module without save_state', async () => {
    engine = createEngine({ workerFactory: inProcess, spares: false });
    await engine.load(swap('stateless'), { name: 'stateless' });
    expect(await engine.state()).toBeNull();
    expect(engine.checkpoints()).toEqual([]);
  });
});

describe('injecting state', () => {
  it('gives the bytes to a fresh instance of the serving version and cuts over, recorded as inject', async () => {
    await counterAt(7);
    const bytes = count(100);
    const info = await engine.injectState(bytes);
    expect(info.version).toBe('v1');
    expect(await engine.call('get')).toBe(100);
    expect(bytes).toEqual(count(100)); // the caller's bytes were copied, not moved
    expect(engine.history()[0]).toMatchObject({ trigger: 'inject', outcome: 'committed', from: { version: 'v1' }, to: { version: 'v1' }, stateBytes: 8 });
    // The injected state is the new first checkpoint (a restart would resume from it).
    const latest = engine.checkpoints().at(-1)!;
    expect(engine.module('counter').checkpointState(latest.seq)).toEqual(count(100));
    expect(engine.status().message).toBe('counter v1: 8 bytes of state injected');
  });

  it('loses no call and reorders none while calls keep coming', async () => {
    await counterAt(0);
    const before = Array.from({ length: 20 }, () => engine.call('increment', 1));
    const injected = engine.injectState(count(1000));
    const after = Array.from({ length: 20 }, () => engine.call('increment', 1));
    const results = await Promise.allSettled([...before, injected, ...after]);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const values = (results as PromiseFulfilledResult<unknown>[]).map((r) => r.value);
    expect(values.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // Calls made after the injection was asked for may run before its cutover or after it; in order either way.
    expect(await engine.call('get')).toBeGreaterThanOrEqual(1000);
  });

  it.each([
    ['stateless', 'no-restore-state', /^The state given to m v1 was refused in its trial run \(the shadow check\): v1 has no restore_state export, so it cannot be given state\. v1 keeps serving, untouched\.$/],
    ['save-only', 'no-restore-state', /v1 has no restore_state export, so it cannot be given state/],
    ['restore-refuses', 'state-refused', /restore_state of v1 refused the 8 bytes of state given \(it answered 1\)/],
    ['restore-traps', 'restore-failed', /restore_state failed on v1/],
  ])('is refused by %s (%s): nothing changes, the refusal is recorded', async (fixture, code, message) => {
    engine = createEngine({ workerFactory: inProcess, spares: false });
    await engine.load(swap(fixture), { name: 'm' });
    await engine.call('increment', 3);
    await expect(engine.injectState(count(100))).rejects.toThrow(message);
    expect(await engine.call('get')).toBe(3);
    expect(engine.module('m').info()?.version).toBe('v1');
    expect(engine.history()[0]).toMatchObject({ trigger: 'inject', outcome: 'refused', failedStep: 'shadow check', refusal: { code } });
    expect(engine.status().message).toMatch(/v1 keeps serving, untouched/);
  });

  it('refuses bytes the counter\'s restore_state does not take (odd length), and the count stays', async () => {
    await counterAt(5);
    await expect(engine.injectState(new Uint8Array([1, 2, 3]))).rejects.toThrow(/refused the 3 bytes of state given \(it answered 1\)/);
    expect(await engine.call('get')).toBe(5);
  });

  it('applies to the version serving at its turn, behind an update asked for first, which it does not supersede', async () => {
    await counterAt(2);
    const update = engine.load(swap('counter-b'), { name: 'counter' });
    await updating();
    const injected = engine.injectState(count(50));
    expect((await update).version).toBe('v2');
    expect((await injected).version).toBe('v2');
    expect(await engine.call('get')).toBe(50);
  });

  it('is not superseded by a build that arrives after it: the build carries the injected state', async () => {
    await counterAt(2);
    const injected = engine.injectState(count(50));
    const later = engine.load(swap('counter-b'), { name: 'counter' });
    expect((await injected).version).toBe('v1');
    expect((await later).version).toBe('v2');
    expect(await engine.call('get')).toBe(50);
  });

  it('refuses state made for another version than the one serving by its turn', async () => {
    await counterAt(2);
    const update = engine.load(swap('counter-b'), { name: 'counter' });
    await updating();
    const injected = engine.injectState(count(50), { version: 'v1' });
    await update;
    await expect(injected).rejects.toThrow(/the state was made for v1, but v2 serves now: nothing was given/);
    expect(await engine.call('get')).toBe(2);
    expect(engine.history()[0]).toMatchObject({ trigger: 'inject', outcome: 'refused', failedStep: 'check', refusal: { code: 'other-version' } });
  });

  it('refuses what is not a Uint8Array, with why', async () => {
    await counterAt(1);
    await expect(engine.injectState([1, 2] as unknown as Uint8Array)).rejects.toThrow(/State is given as a Uint8Array/);
  });
});

describe('probing and rewinding', () => {
  it('rewinds to an earlier checkpoint by its seq', async () => {
    await counterAt(3);
    await engine.state();
    const three = engine.checkpoints().at(-1)!;
    await engine.call('increment', 10);
    await engine.state();
    expect(await engine.call('get')).toBe(13);
    await engine.rewind(three.seq);
    expect(await engine.call('get')).toBe(3);
    expect(engine.history()[0]).toMatchObject({ trigger: 'rewind', outcome: 'committed', stateBytes: 8 });
    await expect(engine.rewind(9999)).rejects.toThrow(/counter has no checkpoint 9999 \(kept: \d+–\d+/);
  });

  it('probes without changing anything; a checkpoint of another version that the serving one refuses is refused, naming it', async () => {
    await counterAt(4);
    await engine.state();
    const v1 = engine.checkpoints().at(-1)!;
    // A new state format: it cannot take the counter's state, so it replaces it fresh.
    await engine.load(swap('state-v2'), { name: 'counter', fresh: true });
    await engine.call('increment', 6);
    const probe = await engine.probeState(engine.module('counter').checkpointState(v1)!);
    expect(probe).toMatchObject({ accepted: false, version: 'v2', refusal: { code: 'state-refused' } });
    expect(probe.reason).toMatch(/restore_state of v2 refused the 8 bytes of state given \(it answered 1\)/);
    const records = engine.history().length;
    await expect(engine.rewind(v1)).rejects.toThrow(/^The rewind of counter v2 to checkpoint \d+ \(8 bytes of v1, taken .+\) was refused in its trial run \(the shadow check\): restore_state of v2 refused the 8 bytes of state given \(it answered 1\)\. v2 keeps serving, untouched\.$/);
    expect(await engine.call('get')).toBe(6);
    expect(engine.history()).toHaveLength(records + 1);
    expect(engine.history()[0]).toMatchObject({ trigger: 'rewind', outcome: 'refused' });
    // Its own state is accepted.
    const own = await engine.state();
    expect(await engine.probeState(own!)).toEqual({ accepted: true, version: 'v2', reason: null, refusal: null });
    expect(await engine.call('get')).toBe(6);
  });
});
