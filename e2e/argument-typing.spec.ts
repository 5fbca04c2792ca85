/**
 * The argument editor keeps every key typed, in order: at 10 ms a key, under main-thread stalls,
 * right after another function is chosen, and while Monaco loads and takes over from the plain
 * editor. Each test checks the argument the guest received (the counter's `process` answers
 * `{ input: <its argument>, bytes: <its length in UTF-8> }`), not only the text shown.
 */
import { expect, type Page, test } from '@playwright/test';
import { openPlayground, region } from './helpers';

const editor = (page: Page) => region(page, 'Call').getByRole('textbox', { name: 'Argument (JSON)' });

/** Block the page's main thread for `ms`, `after` ms from now (a long task, as a slow render or GC would be). */
async function stallSoon(page: Page, after: number, ms = 250): Promise<void> {
  await page.evaluate(
    ({ after, ms }) =>
      void setTimeout(() => {
        const t = performance.now();
        while (performance.now() - t < ms);
      }, after),
    { after, ms },
  );
}

/** Press Call and read back what `process` received: the JSON text of its argument and its byte count. */
async function callProcess(page: Page): Promise<{ input: unknown; bytes: number }> {
  const call = region(page, 'Call');
  await call.getByRole('button', { name: 'Call', exact: true }).click();
  const result = call.getByLabel('Result');
  await expect(result).toContainText('"bytes"');
  return JSON.parse((await result.textContent()) ?? '') as { input: unknown; bytes: number };
}

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

test('keys typed at 10 ms each while the main thread stalls all reach the call, in order', async ({ page }) => {
  await openPlayground(page);
  const call = region(page, 'Call');
  await call.getByLabel('Function').selectOption('process');
  await expect(call.locator('.monaco-editor')).toBeVisible();
  await editor(page).focus();
  await page.keyboard.press('ControlOrMeta+A');
  const words = 'the quick brown fox jumps over the lazy dog 0123456789 again and again';
  // Two stalls while the keys arrive: every key typed meanwhile waits, then they come at once.
  await stallSoon(page, 30);
  await stallSoon(page, 400);
  await page.keyboard.type(`"${words}"`, { delay: 10 });
  const received = await callProcess(page);
  expect(received).toEqual({ input: words, bytes: utf8Length(JSON.stringify(words)) });
});

test('keys typed right after another function is chosen go to that function, none lost', async ({ page }) => {
  await openPlayground(page);
  const call = region(page, 'Call');
  await expect(call.locator('.monaco-editor')).toBeVisible();
  await expect(call.getByLabel('Function')).toHaveValue('increment');
  await editor(page).focus();
  // Choose `process` while the editor keeps the focus, stall the page, and type at once.
  await page.evaluate(() => {
    const select = document.querySelector<HTMLSelectElement>('[aria-label="Call"] select');
    if (!select) throw new Error('no Function select');
    select.value = 'process';
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await stallSoon(page, 0);
  await page.keyboard.press('ControlOrMeta+A');
  const text = 'abcdefghijklmnopqrstuvwxyz';
  await page.keyboard.type(`"${text}"`, { delay: 10 });
  await expect(call.getByLabel('Function')).toHaveValue('process');
  expect(await callProcess(page)).toEqual({ input: text, bytes: text.length + 2 });
});

test('keys typed into the plain editor before Monaco arrives survive its arrival, with the caret and the focus', async ({ page }) => {
  // Hold Monaco back until the test lets it go, so that the plain editor is surely there first
  // and Monaco surely takes over while keys are still coming.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/MonacoArgumentEditor-[^/]*\.js$/, async (route) => {
    await released;
    await route.continue();
  });
  await openPlayground(page);
  const call = region(page, 'Call');
  await call.getByLabel('Function').selectOption('process');
  const plain = call.locator('textarea.plain-editor');
  await expect(plain).toBeVisible();
  await plain.focus();
  await page.keyboard.press('ControlOrMeta+A');
  let typed = '"before monaco ';
  await page.keyboard.type(typed, { delay: 10 });
  await expect(plain).toHaveValue(typed);

  // Let Monaco come, and keep typing, a key at a time, until it has taken over.
  release();
  const monaco = call.locator('.monaco-editor');
  const filler = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; !(await monaco.isVisible()); i++) {
    if (i >= 2000) throw new Error('Monaco never took over from the plain editor');
    const key = filler[i % filler.length]!;
    await page.keyboard.type(key, { delay: 10 });
    typed += key;
  }
  // The focus stayed in the editor, and the caret where it was: these keys land at the end.
  await expect(editor(page)).toBeFocused();
  const after = ' after monaco';
  await page.keyboard.type(after, { delay: 10 });
  typed += after;
  await page.keyboard.press('End');
  await page.keyboard.type('"', { delay: 10 });
  const words = typed.slice(1);
  expect(await callProcess(page)).toEqual({ input: words, bytes: utf8Length(JSON.stringify(words)) });
});
