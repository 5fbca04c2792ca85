/**
 * Every bad input gets a clear error naming the problem, and the module that was serving keeps
 * serving with its state.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { alert, apiCall, apiLoadBytes, callThroughPanel, dropFile, example, expectServing, fixture, openPlayground, pickFile, region, statusValue } from './helpers';

/** Count to 3 on the counter, so we can see its state survive. */
async function counterAtThree(page: Page) {
  await openPlayground(page);
  expect(await apiCall(page, 'increment', 3)).toEqual({ ok: true, value: 3 });
}

async function stillServingCounter(page: Page) {
  await expectServing(page, 'counter');
  expect(await apiCall(page, 'get')).toEqual({ ok: true, value: 3 });
}

const badFiles: [file: string, message: RegExp][] = [
  ['empty.wasm', /empty\.wasm is empty \(0 bytes\)/],
  ['random.wasm', /random\.wasm is not a WebAssembly module: it starts with [0-9A-F ]{11}, not any known file type/],
  ['logo.wasm', /logo\.wasm is not a WebAssembly module: it starts with 89 50 4E 47, a PNG image/],
  ['archive.wasm', /archive\.wasm is not a WebAssembly module: it starts with 50 4B 03 04, a ZIP archive/],
  ['notes.wasm', /notes\.wasm is not a WebAssembly module: it starts with 54 68 65 73, a text file/],
  ['component.wasm', /components are not supported; core modules only/],
  ['truncated.wasm', /truncated\.wasm is not a valid WebAssembly module: WebAssembly\.compile\(\)/],
  ['unknown-imports.wasm', /unknown-imports\.wasm imports 2 things hotwasm cannot provide: env\.log, env\.now/],
  ['init-trap.wasm', /init-trap\.wasm: _initialize failed: _initialize trapped: unreachable/],
  ['start-trap.wasm', /start-trap\.wasm: the start function failed: start trapped: unreachable/],
  ['data-oob.wasm', /data-oob\.wasm could not be instantiated: data segment 1 is out of bounds/],
  ['bad-api-version.wasm', /the api_version section is "banana", which is not a semantic version/],
  ['big-memory.wasm', /needs 512 MiB of initial memory, over the memory budget of 256 MiB/],
];

// One page takes every bad file in turn (a step each): each refusal names its file, and after
// all of them the counter still serves with its state.
test('each bad file is refused with a clear error; the counter keeps serving through all of them', async ({ page }) => {
  await counterAtThree(page);
  for (const [file, message] of badFiles) {
    await test.step(file, async () => {
      await pickFile(page, fixture(file));
      await expect(alert(page)).toContainText(message);
      await stillServingCounter(page);
    });
  }
});

/** The example counter with its memory section (05 03 01 00 01) replaced by `section`. */
function counterWithMemorySection(section: string): Uint8Array {
  const counter = readFileSync(example('counter.wasm'));
  const at = counter.indexOf(Buffer.from([0x05, 0x03, 0x01, 0x00, 0x01]));
  expect(at).toBeGreaterThan(8);
  return Buffer.concat([counter.subarray(0, at), Buffer.from(section.split(' ').map((b) => parseInt(b, 16))), counter.subarray(at + 5)]);
}

// Each was accepted and served once, without a memory cap: the cap rewrote the section from the
// limits it had read and dropped what else was there, so the engine never saw what was wrong.
const corruptMemorySections: [section: string, what: string, engine: RegExp][] = [
  ['05 04 01 00 01 00', 'a trailing byte', /section was shorter than expected size \(4 bytes expected, 3 decoded\)/],
  ['05 05 01 00 01 00 01', 'count 1, two entries', /section was shorter than expected size \(5 bytes expected, 3 decoded\)/],
  ['05 03 01 02 01', 'shared memory without a maximum', /shared memory must have a maximum defined/],
  ['05 04 01 08 01 10', 'the custom-page-size flag', /invalid memory limits flags 0x8/],
  ['05 06 01 01 01 81 80 04', 'a maximum of 65,537 pages', /maximum memory size \(65537 pages\) is larger than implementation limit \(65536 pages\)/],
];

