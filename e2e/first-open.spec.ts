import { expect, test } from '@playwright/test';
import { apiCall, callThroughPanel, openPlayground, region, statusValue } from './helpers';

test('first open shows the example counter loaded, inspected and callable', async ({ page }) => {
  await openPlayground(page);
  await expect(statusValue(page, 'Module')).toHaveText('counter');
  await expect(statusValue(page, 'API version')).toContainText('1.0.0');

  const module = region(page, 'Module');
  const exports = module.getByRole('table', { name: 'Exports' });
  await expect(exports.getByRole('row', { name: /increment/ })).toContainText('(i32, i32) -> i64');
  await expect(exports.getByRole('row', { name: /increment/ })).toContainText('JSON');
  await expect(exports.getByRole('row', { name: /save_state/ })).toContainText('lifecycle');
  await expect(module.getByRole('table', { name: 'Imports' })).toContainText('wasi_snapshot_preview1');
  const sha = await page.evaluate(() => window.hotwasm.status().sha256);
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  await expect(module).toContainText(sha!.slice(0, 12));

  const result = await callThroughPanel(page, 'increment', '5');
  await expect(result).toContainText('5');
  await expect(statusValue(page, 'Calls')).toHaveText('1');
});

test('the engine is usable from the DevTools console as window.hotwasm', async ({ page }) => {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', null)).toEqual({ ok: true, value: 1 });
  expect(await apiCall(page, 'increment', 41)).toEqual({ ok: true, value: 42 });
  expect(await apiCall(page, 'process', 'héllo 😀')).toEqual({ ok: true, value: { input: 'héllo 😀', bytes: 13 } });
  const status = await page.evaluate(() => window.hotwasm.status());
  expect(status).toMatchObject({ state: 'healthy', name: 'counter', calls: 3, errors: 0 });
  expect(status.p50Ms).not.toBeNull();
  // Many calls in flight at once, each answered correctly.
  const values = await page.evaluate(() => Promise.all(Array.from({ length: 500 }, () => window.hotwasm.call('increment', 1))));
  expect(values).toEqual(Array.from({ length: 500 }, (_, i) => 43 + i));
  const batch = await page.evaluate(() => window.hotwasm.callBatch('increment', [1, 2, 'x']));
  expect(batch).toEqual([
    { ok: true, value: 543 },
    { ok: true, value: 545 },
    { ok: true, value: { error: 'increment takes null or an integer' } },
  ]);
});

test('the playground works with no network: nothing is fetched from anywhere but its own server', async ({ page, context }) => {
  const foreign: string[] = [];
  await context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => {
      foreign.push(route.request().url());
      return route.abort('internetdisconnected');
    },
  );
  await openPlayground(page);
  // Monaco and its JSON worker come from the local build too.
  const result = await callThroughPanel(page, 'get', 'null');
  await expect(result).toHaveText('0');
  expect(foreign).toEqual([]);
});

test('engine.html runs the engine alone: the example counter loads and hot-swaps with its state', async ({ page }) => {
  await page.goto('./engine.html');
  await expect(page.getByRole('status')).toContainText('counter v1 is running');
  expect(await apiCall(page, 'increment', 3)).toEqual({ ok: true, value: 3 });
  const fs = await import('node:fs');
  const info = await page.evaluate(async (bytes) => (await window.hotwasm.load(new Uint8Array(bytes), { name: 'counter' })).version, [
    ...fs.readFileSync('fixtures/swap/counter-b.wasm'),
  ]);
  expect(info).toBe('v2');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 3 });
  // No playground: no panels, nothing but the engine.
  await expect(page.getByRole('region')).toHaveCount(0);
});
