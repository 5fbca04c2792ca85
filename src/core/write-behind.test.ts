/** Registry writes wait a moment (off an update's path); reads see them all the same. */
import { describe, expect, it } from 'vitest';
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
});
