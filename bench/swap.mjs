// Hot-swap benchmarks: no call fails or is reordered across 100 updates under load, and the
// pause of a cutover that holds calls, beside save_state + restore_state + a round trip.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { watToWasm } from '../scripts/wat.mjs';
import { open, serve } from './kit.mjs';

/** Append a custom section: the same code under another sha256. */
function withBuildId(bytes, id) {
  const name = new TextEncoder().encode('build');
  const payload = new TextEncoder().encode(id);
  const body = [name.length, ...name, ...payload];
  return new Uint8Array([...bytes, 0, body.length, ...body]);
}

export async function benchSwap({ page, url, root, row }) {
  const counterA = await serve(root, 'counter-a.wasm', await readFile(join(root, 'public/examples/counter.wasm')));
  const counterB = await serve(root, 'counter-b.wasm', await readFile(join(root, 'fixtures/swap/counter-b.wasm')));

  // 1. 100 alternating updates under continuous pipelined load: no call may fail or be reordered.
  await open(page, url, root);
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
  row(`100 alternating updates under load: failed / reordered calls`, load.failed + load.reordered, 'calls', null, { zero: true }, `${load.failed} failed, ${load.reordered} reordered of ${load.calls.toLocaleString('en-US')} calls at ${Math.round(load.perSec).toLocaleString('en-US')} calls/s; ${load.committed} updates committed`);

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
    row(`Swap pause, ${label} state`, r.pause, 'ms', r.floor, { le: 1, plus: 1 }, `floor: save_state + restore_state + 1 round trip; excess ${(r.pause - r.floor).toFixed(2)} ms; slowest call during a swap ${r.observed.toFixed(2)} ms; medians of the ${r.held} of 12 cutovers that held calls`);
  }
}
