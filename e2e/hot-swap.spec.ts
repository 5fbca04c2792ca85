/**
 * Hot swap in real Chromium: a new build replaces the running one with its state; a broken,
 * hostile or hanging build never does, and never makes a call fail.
 */
import { expect, type Page, test } from '@playwright/test';
import { alert, apiCall, apiLoad, dropFile, expectServing, openPlayground, region, statusValue, swapFixture } from './helpers';

async function counterAtSeven(page: Page) {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 7)).toEqual({ ok: true, value: 7 });
  await expect(statusValue(page, 'Version')).toHaveText('v1');
}

test('dropping a new build of the running module swaps it in with its state', async ({ page }) => {
  await counterAtSeven(page);
  await dropFile(page, swapFixture('counter-b'), 'counter.wasm');
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 7 });
  const [record] = await page.evaluate(() => window.hotwasm.history());
  // Nothing reached v1 after the shadow check's snapshot: v2 took over without holding a call.
  expect(record).toMatchObject({ outcome: 'committed', from: { version: 'v1' }, to: { version: 'v2' }, stateBytes: 8, cutover: { held: false } });
  await expect(region(page, 'Status')).toContainText('8 bytes of state carried');
});

test('a broken build is refused: v1 keeps serving with its state and the history says why', async ({ page }) => {
  await counterAtSeven(page);
  await dropFile(page, swapFixture('unhealthy'), 'counter.wasm');
  await expect(page.getByRole('alert').filter({ hasText: /\S/ }).first()).toContainText('health_check of v2 answered "degraded", not "ok"');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 7 });
  await expect(statusValue(page, 'Version')).toHaveText('v1');
  const [record] = await page.evaluate(() => window.hotwasm.history());
  expect(record).toMatchObject({ outcome: 'refused', failedStep: 'shadow check' });
});

for (const [fixture, step, message] of [
  ['init-hangs', 'stage', /did not finish loading within 400 ms/],
  ['health-hangs', 'shadow check', /health_check timed out after 400 ms \(validation_timeout_ms\)/],
  ['restore-hangs', 'shadow check', /restore_state timed out after 400 ms \(validation_timeout_ms\)/],
  ['bench-hangs', 'benchmark', /benchmark_function timed out after 400 ms \(validation_timeout_ms\)/],
] as const) {
  test(`a candidate that hangs (${fixture}) is stopped; the serving version answers throughout`, async ({ page }) => {
    await counterAtSeven(page);
    await page.evaluate(() => window.hotwasm.configure({ validation_timeout_ms: 400 }));
    const update = apiLoad(page, swapFixture(fixture), { name: 'counter' });
    // While the candidate hangs in its own worker, the serving one keeps answering at once.
    for (let i = 1; i <= 5; i++) expect(await apiCall(page, 'increment', 1)).toEqual({ ok: true, value: 7 + i });
    const result = await update;
    expect(result.ok).toBe(false);
    expect(result.value).toMatch(message);
    const [record] = await page.evaluate(() => window.hotwasm.history());
    expect(record).toMatchObject({ outcome: 'refused', failedStep: step });
    expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 12 });
  });
}

test('an API major change is refused, naming both versions; a fresh load replaces it on request', async ({ page }) => {
  await counterAtSeven(page);
  const refused = await apiLoad(page, swapFixture('api-v2'), { name: 'counter' });
  // The console is told the option that replaces it anyway.
  expect(refused.value).toBe('counter v2 was refused at the API version check: API version 2.0.0 is not compatible with the serving 1.0.0 (major 2 ≠ 1). v1 keeps serving. To replace it anyway with fresh state, load it with { fresh: true }.');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 7 });
  const fresh = await apiLoad(page, swapFixture('api-v2'), { name: 'counter', fresh: true });
  expect(fresh.ok).toBe(true);
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 0 });
});

test('a dropped build with a new API major is refused with the choice to load it fresh', async ({ page }) => {
  await counterAtSeven(page);
  await dropFile(page, swapFixture('api-v2'), 'counter.wasm');
  // A person is told the button that does, once: no option to type, no sentence ended twice.
  await expect(alert(page)).toHaveText('counter v2 was refused at the API version check: API version 2.0.0 is not compatible with the serving 1.0.0 (major 2 ≠ 1). v1 keeps serving. To replace it anyway, with its state reset, choose Load it fresh.');
  await expect(region(page, 'Status')).toContainText('(major 2 ≠ 1). v1 keeps serving.');
  await expect(region(page, 'Status')).not.toContainText('..');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 7 });
  await expect(statusValue(page, 'Version')).toHaveText('v1');
  // The user chooses to replace it anyway: the new build serves with its state reset.
  await page.getByRole('button', { name: 'Load it fresh (resets state)' }).click();
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  await expect(page.getByRole('button', { name: 'Load it fresh (resets state)' })).toHaveCount(0);
  await expect(alert(page)).toHaveCount(0);
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 0 });
  const [record] = await page.evaluate(() => window.hotwasm.history());
  expect(record).toMatchObject({ trigger: 'reload', outcome: 'committed', warning: 'fresh load: state was reset by request' });
});

