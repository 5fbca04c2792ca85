/**
 * What the IndexedDB registry does beyond the Registry contract (src/core/registry.test.ts):
 * one-transaction writes, records read back as untrusted, failures as values, and
 * the other tabs (a second registry on the same database). Each test has its own IDBFactory.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CheckpointRecord, ModuleRecord } from '../core/registry';
import { DB_VERSION, openIndexedDbRegistry, type ChangeNotice, type IndexedDbRegistry, type IndexedDbRegistryOptions } from './idb-registry';
import { UPGRADES } from './db';
import { updateRecord, versionRecord } from './test-support';

const version = versionRecord;

const record = updateRecord;

const checkpoint = (at: number, label = 'v1'): CheckpointRecord => ({ schema: 1, module: 'counter', label, sha256: 'aaa', at, state: new Uint8Array([1]) });
const serving = (label: string): ModuleRecord => ({ schema: 1, name: 'counter', serving: { label, sha256: label }, at: 1 });

const opened: IndexedDbRegistry[] = [];
afterEach(() => {
  for (const registry of opened.splice(0)) registry.close();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

async function open(options: IndexedDbRegistryOptions & { indexedDB: IDBFactory }): Promise<IndexedDbRegistry> {
  const result = await openIndexedDbRegistry(options);
  if (!result.ok) throw new Error(result.reason);
  opened.push(result.registry);
  return result.registry;
}

/** A connection of its own, as another program (or the devtools) would have. */
function rawOpen(factory: IDBFactory, name = 'hotwasm-registry', version?: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, version);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('blocked'));
  });
}

async function rawPut(factory: IDBFactory, store: string, value: unknown, key?: IDBValidKey): Promise<void> {
  const db = await rawOpen(factory);
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).put(value, key);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onabort = () => reject(tx.error);
  });
  db.close();
}

/** Bytes whose buffer was transferred away: the structured clone refuses them (DataCloneError). */
function detachedBytes(): Uint8Array {
  const bytes = new Uint8Array([1, 2, 3]);
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
  return bytes;
}

describe('IndexedDbRegistry: one transaction per write', () => {
  it('writes a version and its bytes together: bytes that cannot be stored leave neither', async () => {
    const registry = await open({ indexedDB: new IDBFactory() });
    await registry.putVersion(version('v1', 'aaa'), new Uint8Array([1]));
    await expect(registry.putVersion(version('v2', 'bbb'), detachedBytes())).rejects.toThrow(/version counter v2 was not saved \(nothing of it was written\)/);
    expect((await registry.listVersions()).map((v) => v.label)).toEqual(['v1']);
    expect(await registry.getBytes('bbb')).toBeNull();
    expect(await registry.getBytes('aaa')).toEqual(new Uint8Array([1]));
  });

  it('says "storage full" when the quota refuses a request, and keeps nothing of the write', async () => {
    const registry = await open({ indexedDB: new IDBFactory() });
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'bytes') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const failed = registry.putVersion(version('v1', 'aaa'), new Uint8Array([1]));
    await expect(failed).rejects.toThrow(/^storage full: version counter v1 was not saved/);
    vi.restoreAllMocks();
    expect(await registry.listVersions()).toEqual([]);
  });

  it('says "storage full" when the quota aborts the transaction, and keeps nothing of the write', async () => {
    const registry = await open({ indexedDB: new IDBFactory() });
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      const request = put.apply(this, args);
      // As a browser does when the quota runs out: the transaction aborts with QuotaExceededError
      // (fake-indexeddb's own abort step; the requests then fail with AbortError).
      const tx = this.transaction as unknown as { _abort(name: string): void };
      if (this.name === 'bytes') request.addEventListener('success', () => tx._abort('QuotaExceededError'));
      return request;
    });
    await expect(registry.putVersion(version('v1', 'aaa'), new Uint8Array([1]))).rejects.toThrow(/^storage full/);
    vi.restoreAllMocks();
    expect(await registry.listVersions()).toEqual([]);
    expect(await registry.getBytes('aaa')).toBeNull();
  });

  it('refuses to write a record it could not read back', async () => {
    const registry = await open({ indexedDB: new IDBFactory() });
    await expect(registry.putVersion(version('v1', 'aaa', { size: -1 }))).rejects.toThrow(/not a valid record \("size" should be a whole number ≥ 0, but is -1\)/);
    await expect(registry.putRecord({ ...record(1), outcome: 'maybe' as never })).rejects.toThrow(/"outcome" should be one of/);
    expect(await registry.listVersions()).toEqual([]);
    expect(await registry.listRecords()).toEqual([]);
  });
});

