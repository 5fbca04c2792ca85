/** The History, Config and Status controls of hot swap, used as a person would. */
import { expect, test } from '@playwright/test';
import { apiCall, apiLoad, apiPush, example, expectServing, fixture, openPlayground, openSettings, pickFile, region, setArgument, statusValue, swapFixture } from './helpers';

test('History lists updates newest first, filters by outcome, and is navigable with arrow keys', async ({ page }) => {
  await openPlayground(page);
  await apiLoad(page, swapFixture('counter-b'), { name: 'counter' });
  await apiLoad(page, swapFixture('unhealthy'), { name: 'counter' });
  const history = region(page, 'History');
  const records = history.getByRole('listitem');
  await expect(records).toHaveCount(2);
  await expect(records.first()).toHaveAttribute('data-outcome', 'refused');
  await expect(records.first()).toContainText('shadow check');
  await expect(records.nth(1)).toHaveAttribute('data-outcome', 'committed');

  await records.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(records.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(records.first()).toBeFocused();

  await history.getByLabel('Outcome').selectOption('committed');
  await expect(records).toHaveCount(1);
  await expect(records.first()).toHaveAttribute('data-outcome', 'committed');
});

test('Roll back in the History panel returns to a kept version with the state', async ({ page }) => {
  await openPlayground(page);
  await apiCall(page, 'increment', 4);
  await apiLoad(page, swapFixture('counter-b'), { name: 'counter' });
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  const history = region(page, 'History');
  await history.getByRole('radio', { name: 'v1', exact: true }).check();
  await history.getByRole('button', { name: 'Roll back to v1' }).click();
  await expect(statusValue(page, 'Version')).toHaveText('v1');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 4 });
});

test('Config refuses out-of-range values with a message, applies valid ones, and keeps them across reloads', async ({ page }) => {
  await openPlayground(page);
  const config = await openSettings(page);
  const probation = config.getByLabel('probation_ms');
  await probation.fill('-5');
  await expect(config).toContainText('probation_ms must be between 0 and 3600000 ms, got -5');
  await config.getByRole('button', { name: 'Apply' }).click();
  expect(await page.evaluate(() => window.hotwasm.config.probation_ms)).toBe(5000);

  await probation.fill('1200');
  await config.getByRole('button', { name: 'Apply' }).click();
  await expect.poll(() => page.evaluate(() => window.hotwasm.config.probation_ms)).toBe(1200);
  await page.reload();
  await expect(statusValue(page, 'State')).toContainText('healthy');
  expect(await page.evaluate(() => window.hotwasm.config.probation_ms)).toBe(1200);
  await expect((await openSettings(page)).getByLabel('probation_ms')).toHaveValue('1200');
});

test('Settings open in a dialog from the header, with human names beside the API ones; Escape closes it and the focus goes back', async ({ page }) => {
  await openPlayground(page);
  // Closed, the settings take no room on the page.
  await expect(page.getByRole('region', { name: 'Config' })).toBeHidden();
  await page.getByRole('button', { name: 'Settings' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Probation (ms) probation_ms')).toHaveValue('5000');
  await expect(dialog.getByLabel('Auto reload enabled')).toBeChecked();
  // A draft survives closing and opening again.
  await dialog.getByLabel('Call timeout').fill('2500');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Settings' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByLabel('Call timeout')).toHaveValue('2500');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

for (const [width, height] of [[1280, 800], [400, 800]] as const) {
  test(`the work comes first at ${width} px: the Call panel right after the header, its result and output in view`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await openPlayground(page);
    const top = async (name: Parameters<typeof region>[1]) => (await region(page, name).boundingBox())!.y;
    // The first panel in reading (and keyboard) order is Call.
    const names = await page.getByRole('main').getByRole('region').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(names[0]).toBe('Call');
    if (width >= 960) {
      // The common path needs no scrolling: the call, its result, the console and the source are all in view.
      for (const name of ['Call', 'Console', 'Source'] as const) expect(await top(name)).toBeLessThan(height - 100);
      await expect(region(page, 'Call').getByLabel('Result')).toBeInViewport();
    } else {
      expect(await top('Call')).toBeLessThan(Math.min(await top('Status'), await top('Source'), await top('Module')));
    }
  });
}

test('Status: with Auto reload off a pushed build waits for Reload; with it on, it goes live', async ({ page }) => {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 5)).toEqual({ ok: true, value: 5 });
  await page.evaluate(() => window.hotwasm.configure({ debounce_ms: 50 }));
  const status = region(page, 'Status');
  await status.getByLabel('Auto reload').uncheck();
  await expect.poll(() => page.evaluate(() => window.hotwasm.config.enabled)).toBe(false);
  expect(await apiPush(page, swapFixture('counter-b'), 'counter')).toEqual({ ok: true, value: null });
  await expect(status).toContainText('auto reload is off, so it waits: Reload applies it');
  await expect(statusValue(page, 'Version')).toHaveText('v1');
  await status.getByRole('button', { name: 'Reload' }).click();
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 5 });

  await status.getByLabel('Auto reload').check();
  await expect.poll(() => page.evaluate(() => window.hotwasm.config.enabled)).toBe(true);
  expect(await apiPush(page, example('counter.wasm'), 'counter')).toEqual({ ok: true, value: 'v1' });
  await expect(statusValue(page, 'Version')).toHaveText('v1');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 5 });
  expect(await page.evaluate(() => window.hotwasm.history()[0]!.trigger)).toBe('push');
});

