// The version registry (IndexedDB): with 200 stored versions of 100 KiB across 4 modules, a
// reload of the playground →
//   - the History panel listing the update records, from the app's start (its first line of
//     script); floor: reading the versions and records stores directly in the same page;
//   - each module serving again with its state restored, from the app's start; floor: compile
//     + instantiate of the active module's bytes in a worker, plus one bare round trip;
//   - the p99 of calls while checkpoints are written to IndexedDB, against the same calls without.
import { counterOfSize } from './gen-module.mjs';
import { serve, settle } from './kit.mjs';
import { join } from 'node:path';

const MODULES = 4;
const VERSIONS = 50; // per module: 200 in all
const RELOADS = 5;

/** Before the app's script runs: note when History first lists a record and when each module is back with its state. */
function observe() {
  const marks = { history: null, back: {} };
  window.__registryBench = marks;
  new MutationObserver((_, observer) => {
    if (document.querySelector('section[aria-label="History"] li')) {
      marks.history = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
  let engine;
  Object.defineProperty(window, 'hotwasm', {
    configurable: true,
    get: () => engine,
    set: (value) => {
      engine = value;
      value.subscribe((event) => {
        if (event.type === 'status' && /is back with its state/.test(event.status.message ?? '') && !(event.module in marks.back)) marks.back[event.module] = performance.now();
      });
    },
  });
}

export async function benchRegistry({ browser, row, throttle, root, url }) {
  const src = await serve(root, 'registry-100k.wasm', await counterOfSize(100 * 1024, 'registry'));
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await throttle(page);
    await page.goto(url);
    await page.waitForFunction(() => window.hotwasm?.status().state === 'healthy', null, { polling: 20 });
    await settle(page);
    await page.addScriptTag({ path: join(root, 'bench', 'page-kit.js') });
    const names = await page.evaluate(
      async ({ src, modules, versions }) => {
        const { fetchBytes, variant } = window.benchKit;
        const base = await fetchBytes(src);
        const h = window.hotwasm;
        const names = Array.from({ length: modules }, (_, i) => `stored-${i}`);
        for (let v = 0; v < versions; v++) for (const name of names) await h.load(variant(base, `${name}-${v}`), { name });
        for (const [i, name] of names.entries()) await h.module(name).call('increment', i + 1);
        h.use(names[0]);
        // A checkpoint after the increments, then everything written.
        for (let tries = 0; tries < 200 && names.some((n) => (h.module(n).checkpoints().at(-1)?.calls ?? 0) < 2); tries++) {
          await Promise.all(names.map((n) => h.module(n).call('get')));
          await new Promise((r) => setTimeout(r, 20));
        }
        await h.flush();
        return names;
      },
      { src, modules: MODULES, versions: VERSIONS },
    );
    await page.addInitScript(observe);
    const listed = [];
    const back = [];
    const backAll = [];
    const historyFloor = [];
    const restoreFloor = [];
    for (let i = 0; i < RELOADS; i++) {
      await page.reload();
      await page.waitForFunction((n) => Object.keys(window.__registryBench?.back ?? {}).length >= n && window.__registryBench.history !== null, names.length, { polling: 20, timeout: 60_000 });
      const m = await page.evaluate(async (first) => {
        const marks = window.__registryBench;
        const start = performance.getEntriesByName('hotwasm:start')[0].startTime;
        if ((await window.hotwasm.module(first).call('get')) !== 1) throw new Error(`${first} came back without its state`);
        return { history: marks.history - start, first: marks.back[first] - start, all: Math.max(...Object.values(marks.back)) - start };
      }, names[0]);
      listed.push(m.history);
      back.push(m.first);
      backAll.push(m.all);
      await settle(page);
      await page.addScriptTag({ path: join(root, 'bench', 'page-kit.js') });
      const floors = await page.evaluate(async (first) => {
        // Reading the metadata stores directly: what listing must at least do.
        const t0 = performance.now();
        const db = await new Promise((resolve, reject) => {
          const open = indexedDB.open('hotwasm-registry');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const all = (store) => new Promise((resolve, reject) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        await Promise.all([all('versions'), all('records')]);
        const history = performance.now() - t0;
        db.close();
        // Compile + instantiate the first module's bytes in a worker, plus a round trip.
        const sha = window.hotwasm.modules().find((m) => m.name === first).sha256;
        const fw = window.benchKit.floorWorker();
        await fw.roundTrips(10);
        const kept = await new Promise((resolve, reject) => {
          const open = indexedDB.open('hotwasm-registry');
          open.onsuccess = () => {
            const request = open.result.transaction('bytes').objectStore('bytes').get(sha);
            request.onsuccess = () => (open.result.close(), resolve(request.result));
            request.onerror = () => reject(request.error);
          };
          open.onerror = () => reject(open.error);
        });
        const copy = new Uint8Array(kept).slice();
        copy[copy.length - 1] ^= 1; // code V8 has not compiled
        const restore = (await fw.compile(copy)) + (await fw.roundTrip());
        fw.terminate();
        return { history, restore };
      }, names[0]);
      historyFloor.push(floors.history);
      restoreFloor.push(floors.restore);
    }
    // Calls while checkpoints are written to IndexedDB (every 50 ms of activity) against the same
    // calls with checkpoints at most once an hour: the p99 of 3,000 awaited calls, 3 rounds each.
    const p99 = await page.evaluate(async (first) => {
      const h = window.hotwasm;
      const m = h.module(first);
      const round = async () => {
        const times = [];
        for (let i = 0; i < 3000; i++) {
          const t0 = performance.now();
          await m.call('increment', 1);
          times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        return times[Math.floor(times.length * 0.99)];
      };
      const result = { on: [], off: [] };
      for (let r = 0; r < 3; r++) {
        m.configure({ checkpoint_interval_ms: 50 });
        result.on.push(await round());
        m.configure({ checkpoint_interval_ms: 3_600_000 });
        result.off.push(await round());
      }
      return { on: result.on.sort((a, b) => a - b)[1], off: result.off.sort((a, b) => a - b)[1], taken: m.checkpoints().length };
    }, names[0]);
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    row('Call p99 while checkpoints are written (every 50 ms)', p99.on * 1000, 'µs', p99.off * 1000, { le: 1.2 }, `floor: the same calls with no checkpoint written; 3,000 awaited calls, median of 3 rounds; ${p99.taken} checkpoints kept in memory`);
    row(`Reload with ${MODULES * VERSIONS} stored versions → History lists them`, median(listed), 'ms', median(historyFloor), { max: 50 }, `from the app's start; floor: reading the versions and records stores directly; ${MODULES} modules of 100 KiB; median of ${RELOADS}`);
    row('Reload → the active module serving again with its state', median(back), 'ms', median(restoreFloor), { le: 1, plus: 10 }, `from the app's start; floor: compile + instantiate its bytes in a worker + one round trip; all ${MODULES} back: ${median(backAll).toFixed(0)} ms; median of ${RELOADS}`);
  } finally {
    await context.close();
  }
}
