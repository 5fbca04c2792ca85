// Hot-swap benchmarks (issue: hot swap with preserved state). Each figure sits beside a floor
// measured in the same run: see bench/run.mjs for the table.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { watToWasm } from '../scripts/wat.mjs';
import { counterOfSize } from './gen-module.mjs';

/** Append a custom section: the same code under another sha256. */
function withBuildId(bytes, id) {
  const name = new TextEncoder().encode('build');
  const payload = new TextEncoder().encode(id);
  const body = [name.length, ...name, ...payload];
  return new Uint8Array([...bytes, 0, body.length, ...body]);
}

/**
 * Guest bytes reach the page through the preview server (dist/bench/…), not through
 * page.evaluate arguments: a 10 MiB module as a JSON array of numbers exhausts Node's heap.
 */
async function serve(root, name, bytes) {
  await mkdir(join(root, 'dist', 'bench'), { recursive: true });
  await writeFile(join(root, 'dist', 'bench', name), bytes);
  return `bench/${name}`;
}

/**
 * Wait until the page has settled: the playground loads its argument editor (Monaco, megabytes
 * of script parsed on the main thread) just after the first module, and figures taken while it
 * loads measure that instead.
 */
export async function settle(page) {
  if (await page.getByRole('region', { name: 'Call' }).count()) await page.locator('.monaco-editor').waitFor();
  await page.waitForLoadState('networkidle');
}

