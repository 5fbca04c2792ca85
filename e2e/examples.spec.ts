/** The examples menu in the header: every bundled guest a click away, from the keyboard too. */
import { expect, test } from '@playwright/test';
import { alert, apiCall, expectServing, openPlayground, region, statusValue } from './helpers';

test('the examples menu loads a counter in another language, and Escape closes it', async ({ page }) => {
  await openPlayground(page);
  const button = page.getByRole('button', { name: 'Examples' });
  const menu = page.getByRole('dialog', { name: 'Examples' });
  await button.click();
  await expect(menu).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  // From the keyboard: open, Tab into the menu, choose.
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toBeVisible();
  await menu.getByRole('button', { name: /Counter in Rust/ }).focus();
  await page.keyboard.press('Enter');
  await expect(menu).toBeHidden();
  await expectServing(page, 'counter-rust');
  expect(await apiCall(page, 'increment', 2)).toEqual({ ok: true, value: 2 });
});

test('the unhealthy counter example is refused as an update of the counter, which keeps serving with its count', async ({ page }) => {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 5)).toEqual({ ok: true, value: 5 });
  await page.getByRole('button', { name: 'Examples' }).click();
  await page.getByRole('dialog', { name: 'Examples' }).getByRole('button', { name: /An unhealthy counter build/ }).click();
  await expect(alert(page)).toContainText('health_check');
  await expect(statusValue(page, 'Version')).toHaveText('v1');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 5 });
  await expect(region(page, 'History').getByRole('listitem').filter({ hasText: 'refused' }).first()).toBeVisible();
});