test('an invalid api_version is refused and the counter keeps serving', async ({ page }) => {
  await counterAtSeven(page);
  const result = await apiLoad(page, swapFixture('../bad-api-version'), { name: 'counter' });
  expect(result.value).toMatch(/not a semantic version/);
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 7 });
});

test('modules without state exports swap with fresh state and a visible warning', async ({ page }) => {
  await counterAtSeven(page);
  expect((await apiLoad(page, swapFixture('stateless'), { name: 'counter' })).ok).toBe(true);
  await expect(region(page, 'Status')).toContainText('state was not carried: v2 has no restore_state');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 0 });
});

test('two updates within 50 ms: the first is superseded and never serves', async ({ page }) => {
  await counterAtSeven(page);
  const outcome = await page.evaluate(
    async ({ a, b }) => {
      const h = window.hotwasm;
      const first = h.load(new Uint8Array(a), { name: 'counter', version: 'first' }).then(() => 'served', (e: Error) => e.message);
      const second = h.load(new Uint8Array(b), { name: 'counter', version: 'second' }).then((i) => i.version);
      return { first: await first, second: await second, get: await h.call('get') };
    },
    { a: [...(await import('node:fs')).readFileSync(swapFixture('counter-b'))], b: [...(await import('node:fs')).readFileSync(swapFixture('api-v1-2'))] },
  );
  expect(outcome).toEqual({ first: expect.stringMatching(/superseded/), second: 'second', get: 7 });
});

test('no call fails or is reordered while updates succeed and fail under pipelined load', async ({ page }) => {
  await openPlayground(page);
  const fs = await import('node:fs');
  const result = await page.evaluate(
    async ({ good, bad, base }) => {
      const h = window.hotwasm;
      const builds = [new Uint8Array(good), new Uint8Array(bad), new Uint8Array(base)];
      const results: Promise<unknown>[] = [];
      let running = true;
      const load = (async () => {
        while (running) {
          for (let i = 0; i < 50; i++) results.push(h.call('increment', 1));
          await new Promise((r) => setTimeout(r, 0));
        }
      })();
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i++) {
        outcomes.push(await h.load(builds[i % 3]!, { name: 'counter' }).then(() => 'ok', () => 'refused'));
      }
      running = false;
      await load;
      const values = (await Promise.allSettled(results)).map((r) => (r.status === 'fulfilled' ? r.value : `failed: ${(r.reason as Error).message}`));
      return { outcomes, values };
    },
    { good: [...fs.readFileSync(swapFixture('counter-b'))], bad: [...fs.readFileSync(swapFixture('restore-refuses'))], base: [...fs.readFileSync(swapFixture('api-v1-2'))] },
  );
  expect(result.outcomes).toContain('refused');
  expect(result.outcomes).toContain('ok');
  expect(result.values.length).toBeGreaterThan(100);
  expect(result.values).toEqual(result.values.map((_, i) => i + 1));
});

test('calls made while a build stages are held at the cutover: committed or refused there, none fails or reorders', async ({ page }) => {
  await counterAtSeven(page);
  // Both builds run a benchmark_function that takes a while: calls keep coming while they stage.
  await page.evaluate(() => window.hotwasm.configure({ benchmark_budget_ms: 10_000 }));
  const fs = await import('node:fs');
  const result = await page.evaluate(
    async ({ good, refusing }) => {
      const h = window.hotwasm;
      const run = async (bytes: number[]) => {
        const results: Promise<unknown>[] = [];
        const update = h.load(new Uint8Array(bytes), { name: 'counter' }).then(
          () => 'committed',
          (e: Error) => e.message,
        );
        let done = false;
        void update.then(() => (done = true));
        // Calls keep coming after the update has taken its snapshot, until it is over.
        while (!done) {
          await new Promise((r) => setTimeout(r, 0));
          for (let i = 0; i < 20; i++) results.push(h.call('increment', 1));
        }
        const values = (await Promise.allSettled(results)).map((r) => (r.status === 'fulfilled' ? r.value : `failed: ${(r.reason as Error).message}`));
        return { outcome: await update, record: h.history()[0], values };
      };
      return { refused: await run(refusing), committed: await run(good) };
    },
    { good: [...fs.readFileSync(swapFixture('bench-slow'))], refusing: [...fs.readFileSync(swapFixture('refuses-final-state'))] },
  );
  const { refused, committed } = result;
  expect(refused.outcome).toBe('counter v2 was refused at the cutover: restore_state of v2 refused the final state (it answered 2). v1 keeps serving.');
  expect(refused.record).toMatchObject({ outcome: 'refused', failedStep: 'cutover' });
  expect(refused.values).toEqual(refused.values.map((_, i) => 8 + i));
  expect(committed.outcome).toBe('committed');
  expect(committed.record).toMatchObject({ outcome: 'committed', cutover: { held: true } });
  const start = 8 + refused.values.length;
  expect(committed.values).toEqual(committed.values.map((_, i) => start + i));
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: start + committed.values.length - 1 });
  // The refused build was v2: a label, once given, is never given to another build.
  await expect(statusValue(page, 'Version')).toHaveText('v3');
});

