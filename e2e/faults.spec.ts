/**
 * Fault cases, one test each, in real Chromium: hostile allocators, API versions, lifecycle
 * exports that run too often or not at all, runaway commands, binaries of another version,
 * lifecycle traps during a hot swap, aliased results, drops of several files or a folder, and a
 * rollback while an update stages. (Case 11, a large module loaded while calls run, is measured
 * on its own: large-module.measured.spec.ts.)
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import {
  alert,
  apiCall,
  apiLoad,
  apiLoadBytes,
  dropFiles,
  example,
  expectServing,
  fixture,
  openPlayground,
  pickFile,
  region,
  statusValue,
  swapFixture,
} from './helpers';

async function counterAtSeven(page: Page) {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 7)).toEqual({ ok: true, value: 7 });
  await expect(statusValue(page, 'Version')).toHaveText('v1');
}

async function stillServingCounterAt(page: Page, count: number, version = 'v1') {
  await expectServing(page, 'counter');
  await expect(statusValue(page, 'Version')).toHaveText(version);
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: count });
}

/** Raw calls through window.hotwasm, in order; each the value or the error text. */
function rawCalls(page: Page, calls: [fn: string, ...args: number[]][]): Promise<unknown[]> {
  return page.evaluate(async (calls) => {
    const out: unknown[] = [];
    for (const [fn, ...args] of calls) out.push(await window.hotwasm.callRaw(fn, ...args).catch((e: Error) => e.message));
    return out;
  }, calls);
}

/** Start collecting the guest output of `module` (engine events), readable with {@link outputOf}. */
async function collectOutput(page: Page, module: string): Promise<void> {
  await page.evaluate((module) => {
    const w = window as unknown as { collected: string };
    w.collected = '';
    window.hotwasm.subscribe((e) => {
      if (e.type === 'output' && e.module === module) w.collected += e.text;
    });
  }, module);
}
const outputOf = (page: Page) => page.evaluate(() => (window as unknown as { collected: string }).collected);
const count = (text: string, word: string) => text.split(word).length - 1;

test('1. an alloc that traps, or answers a block outside memory, fails the call naming alloc; the module keeps serving', async ({ page }) => {
  await openPlayground(page);
  await pickFile(page, fixture('bad-alloc.wasm'));
  await expectServing(page, 'bad-alloc');
  // The JSON text of a 2000-character string is 2002 bytes: alloc traps for more than 1000.
  const trapped = await apiCall(page, 'echo', 'x'.repeat(2000));
  expect(trapped).toEqual({ ok: false, value: 'alloc(2002) for echo trapped: unreachable' });
  expect(await apiCall(page, 'echo', 'still here')).toEqual({ ok: true, value: 'still here' });
  // For more than 500 it answers 0xFFFFFF00, past the end of its 64 KiB memory.
  const outside = await apiCall(page, 'echo', 'y'.repeat(600));
  expect(outside).toEqual({ ok: false, value: 'alloc(602) for echo points outside linear memory: ptr 4294967040, len 602, memory size 65536 bytes' });
  expect(await apiCall(page, 'echo', { and: 'again' })).toEqual({ ok: true, value: { and: 'again' } });
  expect(await rawCalls(page, [['add', 2, 3]])).toEqual([5]);
  await expect(statusValue(page, 'State')).toContainText('healthy');
  await expect(statusValue(page, 'Errors')).toHaveText('2');
});

test('2. the API version comes from get_api_version, and the api_version section wins over it', async ({ page }) => {
  await openPlayground(page);
  const apiFact = region(page, 'Module').locator('dt:text-is("API version") + dd');
  await pickFile(page, fixture('api-export.wasm'));
  await expectServing(page, 'api-export');
  expect(await page.evaluate(() => window.hotwasm.module())).toMatchObject({ apiVersion: '1.4.2', apiVersionSource: 'export' });
  await expect(apiFact).toHaveText('1.4.2 (from the get_api_version export)');
  await expect(statusValue(page, 'API version')).toContainText('1.4.2');

  // Section "1.0.0" and get_api_version "2.3.4": the section is read, the export never asked.
  await pickFile(page, fixture('api-both.wasm'));
  await expectServing(page, 'api-both');
  expect(await page.evaluate(() => window.hotwasm.module())).toMatchObject({ apiVersion: '1.0.0', apiVersionSource: 'section' });
  await expect(apiFact).toHaveText('1.0.0 (from the api_version section)');
});