describe('IndexedDbRegistry: records read back are untrusted', () => {
  it('skips records that fail their check, and lists them with the reason', async () => {
    const factory = new IDBFactory();
    const registry = await open({ indexedDB: factory });
    await registry.putVersion(version('v1', 'aaa'), new Uint8Array([1]));
    await registry.putRecord(record(1));
    await rawPut(factory, 'versions', { ...version('v2', 'bbb'), createdAt: 'yesterday' });
    await rawPut(factory, 'records', { ...record(2), schema: 2 });
    await rawPut(factory, 'checkpoints', { ...checkpoint(5), state: 'not bytes' });
    await rawPut(factory, 'modules', { name: 'clock', serving: null, at: 1 });
    await rawPut(factory, 'bytes', 'text, not bytes', 'ccc');

    expect((await registry.listVersions()).map((v) => v.label)).toEqual(['v1']);
    expect((await registry.listRecords('counter')).map((r) => r.id)).toEqual([1]);
    expect(await registry.latestCheckpoint('counter')).toBeNull();
    expect(await registry.listModules()).toEqual([]);
    expect(await registry.getBytes('ccc')).toBeNull();
    expect(await registry.unreadable()).toEqual([
      { store: 'bytes', key: 'ccc', reason: 'not bytes: it is the text "text, not bytes"' },
      { store: 'versions', key: 'counter/v2', reason: '"createdAt" should be a number, but is the text "yesterday"', version: { module: 'counter', label: 'v2' } },
      { store: 'records', key: '2', reason: 'schema 2 is newer than this page reads (1): written by a newer hotwasm' },
      { store: 'checkpoints', key: 'counter', reason: '"state" should be bytes (a Uint8Array), but is the text "not bytes"' },
      { store: 'modules', key: 'clock', reason: 'not a module record: it has no "schema" field' },
    ]);
    // Without the bytes store (the others are small): what a page reads at start-up.
    expect((await registry.unreadable({ bytes: false })).map((r) => r.store)).toEqual(['versions', 'records', 'checkpoints', 'modules']);
  });

  it('replaces unreadable bytes and an unreadable checkpoint when they are written again', async () => {
    const factory = new IDBFactory();
    const registry = await open({ indexedDB: factory });
    await rawPut(factory, 'bytes', { not: 'bytes' }, 'aaa');
    await rawPut(factory, 'checkpoints', { schema: 1, module: 'counter', at: 99 });
    await registry.putBytes('aaa', new Uint8Array([7]));
    await registry.putCheckpoint(checkpoint(1));
    expect(await registry.getBytes('aaa')).toEqual(new Uint8Array([7]));
    expect(await registry.latestCheckpoint('counter')).toEqual(checkpoint(1));
    expect(await registry.unreadable()).toEqual([]);
  });
});

describe('openIndexedDbRegistry: failures are values', () => {
  it('answers ok: false where there is no IndexedDB', async () => {
    vi.stubGlobal('indexedDB', undefined);
    expect(await openIndexedDbRegistry()).toEqual({ ok: false, reason: expect.stringMatching(/offers no IndexedDB/) });
  });

  it('answers ok: false when indexedDB.open throws', async () => {
    const factory = new IDBFactory();
    vi.spyOn(factory, 'open').mockImplementation(() => {
      throw new DOMException('Access to storage is denied.', 'SecurityError');
    });
    expect(await openIndexedDbRegistry({ indexedDB: factory })).toEqual({ ok: false, reason: 'IndexedDB refused to open "hotwasm-registry": SecurityError: Access to storage is denied.' });
  });

  it('answers ok: false on an error event: a database at a newer version', async () => {
    const factory = new IDBFactory();
    (await rawOpen(factory, 'hotwasm-registry', DB_VERSION + 1)).close();
    const result = await openIndexedDbRegistry({ indexedDB: factory });
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(new RegExp(`has a newer database version than this page reads \\(${DB_VERSION}\\)`)) });
  });

  it('answers ok: false when another tab blocks the upgrade past the timeout, and closes the connection that comes late', async () => {
    const request = Object.assign(new EventTarget(), { result: { close: vi.fn(), addEventListener: vi.fn() }, error: null, transaction: null });
    const factory = { open: () => request } as unknown as IDBFactory;
    const result = openIndexedDbRegistry({ indexedDB: factory, blockedTimeoutMs: 5 });
    request.dispatchEvent(new Event('blocked'));
    expect(await result).toEqual({ ok: false, reason: expect.stringMatching(/another tab keeps an older version of the registry "hotwasm-registry" open/) });
    request.dispatchEvent(new Event('success'));
    expect(request.result.close).toHaveBeenCalled();
  });
});

