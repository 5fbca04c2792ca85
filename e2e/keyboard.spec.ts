import { expect, type Page, test } from '@playwright/test';
import { openPlayground, region } from './helpers';

/** The accessible name of the focused element, roughly as a screen reader would say it. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const label = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ?? el.closest('label')?.textContent;
    return (label ?? el.textContent ?? '').trim();
  });
}

/** Press `key` (Tab or Shift+Tab) until the element named `name` has focus, as a keyboard user would. */
async function tabTo(page: Page, name: string, key = 'Tab', max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await focusedName(page)) === name) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached "${name}" (focus is on "${await focusedName(page)}")`);
}

async function chooseWithArrows(page: Page, select: ReturnType<Page['getByLabel']>, value: string, key: 'ArrowDown' | 'ArrowUp') {
  for (let i = 0; i < 20 && (await select.inputValue()) !== value; i++) await page.keyboard.press(key);
  await expect(select).toHaveValue(value);
}

test('the Call panel works from the keyboard alone', async ({ page }) => {
  await openPlayground(page);
  const call = region(page, 'Call');
  const fn = call.getByLabel('Function');
  await expect(call.locator('.monaco-editor')).toBeVisible();

  // Tab to the function list, pick "get", type the argument, Ctrl+Enter.
  await tabTo(page, 'Function');
  await chooseWithArrows(page, fn, 'get', 'ArrowDown');
  await tabTo(page, 'Argument (JSON)');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText('null');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(call.getByLabel('Result')).toHaveText('0');

  // Back out of the editor with Shift+Tab (it must not trap focus), pick "increment".
  await tabTo(page, 'Function', 'Shift+Tab');
  await chooseWithArrows(page, fn, 'increment', 'ArrowUp');
  await tabTo(page, 'Argument (JSON)');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText('7');
  // Tab leaves the editor and reaches the Call button; Enter presses it.
  await tabTo(page, 'Call');
  await page.keyboard.press('Enter');
  await expect(call.getByLabel('Result')).toHaveText('7');
});
