/** Shared steps for the end-to-end tests: open the playground, load files the ways users do, read panels. */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

export const root = join(import.meta.dirname, '..');
export const fixture = (name: string) => join(root, 'fixtures', name);
export const example = (name: string) => join(root, 'public', 'examples', name);

/**
 * Bytes for page.evaluate, as base64: an array of numbers serializes one number at a time,
 * which for a 1 MiB module takes Playwright about 9 s. The page decodes it with atob.
 */
export const toPage = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export const region = (page: Page, name: 'Status' | 'Module' | 'Call' | 'Console' | 'History' | 'Source' | 'State' | 'Config' | 'Deploy') => page.getByRole('region', { name });

/** Open Settings from the header: its dialog holds the Config panel. */
export async function openSettings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Settings' }).click();
  const config = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Config' });
  await expect(config).toBeVisible();
  return config;
}

/** The <dd> that follows the <dt> named `term` in the History panel (where versions are kept, and how). */
export function historyValue(page: Page, term: string): Locator {
  return region(page, 'History').locator(`dt:text-is("${term}") + dd`);
}

/** The <dd> that follows the <dt> named `term` in the Status panel. */
export function statusValue(page: Page, term: string): Locator {
  return region(page, 'Status').locator(`dt:text-is("${term}") + dd`);
}

/** Open the playground and wait until a module is serving. */
export async function openPlayground(page: Page, query = ''): Promise<void> {
  await page.goto(`./${query}`);
  await expect(statusValue(page, 'State')).toContainText('healthy');
}

/** Load a file through the "Load module" file input. */
export async function pickFile(page: Page, path: string): Promise<void> {
  await page.getByLabel('Load module').setInputFiles(path);
}

/** Drop a file on the window, as a user dragging it from their file manager. */
export async function dropFile(page: Page, path: string, as = basename(path)): Promise<void> {
  await dropFiles(page, [[path, as]]);
}

/** Drop several files at once on the window (each given as a path, or a path and the name it goes by). */
export async function dropFiles(page: Page, files: (string | [path: string, as: string])[]): Promise<void> {
  const entries = files.map((f) => {
    const [path, name] = typeof f === 'string' ? [f, basename(f)] : f;
    return { base64: toPage(readFileSync(path)), name };
  });
  const dataTransfer = await page.evaluateHandle((entries) => {
    const dt = new DataTransfer();
    for (const { base64, name } of entries) dt.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type: 'application/wasm' }));
    return dt;
  }, entries);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent('body', type, { dataTransfer });
  }
}

/** Wait until the module called `name` is the one serving. */
export async function expectServing(page: Page, name: string): Promise<void> {
  await expect(statusValue(page, 'Module')).toHaveText(name);
  await expect(statusValue(page, 'State')).toContainText('healthy');
}

/** The global error announcement. */
export const alert = (page: Page) => page.getByRole('alert').filter({ hasText: /\S/ }).first();

/** Call through the console API (window.hotwasm), returning the result or the error message. */
export async function apiCall(page: Page, fn: string, arg?: unknown): Promise<{ ok: boolean; value: unknown }> {
  return page.evaluate(
    async ({ fn, arg }) => {
      try {
        return { ok: true, value: await window.hotwasm.call(fn, arg) };
      } catch (error) {
        return { ok: false, value: (error as Error).message };
      }
    },
    { fn, arg },
  );
}

/** The argument editor (Monaco once it has loaded). Replaces its whole text. */
export async function setArgument(page: Page, text: string): Promise<void> {
  const call = region(page, 'Call');
  await expect(call.locator('.monaco-editor')).toBeVisible();
  await call.getByRole('textbox', { name: 'Argument (JSON)' }).focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Choose a function in the Call panel, set its argument, press Call, and return the Result locator. */
export async function callThroughPanel(page: Page, fn: string, arg: string): Promise<Locator> {
  const call = region(page, 'Call');
  await call.getByLabel('Function').selectOption(fn);
  await setArgument(page, arg);
  await call.getByRole('button', { name: 'Call', exact: true }).click();
  return call.getByLabel('Result');
}

export const swapFixture = (name: string) => join(root, 'fixtures', 'swap', `${name}.wasm`);

/** Push bytes from disk as a build that arrived by itself (live push); resolves with the version, null, or the error text. */
export async function apiPush(page: Page, path: string, name: string): Promise<{ ok: boolean; value: string | null }> {
  return page.evaluate(
    async ({ base64, name }) => {
      try {
        const info = await window.hotwasm.push(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)), { name });
        return { ok: true, value: info?.version ?? null };
      } catch (error) {
        return { ok: false, value: (error as Error).message };
      }
    },
    { base64: toPage(readFileSync(path)), name },
  );
}

