/** Registry writes wait a moment (off an update's path); reads see them all the same. */
import { describe, expect, it } from 'vitest';
import { ROOM_RETRY_FIRST_MS, ROOM_RETRY_MAX_MS } from '../shared/tuning';
import { ManualClock } from './manual-clock';
import { MemoryRegistry, type ModuleRecord } from './registry';
import { WriteBehindRegistry } from './write-behind';
import { SETTLE_MS } from '../shared/tuning';

const moduleRecord = (name: string, label: string): ModuleRecord => ({ schema: 1, name, serving: { label, sha256: 'a' }, at: 1 });

describe('WriteBehindRegistry', () => {
  it('writes a moment later, in the order asked', async () => {
    const clock = new ManualClock();
    const inner = new MemoryRegistry();
    const registry = new WriteBehindRegistry(inner, clock);
    const written = [registry.putModule(moduleRecord('m', 'v1')), registry.putModule(moduleRecord('m', 'v2'))];
    expect(await inner.listModules()).toEqual([]);
    await clock.advance(SETTLE_MS);
    await Promise.all(written);
    expect(await inner.listModules()).toEqual([moduleRecord('m', 'v2')]);
  });

  it('sends what waits before a read, so the read sees it', async () => {
    const registry = new WriteBehindRegistry(new MemoryRegistry(), new ManualClock());
    void registry.putBytes('abc', new Uint8Array([1, 2]));
    expect(await registry.getBytes('abc')).toEqual(new Uint8Array([1, 2]));
  });

  it('a write that fails rejects its own promise, and the others still go', async () => {
    const inner = new MemoryRegistry();
    inner.putRecord = () => Promise.reject(new Error('storage full: quota exceeded'));
    const registry = new WriteBehindRegistry(inner, new ManualClock());
    const failing = registry.putRecord({ id: 1 } as never);
    const fine = registry.putModule(moduleRecord('m', 'v1'));
    await registry.flush();
    await expect(failing).rejects.toThrow('storage full');
    await expect(fine).resolves.toBeUndefined();
    expect(await inner.listModules()).toHaveLength(1);
  });

  it('a checkpoint goes at once, after what waited', async () => {
    const inner = new MemoryRegistry();
    const order: string[] = [];
    inner.putModule = async (m) => void order.push(`module ${m.name}`);
    inner.putCheckpoint = async (c) => void order.push(`checkpoint ${c.module}`);
    const registry = new WriteBehindRegistry(inner, new ManualClock());
    void registry.putModule(moduleRecord('m', 'v1'));
    await registry.putCheckpoint({ schema: 1, module: 'm', label: 'v1', sha256: 'a', at: 1, state: new Uint8Array(8) });
    expect(order).toEqual(['module m', 'checkpoint m']);
  });

  it('keeps writes refused for want of room and sends them again, in order, on retryUnsaved; a newer write replaces an unsaved one', async () => {
    const inner = new MemoryRegistry();
    let full = true;
    const order: string[] = [];
    const putModule = inner.putModule.bind(inner);
    inner.putModule = async (m) => {
      if (full) throw new Error('storage full: the module record was not saved');
      order.push(`${m.name} ${m.serving?.label}`);
      return putModule(m);
    };
    const registry = new WriteBehindRegistry(inner, new ManualClock());
    const refused = [registry.putModule(moduleRecord('a', 'v1')), registry.putModule(moduleRecord('b', 'v1')), registry.putModule(moduleRecord('a', 'v2'))];
    await registry.flush();
    for (const write of refused) await expect(write).rejects.toThrow('storage full');
    expect(registry.unsavedCount).toBe(3);
    const other = new Error('the database is closed');
    inner.putRecord = () => Promise.reject(other);
    await expect(registry.putRecord({ id: 1 } as never)).rejects.toBe(other);
    expect(registry.unsavedCount).toBe(3); // only want of room waits for a retry
    expect(await registry.retryUnsaved()).toBe(3); // still full: all wait again
    full = false;
    void registry.putModule(moduleRecord('b', 'v3')); // newer than the unsaved b v1
    expect(await registry.retryUnsaved()).toBe(0);
    expect(order).toEqual(['b v3', 'a v1', 'a v2']);
    expect((await inner.listModules()).map((m) => `${m.name} ${m.serving?.label}`).sort()).toEqual(['a v2', 'b v3']);
  });

  it('sends refused writes again on its own, waiting twice as long each time; tells when everything is saved', async () => {
    const inner = new MemoryRegistry();
    let full = true;
    const tried: number[] = [];
    const clock = new ManualClock();
    const putModule = inner.putModule.bind(inner);
    inner.putModule = async (m) => {
      tried.push(clock.now());
      if (full) throw new Error('storage full: the module record was not saved');
      return putModule(m);
    };
    let saved = 0;
    const registry = new WriteBehindRegistry(inner, clock, () => saved++);
    void registry.putModule(moduleRecord('a', 'v1')).catch(() => undefined);
    await registry.flush();
    expect(tried).toEqual([0]);
    await clock.advance(ROOM_RETRY_FIRST_MS);
    await clock.advance(2 * ROOM_RETRY_FIRST_MS);
    expect(tried).toEqual([0, ROOM_RETRY_FIRST_MS, 3 * ROOM_RETRY_FIRST_MS]);
    // A prune retries at once, and the waits start again from the first.
    expect(await registry.retryUnsaved()).toBe(1);
    const pruned = clock.now();
    full = false;
    await clock.advance(ROOM_RETRY_FIRST_MS);
    expect(tried.slice(3)).toEqual([pruned, pruned + ROOM_RETRY_FIRST_MS]);
    expect(registry.unsavedCount).toBe(0);
    expect(saved).toBe(1);
    expect(clock.pending).toBe(0); // nothing left to retry
    expect((await inner.listModules()).map((m) => m.serving?.label)).toEqual(['v1']);
  });

  it('never waits longer than ROOM_RETRY_MAX_MS between retries', async () => {
    const inner = new MemoryRegistry();
    const tried: number[] = [];
    const clock = new ManualClock();
    inner.putModule = async () => {
      tried.push(clock.now());
      throw new Error('storage full: the module record was not saved');
    };
    const registry = new WriteBehindRegistry(inner, clock);
    void registry.putModule(moduleRecord('a', 'v1')).catch(() => undefined);
    await registry.flush();
    for (let i = 0; i < 12; i++) await clock.advance(ROOM_RETRY_MAX_MS);
    const waits = tried.slice(1).map((t, i) => t - tried[i]!);
    expect(Math.max(...waits)).toBe(ROOM_RETRY_MAX_MS);
  });

  it('close() writes what waits and retries nothing after: no timer outlives the engine', async () => {
    const inner = new MemoryRegistry();
    let tries = 0;
    const clock = new ManualClock();
    inner.putModule = async () => {
      tries++;
      throw new Error('storage full: the module record was not saved');
    };
    const registry = new WriteBehindRegistry(inner, clock);
    void registry.putModule(moduleRecord('a', 'v1')).catch(() => undefined);
    await registry.flush();
    expect(clock.pending).toBe(1); // a retry is due
    void registry.putModule(moduleRecord('b', 'v1')).catch(() => undefined);
    await registry.close();
    expect(tries).toBe(2); // what waited was sent
    expect(clock.pending).toBe(0);
    await clock.advance(10 * ROOM_RETRY_MAX_MS);
    expect(tries).toBe(2);
    expect(await registry.retryUnsaved()).toBe(2); // kept, not sent
    expect(tries).toBe(2);
  });
});