export async function benchSwap({ page, url, root, row }) {
  const counterA = await serve(root, 'counter-a.wasm', await readFile(join(root, 'public/examples/counter.wasm')));
  const counterB = await serve(root, 'counter-b.wasm', await readFile(join(root, 'fixtures/swap/counter-b.wasm')));

  // 1. 100 alternating updates under continuous pipelined load: no call may fail or be reordered.
  await page.goto(url);
  await page.waitForFunction(() => window.hotwasm?.status().state === 'healthy');
  await settle(page);
  const load = await page.evaluate(
    async ({ a, b }) => {
      const h = window.hotwasm;
      const fetchBytes = async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer());
      h.configure({ probation_ms: 0 });
      const builds = [await fetchBytes(b), await fetchBytes(a)];
      const results = [];
      let running = true;
      const t0 = performance.now();
      const generator = (async () => {
        while (running) {
          for (let i = 0; i < 400; i++) results.push(h.call('increment', 1));
          await new Promise((r) => setTimeout(r, 0));
        }
      })();
      let committed = 0;
      for (let i = 0; i < 100; i++) {
        const info = await h.load(builds[i % 2], { name: 'counter' });
        if (info) committed++;
      }
      running = false;
      await generator;
      const seconds = (performance.now() - t0) / 1000;
      const settled = await Promise.allSettled(results);
      let failed = 0;
      let reordered = 0;
      settled.forEach((r, i) => {
        if (r.status === 'rejected') failed++;
        else if (r.value !== i + 1) reordered++;
      });
      return { calls: results.length, perSec: results.length / seconds, failed, reordered, committed };
    },
    { a: counterA, b: counterB },
  );
  row(`100 alternating updates under load: failed / reordered calls`, load.failed + load.reordered, 'calls', null, '0 and 0', `${load.failed} failed, ${load.reordered} reordered of ${load.calls.toLocaleString('en-US')} calls at ${Math.round(load.perSec).toLocaleString('en-US')} calls/s; ${load.committed} updates committed`);

  // 2. Swap pause with small and large state, against save_state + restore_state + a round trip.
  const stateGuest = await watToWasm(await readFile(join(root, 'bench/guests/state.wat'), 'utf8'), 'state.wat');
  const stateA = await serve(root, 'state-a.wasm', withBuildId(stateGuest, 'a'));
  const stateB = await serve(root, 'state-b.wasm', withBuildId(stateGuest, 'b'));
  for (const [label, size] of [
    ['1 KiB', 1024],
    ['16 MiB', 16 * 1024 * 1024],
  ]) {
    const r = await page.evaluate(
      async ({ a, b, size }) => {
        const h = window.hotwasm;
        const fetchBytes = async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer());
        const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
        const echo = new Worker(URL.createObjectURL(new Blob(['onmessage = (e) => postMessage(e.data)'], { type: 'text/javascript' })));
        const roundTrip = () => new Promise((resolve) => { echo.onmessage = resolve; echo.postMessage(0); });
        const builds = [await fetchBytes(b), await fetchBytes(a)];
        await h.load(builds[1], { name: 'state' });
        await h.call('resize', size);
        const pauses = [];
        const floors = [];
        const observed = [];
        for (let i = 0; i < 12; i++) {
          // Sequential calls while the update runs: the slowest one shows the pause a caller sees.
          let updating = true;
          const latencies = [];
          const caller = (async () => {
            while (updating) {
              const t0 = performance.now();
              await h.call('increment', 1);
              latencies.push(performance.now() - t0);
            }
          })();
          await h.load(builds[i % 2], { name: 'state' });
          updating = false;
          await caller;
          const [record] = h.history('state');
          // Floor: the same save + restore inside the workers, plus one bare round trip now.
          let t0 = performance.now();
          for (let k = 0; k < 20; k++) await roundTrip();
          const rt = (performance.now() - t0) / 20;
          if (!record.cutover.held) continue;
          pauses.push(record.cutover.pauseMs);
          floors.push(record.cutover.saveMs + record.cutover.restoreMs + rt);
          observed.push(Math.max(...latencies));
        }
        echo.terminate();
        h.unload('state');
        return { pause: median(pauses), floor: median(floors), observed: median(observed), held: pauses.length };
      },
      { a: stateA, b: stateB, size },
    );
    row(`Swap pause, ${label} state`, r.pause, 'ms', r.floor, '≤ floor + 1 ms', `floor: save_state + restore_state + 1 round trip; excess ${(r.pause - r.floor).toFixed(2)} ms; slowest call during a swap ${r.observed.toFixed(2)} ms; medians of the ${r.held} of 12 cutovers that held calls`);
  }

  // 3. Update latency: bytes in hand → new version answering, against compile + instantiate.
  // Measured on engine.html (the engine alone, as an app embedding src/core runs it) and in the
  // playground, whose interface re-renders after every update on the same main thread.
  const latencies = {};
  for (const [where, pageUrl] of [
    ['engine', `${url}engine.html`],
    ['playground', url],
  ]) {
    await page.goto(pageUrl);
    await page.waitForFunction(() => window.hotwasm?.status().state === 'healthy');
    await settle(page);
    for (const [label, size] of [
      ['100 KiB', 100 * 1024],
      ['1 MiB', 1024 * 1024],
      ['10 MiB', 10 * 1024 * 1024],
    ]) {
      const a = await serve(root, `sized-${size}-a.wasm`, await counterOfSize(size, 'a'));
      const b = await serve(root, `sized-${size}-b.wasm`, await counterOfSize(size, 'b'));
      const r = await page.evaluate(
        async ({ a, b }) => {
          const h = window.hotwasm;
          const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
          const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
          const wasi = new Proxy({}, { get: () => () => 0 });
          const fetchBytes = async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer());
          const builds = [await fetchBytes(a), await fetchBytes(b)];
          await h.load(builds[0], { name: 'sized' });
          const ours = [];
          const floor = [];
          for (let i = 1; i <= 11; i++) {
            const bytes = builds[i % 2];
            let t0 = performance.now();
            await WebAssembly.instantiate(bytes, { wasi_snapshot_preview1: wasi });
            floor.push(performance.now() - t0);
            await sleep(200); // the warm worker gets ready, as between a user's edits
            t0 = performance.now();
            await h.load(bytes, { name: 'sized' });
            await h.call('get');
            ours.push(performance.now() - t0);
          }
          h.unload('sized');
          return { ours: median(ours), floor: median(floor), size: builds[0].length };
        },
        { a, b },
      );
      latencies[`${label} ${where}`] = r.ours;
      const limit = 1.3 * r.floor + 2;
      row(
        `Update latency, ${label} module (${(r.size / 1048576).toFixed(2)} MiB), ${where}`,
        r.ours,
        'ms',
        r.floor,
        '≤ 1.3× compile + instantiate, + 2 ms',
        `floor: the engine's compile + instantiate of the same bytes; limit ${limit.toFixed(1)} ms: ${r.ours <= limit ? 'met' : 'missed'}; median of 11`,
      );
    }
  }

  // 4. What users do today: a full page reload of the same app with the same 1 MiB module.
  await serve(root, 'bench-1m.wasm', await counterOfSize(1024 * 1024, 'a'));
  const reloads = [];
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    await page.goto(`${url}?module=bench/bench-1m.wasm`);
    await page.waitForFunction(() => window.hotwasm?.status().name === 'bench-1m' && window.hotwasm.status().state === 'healthy', null, { polling: 2 });
    await page.evaluate(() => window.hotwasm.call('get'));
    reloads.push(Date.now() - t0);
  }
  reloads.sort((x, y) => x - y);
  const reload = reloads[2];
  row('Hot swap vs full page reload, 1 MiB module', reload / latencies['1 MiB playground'], '×', null, '≥ 10× faster, state kept', `page reload → answering ${reload} ms (state lost); hot swap ${latencies['1 MiB playground'].toFixed(1)} ms (state kept)`);
}
