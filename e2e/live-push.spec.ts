/**
 * Live push against a real Vite dev server running the playground with the hotwasm plugin: a
 * .wat file in a temp folder is the guest; saving it builds it and the page hot-swaps it in with
 * its state. (The dev server's own rules — security, builders, the build queue — have Node tests
 * in src/plugin.)
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import type { ViteDevServer } from 'vite';
import { startDevServer } from './dev-server';
import { apiCall, expectServing, region, root, statusValue, swapFixture } from './helpers';

test.describe.configure({ mode: 'serial', timeout: 90_000 });

const TWICE = '(global.set $count (i64.add (global.get $count) (i64.mul (local.get $amount) (i64.const 2))))';
const ONCE = '(global.set $count (i64.add (global.get $count) (local.get $amount)))';

let dir: string;
let wat: string;
let server: ViteDevServer;
let url: string;

/** Write the guest's source as it is with `from` replaced by `to` (a real edit: the text changes). */
function edit(from: string, to: string): void {
  const text = readFileSync(wat, 'utf8');
  if (!text.includes(from)) throw new Error(`the guest source has no ${from}`);
  writeFileSync(wat, text.replace(from, to));
}

/** Set the guest's api_version (a real edit: the bytes change, the code does not). */
function setApiVersion(version: string): void {
  writeFileSync(wat, readFileSync(wat, 'utf8').replace(/\(@custom "api_version" "[^"]*"\)/, `(@custom "api_version" "${version}")`));
}

async function openPlayground(page: Page): Promise<void> {
  await page.goto(url);
  // No example here (VITE_HOTWASM_EXAMPLE=none): the modules come from the dev server, each
  // loaded as its build arrives (the first to load is the active one): work with the counter.
  await expect.poll(() => page.evaluate(() => window.hotwasm?.modules().some((m) => m.name === 'counter') ?? false)).toBe(true);
  await page.evaluate(() => window.hotwasm.use('counter'));
  await expectServing(page, 'counter');
  await expect(region(page, 'Status')).toContainText('connected to the dev server');
}

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotwasm-live-'));
  wat = join(dir, 'counter.wat');
  copyFileSync(join(root, 'examples/counter-wat/counter.wat'), wat);
  ({ server, url } = await startDevServer({ modules: [{ path: wat, name: 'counter', debounceMs: 20 }], tokenFile: join(dir, 'token.json') }));
});

test.afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a saved .wat is built and hot-swapped into the page, with its state', async ({ page }) => {
  await openPlayground(page);
  const before = (await apiCall(page, 'get')).value as number;
  expect(await apiCall(page, 'increment', 3)).toEqual({ ok: true, value: before + 3 });
  const version = await statusValue(page, 'Version').textContent();
  edit(ONCE, TWICE);
  await expect(statusValue(page, 'Version')).not.toHaveText(version!);
  // The count was kept, and the new code runs: increment(1) adds 2.
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: before + 3 });
  expect(await apiCall(page, 'increment', 1)).toEqual({ ok: true, value: before + 5 });
  const [record] = await page.evaluate(() => window.hotwasm.history('counter'));
  expect(record).toMatchObject({ trigger: 'push', outcome: 'committed', stateBytes: 8 });
  const twice = await statusValue(page, 'Version').textContent();
  edit(TWICE, ONCE);
  await expect(statusValue(page, 'Version')).not.toHaveText(twice!);
  expect(await apiCall(page, 'increment', 1)).toEqual({ ok: true, value: before + 6 });
});

test('a failed build shows the compiler output; the old version serves; the next good build clears it', async ({ page }) => {
  await openPlayground(page);
  const version = await statusValue(page, 'Version').textContent();
  const count = (await apiCall(page, 'get')).value;
  edit(ONCE, `${ONCE} (this is not wat)`);
  const status = region(page, 'Status');
  await expect(status).toContainText(/Build #\d+ of counter failed/);
  await expect(status.getByLabel('Build output of counter')).toContainText(/counter\.wat:\d+:\d+/);
  await expect(region(page, 'Console')).toContainText(/counter\.wat:\d+:\d+/);
  await expect(statusValue(page, 'Version')).toHaveText(version!);
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: count });

  // A page that opens now still sees the failure.
  const late = await page.context().newPage();
  await openPlayground(late);
  await expect(region(late, 'Status')).toContainText(/Build #\d+ of counter failed/);
  await late.close();

  edit(`${ONCE} (this is not wat)`, ONCE.replace('(local.get $amount)', '(local.get $amount) '));
  await expect(status).not.toContainText(/Build #\d+ of counter failed/);
});

test('two pages connected both take each new build', async ({ page, context }) => {
  await openPlayground(page);
  const other = await context.newPage();
  await openPlayground(other);
  const versions = await Promise.all([page, other].map((p) => statusValue(p, 'Version').textContent()));
  setApiVersion('1.0.1');
  for (const [i, p] of [page, other].entries()) await expect(statusValue(p, 'Version')).not.toHaveText(versions[i]!);
  expect(await page.evaluate(() => window.hotwasm.module()?.apiVersion)).toBe('1.0.1');
  expect(await other.evaluate(() => window.hotwasm.module()?.apiVersion)).toBe('1.0.1');
  await other.close();
});

test('hotwasm push loads a module the page has never loaded, beside the one it works with', async ({ page }) => {
  await openPlayground(page);
  // Not spawnSync: the dev server runs in this process and must answer the CLI meanwhile.
  await promisify(execFile)(process.execPath, [join(root, 'bin/hotwasm.mjs'), 'push', swapFixture('counter-b'), '--name', 'pushed', '--token-file', join(dir, 'token.json')]);
  await expect.poll(() => page.evaluate(() => window.hotwasm.modules().map((m) => m.name).sort())).toEqual(['counter', 'pushed']);
  expect(await page.evaluate(() => window.hotwasm.active())).toBe('counter'); // a push does not take the user's module away
  expect(await page.evaluate(() => window.hotwasm.module('pushed').call('get'))).toBe(0);
});

test('after the dev server restarts, the page reconnects and serves the newest build', async ({ page }) => {
  await openPlayground(page);
  const apiVersion = () => page.evaluate(() => window.hotwasm?.module('counter')?.info()?.apiVersion ?? null).catch(() => null);
  setApiVersion('1.0.2');
  await server.restart();
  // Vite reloads the page once its server answers again; the page asks for the latest builds.
  await expect.poll(apiVersion, { timeout: 30_000 }).toBe('1.0.2');
  await expect(region(page, 'Status')).toContainText('connected to the dev server');
  // The restarted server watches as the first did.
  setApiVersion('1.0.3');
  await expect.poll(apiVersion, { timeout: 30_000 }).toBe('1.0.3');
});