describe('IndexedDbRegistry: source texts', () => {
  it('keeps a text per module and sha256, replaces it, and lets it go with the last version of those bytes', async () => {
    const factory = new IDBFactory();
    const registry = await open({ indexedDB: factory });
    await registry.putVersion(version('v1', 'aaa'), new Uint8Array([1]));
    await registry.putText('counter', 'aaa', 'one');
    await registry.putText('counter', 'aaa', 'two');
    await registry.putText('other', 'aaa', 'theirs');
    expect(await registry.getText('counter', 'aaa')).toBe('two');
    expect(await registry.getText('counter', 'bbb')).toBeNull();
    await registry.removeVersion('counter', 'v1', { at: 2, why: 'deleted' });
    expect(await registry.getText('counter', 'aaa')).toBeNull();
    expect(await registry.getText('other', 'aaa')).toBe('theirs');
  });

  it('reads a damaged text as none, and lists it as unreadable', async () => {
    const factory = new IDBFactory();
    const registry = await open({ indexedDB: factory });
    await rawPut(factory, 'texts', { schema: 1, module: 'counter', sha256: 'aaa', text: 7, at: 1 });
    expect(await registry.getText('counter', 'aaa')).toBeNull();
    expect(await registry.unreadable()).toEqual([expect.objectContaining({ store: 'texts', reason: expect.stringMatching(/text/) })]);
  });
});

/**
 * A database made by hand at an older `version`, with the stores of versions 1 and 2 (version 3
 * added `texts`), and `fill` writing records into it in the same upgrade.
 */
function oldDatabase(factory: IDBFactory, version: 1 | 2, fill: (versions: IDBObjectStore) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const request = factory.open('hotwasm-registry', version);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('bytes');
      const versions = db.createObjectStore('versions', { keyPath: ['module', 'label'] });
      versions.createIndex('module', 'module');
      versions.createIndex('sha256', 'sha256');
      db.createObjectStore('records', { autoIncrement: true }).createIndex('module', 'module');
      db.createObjectStore('checkpoints', { keyPath: 'module' });
      db.createObjectStore('modules', { keyPath: 'name' });
      fill(versions);
    };
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
    request.onerror = () => reject(request.error);
  });
}

