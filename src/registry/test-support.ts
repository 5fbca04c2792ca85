/**
 * For the registry tests only (nothing in the app imports it): both Registry implementations to
 * run one suite against, the IndexedDB one on fake-indexeddb with a fresh IDBFactory each, and
 * an update record and a version record to start from. No vitest here, so it stays out of the core and app programs.
 */
import { IDBFactory } from 'fake-indexeddb';
import type { UpdateRecord } from '../core/history';
import { MemoryRegistry, VERSION_SCHEMA, type Registry, type VersionRecord } from '../core/registry';
import { openIndexedDbRegistry, type IndexedDbRegistry } from './idb-registry';

/** [name, open] for each implementation; every IndexedDB registry opened goes into `opened`, for the test to close. */
export function registryImplementations(opened: IndexedDbRegistry[]): [string, () => Promise<Registry>][] {
  return [
    ['MemoryRegistry', async () => new MemoryRegistry()],
    [
      'IndexedDbRegistry',
      async () => {
        const result = await openIndexedDbRegistry({ indexedDB: new IDBFactory() });
        if (!result.ok) throw new Error(result.reason);
        opened.push(result.registry);
        return result.registry;
      },
    ],
  ];
}

/** A committed update record of counter, v1, at timestamp 100. */
export const updateRecord = (id: number, patch: Partial<UpdateRecord> = {}): UpdateRecord => ({
  schema: 1,
  id,
  timestamp: 100,
  module: 'counter',
  trigger: 'load',
  from: null,
  to: { version: 'v1', sha256: 'aaa' },
  outcome: 'committed',
  durationMs: 3,
  failedStep: null,
  error: null,
  refusal: null,
  stateBytes: null,
  warning: null,
  cutover: null,
  ...patch,
});

/** A kept version of `module` (default counter), created at 1, never served, unpinned. */
export const versionRecord = (label: string, sha256: string, patch: Partial<VersionRecord> = {}): VersionRecord => ({
  schema: VERSION_SCHEMA,
  module: 'counter',
  label,
  sha256,
  size: 1,
  source: 'counter.wasm',
  trigger: 'push',
  apiVersion: null,
  createdAt: 1,
  servedAt: null,
  pinned: false,
  tag: null,
  imports: null,
  exports: null,
  removed: null,
  ...patch,
});
