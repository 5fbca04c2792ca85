/**
 * The versions of a module in the History panel, used as a person would: every version kept,
 * with its metadata and how its validation went; picked with the keyboard; pinned, named,
 * deleted (never its label again), compared side by side, filtered — and all of it kept across
 * reloads. And a site whose storage is full: the update stands, the page says the version was
 * not saved, and pruning old versions saves it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { alert, apiCall, apiLoad, apiLoadBytes, example, openPlayground, region, statusValue, swapFixture } from './helpers';

const history = (page: Page) => region(page, 'History');
const versionsTable = (page: Page) => history(page).getByRole('table', { name: /^Versions of counter/ });
const rowOf = (page: Page, version: string) => versionsTable(page).locator(`tr[data-version="${version}"]`);
const labels = (page: Page) => versionsTable(page).locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.version));

test('the History panel lists every version with its metadata; a version is picked from the keyboard, pinned, named, deleted and compared, across reloads', async ({ page }) => {
  await openPlayground(page);
  await page.evaluate(() => window.hotwasm.configure({ probation_ms: 0 }));
  expect(await apiLoad(page, swapFixture('counter-b'), { name: 'counter' })).toEqual({ ok: true, value: 'v2' });
  expect((await apiLoad(page, swapFixture('unhealthy'), { name: 'counter' })).ok).toBe(false);
  // Newest first, refused builds too, each with how its validation went.
  await expect.poll(() => labels(page)).toEqual(['v3', 'v2', 'v1']);
  await expect(rowOf(page, 'v3')).toContainText('refused in its trial run (the shadow check)');
  await expect(rowOf(page, 'v3')).toContainText('never');
  await expect(rowOf(page, 'v2')).toContainText('serving');
  await expect(rowOf(page, 'v2')).toContainText('committed');
  await expect(rowOf(page, 'v1')).toContainText(/load · counter\.wasm/);
  await expect(versionsTable(page)).toHaveAccessibleName('Versions of counter: 3 kept');

  // The radios are one tab stop; the arrow keys move the pick, and the actions follow it.
  await history(page).getByRole('radio', { name: 'v3', exact: true }).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(history(page).getByRole('radio', { name: 'v1', exact: true })).toBeChecked();
  const actions = history(page).getByRole('group', { name: 'Actions on counter v1' });
  await expect(actions.getByRole('button', { name: 'Roll back to v1' })).toBeEnabled();

  // Pin: never evicted, and not deleted until unpinned.
  await actions.getByRole('button', { name: 'Pinned' }).click();
  await expect(actions.getByRole('button', { name: 'Pinned' })).toHaveAttribute('aria-pressed', 'true');
  await expect(rowOf(page, 'v1')).toContainText('pinned');
  await expect(actions.getByRole('button', { name: 'Delete…' })).toBeDisabled();

  // A name, shown beside the label, accepted wherever a version is.
  await actions.getByLabel('Name of v1').fill('known good');
  await actions.getByLabel('Name of v1').press('Enter');
  await expect(rowOf(page, 'v1')).toContainText('known good');
  expect(await page.evaluate(() => window.hotwasm.versions().find((v) => v.version === 'v1')?.tag)).toBe('known good');

  // Compare v1 with v2: side by side, the older on the left.
  await actions.getByLabel('Compare with').selectOption('v2');
  const comparison = history(page).getByRole('region', { name: 'v1 compared with v2' });
  await expect(comparison.getByRole('table', { name: 'v1 compared with v2' })).toBeVisible();
  await expect(comparison.getByRole('columnheader', { name: 'v1' })).toBeVisible();
  await expect(comparison.getByRole('rowheader', { name: 'Size' })).toBeVisible();
  await comparison.getByRole('button', { name: 'Close the comparison' }).click();
  await expect(comparison).toHaveCount(0);

  // Delete v3 (asked twice): gone, its label never given again.
  await history(page).getByRole('radio', { name: 'v3', exact: true }).check();
  const onV3 = history(page).getByRole('group', { name: 'Actions on counter v3' });
  await onV3.getByRole('button', { name: 'Delete…' }).click();
  await onV3.getByRole('button', { name: 'Delete v3' }).click();
  await expect.poll(() => labels(page)).toEqual(['v2', 'v1']);
  await expect(page.getByRole('status', { name: 'Notice' })).toContainText('Deleted counter v3 and its bytes');

  // The filter narrows the versions and the updates alike.
  await history(page).getByLabel('Filter').fill('known');
  await expect.poll(() => labels(page)).toEqual(['v1']);
  await history(page).getByLabel('Filter').fill('');

  await page.evaluate(() => window.hotwasm.flush());
  await page.reload();
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  await expect.poll(() => labels(page)).toEqual(['v2', 'v1']);
  await expect(rowOf(page, 'v1')).toContainText('known good');
  await expect(rowOf(page, 'v1')).toContainText('pinned');
  // A new build takes v4: v3 was deleted, its label stays taken.
  expect(await apiLoad(page, swapFixture('api-v1-2'), { name: 'counter' })).toEqual({ ok: true, value: 'v4' });
  // Roll back by name, state carried.
  expect(await apiCall(page, 'increment', 3)).toEqual({ ok: true, value: 3 });
  expect(await page.evaluate(async () => (await window.hotwasm.rollback('known good')).version)).toBe('v1');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 3 });
  await expect(alert(page)).toHaveCount(0);
});

/**
 * The module with a custom section of `size` random bytes appended: a new build each time, and
 * one that takes its full size on disk (Chromium compresses what IndexedDB stores, so repetitive
 * padding would fill the quota at a pace that varies from run to run).
 */
