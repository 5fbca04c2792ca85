/**
 * Stopping what a module runs, on request (ModuleHandle.stop): with real guests run in-process,
 * in workers that get stuck in `spin` the way a real worker does (test-support's stuckOn).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { counter, stuckOn, swap } from '../test-support/engine';
import type { Engine } from './api';
import { createEngine } from './engine';
import { ManualClock } from './manual-clock';
import { BUSY_AFTER_MS } from '../shared/tuning';

let engine: Engine;
afterEach(() => engine?.dispose());

/** counter-spin (the counter plus a `spin` that never returns), its count at `n`, with no checkpoint taken by itself during the test. */
async function spinner(n: number, config = {}) {
  engine = createEngine({ workerFactory: stuckOn('spin'), spares: false, config: { checkpoint_interval_ms: 3_600_000, ...config } });
  await engine.load(swap('counter-spin'), { name: 'counter' });
  await engine.call('increment', n);
}

describe('stop()', () => {
  it('stops a call that never returns: it fails as stopped, the module restarts from its latest checkpoint, the call queued behind runs after', async () => {
    await spinner(5);
    await engine.state(); // a checkpoint at 5
    await engine.call('increment', 2); // 7, after the checkpoint: lost by the restart
    const spin = engine.call('spin').catch((error: unknown) => error);
    const queued = engine.call('get');
    const result = await engine.module('counter').stop();
    expect(result).toMatchObject({ stopped: true, what: 'The call to spin', requeued: 1, resumed: 'checkpoint' });
    expect(result.message).toMatch(/^The call to spin was stopped by you after \d+ ms; counter was re-instantiated and restored from the checkpoint of .+: calls after it are lost$/);
    expect(await spin).toMatchObject({
      code: 'stopped',
      message: expect.stringMatching(/^The call to spin was stopped by you after \d+ ms; counter restarts from its last checkpoint \(of .+\): calls made after it are lost$/),
    });
    expect(await queued).toBe(5);
    expect(engine.status()).toMatchObject({ state: 'healthy', version: 'v1', message: result.message });
    expect(await engine.call('increment', 1)).toBe(6);
  });

  it('says the state was reset when no checkpoint was taken yet', async () => {
    await spinner(4);
    const spin = engine.call('spin').catch((error: unknown) => error);
    const result = await engine.stop();
    expect(result).toMatchObject({ stopped: true, resumed: 'reset', requeued: 0 });
    expect(await spin).toMatchObject({ code: 'stopped', message: expect.stringMatching(/; counter restarts with its state reset \(no checkpoint had been taken yet\)$/) });
    expect(await engine.call('get')).toBe(0);
  });

  it('answers stopped: false when nothing runs, and changes nothing', async () => {
    await spinner(3);
    const before = engine.status();
    const result = await engine.stop();
    expect(result).toEqual({ stopped: false, message: 'Nothing was running in counter, so nothing was stopped' });
    expect(engine.status()).toMatchObject({ state: 'healthy', message: before.message, errors: 0 });
    expect(await engine.call('get')).toBe(3);
  });

  it('says in the status what has kept the module busy for a while, and since when, until it is stopped', async () => {
    const clock = new ManualClock();
    engine = createEngine({ workerFactory: stuckOn('spin'), spares: false, clock, config: { call_timeout_ms: 60_000 } });
    await engine.load(swap('counter-spin'), { name: 'counter' });
    const seen: (string | null)[] = [];
    engine.subscribe((e) => e.type === 'status' && seen.push(e.status.busy));
    const spin = engine.call('spin').catch((error: unknown) => error);
    const asked = clock.wallNow();
    await clock.advance(BUSY_AFTER_MS / 2);
    expect(engine.status()).toMatchObject({ state: 'healthy', busy: null, busySince: null });
    await clock.advance(BUSY_AFTER_MS);
    expect(engine.status()).toMatchObject({ state: 'healthy', busy: 'The call to spin', busySince: asked });
    expect(seen).toContain('The call to spin'); // said when it happened, not only when asked
    await engine.stop();
    expect(await spin).toMatchObject({ code: 'stopped' });
    expect(engine.status()).toMatchObject({ busy: null, busySince: null });
  });

  it('does not blame a version in probation: it restarts in place instead of rolling back', async () => {
    engine = createEngine({ workerFactory: stuckOn('spin'), spares: false, config: { probation_ms: 3_600_000, rollback_on_failure: true } });
    await engine.load(counter(), { name: 'counter' });
    await engine.load(swap('counter-spin'), { name: 'counter' });
    const spin = engine.call('spin').catch((error: unknown) => error);
    expect(await engine.stop()).toMatchObject({ stopped: true });
    expect(await spin).toMatchObject({ code: 'stopped' });
    expect(engine.status()).toMatchObject({ state: 'healthy', version: 'v2' });
    expect(engine.history().map((r) => r.outcome)).not.toContain('rolled back');
    expect(await engine.call('increment', 1)).toBe(1);
  });
});
