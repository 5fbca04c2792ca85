/**
 * Case 11 of the fault cases: a 10 MiB module hot-swapped in while calls run, with no main-thread
 * task over 50 ms. Measured in the "measured" project, alone on the machine once the other tests
 * are done (see playwright.config.ts).
 */
import { expect, test } from '@playwright/test';
import { apiCall, editorSettled, longestMainThreadTask, openPlayground, statusValue } from './helpers';

test('11. a 10 MiB module loaded while calls run keeps every main-thread task under 50 ms', async ({ page }) => {
  test.setTimeout(90_000);
  const { counterOfSize } = await import('../bench/gen-module.mjs');
  const big = await counterOfSize(10 * 1024 * 1024, 'faults');
  expect(big.length).toBeGreaterThan(10_000_000);
  await page.route('**/big-counter.wasm', (route) => route.fulfill({ body: big, contentType: 'application/wasm' }));
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 7)).toEqual({ ok: true, value: 7 });
  await expect(statusValue(page, 'Version')).toHaveText('v1');
  // The argument editor (Monaco) loads just after the first module: let it settle first.
  await editorSettled(page);
  let result!: { version: string | null; loadMs: number; longTasks: number[]; values: unknown[]; size: number };
  const longest = await longestMainThreadTask(page, async () => (result = await page.evaluate(async () => {
    const h = window.hotwasm;
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(Math.round(entry.duration));
    });
    observer.observe({ type: 'longtask' });
    const calls: Promise<unknown>[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        for (let i = 0; i < 10; i++) calls.push(h.call('increment', 1));
        await new Promise((r) => setTimeout(r, 0));
      }
    })();
    const t0 = performance.now();
    // A hot swap of the running counter: fetched, staged, validated, cut over with its state.
    const version = await h.load('big-counter.wasm', { name: 'counter' }).then((i) => i.version, (e: Error) => e.message);
    const loadMs = performance.now() - t0;
    // A few more frames of calls after the cutover, with the panels showing the new build.
    for (let frame = 0; frame < 5; frame++) await new Promise((r) => requestAnimationFrame(r));
    running = false;
    await load;
    const values = (await Promise.allSettled(calls)).map((r) => (r.status === 'fulfilled' ? r.value : `failed: ${(r.reason as Error).message}`));
    await new Promise((r) => setTimeout(r, 0)); // let the observer deliver the last entries
    observer.disconnect();
    return { version, loadMs, longTasks, values, size: h.module()!.size };
  })));
  console.log(`10 MiB hot swap: ${result.loadMs.toFixed(0)} ms, ${result.values.length} calls, longest main-thread task ${longest.toFixed(1)} ms of CPU; long tasks (wall) ${JSON.stringify(result.longTasks)}`);
  expect(result.version).toBe('v2');
  expect(result.size).toBe(big.length);
  expect(result.values).toEqual(result.values.map((_, i) => 8 + i));
  expect(longest).toBeLessThan(50);
});
