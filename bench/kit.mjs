// What every benchmark module shares on the Node side: opening a page with the in-page kit,
// serving guest bytes, and waiting for the page to settle.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/**
 * Wait until the page has settled: the playground loads its argument editor and its Source
 * editor (Monaco, megabytes of script parsed on the main thread) just after the first module,
 * and figures taken while they load measure that instead.
 */
export async function settle(page) {
  for (const name of ['Call', 'Source']) {
    const region = page.getByRole('region', { name });
    // The Source panel shows a notice instead of an editor for a module too large to edit as text.
    if (await region.count()) await region.locator('.monaco-editor, [role="note"], p.empty').first().waitFor();
  }
  await page.waitForLoadState('networkidle');
}

/**
 * Forget what the playground keeps between visits (its IndexedDB registry): a page opened next
 * starts from nothing, as the figures assume, instead of bringing back the modules and state of
 * the benchmark before. The page's own connection closes itself on the deletion (versionchange).
 */
export async function clearRegistry(page) {
  if (!page.url().startsWith('http')) return;
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const request = indexedDB.deleteDatabase('hotwasm-registry');
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
      }),
  );
}

/** Open `url` with a module serving (nothing kept from an earlier visit), the page settled and the in-page kit (bench/page-kit.js) added. */
export async function open(page, url, root) {
  await clearRegistry(page);
  await page.goto(url);
  await page.waitForFunction(() => window.hotwasm?.status().state === 'healthy', null, { polling: 5 });
  await settle(page);
  await page.addScriptTag({ path: join(root, 'bench', 'page-kit.js') });
}

/**
 * Guest bytes reach the page through the preview server (dist/bench/…), not through
 * page.evaluate arguments: a 10 MiB module as a JSON array of numbers exhausts Node's heap.
 */
export async function serve(root, name, bytes) {
  await mkdir(join(root, 'dist', 'bench'), { recursive: true });
  await writeFile(join(root, 'dist', 'bench', name), bytes);
  return `bench/${name}`;
}

/** The page's main-thread task time so far, ms (CDP Performance.getMetrics). */
export async function mainThreadMs(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}
