/**
 * The State panel: see the serving version's state, give it new state, rewind it to a
 * checkpoint; each refusal leaves the serving version untouched and says why.
 */
import { expect, type Page, test } from '@playwright/test';
import { apiCall, apiLoad, expectServing, openPlayground, statusValue, swapFixture } from './helpers';

const panel = (page: Page) => page.getByRole('region', { name: 'State' });
const hexView = (page: Page) => panel(page).getByLabel('State as hex');
const outcome = (page: Page) => panel(page).locator('.state-outcome');

/** Type new state in the editor (hex or JSON) and press Apply. */
async function applyState(page: Page, mode: 'Hex' | 'JSON', text: string) {
  const state = panel(page);
  await state.getByRole('group', { name: 'Edit as' }).getByLabel(mode, { exact: true }).check();
  await state.getByLabel(`New state (${mode === 'Hex' ? 'hex' : 'JSON'})`).fill(text);
  await state.getByRole('button', { name: 'Apply' }).click();
}

const records = (page: Page) => page.evaluate(() => window.hotwasm.history().length);

test('shows the count\'s 8 bytes; set to 100 in hex, the next get answers 100', async ({ page }) => {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 3)).toEqual({ ok: true, value: 3 });
  await panel(page).getByRole('button', { name: 'Read state' }).click();
  await expect(hexView(page)).toContainText('00000000  03 00 00 00 00 00 00 00');
  await expect(panel(page)).toContainText(/8 bytes, (read now from|checkpoint \d+ of) v1 at /);
  // The UTF-8 view is there too; the count is not JSON, so there is no JSON view.
  await panel(page).getByRole('group', { name: 'View' }).getByLabel('UTF-8').check();
  await expect(panel(page).getByLabel('State as UTF-8 text')).toBeVisible();
  await expect(panel(page).getByRole('group', { name: 'View' }).getByLabel('JSON')).toHaveCount(0);

  await applyState(page, 'Hex', '64 00 00 00 00 00 00 00'); // 100, little-endian i64
  await expect(outcome(page)).toHaveText('Applied: 8 bytes of state given to counter v1');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 100 });
  const [record] = await page.evaluate(() => window.hotwasm.history());
  expect(record).toMatchObject({ trigger: 'inject', outcome: 'committed', from: { version: 'v1' }, to: { version: 'v1' }, stateBytes: 8 });
  // The injected state is the latest checkpoint: the panel shows it.
  await panel(page).getByRole('group', { name: 'View' }).getByLabel('Hex').check();
  await expect(hexView(page)).toContainText('00000000  64 00 00 00 00 00 00 00');
});

test('invalid JSON and odd-length hex are refused in the panel: nothing is sent', async ({ page }) => {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 2)).toEqual({ ok: true, value: 2 });
  const before = await records(page);
  await applyState(page, 'JSON', '{"count": ');
  await expect(panel(page).getByText(/^Not valid JSON: .*Nothing was sent\.$/)).toBeVisible();
  await expect(panel(page).getByLabel('New state (JSON)')).toHaveAttribute('aria-invalid', 'true');
  await applyState(page, 'Hex', '64 0');
  await expect(panel(page).getByText('3 hex digits is an odd number: each byte takes two (e.g. 0a, not a). Nothing was sent.')).toBeVisible();
  expect(await records(page)).toBe(before);
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 2 });
});

test('state given to a module without restore_state is refused, and it keeps serving untouched', async ({ page }) => {
  await openPlayground(page);
  expect((await apiLoad(page, swapFixture('save-only'), { name: 'save-only' })).ok).toBe(true);
  await expectServing(page, 'save-only');
  expect(await apiCall(page, 'increment', 5)).toEqual({ ok: true, value: 5 });
  await expect(panel(page)).toContainText('v1 has no restore_state export: state given to it is refused.');
  await panel(page).getByRole('button', { name: 'Read state' }).click();
  await expect(hexView(page)).toContainText('00000000  05 00 00 00 00 00 00 00');
  await applyState(page, 'Hex', '64 00 00 00 00 00 00 00');
  await expect(outcome(page)).toHaveText('The state given to save-only v1 was refused in its trial run (the shadow check): v1 has no restore_state export, so it cannot be given state. v1 keeps serving, untouched.');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 5 });
  await expect(statusValue(page, 'Version')).toHaveText('v1');
  const [record] = await page.evaluate(() => window.hotwasm.history('save-only'));
  expect(record).toMatchObject({ trigger: 'inject', outcome: 'refused', refusal: { code: 'no-restore-state' } });
});

