/**
 * The registry's IndexedDB database: its stores, its schema version and the steps that bring an
 * older database up to it, and opening it without ever hanging or throwing. Opening fails in
 * ordinary ways (no IndexedDB in a private window or a sandboxed frame, a database left at a newer
 * version by a newer hotwasm, another tab holding an older version open): each becomes a reason
 * in words, so that the page can fall back to memory and say why.
 */
import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { messageOf } from '../shared/errors';
import { checkVersion } from './validate';

/** The database's name (and its BroadcastChannel's) unless the page names another. */
export const DB_NAME = 'hotwasm-registry';

/** The schema version of the database: its stores and indexes. One upgrade step per version. */
export const DB_VERSION = 3;

/**
 * Values are `unknown`: whatever is read is checked before use (./validate.ts).
 *
 * - bytes: key sha256 → the bytes, bare. Kept once per sha256; listing versions never reads them.
 * - versions: key [module, label] → VersionRecord; by module (listing, eviction), by sha256
 *   (whether a kept version still needs some bytes).
 * - records: an autoIncrement key → UpdateRecord. Each record is its own row, so two tabs adding
 *   records never overwrite each other (record ids start at 1 in every page, so they are not keys).
 * - checkpoints: key module → the latest CheckpointRecord.
 * - modules: key name → ModuleRecord (what the name serves).
 * - texts: key [module, sha256] → TextRecord (the text a Source panel build was compiled from).
 */
export interface RegistrySchema extends DBSchema {
  bytes: { key: string; value: unknown };
  versions: { key: [string, string]; value: unknown; indexes: { module: string; sha256: string } };
  records: { key: number; value: unknown; indexes: { module: string } };
  checkpoints: { key: string; value: unknown };
  modules: { key: string; value: unknown };
  texts: { key: [string, string]; value: unknown };
}

export type StoreName = StoreNames<RegistrySchema>;
export const STORE_NAMES: readonly StoreName[] = ['bytes', 'versions', 'records', 'checkpoints', 'modules', 'texts'];
export type RegistryDatabase = IDBPDatabase<RegistrySchema>;
type UpgradeTransaction = IDBPTransaction<RegistrySchema, StoreName[], 'versionchange'>;

/**
 * UPGRADES[n] brings a database at version n to version n + 1, inside the versionchange
 * transaction; opening runs those from the stored version up to DB_VERSION, so a database of any
 * older version arrives at the current one step by step.
 *
 * To change the schema: bump DB_VERSION and append ONE step here. Never edit a step that has
 * shipped: databases out there are at its version already. A migration of records (a new field,
 * a record `schema` bump) goes in that step too, through `transaction.objectStore(…)`: read each
 * record, rewrite it, in the same transaction, so a failed migration leaves the old database as
 * it was. Each bump needs a test that makes a database at the previous version, with records in
 * it, and opens it with this code.
 */
export const UPGRADES: readonly ((db: RegistryDatabase, transaction: UpgradeTransaction) => void)[] = [
  // 0 → 1: the stores and their indexes.
  (db) => {
    db.createObjectStore('bytes');
    const versions = db.createObjectStore('versions', { keyPath: ['module', 'label'] });
    versions.createIndex('module', 'module');
    versions.createIndex('sha256', 'sha256');
    db.createObjectStore('records', { autoIncrement: true }).createIndex('module', 'module');
    db.createObjectStore('checkpoints', { keyPath: 'module' });
    db.createObjectStore('modules', { keyPath: 'name' });
  },
  // 1 → 2: version records of schema 1 become schema 2 (a tag, imports, exports, removed), in
  // place; one that does not read is left as it is (it is listed as unreadable, as before).
  (_db, transaction) => {
    const upgrade = async () => {
      for (let cursor = await transaction.objectStore('versions').openCursor(); cursor; cursor = await cursor.continue()) {
        const checked = checkVersion(cursor.value);
        if (checked.ok && (cursor.value as { schema?: unknown }).schema !== checked.value.schema) await cursor.update(checked.value);
      }
    };
    // A failed step aborts the versionchange transaction: the open fails, the database stays at 1.
    upgrade().catch(() => transaction.abort());
  },
  // 2 → 3: the texts store (what Source panel builds were compiled from); nothing to migrate.
  (db) => {
    db.createObjectStore('texts', { keyPath: ['module', 'sha256'] });
  },
  // 3 → 4 goes here.
];

export interface OpenOptions {
  factory: IDBFactory;
  name: string;
  /**
   * A connection opened before the app's script ran (index.html opens the registry while the
   * script loads), or null when that failed: taken if it is at DB_VERSION with every store and
   * still open, else the database is opened here as usual.
   */
  early?: Promise<IDBDatabase | null>;
  /** How long to wait while another tab's older connection blocks the upgrade. */
  blockedTimeoutMs: number;
  /** How long to wait for any answer at all (some browsers' IndexedDB never answers). */
  openTimeoutMs: number;
}

