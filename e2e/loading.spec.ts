import { expect, test } from '@playwright/test';
import { apiCall, callThroughPanel, dropFile, example, expectServing, openPlayground, pickFile, region, statusValue } from './helpers';

test('a file picked with "Load module" is loaded, shown and callable', async ({ page }) => {
  await openPlayground(page);
  await pickFile(page, example('counter-c.wasm'));
  await expectServing(page, 'counter-c');
  await expect(region(page, 'Module')).toContainText('counter-c');
  const result = await callThroughPanel(page, 'increment', '3');
  await expect(result).toHaveText('3');
});

test('a file dropped anywhere on the window is loaded', async ({ page }) => {
  await openPlayground(page);
  await dropFile(page, example('counter-rust.wasm'));
  await expectServing(page, 'counter-rust');
  expect(await apiCall(page, 'process', 'ü')).toEqual({ ok: true, value: { input: 'ü', bytes: 4 } });
});

test('?module=<url> opens with that module', async ({ page }) => {
  await openPlayground(page, '?module=examples/counter-as.wasm');
  await expectServing(page, 'counter-as');
  expect(await apiCall(page, 'increment', 2)).toEqual({ ok: true, value: 2 });
});

test('a URL typed in the Module URL field is loaded', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Module URL').fill('examples/counter-c.wasm');
  await page.getByRole('button', { name: 'Load URL' }).click();
  await expectServing(page, 'counter-c');
});

test('loading a new build under a running name replaces it; loading another name keeps both', async ({ page }) => {
  await openPlayground(page);
  const names = await page.evaluate(async () => {
    const bytes = new Uint8Array(await (await fetch('examples/counter-c.wasm')).arrayBuffer());
    await window.hotwasm.load(bytes, { name: 'counter', version: 'c-build' });
    const a = window.hotwasm.status();
    await window.hotwasm.load('examples/counter-rust.wasm');
    return { a, modules: window.hotwasm.status().modules };
  });
  expect(names.a).toMatchObject({ name: 'counter', version: 'c-build' });
  expect(names.modules.sort()).toEqual(['counter', 'counter-rust']);
  await expect(statusValue(page, 'Module')).toHaveText('counter-rust');
});