test('3. _initialize runs exactly once per instance: on load, and once again after a restart', async ({ page }) => {
  await openPlayground(page);
  await collectOutput(page, 'init-count');
  await pickFile(page, fixture('init-count.wasm'));
  await expectServing(page, 'init-count');
  // Output reaches the page before the reply that follows it, so these counts are complete.
  expect(await apiCall(page, 'inits')).toEqual({ ok: true, value: 1 });
  expect(count(await outputOf(page), 'initialized')).toBe(1);

  await region(page, 'Status').getByRole('button', { name: 'Restart' }).click();
  await expect(region(page, 'Status')).toContainText('state was reset');
  await expect(statusValue(page, 'State')).toContainText('healthy');
  expect(await apiCall(page, 'inits')).toEqual({ ok: true, value: 1 });
  expect(count(await outputOf(page), 'initialized')).toBe(2);
});

test('4. loading a command module does not run _start; only Run does, on a fresh instance', async ({ page }) => {
  await openPlayground(page);
  await collectOutput(page, 'command-probe');
  await pickFile(page, fixture('command-probe.wasm'));
  await expectServing(page, 'command-probe');
  await expect(region(page, 'Module').locator('dt:text-is("Kind") + dd')).toHaveText('command');
  expect(await apiCall(page, 'starts')).toEqual({ ok: true, value: 0 });
  expect(await outputOf(page)).toBe('');

  const call = region(page, 'Call');
  await call.getByRole('button', { name: 'Run' }).click();
  await expect(call.getByLabel('Result')).toHaveText('Exit code: 0');
  expect(await outputOf(page)).toBe('started\n');
  // Run made an instance of its own: the one serving calls never ran _start.
  expect(await apiCall(page, 'starts')).toEqual({ ok: true, value: 0 });
});

test('5. a runaway _start is ended by call_timeout_ms; the module keeps serving Run and calls', async ({ page }) => {
  await openPlayground(page);
  await page.evaluate(() => window.hotwasm.configure({ call_timeout_ms: 400 }));
  await pickFile(page, fixture('command-probe.wasm'));
  await expectServing(page, 'command-probe');
  const call = region(page, 'Call');
  // Given an argument, its _start loops forever.
  await call.getByLabel('Arguments').fill('spin');
  await call.getByRole('button', { name: 'Run' }).click();
  await expect(call.getByLabel('Result')).toContainText('The command run timed out after 400 ms (call_timeout_ms) and its worker was stopped');
  await expect(statusValue(page, 'State')).toContainText('healthy');
  await expect(region(page, 'Status')).toContainText('The command run did not return within 400 ms');

  await call.getByLabel('Arguments').fill('');
  await call.getByRole('button', { name: 'Run' }).click();
  await expect(call.getByLabel('Result')).toHaveText('Exit code: 0');
  expect(await apiCall(page, 'starts')).toEqual({ ok: true, value: 0 });
  expect(await page.evaluate(() => window.hotwasm.run([]))).toEqual({ exitCode: 0, stdout: 'started\n', stderr: '' });
});

test('6. a core module whose binary version is not 1 is refused with a message naming the version', async ({ page }) => {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 3)).toEqual({ ok: true, value: 3 });
  // A picked file is read and checked by the worker; bytes in hand are checked on the page.
  await pickFile(page, fixture('version-2.wasm'));
  await expect(alert(page)).toHaveText(/version-2\.wasm has an unknown WebAssembly binary version 02 00 00 00 \(expected 01 00 00 00\)/);
  const bytes = await apiLoadBytes(page, readFileSync(fixture('version-2.wasm')), { name: 'version-2' });
  expect(bytes).toEqual({ ok: false, value: 'version-2 has an unknown WebAssembly binary version 02 00 00 00 (expected 01 00 00 00)' });
  await expectServing(page, 'counter');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 3 });
});

