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

test('Run splits its arguments as a shell would: quotes group words, an open quote is refused in the form', async ({ page }) => {
  await openPlayground(page);
  await pickFile(page, example('hello.wasm'));
  await expectServing(page, 'hello');
  const call = region(page, 'Call');
  const args = call.getByRole('textbox', { name: 'Arguments' });
  await expect(args).toHaveAccessibleDescription(/split as a shell would: quotes group words/i);
  const log = region(page, 'Console').getByRole('log', { name: 'Console output' });

  await args.fill('a b "c d"');
  await call.getByRole('button', { name: 'Run' }).click();
  await expect(call.getByLabel('Result')).toHaveText('Exit code: 0');
  await expect(log).toContainText('arg[3] = c d');
  await expect(log).toContainText('arg[2] = b');
  await expect(log).not.toContainText('arg[4]');

  // An unterminated quote: said under the field, and nothing is run.
  await args.fill('a "b');
  await args.press('Enter');
  await expect(args).toHaveAttribute('aria-invalid', 'true');
  await expect(args).toHaveAccessibleDescription(/The double quote \("\) at character 3 is never closed/);
  await expect(call.getByText('The double quote (") at character 3 is never closed: close it, or write \\" for a quote itself.')).toBeVisible();

  // Closing the quote clears the error, and Run goes: its output is the second run's, so the
  // refused one was never sent (runs answer in order: its output would have come first).
  await args.fill('x "y z"');
  await expect(args).not.toHaveAttribute('aria-invalid', 'true');
  await args.press('Enter');
  await expect(log).toContainText('arg[2] = y z');
  const runs = (await log.textContent())!.split('hello from a WASI command').length - 1;
  expect(runs).toBe(2);
});