test("a hot swap to a counter with a corrupt memory section is refused in the engine's words, for each corruption; the counter keeps serving", async ({ page }) => {
  await counterAtThree(page);
  const before = await page.evaluate(() => window.hotwasm.status());
  for (const [section, what, engine] of corruptMemorySections) {
    await test.step(what, async () => {
      const result = await apiLoadBytes(page, counterWithMemorySection(section), { name: 'counter' });
      expect(result.ok).toBe(false);
      // Which step (loading), why (the engine's words), and who keeps serving.
      expect(result.value).toMatch(/^The new build of counter was refused while loading: counter is not a valid WebAssembly module: WebAssembly\.compile\(\): .*\. v1 keeps serving\.$/);
      expect(result.value).toMatch(engine);
      const after = await page.evaluate(() => window.hotwasm.status());
      expect({ version: after.version, sha256: after.sha256 }).toEqual({ version: before.version, sha256: before.sha256 });
      await stillServingCounter(page);
    });
  }
});

/** The example counter with one more function type appended to its type section. */
function counterWithType(type: number[]): Uint8Array {
  const counter = readFileSync(example('counter.wasm'));
  const size = counter[9]!; // the type section: 01 <size> <count> …, size and count under 128
  expect([counter[8], size < 0x80, counter[10]! < 0x80]).toEqual([0x01, true, true]);
  return Buffer.concat([counter.subarray(0, 8), Buffer.from([0x01, size + type.length, counter[10]! + 1]), counter.subarray(11, 10 + size), Buffer.from(type), counter.subarray(10 + size)]);
}

test('valid modules whose types hotwasm cannot read are refused as unsupported, not as invalid', async ({ page }) => {
  await counterAtThree(page);
  const cases: [type: number[], reason: string][] = [
    [[0x60, 0x01, 0x63, 0x70, 0x00], 'a typed reference type (0x63, function references or GC proposal) is not supported'], // (func (param (ref null func)))
    [[0x50, 0x00, 0x60, 0x00, 0x00], 'type form 0x50 (GC proposal types are not supported)'], // (sub (func))
  ];
  for (const [type, reason] of cases) {
    const bytes = counterWithType(type);
    expect(await page.evaluate((b) => WebAssembly.validate(new Uint8Array(b)), [...bytes])).toBe(true);
    const result = await apiLoadBytes(page, bytes, { name: 'counter' });
    expect(result.ok).toBe(false);
    expect(result.value).toMatch(/^The new build of counter was refused while loading: counter is valid WebAssembly that hotwasm cannot read: .*\. v1 keeps serving\.$/);
    expect(result.value).toContain(reason);
  }
  await stillServingCounter(page);
});

test('a dropped bad file is refused the same way', async ({ page }) => {
  await counterAtThree(page);
  await dropFile(page, fixture('logo.wasm'));
  await expect(alert(page)).toContainText('logo.wasm is not a WebAssembly module: it starts with 89 50 4E 47, a PNG image');
  await stillServingCounter(page);
});

test('a file over the size cap is refused from its size, before it is read', async ({ page }) => {
  await counterAtThree(page);
  await page.evaluate(() => window.hotwasm.configure({ max_module_bytes: 1000 }));
  await pickFile(page, example('counter-c.wasm'));
  await expect(alert(page)).toContainText(/counter-c\.wasm is 1\d\.\d KiB, over the 1000 bytes module size limit; it was not read/);
  await stillServingCounter(page);
});

test('a URL that does not exist is refused with the server answer, naming it as it was typed', async ({ page }) => {
  await counterAtThree(page);
  await page.getByLabel('Module URL').fill('examples/no such module.wasm');
  await page.getByRole('button', { name: 'Load URL' }).click();
  // Vite's preview server answers unknown paths with 404, or with the app's HTML page.
  await expect(alert(page)).toContainText(/answered 404|an HTML page/);
  await expect(alert(page)).toContainText('no such module.wasm');
  await expect(alert(page)).not.toContainText('%20');
  await stillServingCounter(page);
});

