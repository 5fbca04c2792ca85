import { expect, test } from '@playwright/test';
import { callThroughPanel, fixture, expectServing, openPlayground, pickFile, region, setArgument } from './helpers';

test('JSON calls through the Call panel, with multi-byte UTF-8', async ({ page }) => {
  await openPlayground(page);
  const result = await callThroughPanel(page, 'process', '"héllo"');
  await expect(result).toContainText('"bytes": 8');
  await expect(result).toContainText('héllo');
  await expect(region(page, 'Call')).toContainText(/in \d+(\.\d+)? ms/);
});

test('raw calls on numeric exports, with i64 as BigInt', async ({ page }) => {
  await openPlayground(page);
  await pickFile(page, fixture('bad-calls.wasm'));
  await expectServing(page, 'bad-calls');
  const call = region(page, 'Call');
  await call.getByLabel('Function').selectOption('add64');
  await expect(call.getByLabel('Raw call')).toBeChecked();
  await setArgument(page, '[9007199254740993, 1]');
  await call.getByRole('button', { name: 'Call', exact: true }).click();
  // Plain digits in the panel (the console API still answers a bigint).
  await expect(call.getByLabel('Result')).toHaveText('9007199254740994');

  const results = await page.evaluate(async () => ({
    add: await window.hotwasm.callRaw('add', 2, 3),
    pair: await window.hotwasm.callRaw('pair'),
    mul: await window.hotwasm.callRaw('mul', 1.5, 4),
  }));
  expect(results).toEqual({ add: 5, pair: [1, 2], mul: 6 });
});

test('guest stdout and stderr stream to the Console, last line without newline included', async ({ page }) => {
  await openPlayground(page);
  await pickFile(page, fixture('bad-calls.wasm'));
  await expectServing(page, 'bad-calls');
  await callThroughPanel(page, 'print', 'null');
  const log = region(page, 'Console').getByRole('log', { name: 'Console output' });
  await expect(log).toContainText('line one');
  await expect(log).toContainText('line two');
  await expect(log.getByText('warn: from stderr')).toBeVisible();
  // stderr is marked as such.
  await expect(log.locator('[data-stream="stderr"]')).toContainText('warn: from stderr');
});

test('repeated console lines collapse with a count, and Clear empties the console', async ({ page }) => {
  await openPlayground(page);
  await page.evaluate(async () => {
    for (let i = 0; i < 3; i++) await window.hotwasm.call('process', 'abc');
  });
  const console = region(page, 'Console');
  const log = console.getByRole('log', { name: 'Console output' });
  await expect(log.getByText('processed 5 bytes')).toHaveCount(1);
  await expect(log).toContainText('×3');
  await console.getByRole('button', { name: 'Clear console' }).click();
  await expect(log).not.toContainText('processed');
});
