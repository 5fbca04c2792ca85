import { expect, test } from '@playwright/test';
import { example, expectServing, openPlayground, pickFile, region } from './helpers';

test('a command module runs with Run and shows its exit code and output', async ({ page }) => {
  await openPlayground(page);
  await pickFile(page, example('hello.wasm'));
  await expectServing(page, 'hello');
  const call = region(page, 'Call');
  await call.getByLabel('Arguments').fill('one two');
  await call.getByRole('button', { name: 'Run' }).click();
  await expect(call.getByLabel('Result')).toContainText('Exit code: 0');
  const log = region(page, 'Console').getByRole('log', { name: 'Console output' });
  await expect(log).toContainText('hello from a WASI command');
  await expect(log).toContainText('arg[2] = two');
  await expect(log).toContainText('bye'); // printed without a trailing newline
  await expect(log.locator('[data-stream="stderr"]')).toContainText('this line goes to stderr');

  await call.getByLabel('Arguments').fill('--fail');
  await call.getByRole('button', { name: 'Run' }).click();
  await expect(call.getByLabel('Result')).toContainText('Exit code: 3');

  const run = await page.evaluate(() => window.hotwasm.run(['x']));
  expect(run).toEqual({ exitCode: 0, stdout: 'hello from a WASI command\narg[1] = x\nbye', stderr: 'this line goes to stderr\n' });
});

test("console lines say which module printed them once another module is the one worked on", async ({ page }) => {
  await openPlayground(page);
  await pickFile(page, example('hello.wasm'));
  await expectServing(page, 'hello');
  const call = region(page, 'Call');
  await call.getByRole('button', { name: 'Run' }).click();
  await expect(call.getByLabel('Result')).toContainText('Exit code: 0');
  const log = region(page, 'Console').getByRole('log', { name: 'Console output' });
  const line = log.locator('.console-line', { hasText: 'hello from a WASI command' });
  // Output of the module being worked on needs no name.
  await expect(line).toHaveText(/^hello from a WASI command/);
  await region(page, 'Module').getByLabel('Active module').selectOption('counter');
  await expect(region(page, 'Status')).toContainText('counter');
  // Now it is another module's output, and says whose.
  await expect(line).toHaveText(/^hello\s*hello from a WASI command/);
});
