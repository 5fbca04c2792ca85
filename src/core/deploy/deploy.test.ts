/**
 * Pools and deployments with real guests, run in-process (src/worker/in-process.ts): the moves
 * of each strategy, their records and their refusals. What needs a real worker (hangs, timing
 * under load, the Deploy panel) is in e2e/strategies.spec.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { counter, inProcess, swap } from '../../test-support/engine';
import type { Engine } from '../api';
import { createEngine } from '../engine';

let engine: Engine;
afterEach(() => engine?.dispose());

async function pool(n: number, count = 7) {
  engine = createEngine({ workerFactory: inProcess, spares: false, config: { probation_ms: 50 } });
  await engine.load(counter(), { name: 'counter' });
  await engine.call('increment', count);
  if (n > 1) await engine.scale('counter', n);
}

/** What every instance answers to get: one call per instance, sent together (least busy routing spreads them). */
async function counts(): Promise<unknown[]> {
  const n = engine.pool('counter').length;
  return Promise.all(Array.from({ length: n }, () => engine.call('get')));
}

describe('scale', () => {
  it('new instances take the state of an existing one; calls spread over them', async () => {
    await pool(3);
    const views = engine.pool('counter');
    expect(views.map((v) => v.version)).toEqual(['v1', 'v1', 'v1']);
    expect(new Set(views.map((v) => v.id)).size).toBe(3);
    expect(await counts()).toEqual([7, 7, 7]);
    expect(engine.pool('counter').every((v) => v.calls >= 1)).toBe(true);
    expect(engine.status().instances).toBe(3);
  });

  it('scaling down finishes the calls in flight first', async () => {
    await pool(3);
    const inFlight = Promise.all(Array.from({ length: 9 }, () => engine.call('increment', 1)));
    const scaled = engine.scale('counter', 1);
    expect((await inFlight).length).toBe(9);
    expect((await scaled).length).toBe(1);
  });

  it('refuses a size out of range, with the range', async () => {
    await pool(1);
    await expect(engine.scale('counter', 0)).rejects.toThrow('A pool has 1 to 16 instances, not 0');
    await expect(engine.scale('counter', 2.5)).rejects.toThrow('not 2.5');
    await expect(engine.scale('nope', 2)).rejects.toThrow('No module named "nope"');
  });
});

