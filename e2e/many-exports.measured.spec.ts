/**
 * A module with 100,000 exports: the Call panel's function picker and the Module panel's tables
 * stay responsive (no main-thread task over 150 ms of CPU; the aim is 100) and usable, by keyboard
 * included. Measured in the "measured" project, alone on the machine once the other tests are done.
 */
import { expect, test } from '@playwright/test';
import { editorSettled, expectServing, longestMainThreadTask, openPlayground, region, setArgument } from './helpers';

const EXPORTS = 100_000;
const nameOf = (i: number) => `fn_${String(i).padStart(5, '0')}`;

/**
 * A module written byte by byte: memory, alloc, and EXPORTS exports named fn_00000, fn_00001, …
 * — the even ones a JSON echo, the odd ones a raw add — all of three function bodies, so it
 * compiles in no time and the test measures the page, not the engine.
 */
function manyExportsModule(count: number): Buffer {
  const uleb = (n: number, out: number[]) => {
    do {
      const b = n & 0x7f;
      n >>>= 7;
      out.push(n ? b | 0x80 : b);
    } while (n);
  };
  const name = (s: string, out: number[]) => {
    uleb(s.length, out);
    for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
  };
  const section = (id: number, body: number[]) => {
    const head: number[] = [id];
    uleb(body.length, head);
    return Buffer.from([...head, ...body]);
  };
  const [I32, I64, FUNC] = [0x7f, 0x7e, 0x60];
  // Types: 0 (i32) -> i32 (alloc), 1 (i32, i32) -> i64 (echo), 2 (i32, i32) -> i32 (add).
  const types = section(1, [3, FUNC, 1, I32, 1, I32, FUNC, 2, I32, I32, 1, I64, FUNC, 2, I32, I32, 1, I32]);
  const functions = section(3, [3, 0, 1, 2]);
  const memory = section(5, [1, 0x00, 1]);
  const exports: number[] = [];
  uleb(count + 2, exports);
  name('memory', exports);
  exports.push(0x02, 0);
  name('alloc', exports);
  exports.push(0x00, 0);
  for (let i = 0; i < count; i++) {
    name(nameOf(i), exports);
    exports.push(0x00, i % 2 === 0 ? 1 : 2);
  }
  const bodies = [
    [0x00, 0x41, 0x80, 0x08, 0x0b], // alloc: i32.const 1024
    [0x00, 0x20, 0x00, 0xad, 0x42, 0x20, 0x86, 0x20, 0x01, 0xad, 0x84, 0x0b], // echo: (ptr << 32) | len
    [0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b], // add
  ];
  const code: number[] = [bodies.length];
  for (const body of bodies) {
    uleb(body.length, code);
    code.push(...body);
  }
  return Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]), types, functions, memory, section(7, exports), section(10, code)]);
}

