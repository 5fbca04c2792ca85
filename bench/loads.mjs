// Loading benchmarks: first open of the playground (a warm browser, and a fresh profile with no
// cache), and a dropped 2.7 MiB module's first answer against reading the file and compiling and
// instantiating it in a worker.
import { counterOfSize } from './gen-module.mjs';
import { clearRegistry, open, serve } from './kit.mjs';

export async function benchLoads({ browser, page, url, root, row, throttle }) {
  // First open → the example answering: a page reloaded in a warm browser, then fresh profiles.
  const warm = [];
  for (let i = 0; i < 5; i++) {
    await clearRegistry(page); // a first visit: nothing kept to bring back
    await page.goto(url);
    await page.waitForFunction(() => window.hotwasm?.status().state === 'healthy', null, { polling: 2 });
    warm.push(await page.evaluate(() => performance.now()));
  }
  const cold = [];
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext();
    const fresh = await context.newPage();
    await throttle(fresh);
    await fresh.goto(url);
    await fresh.waitForFunction(() => window.hotwasm?.status().state === 'healthy', null, { polling: 2 });
    cold.push(await fresh.evaluate(() => performance.now()));
    await context.close();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  row('First open → example loaded, warm browser', median(warm), 'ms', null, { max: 1000 }, 'median of 5 reloads');
  row('First open → example loaded, fresh profile', median(cold), 'ms', null, { max: 1500 }, 'median of 3 new browser profiles: nothing cached');

  // Drop → first answer, 2.7 MiB: the worker reads the File itself.
  const big = await serve(root, 'big.wasm', await counterOfSize(3 * 1024 * 1024));
  await open(page, url, root);
  const r = await page.evaluate(async (src) => {
    const { floorWorker, variant, median, sleep, fetchBytes } = window.benchKit;
    const h = window.hotwasm;
    const bytes = await fetchBytes(src);
    const fw = floorWorker();
    const floors = [];
    const ours = [];
    for (let i = 0; i < 7; i++) {
      // Distinct bytes each time: V8 would otherwise reuse what it compiled before.
      const floorFile = new File([variant(bytes, `floor-${i}`)], 'big.wasm');
      floors.push((await fw.compileFile(floorFile)) + (await fw.roundTrip()));
      await sleep(300); // a user does not drop files back to back: the spare gets ready
      const file = new File([variant(bytes, `drop-${i}`)], 'big.wasm');
      const t0 = performance.now();
      await h.load(file);
      await h.module('big').call('increment', 1);
      ours.push(performance.now() - t0);
      h.unload('big');
      await sleep(300);
    }
    fw.terminate();
    return { ours: median(ours), floor: median(floors), size: bytes.length };
  }, big);
  const mib = (r.size / 1048576).toFixed(1);
  row(`Drop (File) → first answer, ${mib} MiB module`, r.ours, 'ms', r.floor, { le: 1.3 }, 'floor: read the File + compile + instantiate in a worker + one round trip; median of 7');
}
