/**
 * The Source panel in real Chromium: the counter's WAT in Monaco, compiled by wabt in a worker as
 * the user types, and hot-swapped in with its state; every kind of bad edit refused with a clear
 * message, the serving version untouched.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { apiCall, openPlayground, root, statusValue } from './helpers';

const COUNTER_WAT = readFileSync(`${root}/examples/counter-wat/counter.wat`, 'utf8');
const ADD = '(global.set $count (i64.add (global.get $count) (local.get $amount)))';
const ADD_TWICE = '(global.set $count (i64.add (global.get $count) (i64.mul (local.get $amount) (i64.const 2))))';

const source = (page: Page) => page.getByRole('region', { name: 'Source' });
const editor = (page: Page) => source(page).getByRole('textbox', { name: 'WebAssembly text of counter' });
const build = (page: Page) => source(page).getByRole('status', { name: 'Build' });

/** The playground with the counter at `count`, its source open in the editor. */
async function counterWithSource(page: Page, count = 5): Promise<void> {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', count)).toEqual({ ok: true, value: count });
  await expect(source(page).locator('.monaco-editor')).toBeVisible();
  await expect(source(page).locator('.view-lines')).toContainText('api_version');
}

/**
 * Replace the editor's whole text with a paste, as a user does (typing thousands of characters,
 * or keyboard.insertText of them, is one edit per character for Monaco's EditContext input).
 */
async function paste(page: Page, text: string): Promise<void> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await editor(page).focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
}

test('the counter opens as its own source; an edit to increment serves a moment later with the count kept', async ({ page }) => {
  await counterWithSource(page, 5);
  await paste(page, COUNTER_WAT.replace(ADD, ADD_TWICE));
  await expect(build(page)).toContainText(/counter v2 serves this text \(compiled in [\d.]+ ms, swapped in [\d.]+ ms\)/);
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 5 });
  expect(await apiCall(page, 'increment', 1)).toEqual({ ok: true, value: 7 });
  const [record] = await page.evaluate(() => window.hotwasm.history());
  expect(record).toMatchObject({ trigger: 'editor', outcome: 'committed', from: { version: 'v1' }, to: { version: 'v2' }, stateBytes: 8 });
});

/** The first lines of the editor's text, as it shows them once the editor is scrolled to the top. */
async function topLines(page: Page) {
  await editor(page).focus();
  await page.keyboard.press('ControlOrMeta+Home');
  return source(page).locator('.view-lines');
}

test('Ctrl+Enter applies at once with compile as you type off; rolling back brings back the text of each version', async ({ page }) => {
  await counterWithSource(page, 3);
  await source(page).getByRole('checkbox', { name: 'Compile as you type' }).uncheck();
  await paste(page, COUNTER_WAT.replace('"1.0.0"', '"1.1.0"').replace(ADD, ADD_TWICE));
  // Nothing is built while compile as you type is off…
  await expect(build(page)).toHaveText('');
  await expect(statusValue(page, 'Version')).toHaveText('v1');
  // …until Ctrl+Enter.
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  expect(await apiCall(page, 'increment', 1)).toEqual({ ok: true, value: 5 });
  // A rollback opens the text of the version it brings back: the example's, then the edited one.
  await page.evaluate(() => window.hotwasm.rollback('v1'));
  await expect(statusValue(page, 'Version')).toHaveText('v1');
  await expect(await topLines(page)).toContainText('"1.0.0"');
  await page.evaluate(() => window.hotwasm.rollback('v2'));
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  await expect(await topLines(page)).toContainText('"1.1.0"');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 5 });
  expect(await page.evaluate(() => window.hotwasm.module('counter').sourceText('v2'))).toContain('i64.mul');
});

for (const [what, edit, message, marker] of [
  ['WAT that does not parse', (t: string) => t.replace(ADD, '(global.set $count (i64.add'), /Not compiled: .*counter\.wat:\d+:\d+: error/, /unexpected token/],
  ['WAT that parses but does not validate', (t: string) => t.replace(ADD, '(global.set $count (i32.const 1))'), /Not compiled: .*type mismatch/, /type mismatch/],
  ['an import that is not WASI', (t: string) => t.replace('(memory (export "memory") 1)', '(import "env" "clock" (func))\n  (memory (export "memory") 1)'), /not swapped in: The new build of counter was refused while loading: .*env\.clock/, /env\.clock/],
  ['an api_version major change', (t: string) => t.replace('"api_version" "1.0.0"', '"api_version" "2.0.0"'), /not swapped in: counter v\d+ was refused at the API version check: API version 2\.0\.0 is not compatible/, /2\.0\.0/],
  ['a restore_state that refuses the state', (t: string) => t.replace('(global.set $count (i64.load (local.get $ptr)))\n    (i32.const 0))', '(i32.const 1))'), /not swapped in: counter v\d+ was refused in its trial run \(the shadow check\): restore_state/, /restore_state/],
  ['an edit that removes save_state', (t: string) => t.replace('(export "save_state")', ''), /not swapped in: this text no longer exports save_state/, /no longer exports save_state/],
] as const) {
  test(`${what} is refused with a clear message; the serving version is untouched`, async ({ page }) => {
    await counterWithSource(page, 4);
    await paste(page, edit(COUNTER_WAT));
    await expect(build(page)).toContainText(message);
    await expect(build(page)).toContainText('The version serving is unchanged.');
    // F8 goes to the problem, marked where it is, with its message beside it.
    await page.keyboard.press('F8');
    await expect(source(page).locator('.squiggly-error').first()).toBeVisible();
    await expect(source(page).locator('.marker-widget')).toContainText(marker);
    await expect(statusValue(page, 'Version')).toHaveText('v1');
    expect(await apiCall(page, 'increment', 1)).toEqual({ ok: true, value: 5 });
  });
}

test('50 edits typed quickly with no delay: one build at a time, the last text serves', async ({ page }) => {
  await counterWithSource(page, 2);
  await source(page).getByLabel('Delay (ms)').fill('0');
  await paste(page, COUNTER_WAT.trimEnd().replace(/\)$/, '  (data (i32.const 4096) ""))'));
  await expect(statusValue(page, 'Version')).toHaveText('v2');
  // The cursor is at the end, after '""))': step back between the quotes and type 50 letters,
  // each an edit that builds other bytes.
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  const letters = 'abcdefghijklmnopqrstuvwxy'.repeat(2);
  await page.keyboard.type(letters);
  await expect.poll(() => page.evaluate(() => window.hotwasm.module('counter').sourceText())).toContain(`"${letters}"`);
  await expect(build(page)).toContainText(/serves this text/);
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 2 });
  const records = await page.evaluate(() => window.hotwasm.history().filter((r) => r.trigger === 'editor'));
  // Each build waited for the one before it, and edits made meanwhile were built as one.
  expect(records.length).toBeLessThan(50);
  expect(records.filter((r) => r.outcome !== 'committed')).toEqual([]);
});

test('a 5 MiB module opens with a notice, not its text; the page stays usable', async ({ page }) => {
  const { counterOfSize } = await import('../bench/gen-module.mjs');
  const big = await counterOfSize(5 * 1024 * 1024, 'source');
  await page.route('**/big.wasm', (route) => route.fulfill({ body: big, contentType: 'application/wasm' }));
  await openPlayground(page);
  await page.evaluate(() => window.hotwasm.load('big.wasm', { name: 'big' }));
  await expect(source(page).getByRole('note')).toContainText(/big is [\d.]+ MiB: .*too large to edit comfortably/);
  expect(await page.evaluate(() => window.hotwasm.call('increment', 2))).toBe(2);
});
