/** Share links: Copy link in the Call panel makes a URL that reopens the same module and call. */
import { expect, type Page, test } from '@playwright/test';
import { alert, dropFile, expectServing, openPlayground, region, setArgument, statusValue, swapFixture } from './helpers';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

async function copyLink(page: Page): Promise<string> {
  await region(page, 'Call').getByRole('button', { name: 'Copy link' }).click();
  await expect(region(page, 'Call').getByText('✓ Copied')).toBeVisible();
  return page.evaluate(() => navigator.clipboard.readText());
}

test('a link to a module loaded from a URL names it, with the function and argument; opened, it calls the same', async ({ page, context }) => {
  await openPlayground(page);
  const call = region(page, 'Call');
  await call.getByLabel('Function').selectOption('increment');
  await setArgument(page, '5');
  const link = await copyLink(page);
  expect(new URL(link).search).toBe('?module=examples%2Fcounter.wasm&fn=increment&arg=5');

  const other = await context.newPage();
  await other.goto(link);
  await expectServing(other, 'counter');
  const otherCall = region(other, 'Call');
  await expect(otherCall.getByLabel('Function')).toHaveValue('increment');
  // The argument came too: increment(5), not increment's default (null: add 1).
  await otherCall.getByRole('button', { name: 'Call' }).click();
  await expect(otherCall.getByLabel('Result')).toHaveText('5');
});

test('a link to a module from a file carries its text; opened elsewhere, the same module serves with that text', async ({ page, browser }) => {
  await openPlayground(page);
  await dropFile(page, swapFixture('counter-b'), 'counter.wasm');
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  const link = await copyLink(page);
  const params = new URL(link).searchParams;
  expect(params.get('name')).toBe('counter');
  expect(params.get('wat')).toMatch(/^[\w-]+$/);
  expect(params.has('module')).toBe(false);

  const elsewhere = await browser.newContext(); // nothing kept from this page
  try {
    const other = await elsewhere.newPage();
    await other.goto(link);
    await expectServing(other, 'counter');
    // Built from the link's text, which is kept with the version (the Source panel opens it).
    await expect(region(other, 'Source').getByRole('textbox', { name: 'WebAssembly text of counter' })).toBeAttached();
    expect(await other.evaluate(() => window.hotwasm.module('counter').sourceText())).toMatch(/^\(module/);
    // The same exports as the dropped build, and its behaviour.
    const exports = (p: Page) => p.evaluate(() => window.hotwasm.status() && window.hotwasm.module('counter').info()!.exports.map((e) => e.name).sort());
    expect(await exports(other)).toEqual(await exports(page));
    const get = (p: Page) => p.evaluate(async () => [await window.hotwasm.call('increment', 2), await window.hotwasm.call('get')]);
    expect(await get(other)).toEqual([2, 2]);
  } finally {
    await elsewhere.close();
  }
});

test('a cut link says so, and the page still opens', async ({ page }) => {
  await page.goto('./?wat=not*base64&fn=get');
  await expect(alert(page)).toContainText("The link's WebAssembly text could not be read");
  await expect(page.getByRole('region', { name: 'Call' })).toBeVisible();
});
