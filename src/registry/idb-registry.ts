/**
 * The registry in IndexedDB: versions, their bytes, update records, checkpoints and what each
 * module name serves, kept across page loads and shared by the tabs of one site (docs/registry.md).
 *
 * - Every write is one transaction over the stores it touches: a version and its bytes are kept
 *   together or not at all; a removed version and the bytes it lets go, likewise.
 * - Everything read back is checked (./validate.ts): a record that fails is skipped by the
 *   list*() methods and listed by unreadable() with the reason.
 * - A failed write rejects with an Error ("storage full: …" when the quota ran out) and leaves
 *   nothing half-written.
 * - Opening never throws: the page falls back to MemoryRegistry with the reason.
 *
 * Browser-only (IndexedDB, BroadcastChannel, Web Crypto), framework-free; a worker can use it too.
 */
import type { IDBPTransaction } from 'idb';
import type { UpdateRecord } from '../core/history';
import type { CheckpointRecord, ModuleRecord, Registry, TextRecord, VersionRecord, VersionRemoval } from '../core/registry';
import { messageOf } from '../shared/errors';
import { ChangeChannel, keyText, type ChangeListener, type ChangeNotice } from './changes';
import { DB_NAME, openDatabase, STORE_NAMES, type RegistryDatabase, type RegistrySchema, type StoreName } from './db';
import { checkBytes, checkCheckpoint, checkModule, checkText, checkUpdateRecord, checkVersion, type Check } from './validate';
import { writeError } from './write-error';

export { DB_NAME, DB_VERSION, type StoreName } from './db';
export type { ChangeListener, ChangeNotice } from './changes';
export { verifiedBytes, type VerifiedBytes } from './verified-bytes';

export interface IndexedDbRegistryOptions {
  /** The database's name, and its BroadcastChannel's. Default "hotwasm-registry". */
  name?: string;
  /** The IndexedDB to use; default the page's `indexedDB` (tests pass fake-indexeddb's). */
  indexedDB?: IDBFactory;
  /** How long another tab's older connection may block opening. Default 3000 ms. */
  blockedTimeoutMs?: number;
  /** How long IndexedDB may take to answer at all. Default 10000 ms. */
  openTimeoutMs?: number;
  /** A connection opened before the app's script ran (see OpenOptions.early in ./db.ts). */
  early?: Promise<IDBDatabase | null>;
}

export type OpenRegistryResult = { ok: true; registry: IndexedDbRegistry } | { ok: false; reason: string };

/** A record that failed its check: where it is, and why, in words. */
export interface UnreadableRecord {
  store: StoreName;
  key: string;
  reason: string;
  /** For a version: its module and label, from its key. */
  version?: { module: string; label: string };
}

/** Each store's check of what is read back from it. */
const CHECKS: { [S in StoreName]: Check<unknown> } = {
  bytes: checkBytes,
  versions: checkVersion,
  records: checkUpdateRecord,
  checkpoints: checkCheckpoint,
  modules: checkModule,
  texts: checkText,
};

type WriteTransaction<S extends StoreName> = IDBPTransaction<RegistrySchema, S[], 'readwrite'>;
/** The bytes store, in whichever transaction writes it. */
type BytesStore = { get(sha256: string): Promise<unknown>; put(bytes: Uint8Array, sha256: string): Promise<unknown> };

/** The values that pass a check; the others are for unreadable() to tell. */
function readable<T>(values: readonly unknown[], check: Check<T>): T[] {
  const kept: T[] = [];
  for (const value of values) {
    const checked = check(value);
    if (checked.ok) kept.push(checked.value);
  }
  return kept;
}

/** Refuse to write what could not be read back. */
function checked<T>(check: Check<T>, value: T, what: string): T {
  const result = check(value);
  if (!result.ok) throw new Error(`${what} was not saved: it is not a valid record (${result.reason})`);
  return value;
}

