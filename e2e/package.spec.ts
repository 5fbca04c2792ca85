/**
 * The package as users get it: `npm pack`, installed with npm (offline) into a fresh Vite app
 * outside this repository (a copy of e2e/package-app), then
 *   - its dev server with `hotwasm/vite` pushes each save of its .wat guest, and the page's
 *     engine (`import { createEngine, connectDevServer } from 'hotwasm'`) swaps it in, state kept;
 *   - its production build bundles the engine and its worker, and none of the live-push code;
 *   - `hotwasm dev <file.wat>` from the installed package serves the built playground with live push.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, type Page, test } from '@playwright/test';
import { expectServing, root } from './helpers';

test.describe.configure({ mode: 'serial', timeout: 120_000 });

const run = promisify(execFile);
const TWICE = '(global.set $count (i64.add (global.get $count) (i64.mul (local.get $amount) (i64.const 2))))';
const ONCE = '(global.set $count (i64.add (global.get $count) (local.get $amount)))';

let dir: string;
let app: string;
const started: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Start a long-running command in the app; resolves with it once `ready` matches its output. */
function start(command: string, args: string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(command, args, { cwd: app, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
  started.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(ready);
      if (match) resolve({ child, match });
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited (${code}) before it was ready:\n${output}`)));
  });
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(file, text.replace(from, to));
}

const version = (page: Page) => page.getByLabel('Version');

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dir = mkdtempSync(join(tmpdir(), 'hotwasm-package-'));
  // prepack builds lib/ (the engine, its worker, the plugin, the built playground, the types).
  const { stdout } = await run('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const tarball = join(dir, stdout.trim().split('\n').pop()!);
  app = join(dir, 'app');
  cpSync(join(root, 'e2e/package-app'), app, { recursive: true });
  // npm installs the tarball offline. It cannot resolve registry ranges offline, so the package's
  // dependencies (vite, its peer; wabt; the WASI shim hotwasm check runs) are this repository's
  // installed copies, linked, and already built: no install scripts (the shim's folder has a
  // prepare script that would build it from sources it does not ship).
  const linked = ['vite', 'wabt', '@bjorn3/browser_wasi_shim'].map((name) => `file:${join(root, 'node_modules', name)}`);
  await run('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--save-dev', tarball, ...linked], { cwd: app, maxBuffer: 64 * 1024 * 1024 });
});

test.afterAll(async () => {
  for (const child of started) child.kill('SIGTERM');
  await Promise.all(started.map((child) => (child.exitCode !== null || child.signalCode !== null ? null : new Promise((r) => child.once('exit', r)))));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("an app's own Vite dev server pushes each save; the engine swaps it in with its state", async ({ page }) => {
  const port = await freePort();
  const { child } = await start(join(app, 'node_modules/.bin/vite'), ['--port', String(port), '--strictPort', '--host', '127.0.0.1'], /Local:\s+http:\/\/127\.0\.0\.1/);
  await page.goto(`http://127.0.0.1:${port}/`);
  // The first build reaches the page when it connects.
  await expect(version(page)).toHaveText('v1');
  const increment = page.getByRole('button', { name: 'Increment' });
  for (const expected of ['1', '2', '3']) {
    await increment.click();
    await expect(page.getByLabel('Count')).toHaveText(expected);
  }
  // Saving the guest: built with wabt, pushed, swapped in with the count.
  const wat = join(app, 'guest/counter.wat');
  edit(wat, ONCE, TWICE);
  await expect(version(page)).toHaveText('v2');
  await increment.click();
  await expect(page.getByLabel('Count')).toHaveText('5');
  // Never a page reload: the count on the page is the one it had.
  expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
  child.kill('SIGTERM');
});

test("the app's production build has the engine and its worker, and no live-push code", async () => {
  await run(join(app, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: app });
  const assets = readdirSync(join(app, 'dist/assets')).filter((f) => f.endsWith('.js'));
  const js = assets.map((f) => readFileSync(join(app, 'dist/assets', f), 'utf8'));
  // The engine's worker is a file of its own (the WASI shim inside), and the engine starts it.
  const worker = assets.find((f) => /^worker-.*\.js$/.test(f));
  expect(worker, `a worker chunk among ${assets.join(', ')}`).toBeDefined();
  expect(readFileSync(join(app, 'dist/assets', worker!), 'utf8')).toContain('wasi_snapshot_preview1');
  expect(js.some((text) => text.includes('new Worker(') && text.includes(worker!))).toBe(true);
  // The dev-server events are the live-push code's own strings.
  expect(js.filter((text) => text.includes('hotwasm:build'))).toEqual([]);
});

test('hotwasm dev <file.wat> from the installed package serves the playground with live push', async ({ page }) => {
  const wat = join(app, 'guest/dev.wat');
  cpSync(join(root, 'examples/counter-wat/counter.wat'), wat);
  const port = await freePort();
  const { match } = await start(join(app, 'node_modules/.bin/hotwasm'), ['dev', wat, '--name', 'counter', '--port', String(port), '--json'], /"type":"listening","url":"([^"]+)"/);
  await page.goto(match[1]!);
  await expectServing(page, 'counter');
  await expect(page.getByRole('region', { name: 'Status' })).toContainText('connected to the dev server');
  expect(await page.evaluate(() => window.hotwasm.call('increment', 4))).toBe(4);
  edit(wat, ONCE, TWICE);
  await expect.poll(() => page.evaluate(() => window.hotwasm.status().version)).toBe('v2');
  expect(await page.evaluate(() => window.hotwasm.call('increment', 1))).toBe(6);
});

test('hotwasm check and hotwasm new from the installed package: lib/probe.js runs the guest under its timeout', async () => {
  const bin = join(app, 'node_modules/.bin/hotwasm');
  const { stdout } = await run(bin, ['check', join(root, 'public/examples/counter.wasm'), '--json'], { cwd: app });
  const report = JSON.parse(stdout) as { ok: boolean; checks: { id: string; status: string }[] };
  expect(report.ok).toBe(true);
  expect(report.checks.filter((c) => c.status === 'pass').map((c) => c.id)).toEqual(expect.arrayContaining(['load', 'health_check', 'state', 'garbage', 'memory']));
  const hangs = await run(bin, ['check', join(root, 'fixtures/check/health-hangs.wasm'), '--timeout-ms', '500'], { cwd: app }).then(
    () => null,
    (error: { code: number; stdout: string }) => error,
  );
  expect(hangs?.code).toBe(1);
  expect(hangs?.stdout).toContain('health_check did not answer within 500 ms');
  // new runs from the package (its kits/ are those of this repository once they are in it).
  const unknown = await run(bin, ['new', join(dir, 'x'), '--lang', 'go'], { cwd: app }).then(
    () => null,
    (error: { code: number; stderr: string }) => error,
  );
  expect(unknown?.code).toBe(2);
  expect(unknown?.stderr).toContain('the known ones are rust, c, as, wat');
});