/** Load bytes from disk under a module name through window.hotwasm; resolves with the version or the error text. */
export async function apiLoad(page: Page, path: string, options: { name: string; version?: string; fresh?: boolean }): Promise<{ ok: boolean; value: string }> {
  return apiLoadBytes(page, readFileSync(path), options);
}

/** Load bytes under a module name through window.hotwasm; resolves with the version or the error text. */
export async function apiLoadBytes(page: Page, bytes: Uint8Array, options: { name: string; version?: string; fresh?: boolean }): Promise<{ ok: boolean; value: string }> {
  return page.evaluate(
    async ({ base64, options }) => {
      try {
        const info = await window.hotwasm.load(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)), options);
        return { ok: true, value: info.version ?? '' };
      } catch (error) {
        return { ok: false, value: (error as Error).message };
      }
    },
    { base64: toPage(bytes), options },
  );
}

/**
 * Wait until the argument editor has loaded completely. Monaco fetches its JSON language mode
 * just after the editor shows, and evaluating that chunk takes 60–90 ms of the main thread on
 * the 2-core VM: a test that measures long tasks must start after it. Importing the chunk again
 * resolves once it has been evaluated.
 */
export async function editorSettled(page: Page): Promise<void> {
  await expect(region(page, 'Call').locator('.monaco-editor')).toBeVisible();
  let url: string | undefined;
  await expect
    .poll(async () => (url = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).find((n) => /\/jsonMode-[^/]*\.js$/.test(n)))))
    .toBeTruthy();
  await page.evaluate((url) => import(url).then(() => undefined), url!);
}

type TraceEvent = { ph: string; name: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string; chrome_mojo_event_info?: { mojo_interface_tag?: string } } };

/**
 * The CPU time of the page's longest main-thread task while `work` runs (a trace's thread time:
 * unlike a long task's wall time, it does not grow when another test shares the machine's cores).
 * In a task that runs a command of the test itself (a locator's query, a fill, an evaluate: they
 * arrive on the DevTools session) only the events it dispatches count — the page's handlers and
 * the renders they make; the rest is Playwright's work, not the page's (a role query over a table
 * of 400 rows was seen taking 127 ms). Key presses and clicks arrive as input and count whole.
 */
export async function longestMainThreadTask(page: Page, work: () => Promise<unknown>): Promise<number> {
  const browser = page.context().browser()!;
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
  await work();
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  if (process.env.HOTWASM_TRACE_OUT) (await import('node:fs')).writeFileSync(process.env.HOTWASM_TRACE_OUT, JSON.stringify(trace));
  const main = trace.traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const onMain = trace.traceEvents.filter((e) => e.ph === 'X' && e.pid === main?.pid && e.tid === main?.tid);
  const commands = onMain.filter((e) => e.name === 'Receive mojo message' && e.args?.chrome_mojo_event_info?.mojo_interface_tag === 'blink.mojom.DevToolsSession');
  const dispatches = onMain.filter((e) => e.name === 'EventDispatch');
  const within = (task: TraceEvent, e: TraceEvent) => e.ts >= task.ts && e.ts < task.ts + (task.dur ?? 0);
  const pageWork = (task: TraceEvent) =>
    commands.some((c) => within(task, c)) ? Math.max(0, ...dispatches.filter((d) => within(task, d)).map((d) => d.tdur ?? 0)) : (task.tdur ?? 0);
  return Math.max(0, ...onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask').map((t) => pageWork(t) / 1000));
}