test('100,000 exports: the function picker and the tables stay responsive and usable', async ({ page }) => {
  test.setTimeout(60_000);
  const bytes = manyExportsModule(EXPORTS);
  await page.route('**/many-exports.wasm', (route) => route.fulfill({ body: bytes, contentType: 'application/wasm' }));
  await openPlayground(page);
  await editorSettled(page);
  // Tasks are measured in CPU time (a trace's thread time), which a busy machine stretches far
  // less than a long task's wall time.
  const longest = await longestMainThreadTask(page, async () => {
    const loaded = await page.evaluate(async () => {
      const t0 = performance.now();
      const info = await window.hotwasm.load('many-exports.wasm');
      return { exports: info.exports.length, ms: performance.now() - t0 };
    });
    console.log(`${EXPORTS} exports (${(bytes.length / 1024).toFixed(0)} KiB): loaded in ${loaded.ms.toFixed(0)} ms`);
    expect(loaded.exports).toBe(EXPORTS + 2);
    await expectServing(page, 'many-exports');

    // The picker: the first matches and a count; typing filters, the first match is chosen.
    const call = region(page, 'Call');
    const fn = call.getByLabel('Function');
    const filter = call.getByLabel('Filter by name');
    await expect(call.getByText('Showing 200 of 100,001 functions — type to filter')).toBeVisible();
    await expect(fn.locator('option')).toHaveCount(200);
    await filter.pressSequentially('fn_04242');
    await expect(fn).toHaveValue('fn_04242');
    await expect(call.getByText('1 of 100,001 functions matches')).toBeVisible();
    // Enter takes the choice and moves on to the argument.
    await filter.press('Enter');
    await expect(call.getByRole('textbox', { name: 'Argument (JSON)' })).toBeFocused();
    await setArgument(page, '{"x":1}');
    await call.getByRole('button', { name: 'Call', exact: true }).click();
    await expect(call.getByLabel('Result')).toContainText('"x": 1');

    // Arrows move through the matches without leaving the filter; a raw export switches to raw.
    await filter.fill('fn_0999');
    await expect(call.getByText('10 of 100,001 functions match')).toBeVisible();
    await expect(fn).toHaveValue('fn_09990');
    await filter.press('ArrowDown');
    await expect(fn).toHaveValue('fn_09992');
    await expect(call.getByLabel('Raw call')).not.toBeChecked();
    // JSON calls are listed first: after the five even ones come the raw, odd ones.
    for (let i = 0; i < 4; i++) await filter.press('ArrowDown');
    await expect(fn).toHaveValue('fn_09991');
    await expect(call.getByLabel('Raw call')).toBeChecked();
    await expect(filter).toBeFocused();
    await setArgument(page, '[2, 3]');
    await call.getByRole('button', { name: 'Call', exact: true }).click();
    await expect(call.getByLabel('Result')).toHaveText('5');
    await filter.fill('nothing like it');
    await expect(call.getByText('No function matches “nothing like it”')).toBeVisible();
    await expect(call.getByRole('button', { name: 'Call', exact: true })).toBeDisabled();
    // Escape clears the filter: the picker shows the first ones again, and selectOption works as before.
    await filter.press('Escape');
    await expect(filter).toHaveValue('');
    await expect(call.getByText('Showing 200 of 100,001 functions — type to filter')).toBeVisible();
    await fn.selectOption('fn_00002');
    await expect(fn).toHaveValue('fn_00002');

    // The Exports table: the first rows, a count and a filter.
    const module = region(page, 'Module');
    const exportsTable = module.getByRole('table', { name: 'Exports' });
    await expect(module.getByText('Showing 200 of 100,002 exports — type to filter')).toBeVisible();
    await expect(exportsTable.locator('tbody tr')).toHaveCount(200);
    await module.getByLabel('Filter exports').pressSequentially('fn_0424');
    await expect(exportsTable.locator('tbody tr')).toHaveCount(10);
    await expect(module.getByText('10 of 100,002 exports match')).toBeVisible();
    await expect(exportsTable.getByRole('row', { name: /fn_04241/ })).toContainText('(i32, i32) -> i32');
    await module.getByLabel('Filter exports').fill('fn_');
    await expect(module.getByText('Showing 200 of 100,000 matches — type more to narrow')).toBeVisible();
    await module.getByRole('button', { name: 'Show 200 more' }).click();
    await expect(exportsTable.locator('tbody tr')).toHaveCount(400);
  });
  // The load (reading 100,000 export descriptions sent by the worker) and the panels alike.
  // The aim is 100 ms (a response users take as immediate); here the longest task is 50-73 ms
  // of CPU (the render of the loaded module, GC), several near it (layout of 200 rows, a filter
  // pass over 100,000 names), and a CI machine 1.8x slower than this one has run the suite. The
  // bound leaves that machine room (and so catches a regression only of 50 ms or more here).
  // Once it failed there at 169 ms: the Guest ABI checks, 95 ms here, walked the exports a dozen
  // times (now once, ~10 ms); and Playwright's own queries, up to 162 ms here, were counted.
  console.log(`the longest main-thread task: ${longest.toFixed(1)} ms of CPU`);
  expect(longest).toBeLessThan(150);
});