test.describe('bad calls', () => {
  test.beforeEach(async ({ page }) => {
    await openPlayground(page);
    await pickFile(page, fixture('bad-calls.wasm'));
    await expectServing(page, 'bad-calls');
  });

  const cases: [fn: string, arg: unknown, message: RegExp][] = [
    ['add', null, /^not JSON-callable: add has type \(i32, i32\) -> i32, a JSON call needs \(i32, i32\) -> i64; use a raw call$/],
    ['oob', null, /points outside linear memory: ptr 4294901760, len 100, memory size 131072 bytes/],
    ['oob_len', null, /ptr 16, len 2147483647, memory size 131072 bytes/],
    ['not_utf8', null, /is not valid UTF-8 \(3 bytes: FF FE FD\)/],
    ['not_json', null, /The result of not_json is not JSON: "hello, not json"/],
    ['nope', null, /bad-calls\.wasm has no export named "nope"; its functions are/],
    ['counter_global', null, /"counter_global" is a global export, not a function/],
    ['trap', null, /trap trapped: unreachable/],
    ['recurse', null, /recurse overflowed the stack/],
    ['exit_call', null, /exit_call called proc_exit\(7\)/],
  ];
  test('each bad call fails alone with a message naming the problem; the module keeps serving', async ({ page }) => {
    for (const [fn, arg, message] of cases) {
      await test.step(fn, async () => {
        const result = await apiCall(page, fn, arg);
        expect(result.ok).toBe(false);
        expect(result.value).toMatch(message);
        // The module keeps serving.
        expect(await apiCall(page, 'echo', { still: 'here' })).toEqual({ ok: true, value: { still: 'here' } });
      });
    }
  });

  test('a call error shows in the Call panel and the Status error count', async ({ page }) => {
    const result = await callThroughPanel(page, 'not_json', 'null');
    await expect(result).toContainText('is not JSON: "hello, not json"');
    await expect(statusValue(page, 'Errors')).toHaveText('1');
  });

  test('arguments that cannot be JSON-encoded are refused', async ({ page }) => {
    const messages = await page.evaluate(async () => {
      const out: string[] = [];
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const arg of [10n, cyclic, () => 1]) {
        await window.hotwasm.call('echo', arg).catch((e: Error) => out.push(e.message));
      }
      return out;
    });
    expect(messages).toHaveLength(3);
    for (const m of messages) expect(m).toMatch(/The argument cannot be encoded as JSON/);
  });

  test('raw calls with the wrong argument count or types are refused', async ({ page }) => {
    const messages = await page.evaluate(async () => {
      const out: string[] = [];
      const h = window.hotwasm;
      await h.callRaw('add', 1).catch((e: Error) => out.push(e.message));
      await h.callRaw('add64', 1, 2n).catch((e: Error) => out.push(e.message));
      await h.callRaw('add', 1.5, 2).catch((e: Error) => out.push(e.message));
      await h.callRaw('counter_global').catch((e: Error) => out.push(e.message));
      return out;
    });
    expect(messages).toEqual([
      'add takes 2 arguments (i32, i32) -> i32, got 1',
      'argument 1 of add64 is an i64: pass a BigInt (e.g. 1n), not the Number 1',
      'argument 1 of add is an i32: pass an integer, not 1.5',
      '"counter_global" is a global export, not a function',
    ]);
  });

  test('memory growth past the budget fails inside the guest and the error names the budget', async ({ page }) => {
    // The budget applies to modules loaded after it is set: load bad-calls afresh under it.
    await page.evaluate(() => {
      window.hotwasm.configure({ memory_budget_mb: 16 });
      window.hotwasm.unload('bad-calls');
    });
    await pickFile(page, fixture('bad-calls.wasm'));
    // After the unload the counter is active (and healthy) until bad-calls has loaded.
    await expectServing(page, 'bad-calls');
    const result = await apiCall(page, 'hog');
    expect(result.value).toMatch(/hog trapped: unreachable \(linear memory is at 1\d(\.\d)? MiB of the 16 MiB memory budget; memory\.grow past the budget fails\)/);
    expect(await apiCall(page, 'echo', 1)).toEqual({ ok: true, value: 1 });
  });
});

test('pointers at and above 2^31 work for JSON calls', async ({ page }) => {
  await openPlayground(page);
  await page.evaluate(() => window.hotwasm.configure({ memory_budget_mb: 2100 }));
  await pickFile(page, fixture('high-memory.wasm'));
  await expectServing(page, 'high-memory');
  expect(await apiCall(page, 'echo', 'héllo 😀')).toEqual({ ok: true, value: 'héllo 😀' });
  await expect(region(page, 'Module')).toContainText('high-memory');
});
