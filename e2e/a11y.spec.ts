/**
 * axe-core over the whole playground, every panel showing something, in light and dark mode, at
 * 1280 and 400 px, and with the Settings dialog open: no violations.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { alert, apiCall, dropFile, fixture, openPlayground, region } from './helpers';

/** Violations as short lines (rule, impact, where), so a failure says what to fix. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} — ${n.target.join(' ')}${process.env.AXE_DEBUG ? ` :: ${n.failureSummary?.replace(/\s+/g, ' ')} :: ${n.html.slice(0, 120)}` : ''}`));
}

/** Every panel with content: both editors loaded, a result, console output, state read, a history record, an error notice. */
async function fillPanels(page: Page) {
  await openPlayground(page);
  await expect(region(page, 'Source').locator('.monaco-editor')).toBeVisible();
  await expect(region(page, 'Call').locator('[data-editor="monaco"] .monaco-editor')).toBeVisible();
  expect(await apiCall(page, 'process', { hello: 'axe' })).toMatchObject({ ok: true });
  await region(page, 'Call').getByRole('button', { name: 'Call' }).click();
  await expect(region(page, 'Call').getByLabel('Result')).not.toBeEmpty();
  await expect(region(page, 'Console').getByRole('log', { name: 'Console output' })).toContainText('processed');
  await region(page, 'State').getByRole('button', { name: 'Read state' }).click();
  await expect(region(page, 'State')).toContainText('8 bytes');
  // And an error shown: a refused file.
  await dropFile(page, fixture('logo.wasm'));
  await expect(alert(page)).toContainText('logo.wasm is not a WebAssembly module');
}

for (const colorScheme of ['light', 'dark'] as const) {
  for (const width of [1280, 400]) {
    test(`no axe violations, ${colorScheme} mode, ${width} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height: 800 });
      await fillPanels(page);
      expect(await violations(page)).toEqual([]);
    });
  }
}

test('no axe violations with the Settings dialog open', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('no axe violations with the examples menu open', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'Examples' }).click();
  await expect(page.getByRole('dialog', { name: 'Examples' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
});