describe('IndexedDbRegistry: schema versions', () => {
  it('has one upgrade step per database version, and makes every store and index', async () => {
    expect(UPGRADES).toHaveLength(DB_VERSION);
    const factory = new IDBFactory();
    (await open({ indexedDB: factory })).close();
    const db = await rawOpen(factory);
    expect([...db.objectStoreNames].sort()).toEqual(['bytes', 'checkpoints', 'modules', 'records', 'texts', 'versions']);
    const tx = db.transaction(['versions', 'records'], 'readonly');
    expect([...tx.objectStore('versions').indexNames].sort()).toEqual(['module', 'sha256']);
    expect([...tx.objectStore('records').indexNames]).toEqual(['module']);
    db.close();
  });

  it('1 → 2: rewrites schema 1 version records as schema 2, leaves unreadable ones as they were', async () => {
    const factory = new IDBFactory();
    const { tag: _t, imports: _i, exports: _e, removed: _r, ...fields } = versionRecord('v1', 'aaa', { servedAt: 5 });
    const old = { ...fields, schema: 1 };
    const broken = { ...old, label: 'v2', size: 'big' };
    await oldDatabase(factory, 1, (versions) => {
      versions.put(old);
      versions.put(broken);
    });
    const registry = await open({ indexedDB: factory });
    expect(await registry.listVersions()).toEqual([versionRecord('v1', 'aaa', { servedAt: 5 })]);
    registry.close();
    const db = await rawOpen(factory);
    const stored = await new Promise<unknown[]>((resolve) => {
      const request = db.transaction('versions').objectStore('versions').getAll();
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    expect(stored).toEqual([versionRecord('v1', 'aaa', { servedAt: 5 }), broken]);
  });

  it('2 → 3: adds the texts store, and keeps what version 2 kept', async () => {
    const factory = new IDBFactory();
    const kept = versionRecord('v1', 'aaa', { servedAt: 5 });
    await oldDatabase(factory, 2, (versions) => {
      versions.put(kept);
      versions.transaction.objectStore('bytes').put(new Uint8Array([1]), 'aaa');
    });
    const registry = await open({ indexedDB: factory });
    expect(await registry.listVersions()).toEqual([kept]);
    expect(await registry.getText('counter', 'aaa')).toBeNull();
    await registry.putText('counter', 'aaa', '(module)');
    expect(await registry.getText('counter', 'aaa')).toBe('(module)');
  });

  it('closes itself when another tab opens a newer version, so that tab is not blocked', async () => {
    const factory = new IDBFactory();
    const registry = await open({ indexedDB: factory });
    const newer = await rawOpen(factory, 'hotwasm-registry', DB_VERSION + 1); // rejects if blocked
    newer.close();
    expect(registry.closed).toMatch(/another tab opened a newer version/);
    await expect(registry.listVersions()).rejects.toThrow(/is closed: another tab opened a newer version/);
    await expect(registry.putModule(serving('v1'))).rejects.toThrow(/was not saved/);
  });
});

describe('IndexedDbRegistry: other tabs', () => {
  it('tells the other tabs what each write changed', async () => {
    const factory = new IDBFactory();
    const name = 'hotwasm-registry-changes';
    const tab1 = await open({ indexedDB: factory, name });
    const tab2 = await open({ indexedDB: factory, name });
    const heard1: ChangeNotice[] = [];
    const heard2: ChangeNotice[] = [];
    tab1.onChange((notice) => heard1.push(notice));
    const stop = tab2.onChange((notice) => heard2.push(notice));
    await tab1.putVersion(version('v1', 'aaa'), new Uint8Array([1]));
    await expect.poll(() => heard2).toEqual([
      { type: 'changed', store: 'bytes', key: 'aaa' },
      { type: 'changed', store: 'versions', key: 'counter/v1', module: 'counter' },
    ]);
    stop();
    await tab1.putModule(serving('v1'));
    await tab2.putRecord(record(1));
    await expect.poll(() => heard1).toEqual([{ type: 'changed', store: 'records', key: '1', module: 'counter' }]);
    expect(heard2).toHaveLength(2); // unsubscribed, and never its own writes
  });

  it('ignores an older checkpoint, also one written by another tab', async () => {
    const factory = new IDBFactory();
    const tab1 = await open({ indexedDB: factory });
    const tab2 = await open({ indexedDB: factory });
    await tab1.putCheckpoint(checkpoint(20, 'v2'));
    await tab2.putCheckpoint(checkpoint(10, 'v1'));
    expect(await tab2.latestCheckpoint('counter')).toEqual(checkpoint(20, 'v2'));
  });

  it('never gives a label to other bytes: a version another tab labelled first is kept, the second refused', async () => {
    const factory = new IDBFactory();
    const tab1 = await open({ indexedDB: factory });
    const tab2 = await open({ indexedDB: factory });
    await tab1.putVersion(version('v3', 'aaa'), new Uint8Array([1]));
    await expect(tab2.putVersion(version('v3', 'bbb'), new Uint8Array([2]))).rejects.toThrow(/the label v3 of counter was given to other bytes \(sha256 aaa…\), by another tab/);
    expect(await tab2.listVersions('counter')).toEqual([version('v3', 'aaa')]);
    expect(await tab2.getBytes('bbb')).toBeNull(); // nothing of the refused write
    await tab2.putVersion(version('v3', 'aaa', { servedAt: 9 })); // the same bytes: an update of it
    expect((await tab1.listVersions('counter'))[0]?.servedAt).toBe(9);
  });

  it('keeps every record of two tabs, though their record ids are the same', async () => {
    const factory = new IDBFactory();
    const tab1 = await open({ indexedDB: factory });
    const tab2 = await open({ indexedDB: factory });
    await Promise.all([tab1.putRecord(record(1, { timestamp: 5, warning: 'tab 1' })), tab2.putRecord(record(1, { timestamp: 6, warning: 'tab 2' }))]);
    expect((await tab1.listRecords()).map((r) => r.warning)).toEqual(['tab 2', 'tab 1']);
  });

  it('hears only messages shaped like change notices', async () => {
    const name = 'hotwasm-registry-noise';
    const registry = await open({ indexedDB: new IDBFactory(), name });
    const heard: ChangeNotice[] = [];
    registry.onChange((notice) => heard.push(notice));
    const other = new BroadcastChannel(name);
    other.postMessage('hello');
    other.postMessage({ type: 'changed', store: 'passwords', key: 'x' });
    other.postMessage({ type: 'changed', store: 'modules', key: 'counter' });
    await expect.poll(() => heard).toEqual([{ type: 'changed', store: 'modules', key: 'counter' }]);
    other.close();
  });

  it('works alone where there is no BroadcastChannel', async () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const registry = await open({ indexedDB: new IDBFactory() });
    const stop = registry.onChange(() => undefined);
    await registry.putModule(serving('v1'));
    expect(await registry.listModules()).toEqual([serving('v1')]);
    stop();
  });
});
