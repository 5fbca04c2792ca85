/**
 * A result belongs to a module, a version and a moment: the Call panel says which answered and
 * when, with the engine's own measure of the call, and drops it when another module is active.
 */
import { expect, test } from '@playwright/test';
import { apiLoad, callThroughPanel, example, expectServing, openPlayground, pickFile, region, setArgument, swapFixture } from './helpers';

const TIME = /\d{1,2}:\d{2}:\d{2}/;

test('a result says which module and version answered, when, and how long the call took in the worker and round trip', async ({ page }) => {
  await openPlayground(page);
  const call = region(page, 'Call');
  const result = call.getByLabel('Result');
  // Nothing called yet: a hint, and no one has answered.
  await expect(result).toHaveText('Call a function to see its answer here.');
  await expect(result).toHaveAccessibleDescription('');

  await callThroughPanel(page, 'increment', '2');
  await expect(result).toHaveText('2');
  await expect(result).toHaveAccessibleDescription(/^counter v1 answered at .+ · in \d+\.\d+ ms \(round trip \d+(\.\d+)? ms\)$/);
  const description = (await result.getAttribute('aria-describedby'))!;
  const shown = (await page.locator(`[id="${description}"]`).textContent())!;
  expect(shown).toMatch(TIME);
  const [guest, roundTrip] = [...shown.matchAll(/(\d+(?:\.\d+)?) ms/g)].map((m) => Number(m[1]));
  expect(guest).toBeLessThanOrEqual(roundTrip!);

  // After a hot swap the answer shown is still v1's; the next call is v2's.
  expect(await apiLoad(page, swapFixture('counter-b'), { name: 'counter' })).toEqual({ ok: true, value: 'v2' });
  await expect(result).toHaveAccessibleDescription(/^counter v1 answered at/);
  await call.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(result).toHaveText('4');
  await expect(result).toHaveAccessibleDescription(/^counter v2 answered at/);
  // A failure says so (a raw call one argument short).
  await call.getByLabel('Raw call').check();
  await setArgument(page, '[1]');
  await call.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(result).toHaveClass(/result-error/);
  await expect(result).toHaveAccessibleDescription(/^counter v2 failed at/);
});

test('another active module starts with an empty Result: no answer, and no exit code, of the one before', async ({ page }) => {
  await openPlayground(page);
  const call = region(page, 'Call');
  const result = call.getByLabel('Result');
  await callThroughPanel(page, 'process', '"left over"');
  await expect(result).toContainText('left over');

  await pickFile(page, example('hello.wasm'));
  await expectServing(page, 'hello');
  await expect(result).toHaveText('Call a function to see its answer here.');
  await expect(result).toHaveAccessibleDescription('');
  await call.getByRole('button', { name: 'Run' }).click();
  await expect(result).toHaveText('Exit code: 0');
  // A run says when it exited and how long it took, from asking to its exit.
  await expect(result).toHaveAccessibleDescription(/^hello v1 exited at .+ · ran \d+(\.\d+)? ms$/);

  await region(page, 'Module').getByLabel('Active module').selectOption('counter');
  await expectServing(page, 'counter');
  await expect(result).toHaveText('Call a function to see its answer here.');
  await expect(result).toHaveAccessibleDescription('');
});