/**
 * `closed` settles, with the reason, if the connection closes by itself: another tab opens a
 * newer version (this connection closes at once, so that tab's upgrade is not blocked) or the
 * browser closes it.
 */
export type Opened = { ok: true; db: RegistryDatabase; closed: Promise<string> } | { ok: false; reason: string };

/** Open (and upgrade) the database; never throws, never waits longer than the timeouts. */
export function openDatabase(options: OpenOptions): Promise<Opened> {
  if (!options.early) return open(options);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.openTimeoutMs)));
  return Promise.race([options.early.catch(() => null), timeout]).then((early) => {
    clearTimeout(timer);
    // The early request never answered: this browser's IndexedDB does not (a second one would not either).
    if (early === 'timeout') return { ok: false, reason: `IndexedDB did not answer within ${seconds(options.openTimeoutMs)} when opening "${options.name}"` };
    if (early && early.name === options.name && usable(early)) return connected(early);
    early?.close();
    return open(options);
  });
}

/** At this schema version, with every store, and still open (a transaction on a closed connection throws). */
function usable(db: IDBDatabase): boolean {
  if (db.version !== DB_VERSION || !STORE_NAMES.every((store) => db.objectStoreNames.contains(store))) return false;
  try {
    db.transaction([...STORE_NAMES], 'readonly').abort();
    return true;
  } catch {
    return false;
  }
}

/** An open connection as the registry keeps it: wrapped, and closing itself when another tab needs a newer version. */
function connected(raw: IDBDatabase): Opened {
  const closed = new Promise<string>((closedBy) => {
    raw.addEventListener('versionchange', () => {
      raw.close();
      closedBy('another tab opened a newer version of the registry; reload this page to use it');
    });
    raw.addEventListener('close', () => closedBy('the browser closed the registry database (its site data cleared?)'));
  });
  return { ok: true, db: wrap(raw) as unknown as RegistryDatabase, closed };
}

function open(options: OpenOptions): Promise<Opened> {
  const { factory, name } = options;
  let request: IDBOpenDBRequest;
  try {
    request = factory.open(name, DB_VERSION);
  } catch (error) {
    return Promise.resolve({ ok: false, reason: `IndexedDB refused to open "${name}": ${errorText(error)}` });
  }
  return new Promise((resolve) => {
    let settled = false;
    let blockedTimer: ReturnType<typeof setTimeout> | undefined;
    let upgradeError: unknown = null;
    const openTimer = setTimeout(
      () => settle({ ok: false, reason: `IndexedDB did not answer within ${seconds(options.openTimeoutMs)} when opening "${name}"` }),
      options.openTimeoutMs,
    );
    function settle(result: Opened): boolean {
      if (settled) return false;
      settled = true;
      clearTimeout(blockedTimer);
      clearTimeout(openTimer);
      resolve(result);
      return true;
    }

    request.addEventListener('upgradeneeded', (event) => {
      const db = wrap(request.result) as unknown as RegistryDatabase;
      const transaction = wrap(request.transaction!) as unknown as UpgradeTransaction;
      try {
        for (let version = (event as IDBVersionChangeEvent).oldVersion; version < DB_VERSION; version++) UPGRADES[version]!(db, transaction);
      } catch (error) {
        upgradeError = error;
        request.transaction?.abort(); // the open request then fails: nothing of the upgrade is kept
      }
    });
    request.addEventListener('blocked', () => {
      blockedTimer ??= setTimeout(
        () =>
          settle({
            ok: false,
            reason: `another tab keeps an older version of the registry "${name}" open and did not let go within ${seconds(options.blockedTimeoutMs)}: close or reload the other hotwasm tabs`,
          }),
        options.blockedTimeoutMs,
      );
    });
    request.addEventListener('success', () => {
      const raw = request.result;
      if (settled) {
        raw.close(); // it answered after we gave up: nobody uses this connection
        return;
      }
      settle(connected(raw));
    });
    request.addEventListener('error', (event) => {
      event.preventDefault();
      const error = request.error;
      let reason: string;
      if (upgradeError !== null) reason = `upgrading the registry "${name}" to version ${DB_VERSION} failed: ${errorText(upgradeError)}`;
      else if (error?.name === 'VersionError')
        reason = `the registry "${name}" has a newer database version than this page reads (${DB_VERSION}): a newer hotwasm upgraded it; reload this page`;
      else reason = `IndexedDB could not open "${name}": ${errorText(error)}`;
      settle({ ok: false, reason });
    });
  });
}

function errorText(error: unknown): string {
  if (error === null || error === undefined) return 'no reason given';
  const name = (error as { name?: unknown } | null)?.name;
  const message = messageOf(error);
  return typeof name === 'string' && name !== 'Error' && !message.includes(name) ? `${name}: ${message}` : message;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
