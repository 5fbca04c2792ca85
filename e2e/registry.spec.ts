/**
 * The version registry in the browser's own IndexedDB: a page reloaded comes back with each
 * module at the version that was serving, its state and its history; a damaged stored copy is
 * refused with both sha256s; a browser that refuses storage keeps versions in memory and says so.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { alert, apiCall, dropFile, example, expectServing, fixture, historyValue, openPlayground, region, statusValue } from './helpers';

async function counterAtV2(page: Page, count: number) {
  await openPlayground(page);
  await dropFile(page, fixture('swap/counter-b.wasm'), 'counter.wasm');
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  expect(await apiCall(page, 'increment', count)).toEqual({ ok: true, value: count });
  // A checkpoint after the increment has been written (every checkpoint_interval_ms of activity).
  await expect
    .poll(async () => {
      await apiCall(page, 'get');
      return page.evaluate(() => window.hotwasm.module('counter').checkpoints().at(-1)?.calls ?? 0);
    })
    .toBeGreaterThan(1);
  await page.evaluate(() => window.hotwasm.flush()); // written, before the page is left
}

test('a reload brings back the module at the version that served, with its state and its history', async ({ page }) => {
  await counterAtV2(page, 4);
  // Where versions are kept, with the storage the site uses (navigator.storage.estimate()).
  await expect(historyValue(page, 'Versions kept')).toHaveText(/^in this browser \(across reloads\), [\d.]+ (B|KiB|MiB) used of [\d.]+ (MiB|GiB|TiB)$/);
  // Asking the browser to keep it: what it answered is said (headless Chromium may grant or not).
  await region(page, 'History').getByRole('button', { name: 'Keep storage persistent' }).click();
  await expect(region(page, 'History')).toContainText(/The browser keeps this storage until you clear it|The browser did not promise to keep this storage/);
  await page.reload();
  await expectServing(page, 'counter');
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  await expect(region(page, 'Status')).toContainText(/counter v2 is back with its state from .+, \d+ s before the reload/);
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 4 });
  // The update of the first visit is listed, and v1 can be rolled back to, state carried.
  await expect(region(page, 'History').getByRole('listitem').filter({ hasText: 'v1 → v2' })).toBeVisible();
  expect(await page.evaluate(async () => (await window.hotwasm.rollback('v1')).version)).toBe('v1');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 4 });
  // A new build gets the next label, never one given before the reload.
  await dropFile(page, fixture('swap/api-v1-2.wasm'), 'counter.wasm');
  await expect(statusValue(page, 'Version')).toHaveText('v3');
});

test('?module= wins over what was brought back', async ({ page }) => {
  await counterAtV2(page, 2);
  await page.goto('./?module=examples/counter.wasm');
  await expectServing(page, 'counter');
  await expect(statusValue(page, 'Version')).toHaveText('v1'); // the requested bytes, under their label
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 2 }); // a hot swap from the restored v2: state carried
});

test('a stored copy whose bytes no longer match their sha256 is refused, saying which', async ({ page }) => {
  await counterAtV2(page, 1);
  // Damage the stored bytes of the serving version, as a disk or another program might.
  await page.evaluate(async () => {
    const sha = window.hotwasm.module()!.sha256;
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('hotwasm-registry');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction('bytes', 'readwrite');
        const store = tx.objectStore('bytes');
        const get = store.get(sha);
        get.onsuccess = () => {
          const value = get.result as { bytes: Uint8Array } | Uint8Array;
          const bytes = value instanceof Uint8Array ? value : value.bytes;
          bytes[bytes.length - 1]! ^= 0xff;
          store.put(value, value instanceof Uint8Array ? sha : undefined);
        };
        tx.oncomplete = () => (db.close(), resolve());
        tx.onerror = () => reject(tx.error);
      };
    });
  });
  await page.reload();
  await expect(alert(page)).toContainText(/counter v2 was refused by a check before it could serve: the bytes kept for v2 no longer match the sha256 they were kept under \(\w+…?, not \w+…?\): the stored copy is damaged\./);
  // The damaged copy never ran, and nothing was loaded over the alert; any module can be loaded.
  expect(await page.evaluate(() => window.hotwasm.modules().length)).toBe(0);
  await dropFile(page, fixture('swap/counter-b.wasm'), 'counter.wasm');
  await expectServing(page, 'counter');
});

test('a corrupt version record is listed as unreadable with the reason, the others load, and it cannot be rolled back to', async ({ page }) => {
  await counterAtV2(page, 3);
  // A record another program (or a damaged disk) left: a version whose createdAt is not a time.
  await page.evaluate(async () => {
    const v1 = window.hotwasm.versions().find((v) => v.version === 'v1')!;
    const broken = { ...v1, schema: 2, module: 'counter', label: 'v9', version: undefined, createdAt: 'yesterday', removed: null };
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('hotwasm-registry');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction('versions', 'readwrite');
        tx.objectStore('versions').put(broken);
        tx.oncomplete = () => (db.close(), resolve());
        tx.onerror = () => reject(tx.error);
      };
    });
  });
  await page.reload();
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 3 });
  const history = region(page, 'History');
  await expect(history.getByRole('note')).toContainText('Unreadable versions of counter');
  await expect(history.getByRole('note')).toContainText('v9: "createdAt" should be a number, but is the text "yesterday"');
  await expect(history.getByRole('radio', { name: 'v9', exact: true })).toHaveCount(0);
  await expect(region(page, 'History')).toContainText('1 stored record is unreadable: skipped, never run');
  expect(await page.evaluate(() => window.hotwasm.rollback('v9').then(() => 'rolled back', (e: Error) => e.message))).toMatch(/no version "v9"/);
});

test('where the browser refuses IndexedDB, versions are kept in memory and the History panel says so', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', { get: () => ({ open: () => { throw new DOMException('The user denied permission to access the database.', 'SecurityError'); } }) });
  });
  await openPlayground(page);
  await expect(region(page, 'History').getByRole('note')).toContainText(/kept in this page’s memory only, and are lost on a reload: .*denied permission/);
  await expect(historyValue(page, 'Versions kept')).toHaveText('in memory only');
  expect(await apiCall(page, 'increment', 3)).toEqual({ ok: true, value: 3 });
  await dropFile(page, fixture('swap/counter-b.wasm'), 'counter.wasm');
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 3 });
});

test('two tabs: each sees the versions the other made, and never gives a label the other gave', async ({ page, context }) => {
  await openPlayground(page);
  await page.evaluate(() => window.hotwasm.flush()); // the first tab's v1 is in the registry
  const other = await context.newPage();
  await openPlayground(other); // brings back counter v1, as the first tab left it
  await expect(statusValue(other, 'Version')).toHaveText('v1');
  await dropFile(other, fixture('swap/counter-b.wasm'), 'counter.wasm');
  await expect(statusValue(other, 'Version')).toHaveText('v2');
  // The first tab hears of it (BroadcastChannel) and reads it from the registry.
  await expect.poll(() => page.evaluate(() => window.hotwasm.versions().map((v) => v.version)), { timeout: 10_000 }).toEqual(['v1', 'v2']);
  await dropFile(page, fixture('swap/api-v1-2.wasm'), 'counter.wasm');
  await expect(statusValue(page, 'Version')).toHaveText('v3');
  await expect(alert(page)).toHaveCount(0); // saved: no "was not saved"
});

test('Download .wasm saves a kept version\'s bytes, also after a reload', async ({ page }) => {
  await counterAtV2(page, 1);
  await page.reload();
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  const history = region(page, 'History');
  await history.getByRole('radio', { name: 'v1', exact: true }).check();
  const [download] = await Promise.all([page.waitForEvent('download'), history.getByRole('button', { name: 'Download .wasm' }).click()]);
  expect(download.suggestedFilename()).toBe('counter-v1.wasm');
  const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  expect(sha(readFileSync(await download.path()))).toBe(sha(readFileSync(example('counter.wasm'))));
});

test('Export versions makes one file that Import versions takes in another browser; a bad file is refused whole', async ({ page, browser }) => {
  await counterAtV2(page, 6);
  const history = region(page, 'History');
  const [download] = await Promise.all([page.waitForEvent('download'), history.getByRole('button', { name: 'Export versions' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^hotwasm-registry-\d{4}-\d\d-\d\d\.json$/);
  const file = await download.path();

  const elsewhere = await browser.newContext(); // another browser profile: its own IndexedDB
  try {
    const other = await elsewhere.newPage();
    await openPlayground(other); // the example counter: v1, the same bytes as the exported v1
    const otherHistory = region(other, 'History');
    await otherHistory.getByLabel('Import versions…').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "hotwasm-registry", "sch') });
    await expect(otherHistory).toContainText(/Nothing was imported: .*(JSON|cut short|truncated)/i);
    await otherHistory.getByLabel('Import versions…').setInputFiles(file);
    await expect(otherHistory).toContainText(/Imported 1 versions, \d+ records, 1 checkpoints; skipped 1 versions/);
    // v2 came with its bytes: this browser can roll back to it (state carried, its own: 0). It was
    // made before this browser's v1, so it is listed first (oldest first).
    await expect.poll(() => other.evaluate(() => window.hotwasm.versions().map((v) => v.version))).toEqual(['v2', 'v1']);
    expect(await other.evaluate(async () => (await window.hotwasm.rollback('v2')).version)).toBe('v2');
    expect(await apiCall(other, 'get')).toEqual({ ok: true, value: 0 });
  } finally {
    await elsewhere.close();
  }
});
