/** The Module panel's callable exports are buttons: each chooses its function in the Call panel, ready for an argument. */
import { expect, test } from '@playwright/test';
import { expectServing, fixture, openPlayground, pickFile, region } from './helpers';

test('clicking an export chooses it in the Call panel with a fitting argument and the focus on the argument', async ({ page }) => {
  await openPlayground(page);
  const call = region(page, 'Call');
  const exportsTable = region(page, 'Module').getByRole('table', { name: 'Exports' });
  const argument = call.getByRole('textbox', { name: 'Argument (JSON)' });
  await expect(call.locator('.monaco-editor')).toBeVisible();
  await expect(call.getByLabel('Function')).toHaveValue('increment');

  await exportsTable.getByRole('button', { name: 'process' }).click();
  await expect(call.getByLabel('Function')).toHaveValue('process');
  await expect(argument).toBeFocused();
  await expect(call.locator('.monaco-editor .view-lines')).toHaveText('null');
  // The keys go straight to the argument.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('"from the table"');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(call.getByLabel('Result')).toContainText('"input": "from the table"');
  // Only functions are buttons: the memory is not.
  await expect(exportsTable.getByRole('row', { name: /memory/ }).getByRole('button')).toHaveCount(0);
});

test('Enter on a raw export chooses it in raw mode, with zeros of its parameter types', async ({ page }) => {
  await openPlayground(page);
  await pickFile(page, fixture('bad-calls.wasm'));
  await expectServing(page, 'bad-calls');
  const call = region(page, 'Call');
  const exportsTable = region(page, 'Module').getByRole('table', { name: 'Exports' });
  await expect(call.locator('.monaco-editor')).toBeVisible();

  await exportsTable.getByRole('button', { name: 'add64' }).focus();
  await page.keyboard.press('Enter');
  await expect(call.getByLabel('Function')).toHaveValue('add64');
  await expect(call.getByLabel('Raw call')).toBeChecked();
  await expect(call.locator('.monaco-editor .view-lines')).toHaveText('[0, 0]');
  await expect(call.getByRole('textbox', { name: 'Argument (JSON)' })).toBeFocused();
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(call.getByLabel('Result')).toHaveText('0');
  // A global is not a function: no button.
  await expect(exportsTable.getByRole('row', { name: /counter_global/ }).getByRole('button')).toHaveCount(0);
});
