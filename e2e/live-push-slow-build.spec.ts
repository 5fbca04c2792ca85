/**
 * Live push with a build that takes a while (a command of the user's that waits until the test
 * lets it finish, then writes the module): the page shows "Building <name>…" with the time it has
 * taken, a page reloaded in the middle of the build still shows it, and takes the build when it
 * ends. The test holds the build open instead of timing it, so a slow machine cannot end the
 * build before the reloaded page has connected.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import type { ViteDevServer } from 'vite';
import { startDevServer } from './dev-server';
import { example, expectServing, region } from './helpers';

test.describe.configure({ mode: 'serial', timeout: 60_000 });

// Waits at least 1 s (so the page sees it building) and until the gate file (its path the first
// argument, outside the watched folder) holds the revision in rev.txt, then writes the example
// counter with a custom section "rev" holding that revision: each revision is another build.
const BUILD_SCRIPT = `
import { readFileSync, writeFileSync } from 'node:fs';
const text = readFileSync('rev.txt', 'utf8').trim();
const rev = Buffer.from(text);
await new Promise((r) => setTimeout(r, 1000));
while (readFileSync(process.argv[2], 'utf8').trim() !== text) await new Promise((r) => setTimeout(r, 50));
const name = Buffer.from('rev');
const body = Buffer.concat([Buffer.from([name.length]), name, rev]);
writeFileSync('out.wasm', Buffer.concat([readFileSync(${JSON.stringify(example('counter.wasm'))}), Buffer.from([0, body.length]), body]));
`;

let dir: string;
let gate: string;
let server: ViteDevServer;
let url: string;

const shaOf = (page: Page) => page.evaluate(() => window.hotwasm.modules().find((m) => m.name === 'slow')?.sha256 ?? null);
const builtSha = async () => {
  const status = (await (await fetch(`${url}__hotwasm/status`)).json()) as { modules: { name: string; versions: { sha256: string }[] }[] };
  return status.modules.find((m) => m.name === 'slow')!.versions[0]?.sha256 ?? null;
};

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotwasm-slow-'));
  writeFileSync(join(dir, 'build.mjs'), BUILD_SCRIPT);
  writeFileSync(join(dir, 'rev.txt'), '1');
  gate = join(mkdtempSync(join(tmpdir(), 'hotwasm-gate-')), 'gate.txt');
  writeFileSync(gate, '1');
  ({ server, url } = await startDevServer({ modules: [{ name: 'slow', path: dir, build: `"${process.execPath}" build.mjs "${gate}"`, artifact: 'out.wasm', debounceMs: 20 }], tokenFile: join(dir, 'token.json') }));
});

test.afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(dirname(gate), { recursive: true, force: true });
});

test('a page reloaded while a build runs shows it building, then serves it', async ({ page }) => {
  await page.goto(url);
  // The first build (1 s) runs as the server starts: the page shows it, then serves it.
  await expect.poll(() => shaOf(page), { timeout: 20_000 }).not.toBeNull();
  await page.evaluate(() => window.hotwasm.use('slow'));
  await expectServing(page, 'slow');
  const first = await shaOf(page);

  writeFileSync(join(dir, 'rev.txt'), '2');
  const status = region(page, 'Status');
  await expect(status).toContainText(/Building slow… \d/);
  await page.reload();
  // After the reload: the build under way is shown (the server tells a page that connects),
  // the last build serves meanwhile, and the new one replaces it when it is done.
  await expect(region(page, 'Status')).toContainText(/Building slow… \d/);
  await expect.poll(() => shaOf(page)).toBe(first);
  writeFileSync(gate, '2');
  await expect.poll(() => shaOf(page), { timeout: 20_000 }).not.toBe(first);
  expect(await shaOf(page)).toBe(await builtSha());
  await expect(region(page, 'Status')).not.toContainText('Building slow…');
  expect(await page.evaluate(() => window.hotwasm.module('slow').call('increment', 2))).toBe(2);
});
