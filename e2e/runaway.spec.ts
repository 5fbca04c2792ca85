import { expect, type Page, test } from '@playwright/test';
import { apiCall, callThroughPanel, expectServing, fixture, openPlayground, pickFile, region, statusValue, swapFixture } from './helpers';

test('a runaway call times out, the worker is replaced, and the module keeps serving', async ({ page }) => {
  await openPlayground(page);
  await page.evaluate(() => window.hotwasm.configure({ call_timeout_ms: 400 }));
  await pickFile(page, fixture('bad-calls.wasm'));
  await expectServing(page, 'bad-calls');

  // A runaway call with calls before it and queued behind it, all sent in one message: only the
  // runaway one fails, the ones before it keep their answers, and none runs twice.
  const results = await page.evaluate(async () => {
    const h = window.hotwasm;
    const before = [h.call('echo', 'a'), h.callRaw('add', 1, 1)];
    const spin = h.call('spin').then(
      () => 'returned?!',
      (e: Error) => e.message,
    );
    const queued = [h.call('echo', 1), h.call('echo', 2), h.callRaw('add', 2, 2)];
    return { before: await Promise.all(before), spin: await spin, queued: await Promise.all(queued) };
  });
  expect(results.before).toEqual(['a', 2]);
  expect(results.spin).toMatch(/The call to spin timed out after 400 ms \(call_timeout_ms\) and its worker was stopped/);
  expect(results.queued).toEqual([1, 2, 4]);

  await expect(statusValue(page, 'State')).toContainText('healthy');
  await expect(region(page, 'Status')).toContainText('The call to spin did not return within 400 ms');
  expect(await apiCall(page, 'echo', 'after')).toEqual({ ok: true, value: 'after' });
});

test('Restart re-instantiates the module from its compiled code, resetting its state', async ({ page }) => {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 5)).toEqual({ ok: true, value: 5 });
  await region(page, 'Status').getByRole('button', { name: 'Restart' }).click();
  await expect(region(page, 'Status')).toContainText('state was reset');
  await expect(statusValue(page, 'State')).toContainText('healthy');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 0 });
});

/** counter-spin serving at 5, with a checkpoint of that taken; calls time out after `callTimeoutMs`. */
async function spinCounterAtFive(page: Page, callTimeoutMs: number) {
  await openPlayground(page);
  await page.evaluate((ms) => window.hotwasm.configure({ call_timeout_ms: ms, checkpoint_interval_ms: 50 }), callTimeoutMs);
  await pickFile(page, swapFixture('counter-spin'));
  await expectServing(page, 'counter-spin');
  expect(await apiCall(page, 'increment', 5)).toEqual({ ok: true, value: 5 });
  // Calls made after the interval take a checkpoint (save_state) in the background.
  await expect
    .poll(async () => {
      await apiCall(page, 'increment', 0);
      return page.evaluate(() => window.hotwasm.status().checkpointAt);
    })
    .not.toBeNull();
}

test('after a runaway call the module resumes from its latest checkpoint, and says from when', async ({ page }) => {
  await spinCounterAtFive(page, 400);
  const spin = await apiCall(page, 'spin');
  expect(spin.value).toMatch(/timed out after 400 ms/);
  await expect(region(page, 'Status')).toContainText(/restored from the checkpoint of/);
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 5 });
});

test('Stop ends a call that never returns: the time it has run shows, the module restarts from its checkpoint and answers again', async ({ page }) => {
  // Only Stop ends the call here: the watchdog would wait a minute.
  await spinCounterAtFive(page, 60_000);

  const call = region(page, 'Call');
  const result = await callThroughPanel(page, 'spin', 'null');
  await expect(result).toHaveText('Calling spin…');
  const elapsed = call.getByRole('timer', { name: 'Running for' });
  // It ticks: past a second while the call still runs; the Status panel says what keeps the module busy.
  await expect(elapsed).toHaveText(/^[1-9]\d*\.\d s$/);
  await expect(statusValue(page, 'State')).toContainText(/^busy — The call to spin, since \S/);
  const stop = call.getByRole('button', { name: 'Stop' });
  await stop.focus();
  await page.keyboard.press('Enter');

  await expect(result).toHaveText(/^The call to spin was stopped by you after \d+\.\d s; counter-spin restarts from its last checkpoint \(of .+\): calls made after it are lost$/);
  await expect(elapsed).toHaveCount(0);
  await expect(stop).toHaveCount(0);
  await expect(result).toBeFocused();
  await expect(region(page, 'Status')).toContainText(/stopped by you after .*restored from the checkpoint of/);
  await expect(statusValue(page, 'State')).toContainText('healthy');
  await expect(await callThroughPanel(page, 'get', 'null')).toHaveText('5');
});

test('stop() when nothing runs stops nothing and says so', async ({ page }) => {
  await openPlayground(page);
  const stopped = await page.evaluate(() => window.hotwasm.module('counter').stop());
  expect(stopped).toEqual({ stopped: false, message: 'Nothing was running in counter, so nothing was stopped' });
  expect(await apiCall(page, 'increment', 2)).toEqual({ ok: true, value: 2 });
});