function withRandomSection(module: Uint8Array, size: number): Uint8Array {
  const leb = (n: number) => {
    const out: number[] = [];
    do {
      out.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
      n >>>= 7;
    } while (n > 0);
    return out;
  };
  const name = [...Buffer.from('padding')];
  const payload = randomBytes(size);
  const body = [...leb(name.length), ...name];
  return Buffer.concat([module, Buffer.from([0, ...leb(body.length + size), ...body]), payload]);
}

test('storage full: the update stands, the page says the version was not saved, and Prune old versions makes room and saves it', async ({ page, baseURL }) => {
  test.setTimeout(60_000);
  // This site gets little room: the browser's own quota, made small through the DevTools protocol
  // before the page first writes. (Chromium lets IndexedDB spend the room it last heard of for up
  // to 30 s — BucketContext::kBucketSpaceCacheTimeLimit — so a quota lowered after the first
  // write is not enforced until then.)
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(baseURL!).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 320 * 1024 });
  try {
    await openPlayground(page);
    await page.evaluate(() => window.hotwasm.configure({ probation_ms: 0 }));
    // 48 KiB builds, one after another, until one write does not fit (the version's, or the
    // checkpoint after it): each update goes live all the same. (Random, so that they take their
    // size on disk; small enough that IndexedDB keeps them in its own files: room that bigger
    // values' blob files free is seen later, at a time of Chromium's choosing.)
    const build = async () => {
      const loaded = await apiLoadBytes(page, withRandomSection(readFileSync(example('counter.wasm')), 48 * 1024), { name: 'counter' });
      expect(loaded.ok).toBe(true);
      await page.evaluate(() => window.hotwasm.flush());
      return loaded.value;
    };
    let serving = '';
    for (let builds = 0; (await alert(page).count()) === 0; builds++) {
      expect(builds, 'builds until storage is full').toBeLessThan(12);
      serving = await build();
    }
    await expect(alert(page)).toContainText(/^counter: .+ not saved: storage full/);
    // Full now: the next build serves, and the page says its version is not saved.
    serving = await build();
    // Named, or counted among the rest when several wait ("versions v6, v7 and 2 more"): the
    // alert shows a moment after the write failed, and a loaded machine may have made more builds.
    await expect(alert(page)).toContainText(new RegExp(`^counter: versions? (.+ )?(${serving}\\b|and \\d+ more).* not saved: storage full`));
    await expect(statusValue(page, 'Version')).toHaveText(serving);
    expect(await apiCall(page, 'increment', 1)).toEqual({ ok: true, value: 1 }); // what runs is unaffected

    const before = await labels(page);
    await page.getByRole('button', { name: 'Prune old versions' }).click();
    // The older half is gone. Chromium gives the room of deleted data back only when it compacts
    // its files, at a time of its own choosing: the page says so, and the writes wait for room.
    await expect(page.getByRole('status', { name: 'Notice' })).toContainText(/^Pruned \d+ old versions; (everything is saved|storage is still full: the browser may give the room back only later\. \d+ writes? waits? and will be saved as soon as there is room\.)$/);
    await expect.poll(() => labels(page)).toEqual(before.slice(0, Math.ceil(before.length / 2))); // newest first
    // Room comes back (here: the quota is raised, as compacting would free it): the waiting
    // writes go in on their own, and the alert goes.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 4 * 1024 * 1024 });
    await expect(alert(page)).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByRole('status', { name: 'Notice' })).toContainText(/everything is saved|Everything that waited for room is saved now/);
    // Saved now: it is there after a reload, serving, with its bytes and its last checkpoint.
    await expect
      .poll(async () => {
        await apiCall(page, 'get');
        return page.evaluate(() => window.hotwasm.module('counter').checkpoints().at(-1)?.calls ?? 0);
      })
      .toBeGreaterThan(1);
    await page.evaluate(() => window.hotwasm.flush());
    await page.reload();
    await expect(statusValue(page, 'Version')).toHaveText(serving);
    expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 1 });
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  }
});