describe('deploy', () => {
  it('blue-green: a green pool, each with its counterpart state, all traffic at once; a record with its decisions', async () => {
    await pool(2);
    const d = await engine.deploy(swap('counter-b'), { name: 'counter', strategy: { kind: 'blue-green' } });
    const end = await d.done;
    expect(end).toMatchObject({ outcome: 'promoted', from: 'v1', to: 'v2' });
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v2', 'v2']);
    expect(await counts()).toEqual([7, 7]);
    const record = engine.history('counter')[0]!;
    expect(record).toMatchObject({ trigger: 'deploy', outcome: 'committed', to: { version: 'v2' }, deployment: { strategy: 'blue-green', outcome: 'promoted' } });
    expect(record.deployment!.decisions.join('\n')).toMatch(/green pool ready: 2 × v2/);
  });

  it('blue-green, manual: waits for promote(); blue stays warm so a rollback is instant, with state', async () => {
    await pool(2);
    const d = await engine.deploy(swap('counter-b'), { name: 'counter', strategy: { kind: 'blue-green', manual: true } });
    await expect.poll(() => d.status().phase).toBe('prepared');
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v1', 'v1']);
    await expect(engine.load(swap('api-v1-2'), { name: 'counter' })).rejects.toThrow(/blue-green deployment of counter .* promote or abort it first/);
    d.promote();
    expect((await d.done).outcome).toBe('promoted');
    await engine.call('increment', 1);
    const back = await engine.rollback();
    expect(back.version).toBe('v1');
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v1', 'v1']);
    expect((await counts()).sort()).toEqual([7, 8]);
  });

  it('rolling: batch by batch, state carried per instance', async () => {
    await pool(3);
    await Promise.all([engine.call('increment', 1), engine.call('increment', 2), engine.call('increment', 3)]);
    const d = await engine.deploy(swap('counter-b'), { name: 'counter', strategy: { kind: 'rolling', batch_size: 1 } });
    const end = await d.done;
    expect(end.outcome).toBe('promoted');
    expect(end.decisions.filter((x) => /^batch \d of 3/.test(x.text)).length).toBe(3);
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v2', 'v2', 'v2']);
    expect((await counts()).sort()).toEqual([10, 8, 9].sort());
  });

  it('rolling: a later batch refused returns the updated instances to the old version, with their state', async () => {
    await pool(3, 0);
    // One call each, sent together: the third instance holds the big count.
    await Promise.all([engine.call('increment', 1), engine.call('increment', 2), engine.call('increment', 5000)]);
    const d = await engine.deploy(swap('restore-refuses-big'), { name: 'counter', strategy: { kind: 'rolling', batch_size: 1 } });
    const end = await d.done;
    expect(end.outcome).toBe('rolled back');
    expect(end.reason).toMatch(/^batch 3 of 3/);
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v1', 'v1', 'v1']);
    expect((await counts()).sort()).toEqual([1, 2, 5000].sort());
    expect(engine.history('counter')[0]).toMatchObject({ outcome: 'rolled back', deployment: { strategy: 'rolling' } });
  });

  it('canary: refused on a pool of one, with the way out', async () => {
    await pool(1);
    const d = await engine.deploy(swap('counter-b'), { name: 'counter', strategy: { kind: 'canary', traffic_percentage: 50 } });
    expect(await d.done).toMatchObject({ outcome: 'refused', reason: expect.stringContaining("hotwasm.scale('counter', 2)") });
  });

  it('canary: promoted by its numbers, then the rest rolled', async () => {
    await pool(2);
    const d = await engine.deploy(swap('counter-b'), { name: 'counter', strategy: { kind: 'canary', traffic_percentage: 50, min_calls: 10, min_ms: 0 } });
    await expect.poll(() => d.status().phase).toBe('canary');
    while (d.status().outcome === null) await engine.call('get');
    const end = await d.done;
    expect(end.outcome).toBe('promoted');
    expect(end.decisions.map((x) => x.text).join('\n')).toMatch(/canary at 50 %: \d+ calls, 0 errors, p99 .* — promoted/);
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v2', 'v2']);
  });

  it('canary at 0 %: a warm-up, staged with its state, serving no call until promote()', async () => {
    await pool(2);
    const d = await engine.deploy(swap('counter-b'), { name: 'counter', strategy: { kind: 'canary', traffic_percentage: 0, min_calls: 10, min_ms: 0 } });
    await expect.poll(() => d.status().phase).toBe('canary');
    for (let i = 0; i < 20; i++) await engine.call('get');
    const canary = engine.pool('counter').find((v) => v.version === 'v2');
    expect(canary).toMatchObject({ share: 0, calls: 0 });
    d.abort();
    expect((await d.done).outcome).toBe('aborted');
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v1', 'v1']);
  });

  it('canary that traps on some inputs: rolled back, its failed calls answered by the baseline', async () => {
    await pool(2, 0);
    const d = await engine.deploy(swap('increment-traps-negative'), { name: 'counter', strategy: { kind: 'canary', traffic_percentage: 50, min_calls: 1000, min_ms: 0 } });
    await expect.poll(() => d.status().phase).toBe('canary');
    const answers: unknown[] = [];
    while (d.status().outcome === null) answers.push(await engine.call('increment', -1));
    expect(answers.every((a) => typeof a === 'number')).toBe(true);
    const end = await d.done;
    expect(end.outcome).toBe('rolled back');
    expect(end.decisions.map((x) => x.text).join('\n')).toMatch(/answered by the baseline instead/);
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v1', 'v1']);
  });

  it('shadow: divergences listed with their call; nothing moves until promote()', async () => {
    await pool(1);
    const d = await engine.deploy(swap('get-off-by-one'), { name: 'counter', strategy: { kind: 'shadow' } });
    await expect.poll(() => d.status().phase).toBe('shadowing');
    for (let i = 0; i < 5; i++) expect(await engine.call('get')).toBe(7);
    await engine.call('increment', 1);
    await expect.poll(() => d.status().shadow?.divergences.length ?? 0).toBeGreaterThanOrEqual(5);
    expect(d.status().shadow!.divergences[0]).toMatchObject({ fn: 'get', kind: 'result', serving: '7', candidate: '8' });
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v1']);
    d.promote();
    expect((await d.done).outcome).toBe('promoted');
    expect(engine.module('counter').info()!.version).toBe('v2');
    // The candidate took the serving state at the cutover, not what the mirrored calls left.
    expect(await engine.call('increment', 0)).toBe(8);
  });

  it('a second deployment while one runs is refused with the reason', async () => {
    await pool(2);
    const d = await engine.deploy(swap('counter-b'), { name: 'counter', strategy: { kind: 'shadow' } });
    await expect(engine.deploy(swap('api-v1-2'), { name: 'counter', strategy: { kind: 'rolling' } })).rejects.toThrow(/Cannot deploy: a shadow deployment of counter/);
    await expect(engine.scale('counter', 3)).rejects.toThrow(/Cannot scale counter now/);
    d.abort();
    expect((await d.done).outcome).toBe('aborted');
    expect((await engine.scale('counter', 3)).length).toBe(3);
  });

  it('refuses a strategy it does not know, or an option out of range', async () => {
    await pool(1);
    await expect(engine.deploy(swap('counter-b'), { name: 'counter', strategy: { kind: 'purple' } as never })).rejects.toThrow(/needs a strategy/);
    await expect(engine.deploy(swap('counter-b'), { name: 'counter', strategy: { kind: 'canary', traffic_percentage: 250 } })).rejects.toThrow("canary's traffic_percentage cannot be 250");
  });

  it('a plain load on a pool of several keeps the pool: blue-green with state', async () => {
    await pool(2);
    const info = await engine.load(swap('counter-b'), { name: 'counter' });
    expect(info.version).toBe('v2');
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v2', 'v2']);
    expect(await counts()).toEqual([7, 7]);
  });
});