test('rewinds to an earlier checkpoint chosen in the timeline, from the keyboard', async ({ page }) => {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 2)).toEqual({ ok: true, value: 2 });
  await panel(page).getByRole('button', { name: 'Read state' }).click();
  await expect(hexView(page)).toContainText('00000000  02 00');
  const seq = await page.evaluate(() => window.hotwasm.checkpoints().at(-1)!.seq);
  expect(await apiCall(page, 'increment', 5)).toEqual({ ok: true, value: 7 });
  await panel(page).getByRole('button', { name: 'Read state' }).click();
  await expect(hexView(page)).toContainText('00000000  07 00');

  const list = panel(page).getByRole('list', { name: 'Checkpoints, newest first' });
  const target = list.getByRole('button', { name: new RegExp(`^Rewind to checkpoint ${seq}: .*, 8 bytes, v1, `) });
  // One tab stop: the newest; arrows move between checkpoints.
  await list.getByRole('button').first().focus();
  await page.keyboard.press('End');
  await expect(list.getByRole('button').last()).toBeFocused();
  await page.keyboard.press('Home');
  await expect(list.getByRole('button').first()).toBeFocused();
  for (let i = 0; i < 50 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
  await expect(target).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(outcome(page)).toHaveText(new RegExp(`^Rewound counter v1 to checkpoint ${seq} of `));
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 2 });
  const [record] = await page.evaluate(() => window.hotwasm.history());
  expect(record).toMatchObject({ trigger: 'rewind', outcome: 'committed', stateBytes: 8 });
  // The picture says what happened, in words too.
  await expect(panel(page).getByRole('img', { name: /Updates, rollbacks, restarts and state size over time/ })).toBeVisible();
  await expect(panel(page).locator('figcaption')).toContainText(/1 state edit or rewind/);
});

test('a checkpoint of another version that the serving one refuses is not offered, and a rewind to it is refused, untouched', async ({ page }) => {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 4)).toEqual({ ok: true, value: 4 });
  await panel(page).getByRole('button', { name: 'Read state' }).click();
  await expect(hexView(page)).toContainText('00000000  04 00');
  const seq = await page.evaluate(() => window.hotwasm.checkpoints().at(-1)!.seq);
  // A new state format (9 bytes) cannot take the counter's: it replaces it fresh.
  expect((await apiLoad(page, swapFixture('state-v2'), { name: 'counter', fresh: true })).value).toBe('v2');
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  expect(await apiCall(page, 'increment', 6)).toEqual({ ok: true, value: 6 });

  await expect(panel(page)).toContainText('Checkpoints of v1: refused by v2: restore_state of v2 refused the 8 bytes of state given (it answered 1)');
  const v1 = panel(page).getByRole('button', { name: new RegExp(`^Rewind to checkpoint ${seq}: .*v1.*\\(refused\\)$`) });
  await expect(v1).toHaveAttribute('aria-disabled', 'true');
  const before = await records(page);
  await v1.click({ force: true }); // not offered: nothing happens
  expect(await records(page)).toBe(before);

  const rewound = await page.evaluate(async (seq) => {
    try {
      await window.hotwasm.rewind(seq);
      return 'rewound';
    } catch (error) {
      return (error as Error).message;
    }
  }, seq);
  expect(rewound).toMatch(new RegExp(`^The rewind of counter v2 to checkpoint ${seq} \\(8 bytes of v1, taken [^)]+\\) was refused in its trial run \\(the shadow check\\): restore_state of v2 refused the 8 bytes of state given \\(it answered 1\\)\\. v2 keeps serving, untouched\\.$`));
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 6 });
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  const [record] = await page.evaluate(() => window.hotwasm.history());
  expect(record).toMatchObject({ trigger: 'rewind', outcome: 'refused', refusal: { code: 'state-refused' } });
});
