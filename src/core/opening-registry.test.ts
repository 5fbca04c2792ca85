import { describe, expect, it } from 'vitest';
import { updateRecord } from '../registry/test-support';
import { openingRegistry } from './opening-registry';
import { MemoryRegistry, type Registry } from './registry';

describe('openingRegistry', () => {
  it('takes calls before the registry is open, and sends them to it once it is, in order', async () => {
    let open!: (registry: Registry) => void;
    const registry = openingRegistry(new Promise<Registry>((resolve) => (open = resolve)));
    const written = registry.putRecord(updateRecord(1));
    const listed = registry.listRecords();
    let settled = false;
    void listed.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    const inner = new MemoryRegistry();
    open(inner);
    await written;
    expect((await listed).map((r) => r.id)).toEqual([1]);
    expect(await inner.listRecords()).toHaveLength(1);
    expect(await registry.latestCheckpoint('counter')).toBeNull();
  });

  it('is not a thenable (awaiting it answers it at once), and a method the registry lacks rejects', async () => {
    const registry = openingRegistry(new Promise<Registry>(() => undefined)); // never opens
    expect(await Promise.resolve(registry)).toBe(registry);
    const bare = openingRegistry(Promise.resolve({} as Registry));
    await expect(bare.listModules()).rejects.toThrow('the registry has no method listModules');
  });
});
