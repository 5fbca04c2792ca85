/** A page opened again: what one engine left in a registry, brought back by the next one. */
import { counter, inProcess, swap } from '../test-support/engine';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from './api';
import { createEngine } from './engine';
import { MemoryRegistry, type Registry } from './registry';

const engines: Engine[] = [];
afterEach(() => engines.splice(0).forEach((e) => e.dispose()));
const open = (registry: Registry) => {
  const engine = createEngine({ workerFactory: inProcess, spares: false, registry, config: { probation_ms: 20, checkpoint_interval_ms: 10 } });
  engines.push(engine);
  return engine;
};

/** A first session: the counter at v2 with count 5, its latest checkpoint kept. */
async function firstSession(registry: Registry) {
  const engine = open(registry);
  await engine.load(counter(), { name: 'counter' });
  await engine.load(swap('counter-b'), { name: 'counter' });
  await engine.call('increment', 5);
  // Calls go on until a checkpoint after the increment is kept (at most every 10 ms).
  await expect
    .poll(async () => {
      await engine.call('get');
      return [...((await registry.latestCheckpoint('counter'))?.state ?? [])];
    })
    .toEqual([5, 0, 0, 0, 0, 0, 0, 0]);
  engine.dispose();
  return engine;
}

describe('restore', () => {
  it('brings each module back at the version that served, with its state, its versions and its history', async () => {
    const registry = new MemoryRegistry();
    const before = await firstSession(registry);
    const records = before.history().length;
    const engine = open(registry);
    const leftAt = Date.now();
    const report = await engine.restore({ leftAt });
    expect(report).toMatchObject({ restored: [{ name: 'counter', version: 'v2', state: 'restored' }], failed: [], records });
    expect(engine.module()).toMatchObject({ name: 'counter', version: 'v2' });
    expect(await engine.call('get')).toBe(5);
    expect(engine.status().message).toMatch(/counter v2 is back with its state from .+, \d+ s before the reload/);
    expect(engine.versions().map((v) => v.version)).toEqual(['v1', 'v2']);
    expect(engine.history()).toHaveLength(records);
    expect(engine.history()[0]).toMatchObject({ outcome: 'committed', from: { version: 'v1' }, to: { version: 'v2' } });
    // Labels are never given again, and an earlier version can be rolled back to, state carried.
    expect(await engine.load(swap('api-v1-2'), { name: 'counter' })).toMatchObject({ version: 'v3' });
    expect(await engine.rollback('v1')).toMatchObject({ version: 'v1' });
    expect(await engine.call('get')).toBe(5);
    expect(new Set(engine.history().map((r) => r.id)).size).toBe(engine.history().length); // ids continue
  });

  it('shows the records before a module is back, and sends its kept state in the message that loads it', async () => {
    const registry = new MemoryRegistry();
    const records = (await firstSession(registry)).history().length;
    // The bytes take their time to be read; everything else is there at once.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const getBytes = registry.getBytes.bind(registry);
    registry.getBytes = async (sha256) => (await held, getBytes(sha256));
    const messages: string[][] = [];
    const worker = () => {
      const w = inProcess();
      const post = w.postMessage.bind(w);
      w.postMessage = (message, transfer) => {
        if (message.type === 'requests') messages.push(message.requests.map((r) => r.op));
        post(message, transfer);
      };
      return w;
    };
    const engine = createEngine({ workerFactory: worker, spares: false, registry, config: { probation_ms: 20, checkpoint_interval_ms: 10 } });
    engines.push(engine);
    const shown: number[] = [];
    engine.subscribe((event) => event.type === 'history' && shown.push(event.records.length));
    const restoring = engine.restore({ first: 'counter' });
    await expect.poll(() => shown).toEqual([records]);
    expect(engine.modules()).toEqual([]);
    release();
    expect((await restoring).restored).toEqual([{ name: 'counter', version: 'v2', state: 'restored' }]);
    expect(messages[0]).toEqual(['load', 'restoreState']);
    expect(await engine.call('get')).toBe(5);
  });

  it('refuses bytes that no longer match their sha256, saying which, and brings back the others', async () => {
    const registry = new MemoryRegistry();
    await firstSession(registry);
    const other = open(registry);
    await other.load(counter(), { name: 'second' }); // other bytes than counter's v2
    other.dispose();
    const [kept] = (await registry.listModules()).filter((m) => m.name === 'counter');
    (await registry.getBytes(kept!.serving!.sha256))![100]! ^= 0xff; // the stored copy is damaged
    const engine = open(registry);
    const errors: string[] = [];
    engine.subscribe((event) => event.type === 'error' && errors.push(`${event.module}: ${event.error.message}`));
    const report = await engine.restore();
    expect(report.restored.map((r) => r.name)).toEqual(['second']);
    expect(errors).toEqual([expect.stringMatching(/^counter: counter v2 was refused by a check before it could serve: the bytes kept for v2 no longer match/)]); // as a failed load is shown
    expect(report.failed).toEqual([{ name: 'counter', version: 'v2', reason: expect.stringMatching(/no longer match the sha256 they were kept under \(\w+…?, not \w+/) }]);
    expect(engine.modules().map((m) => m.name)).toEqual(['second']);
    // Nothing of it stays behind: the name is free, and a load of it is a first load.
    expect(() => engine.module('counter')).toThrow(/No module named "counter" is loaded/);
    expect(await engine.load(swap('counter-b'), { name: 'counter' })).toMatchObject({ version: 'v2' });
  });

  it('starts a module fresh when its restore_state refuses the kept state, and says so', async () => {
    const registry = new MemoryRegistry();
    await firstSession(registry);
    const kept = (await registry.latestCheckpoint('counter'))!;
    await registry.putCheckpoint({ ...kept, at: kept.at + 1, state: new Uint8Array(3) }); // counter takes only 8 bytes
    const engine = open(registry);
    expect((await engine.restore()).restored).toEqual([{ name: 'counter', version: 'v2', state: 'refused' }]);
    expect(await engine.call('get')).toBe(0);
    expect(engine.status().message).toMatch(/state of counter kept from .+ was refused by its restore_state \(code 1\): it starts fresh/);
  });

  it('does not bring back a module that was unloaded, nor one loaded before it ran', async () => {
    const registry = new MemoryRegistry();
    const first = open(registry);
    await first.load(counter(), { name: 'gone' });
    await first.load(counter(), { name: 'counter' });
    first.unload('gone');
    first.dispose();
    const engine = open(registry);
    await engine.load(swap('counter-b'), { name: 'counter' });
    const report = await engine.restore();
    expect(report.restored).toEqual([]);
    expect(engine.modules().map((m) => m.name)).toEqual(['counter']);
  });

  it('a version the registry cannot keep (storage full) still serves, and the page is told it was not saved', async () => {
    const registry = new MemoryRegistry();
    const engine = open(registry);
    await engine.load(counter(), { name: 'counter' });
    await engine.flush();
    registry.putVersion = () => Promise.reject(new Error('storage full: the quota for this site is used up'));
    const errors: { action: string; message: string; code?: string }[] = [];
    engine.subscribe((event) => event.type === 'error' && errors.push({ action: event.action, message: event.error.message, code: event.error.code }));
    expect(await engine.load(swap('counter-b'), { name: 'counter' })).toMatchObject({ version: 'v2' });
    await engine.flush();
    // (Told once for the new version, and again when its serving time could not be written.)
    await expect.poll(() => errors[0]).toEqual({
      action: 'save',
      code: 'not-saved',
      message: "counter: version v2 not saved: storage full (this site's storage quota is used up; nothing of it was written). What runs is unaffected; prune old versions to make room.",
    });
    expect(errors.every((e) => e.action === 'save' && /version v2\b.* not saved: storage full/.test(e.message))).toBe(true);
    expect((await registry.listVersions('counter')).map((v) => v.label)).toEqual(['v1']); // never recorded as saved
  });

  it('the newest storage-full notice names everything that waits for room, until a prune saves it', async () => {
    const registry = new MemoryRegistry();
    const engine = open(registry);
    await engine.load(counter(), { name: 'counter' });
    await engine.flush();
    const { putVersion, putCheckpoint } = registry;
    const full = () => Promise.reject(new Error('storage full: the quota for this site is used up'));
    registry.putVersion = full;
    registry.putCheckpoint = full;
    const errors: string[] = [];
    engine.subscribe((event) => event.type === 'error' && event.action === 'save' && errors.push(event.error.message));
    await engine.load(swap('counter-b'), { name: 'counter' });
    await engine.flush();
    // Calls take checkpoints (one per 10 ms at most here), which are refused too.
    const afterCalls = async () => {
      await engine.call('increment', 1);
      await engine.flush();
      return errors.at(-1);
    };
    await expect.poll(afterCalls).toMatch(/^counter: version v2 and checkpoint of v2 not saved: storage full/);

    registry.putVersion = putVersion;
    registry.putCheckpoint = putCheckpoint;
    expect((await engine.registry.prune({ keep: 10 })).unsaved).toBe(0);
    registry.putCheckpoint = full;
    await expect.poll(afterCalls).toMatch(/^counter: checkpoint of v2 not saved: storage full/);
  });

  it('download() hands out a kept version\'s bytes, checked: a damaged copy is refused', async () => {
    const registry = new MemoryRegistry();
    const engine = open(registry);
    await engine.load(counter(), { name: 'counter' });
    await engine.load(swap('counter-b'), { name: 'counter' });
    expect(await engine.module('counter').download('v1')).toEqual(counter());
    expect(await engine.module('counter').download()).toEqual(swap('counter-b'));
    await engine.flush();
    const [v1] = await registry.listVersions('counter');
    (await registry.getBytes(v1!.sha256))![10]! ^= 1;
    await expect(engine.module('counter').download('v1')).rejects.toThrow(/the bytes kept for v1 no longer match the sha256/);
    await expect(engine.module('counter').download('v9')).rejects.toThrow(/counter has no version "v9" \(kept: v1, v2\)/);
  });
});