/** Bytes as an own, whole ArrayBuffer, so that storing a view does not store the buffer around it. */
const ownBytes = (bytes: Uint8Array): Uint8Array =>
  bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();

const shortSha = (sha256: string) => (sha256.length > 12 ? `${sha256.slice(0, 12)}…` : sha256);

/**
 * Open the registry. Never throws: no IndexedDB, a refusal to open, an error, or another tab
 * blocking the upgrade for longer than `blockedTimeoutMs` all answer `{ ok: false, reason }`.
 */
export async function openIndexedDbRegistry(options: IndexedDbRegistryOptions = {}): Promise<OpenRegistryResult> {
  try {
    const name = options.name ?? DB_NAME;
    const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (!factory) return { ok: false, reason: 'this browser offers no IndexedDB here (a private window, or storage turned off for this site?)' };
    const opened = await openDatabase({ factory, name, blockedTimeoutMs: options.blockedTimeoutMs ?? 3000, openTimeoutMs: options.openTimeoutMs ?? 10_000, early: options.early });
    if (!opened.ok) return opened;
    return { ok: true, registry: new IndexedDbRegistry(opened.db, opened.closed, name) };
  } catch (error) {
    return { ok: false, reason: `IndexedDB could not be opened: ${messageOf(error)}` };
  }
}

/**
 * A Registry kept in IndexedDB. Made by {@link openIndexedDbRegistry}, which opens the database
 * first; it stays usable until close(), or until another tab's upgrade closes its connection.
 */
export class IndexedDbRegistry implements Registry {
  private db: RegistryDatabase | null;
  private closedReason: string | null = null;
  private readonly changes: ChangeChannel;

  /** Use {@link openIndexedDbRegistry}. `closed` settles if the connection closes by itself. */
  constructor(
    db: RegistryDatabase,
    closed: Promise<string>,
    readonly name: string,
  ) {
    this.db = db;
    this.changes = new ChangeChannel(name);
    void closed.then((reason) => this.markClosed(reason));
  }

  /** Why the registry is closed (this page closed it, or another tab's upgrade did), or null while open. */
  get closed(): string | null {
    return this.closedReason;
  }

  close(): void {
    const db = this.db;
    this.markClosed('this page closed it');
    db?.close();
  }

  private markClosed(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.db = null;
    this.changes.close();
  }

  /** What other tabs write (never this registry's own writes). Returns the unsubscribe. */
  onChange(listener: ChangeListener): () => void {
    return this.changes.listen(listener);
  }

  async putBytes(sha256: string, bytes: Uint8Array): Promise<void> {
    await this.write(['bytes'], `the bytes ${shortSha(sha256)}`, async (tx) => ((await this.keepBytes(tx.objectStore('bytes'), sha256, bytes)) ? [{ type: 'changed', store: 'bytes', key: sha256 }] : []));
  }

  async getBytes(sha256: string): Promise<Uint8Array | null> {
    const value = await this.connection().get('bytes', sha256);
    if (value === undefined) return null;
    const bytes = checkBytes(value);
    return bytes.ok ? bytes.value : null;
  }

  async putVersion(version: VersionRecord, bytes?: Uint8Array): Promise<void> {
    const what = `version ${version.module} ${version.label}`;
    checked(checkVersion, version, what);
    await this.write(['versions', 'bytes'], what, async (tx) => {
      const changes: ChangeNotice[] = [];
      // A label is never given to other bytes: another tab of the site may have given this one
      // to its own build first (each tab numbers v1, v2, … from what it has read). Its version is
      // kept; this one is refused, never written over it.
      const kept = checkVersion(await tx.objectStore('versions').get([version.module, version.label]));
      if (kept.ok && kept.value.sha256 !== version.sha256) {
        throw new Error(`the label ${version.label} of ${version.module} was given to other bytes (sha256 ${kept.value.sha256.slice(0, 12)}…), by another tab of this site`);
      }
      if (bytes && (await this.keepBytes(tx.objectStore('bytes'), version.sha256, bytes))) changes.push({ type: 'changed', store: 'bytes', key: version.sha256 });
      // Never a half record: a version kept (not removed) has its bytes.
      // (getKey: whether they are there, without reading them.)
      if (!bytes && version.removed === null && (await tx.objectStore('bytes').getKey(version.sha256)) === undefined) throw new Error(`its bytes are not kept (sha256 ${shortSha(version.sha256)})`);
      await tx.objectStore('versions').put(version);
      changes.push({ type: 'changed', store: 'versions', key: keyText([version.module, version.label]), module: version.module });
      return changes;
    });
  }