for (const [variant, message] of [
  ['init-traps', 'The new build of counter was refused while loading: counter: _initialize failed: _initialize trapped: unreachable. v1 keeps serving.'],
  ['start-traps', 'The new build of counter was refused while loading: counter: the start function failed: start trapped: unreachable. v1 keeps serving.'],
] as const) {
  test(`7. a hot swap to a build whose ${variant === 'init-traps' ? '_initialize' : 'start function'} traps is refused at stage; v1 serves with its state`, async ({ page }) => {
    await counterAtSeven(page);
    expect(await apiLoad(page, swapFixture(variant), { name: 'counter' })).toEqual({ ok: false, value: message });
    const [record] = await page.evaluate(() => window.hotwasm.history());
    expect(record).toMatchObject({ outcome: 'refused', failedStep: 'stage', from: { version: 'v1' } });
    await expect(alert(page)).toContainText(message);
    await stillServingCounterAt(page, 7);
    expect(await apiCall(page, 'increment', 1)).toEqual({ ok: true, value: 8 });
  });
}

test('8. a result that is the argument block itself is freed exactly once', async ({ page }) => {
  await openPlayground(page);
  await pickFile(page, fixture('alias-free.wasm'));
  await expectServing(page, 'alias-free');
  // Eight blocks: a host that never freed would make alloc trap by the ninth call.
  for (let i = 0; i < 20; i++) expect(await apiCall(page, 'echo', { i })).toEqual({ ok: true, value: { i } });
  const [echoBlock] = await rawCalls(page, [['last_alloc']]);
  expect(await rawCalls(page, [['frees_of', echoBlock as number], ['double_frees'], ['live']])).toEqual([1, 0, 0]);

  // A result in a block of its own: both blocks are freed, once each.
  expect(await apiCall(page, 'copy', 'abc')).toEqual({ ok: true, value: 'abc' });
  const [copyBlock] = await rawCalls(page, [['last_alloc']]);
  expect(await rawCalls(page, [['frees_of', copyBlock as number], ['frees_of', 1024], ['double_frees'], ['live']])).toEqual([1, 1, 0, 0]);

  // Batched calls take the same path.
  const batch = await page.evaluate(() => window.hotwasm.callBatch('echo', Array.from({ length: 50 }, (_, i) => i)));
  expect(batch).toEqual(Array.from({ length: 50 }, (_, i) => ({ ok: true, value: i })));
  expect(await rawCalls(page, [['double_frees'], ['live']])).toEqual([0, 0]);
});

test('9a. several files dropped at once are each loaded as a module of their own, by file name', async ({ page }) => {
  await openPlayground(page);
  await dropFiles(page, [example('counter-c.wasm'), example('counter-rust.wasm'), swapFixture('counter-b')]);
  await expect.poll(() => page.evaluate(() => window.hotwasm.status().modules.sort())).toEqual(['counter', 'counter-b', 'counter-c', 'counter-rust']);
  for (const name of ['counter-c', 'counter-rust', 'counter-b']) {
    expect(await page.evaluate((name) => window.hotwasm.module(name).call('increment', 2), name)).toBe(2);
  }
});

test('9b. the Load module picker takes several files, each loaded as its own module', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Load module').setInputFiles([example('counter-c.wasm'), fixture('bad-calls.wasm')]);
  await expect.poll(() => page.evaluate(() => window.hotwasm.status().modules.sort())).toEqual(['bad-calls', 'counter', 'counter-c']);
});

test('9c. a dropped folder is refused with why; files dropped with it still load', async ({ page }) => {
  await openPlayground(page);
  // Chromium cannot drop a folder from a script: its items are files whose entries say they are
  // directories, as webkitGetAsEntry() answers for a folder dragged from a file manager.
  await page.evaluate(() => {
    DataTransferItem.prototype.webkitGetAsEntry = function (this: DataTransferItem) {
      const file = this.getAsFile();
      const isDirectory = file !== null && !file.name.includes('.');
      return { isDirectory, isFile: !isDirectory, name: file?.name ?? '' } as FileSystemEntry;
    };
  });
  await dropFiles(page, [[fixture('empty.wasm'), 'build']]);
  await expect(alert(page)).toHaveText(/build is a folder: folders cannot be loaded; drop the \.wasm files/);
  await dropFiles(page, [[fixture('empty.wasm'), 'wasm-out'], example('counter-c.wasm')]);
  await expect(alert(page)).toHaveText(/wasm-out is a folder: folders cannot be loaded; drop the \.wasm files/);
  await expect.poll(() => page.evaluate(() => window.hotwasm.status().modules.sort())).toEqual(['counter', 'counter-c']);
});

