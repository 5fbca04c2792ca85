import { describe, expect, it } from 'vitest';
import type { Instance } from './instance';
import { InstancePool } from './pool';

const instance = (name: string, pending = 0) => ({ name, pending, dispose() {} }) as unknown as Instance & { name: string; pending: number };

describe('InstancePool', () => {
  it('routes each call to the least busy instance', async () => {
    const a = instance('a', 3);
    const pool = new InstancePool(a);
    expect(await pool.send(async (i) => (i as typeof a).name)).toBe('a');
    expect(pool.primary).toBe(a);
  });

  it('holds calls during a cutover and releases them in order to whichever instance serves then', async () => {
    const a = instance('a');
    const b = instance('b');
    const pool = new InstancePool(a);
    pool.hold();
    expect(pool.holding).toBe(true);
    const order: string[] = [];
    const calls = [1, 2, 3].map((n) => pool.send(async (i) => order.push(`${n}:${(i as typeof a).name}`)));
    await Promise.resolve();
    expect(order).toEqual([]);
    expect(pool.replace(b)).toEqual([a]);
    pool.release();
    await Promise.all(calls);
    expect(order).toEqual(['1:b', '2:b', '3:b']);
    expect(pool.serves(b) && !pool.serves(a)).toBe(true);
  });

  it('routes around a failed instance (it answers at once, so it looks least busy), and prefers healthy to restarting', async () => {
    const failed = { ...instance('failed'), state: 'failed' } as unknown as Instance;
    const restarting = { ...instance('restarting', 0), state: 'restarting' } as unknown as Instance;
    const healthy = { ...instance('healthy', 5), state: 'healthy' } as unknown as Instance;
    const pool = new InstancePool(failed);
    pool.add(restarting);
    pool.add(healthy);
    expect(pool.baseline()).toBe(healthy);
    pool.replaceAll([failed, restarting]);
    expect(pool.baseline()).toBe(restarting);
    pool.replaceAll([failed]);
    expect(pool.baseline()).toBe(failed);
  });

  it('keeps its order through a rolling step: what replaces a drained instance takes its position', async () => {
    const [a, b, c, b2, a2] = ['a', 'b', 'c', 'b2', 'a2'].map((n) => instance(n));
    const pool = new InstancePool(a!);
    pool.add(b!);
    pool.add(c!);
    await pool.drain(b!, 100);
    pool.swap(b!, b2!);
    expect(pool.all).toEqual([a, b2, c]);
    // A refused swap: the drained instance serves again where it stood.
    await pool.drain(a!, 100);
    pool.undrain(a!);
    expect(pool.all).toEqual([a, b2, c]);
    expect(pool.draining.size).toBe(0);
    await pool.drain(a!, 100);
    pool.swap(a!, a2!);
    expect(pool.all).toEqual([a2, b2, c]);
  });

  it('on dispose, stops its instances and lets held calls fail on them', async () => {
    let stopped = '';
    const a = { ...instance('a'), dispose: (reason: string) => (stopped = reason) } as unknown as Instance;
    const pool = new InstancePool(a);
    pool.hold();
    const held = pool.send(() => Promise.reject(new Error('disposed')));
    pool.dispose('unloaded');
    await expect(held).rejects.toThrow('disposed');
    expect(stopped).toBe('unloaded');
  });
});
