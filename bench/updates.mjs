// Update latency: bytes in hand → the new version answering a call, on engine.html (the engine
// alone) and in the playground, for 100 KiB, 1 MiB and 10 MiB modules, with 0, 200 and 2,000 ms
// between updates. The floor is what the design must do: compile + instantiate the same bytes in
// a worker, plus one bare round trip to a worker, measured in the same run. Also: the main-thread
// time the playground's interface spends after an update, and a full page reload for comparison.
import { counterOfSize } from './gen-module.mjs';
import { clearRegistry, mainThreadMs, open, serve } from './kit.mjs';

const SIZES = [
  ['100 KiB', 100 * 1024],
  ['1 MiB', 1024 * 1024],
  ['10 MiB', 10 * 1024 * 1024],
];
const GAPS = [0, 200, 2000];

/** Update latencies of `src` on the open page, each update with distinct bytes, `gap` ms apart. */
function measure(page, src, gap, count) {
  return page.evaluate(
    async ({ src, gap, count }) => {
      const { floorWorker, variant, median, sleep, fetchBytes } = window.benchKit;
      const h = window.hotwasm;
      const base = await fetchBytes(src);
      // Every build distinct (another sha256, code V8 has not compiled), made before timing.
      const builds = Array.from({ length: count + 1 }, (_, i) => variant(base, `u${gap}-${i}`));
      await h.load(builds[0], { name: 'sized' });
      await sleep(500);
      const ours = [];
      for (let i = 1; i <= count; i++) {
        if (gap) await sleep(gap);
        const t0 = performance.now();
        await h.load(builds[i], { name: 'sized' });
        await h.module('sized').call('get');
        ours.push(performance.now() - t0);
      }
      await sleep(300);
      // The floor, and the SHA-256 of the bytes (Web Crypto, a build's identity), now.
      const fw = floorWorker();
      await fw.roundTrips(20);
      const floors = [];
      const sha = [];
      for (let i = 0; i < 5; i++) {
        floors.push((await fw.compile(variant(base, `f${gap}-${i}`))) + (await fw.roundTrip()));
        const t0 = performance.now();
        await crypto.subtle.digest('SHA-256', base);
        sha.push(performance.now() - t0);
      }
      fw.terminate();
      h.unload('sized');
      return { ours: median(ours), floor: median(floors), sha: median(sha), size: base.length };
    },
    { src, gap, count },
  );
}

/**
 * Main-thread task time from a moment before an update until 400 ms after its answer, less the
 * same page's task time over as long a window with no update (timers, a blinking cursor), median
 * of 5 of each.
 */
async function mainThreadPerUpdate(page, cdp, src) {
  await page.evaluate(async (src) => {
    window.__builds = { base: await window.benchKit.fetchBytes(src), n: 0 };
    await window.hotwasm.load(window.__builds.base, { name: 'sized' });
  }, src);
  const spent = [];
  const idle = [];
  for (let i = 0; i < 5; i++) {
    await page.waitForTimeout(600); // the machine idle: only this update is measured
    let before = await mainThreadMs(cdp);
    const windowMs = await page.evaluate(async () => {
      const b = window.__builds;
      const t0 = performance.now();
      await window.hotwasm.load(window.benchKit.variant(b.base, `m${b.n++}`), { name: 'sized' });
      await window.hotwasm.module('sized').call('get');
      await window.benchKit.sleep(400);
      return performance.now() - t0;
    });
    spent.push((await mainThreadMs(cdp)) - before);
    await page.waitForTimeout(600);
    before = await mainThreadMs(cdp);
    await page.evaluate((ms) => window.benchKit.sleep(ms), windowMs);
    idle.push((await mainThreadMs(cdp)) - before);
  }
  await page.evaluate(() => window.hotwasm.unload('sized'));
  const median = (xs) => [...xs].sort((a, b) => a - b)[2];
  return { update: median(spent), idle: median(idle), net: median(spent) - median(idle) };
}

export async function benchUpdates({ page, cdp, url, root, row, quick }) {
  const sources = {};
  for (const [label, size] of SIZES) sources[label] = await serve(root, `sized-${size}.wasm`, await counterOfSize(size, 'base'));
  const latency = {};
  for (const [where, pageUrl] of [
    ['engine', `${url}engine.html`],
    ['playground', url],
  ]) {
    await open(page, pageUrl, root);
    for (const [label] of SIZES) {
      for (const gap of quick ? [200] : GAPS) {
        const count = gap === 2000 ? 5 : 9;
        const r = await measure(page, sources[label], gap, count);
        latency[`${label} ${where} ${gap}`] = r.ours;
        const sha = label === '10 MiB' ? `; the SHA-256 of the bytes alone takes ${r.sha.toFixed(1)} ms (on the page)` : '';
        row(`Update latency, ${label}, ${where}, ${gap} ms apart`, r.ours, 'ms', r.floor, { le: 1.3, plus: 1 }, `floor: compile + instantiate in a worker + one round trip (${(r.size / 1048576).toFixed(2)} MiB); median of ${count}${sha}`);
      }
    }
  }
  for (const [label] of SIZES) {
    if (quick) break;
    const ratio = latency[`${label} engine 0`] / latency[`${label} engine 2000`];
    row(`Update latency, ${label}: 0 ms apart vs 2,000 ms apart`, ratio, '×', null, { max: 1.5 }, 'the warm-up of spare workers never costs an update');
  }
  for (const [label] of SIZES) {
    const ratio = latency[`${label} playground 200`] / latency[`${label} engine 200`];
    row(`Update latency, ${label}: playground vs engine.html`, ratio, '×', null, { max: 1.2 }, 'the interface adds little to an update');
  }

  // The interface's own main-thread work per update: playground minus engine.html.
  const ui = {};
  for (const [where, pageUrl] of [
    ['engine', `${url}engine.html`],
    ['playground', url],
  ]) {
    await open(page, pageUrl, root);
    ui[where] = await mainThreadPerUpdate(page, cdp, sources['100 KiB']);
  }
  const detail = (m) => `${m.update.toFixed(1)} ms less ${m.idle.toFixed(1)} idle`;
  row("The interface's main-thread work after an update", ui.playground.net - ui.engine.net, 'ms', null, { max: 2 }, `main-thread task time per update: playground ${detail(ui.playground)}, engine.html ${detail(ui.engine)}; medians of 5`);

  // What users do today: a full page reload of the same app with the same 1 MiB module.
  const reloads = [];
  for (let i = 0; i < 5; i++) {
    await clearRegistry(page); // without hotwasm's registry: nothing comes back, state is lost
    const t0 = Date.now();
    await page.goto(`${url}?module=${sources['1 MiB']}`);
    await page.waitForFunction(() => window.hotwasm?.status().name === 'sized-1048576' && window.hotwasm.status().state === 'healthy', null, { polling: 2 });
    await page.evaluate(() => window.hotwasm.call('get'));
    reloads.push(Date.now() - t0);
  }
  reloads.sort((x, y) => x - y);
  const swap = latency['1 MiB playground 200'];
  row('Hot swap vs full page reload, 1 MiB module', reloads[2] / swap, '×', null, { min: 10 }, `page reload → answering ${reloads[2]} ms (state lost); hot swap ${swap.toFixed(1)} ms (state kept)`);
}