  async removeVersion(module: string, label: string, removal: VersionRemoval): Promise<void> {
    await this.write(['versions', 'bytes', 'texts'], `the removal of ${module} ${label}`, async (tx) => {
      const versions = tx.objectStore('versions');
      const kept = checkVersion(await versions.get([module, label]));
      if (!kept.ok || kept.value.removed) return [];
      const version = kept.value;
      await versions.put({ ...version, removed: { ...removal } });
      const changes: ChangeNotice[] = [{ type: 'changed', store: 'versions', key: keyText([module, label]), module }];
      // Its bytes stay while a version still kept (of any module) has the same sha256.
      const sharing = readable(await versions.index('sha256').getAll(version.sha256), checkVersion);
      if (!sharing.some((v) => v.removed === null)) {
        await tx.objectStore('bytes').delete(version.sha256);
        changes.push({ type: 'changed', store: 'bytes', key: version.sha256 });
      }
      // Its text goes with the module's last version of these bytes.
      if (!sharing.some((v) => v.removed === null && v.module === module)) {
        await tx.objectStore('texts').delete([module, version.sha256]);
      }
      return changes;
    });
  }

  /** Oldest first (createdAt; then module and label, v2 before v10). */
  async listVersions(module?: string): Promise<VersionRecord[]> {
    const db = this.connection();
    const values = module === undefined ? await db.getAll('versions') : await db.getAllFromIndex('versions', 'module', module);
    return readable(values, checkVersion).sort(
      (a, b) => a.createdAt - b.createdAt || a.module.localeCompare(b.module) || a.label.localeCompare(b.label, undefined, { numeric: true }),
    );
  }

  async putRecord(record: UpdateRecord): Promise<void> {
    const what = `update record ${record.id} of ${record.module}`;
    checked(checkUpdateRecord, record, what);
    await this.write(['records'], what, async (tx) => {
      const key = await tx.objectStore('records').add(record);
      return [{ type: 'changed', store: 'records', key: keyText(key), module: record.module }];
    });
  }

  /** Newest first: by timestamp, then id, then the order they were written in. */
  async listRecords(module?: string): Promise<UpdateRecord[]> {
    const db = this.connection();
    const values = module === undefined ? await db.getAll('records') : await db.getAllFromIndex('records', 'module', module);
    return readable(values.reverse(), checkUpdateRecord).sort((a, b) => b.timestamp - a.timestamp || b.id - a.id);
  }

  /** Replaces the kept checkpoint unless that one is newer (`at`); an unreadable one is replaced. */
  async putCheckpoint(checkpoint: CheckpointRecord): Promise<void> {
    const what = `the checkpoint of ${checkpoint.module}`;
    checked(checkCheckpoint, checkpoint, what);
    await this.write(['checkpoints'], what, async (tx) => {
      const store = tx.objectStore('checkpoints');
      const kept = checkCheckpoint(await store.get(checkpoint.module));
      if (kept.ok && kept.value.at > checkpoint.at) return [];
      await store.put(checkpoint);
      return [{ type: 'changed', store: 'checkpoints', key: checkpoint.module, module: checkpoint.module }];
    });
  }

  async latestCheckpoint(module: string): Promise<CheckpointRecord | null> {
    const checkpoint = checkCheckpoint(await this.connection().get('checkpoints', module));
    return checkpoint.ok ? checkpoint.value : null;
  }

