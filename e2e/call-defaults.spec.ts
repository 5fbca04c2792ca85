/** The Call panel's argument starts from one that fits the chosen function: zeros of its parameter types for raw calls. */
import { expect, type Page, test } from '@playwright/test';
import { expectServing, fixture, openPlayground, pickFile, region, setArgument } from './helpers';

/** The text Monaco shows (its lines, with the non-breaking spaces it draws turned back into spaces). */
const shownArgument = (page: Page) => region(page, 'Call').locator('.monaco-editor .view-lines');

async function callAndExpect(page: Page, result: string | RegExp): Promise<void> {
  const call = region(page, 'Call');
  await call.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(call.getByLabel('Result')).toHaveText(result);
}

test('raw calls start from zeros of their parameter types, JSON calls from null, and a function brings back what was written for it', async ({ page }) => {
  await openPlayground(page);
  await pickFile(page, fixture('bad-calls.wasm'));
  await expectServing(page, 'bad-calls');
  const call = region(page, 'Call');
  const fn = call.getByLabel('Function');
  await expect(call.locator('.monaco-editor')).toBeVisible();

  // alloc (i32) -> i32: raw, from [0], which calls (no "takes 1 argument, got 0").
  await fn.selectOption('alloc');
  await expect(call.getByLabel('Raw call')).toBeChecked();
  await expect(shownArgument(page)).toHaveText('[0]');
  await callAndExpect(page, /^\d+$/);

  // (i64, i64): integers, which reach the guest as BigInts; (f64, f64): floats.
  await fn.selectOption('add64');
  await expect(shownArgument(page)).toHaveText('[0, 0]');
  await callAndExpect(page, '0');
  await fn.selectOption('mul');
  await expect(shownArgument(page)).toHaveText('[0.0, 0.0]');
  await callAndExpect(page, '0');

  // What the user wrote for add64 comes back with it; mul kept its own default.
  await fn.selectOption('add64');
  await setArgument(page, '[2, 3]');
  await fn.selectOption('mul');
  await expect(shownArgument(page)).toHaveText('[0.0, 0.0]');
  await fn.selectOption('add64');
  await expect(shownArgument(page)).toHaveText('[2, 3]');
  await callAndExpect(page, '5');

  // A JSON function starts from null; turning raw on gives it zeros for its (ptr, len) parameters.
  await fn.selectOption('echo');
  await expect(call.getByLabel('Raw call')).not.toBeChecked();
  await expect(shownArgument(page)).toHaveText('null');
  await call.getByLabel('Raw call').check();
  await expect(shownArgument(page)).toHaveText('[0, 0]');
  await call.getByLabel('Raw call').uncheck();
  await expect(shownArgument(page)).toHaveText('null');
  await callAndExpect(page, 'null');
});