test('a timeout during probation rolls back automatically; queued calls run on the old version', async ({ page }) => {
  await counterAtSeven(page);
  await page.evaluate(() => window.hotwasm.configure({ call_timeout_ms: 400, probation_ms: 30_000 }));
  expect((await apiLoad(page, swapFixture('increment-hangs'), { name: 'counter' })).ok).toBe(true);
  const results = await page.evaluate(async () => {
    const h = window.hotwasm;
    const spin = h.call('increment', 1).then(() => 'returned?!', (e: Error) => e.message);
    const queued = [h.call('get'), h.call('get')];
    return { spin: await spin, queued: await Promise.all(queued) };
  });
  expect(results.spin).toMatch(/timed out after 400 ms/);
  expect(results.queued).toEqual([7, 7]);
  await expect(statusValue(page, 'Version')).toHaveText('v1');
  const [record] = await page.evaluate(() => window.hotwasm.history());
  expect(record).toMatchObject({ outcome: 'rolled back', trigger: 'auto rollback', failedStep: 'probation', warning: 'resumed with the state it had at the cutover' });
  expect(await apiCall(page, 'increment', 1)).toEqual({ ok: true, value: 8 });
});

test('a trap during probation rolls back with the new version\'s state; max_rollback_attempts pauses auto reload', async ({ page }) => {
  await counterAtSeven(page);
  await page.evaluate(() => window.hotwasm.configure({ probation_ms: 30_000, max_rollback_attempts: 2 }));
  for (let i = 0; i < 2; i++) {
    expect((await apiLoad(page, swapFixture('increment-traps'), { name: 'counter' })).ok).toBe(true);
    expect((await apiCall(page, 'increment', 1)).value).toMatch(/trapped/);
    await expect(statusValue(page, 'Version')).toHaveText('v1');
  }
  const status = await page.evaluate(() => window.hotwasm.status());
  expect(status).toMatchObject({ autoReload: false, autoReloadPaused: expect.stringMatching(/rolled back automatically 2 times in a row/) });
  await expect(region(page, 'Status')).toContainText('rolled back automatically 2 times in a row');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 7 });
});

test('rollback() goes back to the previous version with the current state', async ({ page }) => {
  await counterAtSeven(page);
  await apiLoad(page, swapFixture('counter-b'), { name: 'counter' });
  await apiCall(page, 'increment', 1);
  const back = await page.evaluate(() => window.hotwasm.rollback().then((i) => i.version));
  expect(back).toBe('v1');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 8 });
  await expectServing(page, 'counter');
});

for (const [fixture, step, message, setup] of [
  ['restore-refuses', 'shadow check', /restore_state of v2 refused the current state \(it answered 1\)/, null],
  ['restore-traps', 'shadow check', /restore_state failed on v2: restore_state trapped: unreachable/, null],
  ['bench-slow', 'benchmark', /benchmark_function took [\d.]+ ms, over the 1 ms budget \(benchmark_budget_ms\)/, { benchmark_budget_ms: 1 }],
] as const) {
  test(`${fixture} is refused at ${step}; v1 keeps serving with its state`, async ({ page }) => {
    await counterAtSeven(page);
    if (setup) await page.evaluate((s) => window.hotwasm.configure(s), setup);
    const result = await apiLoad(page, swapFixture(fixture), { name: 'counter' });
    expect(result.value).toMatch(message);
    const [record] = await page.evaluate(() => window.hotwasm.history());
    expect(record).toMatchObject({ outcome: 'refused', failedStep: step });
    expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 7 });
    await expect(statusValue(page, 'Version')).toHaveText('v1');
  });
}

test('save_state trapping on the serving version refuses the update; the serving version keeps its state', async ({ page }) => {
  await openPlayground(page);
  expect((await apiLoad(page, swapFixture('save-traps'), { name: 'trapper' })).ok).toBe(true);
  expect(await apiCall(page, 'increment', 4)).toEqual({ ok: true, value: 4 });
  const result = await apiLoad(page, swapFixture('counter-b'), { name: 'trapper' });
  expect(result.value).toMatch(/save_state failed on the serving version v1: save_state trapped: unreachable/);
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 4 });
});

test('an update requested while another is validating supersedes it; the first never serves', async ({ page }) => {
  await counterAtSeven(page);
  await page.evaluate(() => window.hotwasm.configure({ validation_timeout_ms: 20_000 }));
  // v2 hangs in its health check; v3 arrives meanwhile and goes next.
  const first = apiLoad(page, swapFixture('health-hangs'), { name: 'counter', version: 'hanging' });
  const second = await apiLoad(page, swapFixture('counter-b'), { name: 'counter', version: 'next' });
  expect(second).toEqual({ ok: true, value: 'next' });
  expect((await first).value).toMatch(/superseded/);
  const outcomes = await page.evaluate(() => window.hotwasm.history().map((r) => `${r.to?.version}:${r.outcome}`));
  expect(outcomes).toEqual(['next:committed', 'hanging:superseded']);
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 7 });
});