test('Status: Auto reload toggles the setting and Reload re-runs the latest update', async ({ page }) => {
  await openPlayground(page);
  const status = region(page, 'Status');
  const auto = status.getByLabel('Auto reload');
  await expect(auto).toBeChecked();
  await auto.uncheck();
  await expect.poll(() => page.evaluate(() => window.hotwasm.config.enabled)).toBe(false);
  await auto.check();

  await apiLoad(page, swapFixture('unhealthy'), { name: 'counter' });
  await status.getByRole('button', { name: 'Reload' }).click();
  await expect.poll(() => page.evaluate(() => window.hotwasm.history().map((r) => `${r.trigger}:${r.outcome}`))).toEqual(['reload:refused', 'load:refused']);
  await expect(page.getByRole('alert').filter({ hasText: /\S/ }).first()).toContainText('health_check');
});

test('Module: with two modules loaded, Active module shows how each is and picks the one the panels work with', async ({ page }) => {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 3)).toEqual({ ok: true, value: 3 });
  expect(await apiLoad(page, example('counter-as.wasm'), { name: 'other' })).toEqual({ ok: true, value: 'v1' });
  const picker = region(page, 'Module').getByLabel('Active module');
  await expect(picker.locator('option')).toHaveText(['counter — healthy, v1', 'other — healthy, v1']);
  // A module the user loads is the one the panels show.
  await expect(picker).toHaveValue('other');
  await expect(statusValue(page, 'Module')).toHaveText('other');
  await picker.selectOption('counter');
  await expect(statusValue(page, 'Module')).toHaveText('counter');
  const call = region(page, 'Call');
  // Call and State say whose they are.
  await expect(call.locator('.panel-header')).toHaveText('Callcounter v1');
  await expect(region(page, 'State').locator('.panel-header')).toHaveText('Statecounter v1');
  await setArgument(page, '5');
  await call.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(call.getByLabel('Result')).toHaveText('8');
  // By keyboard, back to the other one, which kept its own count.
  await picker.focus();
  await page.keyboard.press('ArrowDown');
  await expect(statusValue(page, 'Module')).toHaveText('other');
  await expect(call.locator('.panel-header')).toHaveText('Callother v1');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 0 });
});

test('Status: a sparkline of recent call latency, with a mark where a new version started answering', async ({ page }) => {
  await openPlayground(page);
  for (let i = 0; i < 3; i++) expect(await apiCall(page, 'increment', 1)).toMatchObject({ ok: true });
  const status = region(page, 'Status');
  await expect(status.getByRole('img', { name: /^Call latency, last 3 calls: median [\d.]+ ms, slowest [\d.]+ ms$/ })).toBeVisible();
  await apiLoad(page, swapFixture('counter-b'), { name: 'counter' });
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 3 });
  await expect(status.getByRole('img', { name: /^Call latency, last 4 calls: .*; v1 → v2$/ })).toBeVisible();
});

test('Status: Restart says before it is pressed what becomes of the state; a Reload of the bytes already serving says they are', async ({ page }) => {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 4)).toEqual({ ok: true, value: 4 });
  const status = region(page, 'Status');
  await expect(status.getByRole('button', { name: 'Restart' })).toHaveAccessibleDescription(
    'Restart: a fresh instance of counter v1; its state is reset to what a new instance starts with, not to a checkpoint (the checkpoints stay, for the State panel to rewind to)',
  );

  await status.getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByRole('status', { name: 'Notice' })).toHaveText('Nothing to reload: counter is already running v1, and the latest build received is the one serving');
  const [record] = await page.evaluate(() => window.hotwasm.history());
  expect(record).toMatchObject({ trigger: 'reload', outcome: 'already running', to: { version: 'v1' } });
  await expect(statusValue(page, 'Version')).toHaveText('v1');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 4 });
});

test('Module: what reading the module says against guest ABI v1, as it loads', async ({ page }) => {
  await openPlayground(page);
  const panel = region(page, 'Module');
  await expect(panel).toContainText('Nothing wrong that reading it can tell.');
  await expect(panel.getByRole('list', { name: 'Guest ABI problems' })).toHaveCount(0);
  // bad-calls has no api_version: a warning, in words, as hotwasm check says it.
  await pickFile(page, fixture('bad-calls.wasm'));
  await expectServing(page, 'bad-calls');
  const problems = panel.getByRole('list', { name: 'Guest ABI problems' });
  await expect(problems.getByRole('listitem')).toHaveText([/^! Warning: no api_version: declare one/]);
});