  async putModule(record: ModuleRecord): Promise<void> {
    const what = `the module record of ${record.name}`;
    checked(checkModule, record, what);
    await this.write(['modules'], what, async (tx) => {
      await tx.objectStore('modules').put(record);
      return [{ type: 'changed', store: 'modules', key: record.name, module: record.name }];
    });
  }

  async putText(module: string, sha256: string, text: string): Promise<void> {
    const record: TextRecord = { schema: 1, module, sha256, text, at: Date.now() };
    const what = `the text of ${module} ${sha256.slice(0, 12)}…`;
    checked(checkText, record, what);
    await this.write(['texts'], what, async (tx) => {
      await tx.objectStore('texts').put(record);
      return [{ type: 'changed', store: 'texts', key: keyText([module, sha256]), module }];
    });
  }

  async getText(module: string, sha256: string): Promise<string | null> {
    const kept = checkText(await this.connection().get('texts', [module, sha256]));
    return kept.ok ? kept.value.text : null;
  }

  /** By name. */
  async listModules(): Promise<ModuleRecord[]> {
    return readable(await this.connection().getAll('modules'), checkModule);
  }

  /**
   * The records that fail their check, in every store, with the reason. This reads every value,
   * bytes included unless `bytes: false` (the other stores are small): it is for a page that
   * shows the registry's health, not for each render.
   */
  async unreadable(options: { bytes?: boolean } = {}): Promise<UnreadableRecord[]> {
    const stores = options.bytes === false ? STORE_NAMES.filter((s) => s !== 'bytes') : [...STORE_NAMES];
    const tx = this.connection().transaction(stores, 'readonly');
    const found: UnreadableRecord[] = [];
    for (const store of stores) {
      const [keys, values] = await Promise.all([tx.objectStore(store).getAllKeys(), tx.objectStore(store).getAll()]);
      values.forEach((value, i) => {
        const result = CHECKS[store](value);
        if (result.ok) return;
        const key = keys[i]!;
        const entry: UnreadableRecord = { store, key: keyText(key), reason: result.reason };
        if (store === 'versions' && Array.isArray(key)) entry.version = { module: String(key[0]), label: String(key[1]) };
        found.push(entry);
      });
    }
    await tx.done;
    return found;
  }

  private connection(): RegistryDatabase {
    if (!this.db) throw new Error(`the hotwasm registry "${this.name}" is closed: ${this.closedReason}`);
    return this.db;
  }

  /**
   * Run `body` in one readwrite transaction over `stores`, then tell the other tabs what it
   * changed. If anything fails the transaction is aborted, so that nothing of it is kept, and the
   * write rejects with {@link writeError}'s error. `body` must await only this transaction's
   * requests: awaiting anything else lets the transaction commit half-done.
   */
  private async write<S extends StoreName>(stores: S[], what: string, body: (tx: WriteTransaction<S>) => Promise<ChangeNotice[]>): Promise<void> {
    let tx: WriteTransaction<S>;
    try {
      tx = this.connection().transaction(stores, 'readwrite');
    } catch (error) {
      throw writeError(what, error, null);
    }
    const done = tx.done;
    done.catch(() => undefined); // awaited below; an abort while `body` runs is not unhandled
    let changes: ChangeNotice[];
    try {
      changes = await body(tx);
      await done;
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // already aborted (the quota, a failed request) or finished
      }
      await done.catch(() => undefined);
      throw writeError(what, error, tx.error);
    }
    this.changes.post(changes);
  }

  /** Keep bytes under their sha256 unless readable bytes are kept there already; true if written. */
  private async keepBytes(store: BytesStore, sha256: string, bytes: Uint8Array): Promise<boolean> {
    if (checkBytes(await store.get(sha256)).ok) return false;
    await store.put(ownBytes(bytes), sha256);
    return true;
  }
}
