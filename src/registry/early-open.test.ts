/**
 * index.html opens the registry while the app's script loads, and the app takes that connection
 * (OpenOptions.early in ./db.ts). Its inline script is run here as the page runs it, on
 * fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { updateRecord } from './test-support';
import { DB_NAME, DB_VERSION, openIndexedDbRegistry } from './idb-registry';

const html = readFileSync(new URL('../../index.html', import.meta.url), 'utf8');
const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;

/** Run index.html's script in a page whose IndexedDB is `factory`; answers what it left on `window`, and how often it opened. */
function runScript(factory: IDBFactory) {
  const opens: string[] = [];
  const counted = { open: (name: string, version?: number) => (opens.push(name), factory.open(name, version)) } as IDBFactory;
  const window: { __hotwasmEarlyRegistry?: Promise<IDBDatabase | null> } = {};
  new Function('window', 'indexedDB', script)(window, counted);
  return { early: window.__hotwasmEarlyRegistry, opens };
}

describe("index.html's early opening of the registry", () => {
  it('opens the database the registry uses, at its version', () => {
    expect(script).toContain(`indexedDB.open('${DB_NAME}', ${DB_VERSION})`);
  });

  it('creates nothing on a first visit: the app creates the database, and reads what it wrote on the next', async () => {
    const factory = new IDBFactory();
    const first = runScript(factory);
    expect(await first.early).toBeNull();
    const opened = await openIndexedDbRegistry({ indexedDB: factory, early: first.early });
    if (!opened.ok) throw new Error(opened.reason);
    await opened.registry.putRecord(updateRecord(1));
    opened.registry.close();

    const again = runScript(factory);
    const early = await again.early;
    expect(early?.version).toBe(DB_VERSION);
    let opens = 0;
    const factoryOpen = factory.open.bind(factory);
    factory.open = (...args) => (opens++, factoryOpen(...args));
    const reopened = await openIndexedDbRegistry({ indexedDB: factory, early: again.early });
    if (!reopened.ok) throw new Error(reopened.reason);
    expect(opens).toBe(0); // it took the early connection
    expect((await reopened.registry.listRecords()).map((r) => r.id)).toEqual([1]);
    reopened.registry.close();
  });

  it('answers ok: false, as an open that never answers does, when the early request never answers', async () => {
    const never = new Promise<IDBDatabase | null>(() => undefined);
    expect(await openIndexedDbRegistry({ indexedDB: new IDBFactory(), early: never, openTimeoutMs: 20 })).toEqual({ ok: false, reason: 'IndexedDB did not answer within 0 s when opening "hotwasm-registry"' });
  });

  it('opens the database itself when the early connection was closed before it was taken', async () => {
    const factory = new IDBFactory();
    const created = await openIndexedDbRegistry({ indexedDB: factory });
    if (!created.ok) throw new Error(created.reason);
    created.registry.close();
    const { early } = runScript(factory);
    (await early)!.close(); // as when another tab's upgrade closed it
    const opened = await openIndexedDbRegistry({ indexedDB: factory, early });
    if (!opened.ok) throw new Error(opened.reason);
    expect(await opened.registry.listRecords()).toEqual([]);
    opened.registry.close();
  });
});