describe('probation and pools', () => {
  async function promotedBlueGreen(config: { rollback_on_failure?: boolean } = {}) {
    engine = createEngine({ workerFactory: inProcess, spares: false, config: { probation_ms: 60_000, ...config } });
    await engine.load(counter(), { name: 'counter' });
    await engine.call('increment', 7);
    await engine.scale('counter', 2);
    const d = await engine.deploy(swap('increment-traps'), { name: 'counter', strategy: { kind: 'blue-green' } });
    expect((await d.done).outcome).toBe('promoted');
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v2', 'v2']);
  }

  it('blue-green: green failing a call while blue is warm takes the whole pool back to blue at once, with green\'s state', async () => {
    await promotedBlueGreen();
    await expect(engine.call('increment', 1)).rejects.toMatchObject({ code: 'trap' });
    await expect.poll(() => engine.pool('counter').map((v) => v.version)).toEqual(['v1', 'v1']);
    expect(await counts()).toEqual([7, 7]);
    const [record] = engine.history('counter');
    expect(record).toMatchObject({ trigger: 'auto rollback', outcome: 'rolled back', failedStep: 'probation', from: { version: 'v2' }, to: { version: 'v1' } });
    expect(record!.error).toMatch(/^v2 failed during probation: .*/);
    // Once: the rollback is not repeated by later failures, and v1 serves on.
    expect(engine.history('counter').filter((r) => r.trigger === 'auto rollback')).toHaveLength(1);
    expect(await engine.call('increment', 1)).toBe(8);
  });

  it('a pool going back to warm blue counts toward max_rollback_attempts: a build that keeps failing pauses auto reload', async () => {
    engine = createEngine({ workerFactory: inProcess, spares: false, config: { probation_ms: 60_000, max_rollback_attempts: 2 } });
    await engine.load(counter(), { name: 'counter' });
    await engine.scale('counter', 2);
    for (let i = 0; i < 2; i++) {
      expect(engine.status().autoReloadPaused).toBeNull();
      await engine.load(swap('increment-traps'), { name: 'counter' }); // a plain load on a pool: blue-green
      await engine.call('increment', 1).catch(() => undefined);
      await expect.poll(() => engine.pool('counter').map((v) => v.version)).toEqual(['v1', 'v1']);
    }
    expect(engine.history('counter').filter((r) => r.trigger === 'auto rollback')).toHaveLength(2);
    expect(engine.status()).toMatchObject({ autoReload: false, autoReloadPaused: expect.stringMatching(/counter was rolled back automatically 2 times in a row/) });
  });

  it('blue-green: with rollback_on_failure off, green keeps serving after a failed call', async () => {
    await promotedBlueGreen({ rollback_on_failure: false });
    await expect(engine.call('increment', 1)).rejects.toMatchObject({ code: 'trap' });
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v2', 'v2']);
    expect(engine.history('counter')[0]).toMatchObject({ trigger: 'deploy', outcome: 'committed' });
  });

  it('a pool scaled during probation is not shrunk by an automatic rollback: the failing instance restarts on its own', async () => {
    engine = createEngine({ workerFactory: inProcess, spares: false, config: { probation_ms: 60_000 } });
    await engine.load(counter(), { name: 'counter' });
    await engine.call('increment', 7);
    await engine.load(swap('increment-traps'), { name: 'counter' });
    await engine.scale('counter', 2);
    await expect(engine.call('increment', 1)).rejects.toMatchObject({ code: 'trap' });
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v2', 'v2']);
    // Asked for, a rollback to the warm version keeps the pool's size too.
    expect((await engine.rollback()).version).toBe('v1');
    expect(engine.pool('counter').map((v) => v.version)).toEqual(['v1', 'v1']);
    expect(await counts()).toEqual([7, 7]);
  });
});
