/**
 * The Registry contract, run against both implementations: MemoryRegistry and the IndexedDB one
 * (on fake-indexeddb, a fresh IDBFactory per test). The suite lives in this test file rather than
 * in a module of its own so that vitest stays out of the core and app programs. Which versions to
 * remove is the engine's choice (./eviction.ts, ./versions.ts), not the registry's.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { IndexedDbRegistry } from '../registry/idb-registry';
import { registryImplementations, versionRecord } from '../registry/test-support';
import type { UpdateRecord } from './history';
import { MemoryRegistry, type CheckpointRecord, type ModuleRecord, type VersionRecord } from './registry';

const version = (label: string, sha: string, patch: Partial<VersionRecord> = {}) => versionRecord(label, sha, { size: 3, trigger: 'load', ...patch });

const record = (id: number, module = 'counter', patch: Partial<UpdateRecord> = {}): UpdateRecord => ({
  schema: 1,
  id,
  timestamp: id * 10,
  module,
  trigger: 'push',
  from: { version: 'v1', sha256: 'aaa' },
  to: { version: 'v2', sha256: 'bbb' },
  outcome: 'committed',
  durationMs: 4,
  failedStep: null,
  error: null,
  refusal: null,
  stateBytes: 8,
  warning: null,
  cutover: { pauseMs: 1, saveMs: 0.5, restoreMs: 0.5, held: true },
  ...patch,
});

const checkpoint = (at: number): CheckpointRecord => ({ schema: 1, module: 'counter', label: 'v1', sha256: 'a', at, state: new Uint8Array([at]) });

const moduleRecord = (name: string, serving: ModuleRecord['serving'], at = 1): ModuleRecord => ({ schema: 1, name, serving, at });

const opened: IndexedDbRegistry[] = [];
afterEach(() => {
  for (const registry of opened.splice(0)) registry.close();
});

const implementations = registryImplementations(opened);

describe.each(implementations)('%s (the Registry contract)', (_, open) => {
  it('never keeps a half record: a version not removed is refused without its bytes', async () => {
    const registry = await open();
    await expect(registry.putVersion(version('v1', 'aaa'))).rejects.toThrow(/bytes are not kept/);
    expect(await registry.listVersions()).toEqual([]);
    await registry.putVersion(version('v1', 'aaa', { removed: { at: 1, why: 'evicted' } })); // a tombstone has none
    await registry.putBytes('bbb', new Uint8Array([2]));
    await registry.putVersion(version('v2', 'bbb')); // its bytes were kept before
    expect((await registry.listVersions()).map((v) => v.label)).toEqual(['v1', 'v2']);
  });

  it('removes a version: its record stays as a tombstone, its bytes go unless a kept version shares them', async () => {
    const registry = await open();
    await registry.putVersion(version('v1', 'aaa'), new Uint8Array([1]));
    await registry.putVersion(version('v2', 'shared'), new Uint8Array([2]));
    await registry.putVersion(version('v1', 'shared', { module: 'other' }));
    await registry.removeVersion('counter', 'v1', { at: 7, why: 'deleted' });
    await registry.removeVersion('counter', 'v2', { at: 8, why: 'evicted' });
    await registry.removeVersion('counter', 'v2', { at: 9, why: 'deleted' }); // already removed: unchanged
    await registry.removeVersion('counter', 'nope', { at: 9, why: 'deleted' }); // unknown: nothing
    expect(await registry.listVersions('counter')).toEqual([version('v1', 'aaa', { removed: { at: 7, why: 'deleted' } }), version('v2', 'shared', { removed: { at: 8, why: 'evicted' } })]);
    expect(await registry.getBytes('aaa')).toBeNull();
    expect(await registry.getBytes('shared')).toEqual(new Uint8Array([2])); // other v1 still has them
    await registry.removeVersion('other', 'v1', { at: 10, why: 'deleted' });
    expect(await registry.getBytes('shared')).toBeNull();
  });

  it('keeps bytes once per sha256, apart from the versions that name them', async () => {
    const registry = await open();
    const bytes = new Uint8Array([1, 2, 3]);
    await registry.putBytes('aaa', bytes);
    await registry.putBytes('aaa', new Uint8Array([9]));
    expect(await registry.getBytes('aaa')).toEqual(bytes);
    expect(await registry.getBytes('nope')).toBeNull();
    await registry.putVersion(version('v1', 'aaa'));
    await registry.putVersion(version('v1', 'aaa', { servedAt: 5 })); // the same label is replaced
    await registry.putVersion({ ...version('v1', 'aaa'), module: 'other' });
    expect(await registry.listVersions('counter')).toEqual([version('v1', 'aaa', { servedAt: 5 })]);
    expect(await registry.listVersions()).toHaveLength(2);
  });

  it('keeps the bytes given with a version under its sha256, and keeps bytes kept already', async () => {
    const registry = await open();
    await registry.putVersion(version('v1', 'aaa'), new Uint8Array([1]));
    await registry.putVersion(version('v2', 'aaa'), new Uint8Array([2]));
    expect(await registry.getBytes('aaa')).toEqual(new Uint8Array([1]));
    expect((await registry.listVersions('counter')).map((v) => v.label)).toEqual(['v1', 'v2']);
  });

  it('lists versions oldest first, and hands out copies', async () => {
    const registry = await open();
    await registry.putVersion(version('v1', 'aaa', { createdAt: 10 }), new Uint8Array([1]));
    await registry.putVersion(version('v2', 'bbb', { createdAt: 20 }), new Uint8Array([2]));
    await registry.putVersion(version('v10', 'ccc', { createdAt: 30 }), new Uint8Array([3]));
    const listed = await registry.listVersions('counter');
    expect(listed.map((v) => v.label)).toEqual(['v1', 'v2', 'v10']);
    listed[0]!.pinned = true;
    expect((await registry.listVersions('counter'))[0]!.pinned).toBe(false);
  });

  it('lists records newest first, by module, and keeps the latest checkpoint', async () => {
    const registry = await open();
    await registry.putRecord(record(1));
    await registry.putRecord(record(2, 'other'));
    await registry.putRecord(record(3));
    expect((await registry.listRecords()).map((r) => r.id)).toEqual([3, 2, 1]);
    expect((await registry.listRecords('counter')).map((r) => r.id)).toEqual([3, 1]);
    expect((await registry.listRecords('counter'))[0]).toEqual(record(3));
    await registry.putCheckpoint(checkpoint(20));
    await registry.putCheckpoint(checkpoint(10)); // older: ignored
    expect((await registry.latestCheckpoint('counter'))?.at).toBe(20);
    await registry.putCheckpoint({ ...checkpoint(20), label: 'v2' }); // as new: replaces
    expect(await registry.latestCheckpoint('counter')).toEqual({ ...checkpoint(20), label: 'v2' });
    expect(await registry.latestCheckpoint('other')).toBeNull();
  });

  it('records what each module name serves, one record per name', async () => {
    const registry = await open();
    await registry.putModule(moduleRecord('counter', { label: 'v1', sha256: 'aaa' }));
    await registry.putModule(moduleRecord('clock', { label: 'v3', sha256: 'ccc' }));
    await registry.putModule(moduleRecord('counter', null, 2)); // unloaded: replaces
    const modules = await registry.listModules();
    expect(modules).toHaveLength(2);
    expect(modules).toContainEqual(moduleRecord('counter', null, 2));
    expect(modules).toContainEqual(moduleRecord('clock', { label: 'v3', sha256: 'ccc' }));
    modules[0]!.at = 99;
    expect((await registry.listModules()).map((m) => m.at)).not.toContain(99);
  });
});

describe('MemoryRegistry', () => {
  it('hands back the very bytes it was given (nothing is copied in memory)', async () => {
    const registry = new MemoryRegistry();
    const bytes = new Uint8Array([1, 2, 3]);
    await registry.putBytes('aaa', bytes);
    expect(await registry.getBytes('aaa')).toBe(bytes);
  });
});