test('10a. hotwasm.rollback() while an update stages: the update is superseded, the rollback serves, no call fails', async ({ page }) => {
  await counterAtSeven(page);
  await page.evaluate(() => window.hotwasm.configure({ benchmark_budget_ms: 60_000, validation_timeout_ms: 60_000, probation_ms: 60_000 }));
  expect(await apiLoad(page, swapFixture('counter-b'), { name: 'counter' })).toEqual({ ok: true, value: 'v2' });
  const result = await page.evaluate(async (bytes) => {
    const h = window.hotwasm;
    const calls: Promise<unknown>[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        for (let i = 0; i < 10; i++) calls.push(h.call('increment', 1));
        await new Promise((r) => setTimeout(r, 0));
      }
    })();
    // bench-hangs never answers its benchmark: it is still staging when rolled back.
    const update = h.load(new Uint8Array(bytes), { name: 'counter' }).then((i) => `served ${i.version}`, (e: Error) => e.message);
    while (h.status().updating !== 'benchmark') await new Promise((r) => setTimeout(r, 0));
    const rollback = await h.rollback().then((i) => i.version, (e: Error) => `failed: ${e.message}`);
    running = false;
    await load;
    const values = (await Promise.allSettled(calls)).map((r) => (r.status === 'fulfilled' ? r.value : `failed: ${(r.reason as Error).message}`));
    return { update: await update, rollback, values, get: await h.call('get'), history: h.history().slice(0, 3).map((r) => `${r.trigger}:${r.from?.version}→${r.to?.version}:${r.outcome}`) };
  }, [...readFileSync(swapFixture('bench-hangs'))]);
  expect(result.update).toMatch(/^The update of counter to v3 was superseded by a newer one/);
  expect(result.rollback).toBe('v1');
  expect(result.values.length).toBeGreaterThan(10);
  expect(result.values).toEqual(result.values.map((_, i) => 8 + i));
  expect(result.get).toBe(7 + result.values.length);
  expect(result.history).toEqual(['rollback:v2→v1:rolled back', 'load:v2→v3:superseded', 'load:v1→v2:committed']);
  await stillServingCounterAt(page, 7 + result.values.length);
  await expect(alert(page)).toHaveCount(0);
});

test('10b. Roll back clicked in the History panel while an update stages: the kept version serves with the state', async ({ page }) => {
  await counterAtSeven(page);
  // No probation: v1 is not warm, so the rollback goes through the pipeline with v1's kept bytes.
  await page.evaluate(() => window.hotwasm.configure({ benchmark_budget_ms: 60_000, validation_timeout_ms: 60_000, probation_ms: 0 }));
  expect(await apiLoad(page, swapFixture('counter-b'), { name: 'counter' })).toEqual({ ok: true, value: 'v2' });
  expect(await apiCall(page, 'increment', 1)).toEqual({ ok: true, value: 8 });
  // Its benchmark never answers: the update stays in that step until the rollback supersedes it
  // (a benchmark that ends could end first on a loaded machine, and the update commit).
  const update = apiLoad(page, swapFixture('bench-hangs'), { name: 'counter' });
  await expect.poll(() => page.evaluate(() => window.hotwasm.status().updating)).toBe('benchmark');
  await region(page, 'History').getByRole('button', { name: 'Roll back' }).click();
  expect((await update).value).toMatch(/superseded by a newer one/);
  await stillServingCounterAt(page, 8);
  const history = await page.evaluate(() => window.hotwasm.history().slice(0, 3).map((r) => `${r.trigger}:${r.from?.version}→${r.to?.version}:${r.outcome}`));
  expect(history).toEqual(['rollback:v2→v1:committed', 'load:v2→v3:superseded', 'load:v1→v2:committed']);
  await expect(region(page, 'History').getByRole('listitem').first()).toHaveAttribute('data-outcome', 'committed');
  await expect(alert(page)).toHaveCount(0);
});
