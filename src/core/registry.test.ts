/** The registry interface, on its in-memory implementation (the IndexedDB one passes the same tests). */
import { describe, expect, it } from 'vitest';
import type { UpdateRecord } from './history';
import { MemoryRegistry, type VersionRecord } from './registry';

const version = (label: string, sha: string, patch: Partial<VersionRecord> = {}): VersionRecord => ({
  schema: 1,
  module: 'counter',
  label,
  sha256: sha,
  size: 3,
  source: 'counter.wasm',
  trigger: 'load',
  apiVersion: null,
  createdAt: 1,
  servedAt: null,
  pinned: false,
  ...patch,
});

describe('MemoryRegistry', () => {
  it('keeps bytes once per sha256, apart from the versions that name them', async () => {
    const registry = new MemoryRegistry();
    const bytes = new Uint8Array([1, 2, 3]);
    await registry.putBytes('aaa', bytes);
    await registry.putBytes('aaa', new Uint8Array([9]));
    expect(await registry.getBytes('aaa')).toBe(bytes);
    expect(await registry.getBytes('nope')).toBeNull();
    await registry.putVersion(version('v1', 'aaa'));
    await registry.putVersion(version('v1', 'aaa', { servedAt: 5 })); // the same label is replaced
    await registry.putVersion({ ...version('v1', 'aaa'), module: 'other' });
    expect(await registry.listVersions('counter')).toEqual([version('v1', 'aaa', { servedAt: 5 })]);
    expect(await registry.listVersions()).toHaveLength(2);
  });

  it('lists records newest first, by module, and keeps the latest checkpoint', async () => {
    const registry = new MemoryRegistry();
    const record = (id: number, module = 'counter') => ({ schema: 1, id, module }) as UpdateRecord;
    await registry.putRecord(record(1));
    await registry.putRecord(record(2, 'other'));
    await registry.putRecord(record(3));
    expect((await registry.listRecords()).map((r) => r.id)).toEqual([3, 2, 1]);
    expect((await registry.listRecords('counter')).map((r) => r.id)).toEqual([3, 1]);
    const checkpoint = (at: number) => ({ schema: 1 as const, module: 'counter', label: 'v1', sha256: 'a', at, state: new Uint8Array([at]) });
    await registry.putCheckpoint(checkpoint(20));
    await registry.putCheckpoint(checkpoint(10)); // older: ignored
    expect((await registry.latestCheckpoint('counter'))?.at).toBe(20);
    expect(await registry.latestCheckpoint('other')).toBeNull();
  });

  it('drops the bytes of the least recently served versions past its limit, never the latest served or a pinned one', async () => {
    const registry = new MemoryRegistry({ keepBytes: 2 });
    for (const [label, served, pinned] of [
      ['v1', 1, true],
      ['v2', 2, false],
      ['v3', 3, false],
      ['v4', 4, false],
    ] as const) {
      await registry.putBytes(label, new Uint8Array([served]));
      await registry.putVersion(version(label, label, { servedAt: served, pinned }));
    }
    const kept = await Promise.all(['v1', 'v2', 'v3', 'v4'].map(async (sha) => (await registry.getBytes(sha)) !== null));
    expect(kept).toEqual([true, false, false, true]);
  });
});
