/** Every notice belongs to a moment: a newer one of the same story replaces it, and none is left beside an outcome it is not. */
import { expect, test } from '@playwright/test';
import { alert, example, expectServing, fixture, openPlayground, pickFile, dropFile } from './helpers';

test('a refusal replaces the "Loaded" notice before it, and the next good load ends that refusal', async ({ page }) => {
  await openPlayground(page);
  await pickFile(page, example('hello.wasm'));
  await expectServing(page, 'hello');
  const info = page.getByRole('status', { name: 'Notice' });
  await expect(info).toContainText('Loaded hello.wasm');
  await dropFile(page, fixture('logo.wasm'));
  await expect(alert(page)).toContainText('logo.wasm is not a WebAssembly module');
  // "Loaded hello.wasm" is not what came of the drop: it is gone.
  await expect(info).not.toContainText('Loaded hello.wasm');
  // The user goes on to another file: the refusal of logo.wasm is over.
  await pickFile(page, example('counter-c.wasm'));
  await expectServing(page, 'counter-c');
  await expect(info).toContainText('Loaded counter-c.wasm');
  await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveCount(0);
});

test('Copy sha256 copies it and says "Copied" beside the button while it has the focus, then not', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openPlayground(page);
  const module = page.getByRole('region', { name: 'Module' });
  await module.getByRole('button', { name: 'Copy sha256' }).click();
  await expect(module.getByText('✓ Copied')).toBeVisible();
  const sha = await page.evaluate(() => window.hotwasm.status().sha256);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(sha);
  await expect(page.getByRole('status', { name: 'Notice' })).toContainText('Copied the sha256 to the clipboard');
  // It stays while the button has the focus, and goes a moment after it leaves.
  await expect(module.getByRole('button', { name: 'Copy sha256' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(module.getByText('✓ Copied')).toBeHidden();
});
