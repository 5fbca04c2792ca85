// Call-path benchmarks: sequential, pipelined and batched JSON calls, each against what the
// browser does for the same traffic (a bare postMessage round trip, a bare pipelined echo, the
// same calls made inside the worker).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { open } from './kit.mjs';

export async function benchCalls({ page, url, root, row }) {
  await open(page, url, root);
  const r = await page.evaluate(async () => {
    const { floorWorker, median } = window.benchKit;
    const h = window.hotwasm;
    const fw = floorWorker();
    const out = {};
    await fw.roundTrips(500);
    for (let i = 0; i < 500; i++) await h.call('increment', 1);
    // Sequential: the page clock is coarse without cross-origin isolation (100 µs), so time
    // blocks of 50; interleave with the floor so machine load affects both alike.
    const rt = [];
    const seq = [];
    for (let round = 0; round < 60; round++) {
      rt.push(await fw.roundTrips(50));
      const t0 = performance.now();
      for (let i = 0; i < 50; i++) await h.call('increment', 1);
      seq.push((performance.now() - t0) / 50);
    }
    out.rt = median(rt);
    out.seq = median(seq);

    // Pipelined: 10,000 calls in flight at a time, against 10,000 bare messages echoed one by one.
    const pipelined = [];
    const echoes = [];
    for (let rep = 0; rep < 7; rep++) {
      echoes.push(await fw.pipelined(10_000));
      const t0 = performance.now();
      await Promise.all(Array.from({ length: 10_000 }, () => h.call('increment', 1)));
      pipelined.push(10_000 / ((performance.now() - t0) / 1000));
    }
    out.pipelined = median(pipelined);
    out.echo = median(echoes);

    // Batched: 1000 calls per message, against the same calls made directly inside the worker.
    const args = Array(1000).fill(1);
    for (let i = 0; i < 20; i++) await h.callBatch('increment', args);
    const reps = 200;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await h.callBatch('increment', args);
    const ms = performance.now() - t0;
    out.batch = (reps * 1000) / (ms / 1000);
    out.batchMs = ms / reps;
    await h.measure('increment', 1, 20_000);
    out.inWorkerNs = (await h.measure('increment', 1, 200_000)).nsPerCall;
    fw.terminate();
    return out;
  });
  const addNs = await page.evaluate(async (bytes) => {
    const h = window.hotwasm;
    await h.load(new Uint8Array(bytes), { name: 'bad-calls' });
    await h.module('bad-calls').measure('add', undefined, 1_000_000, true);
    const m = await h.module('bad-calls').measure('add', undefined, 10_000_000, true);
    h.unload('bad-calls');
    return m.nsPerCall;
  }, [...(await readFile(join(root, 'fixtures', 'bad-calls.wasm')))]);

  row('Sequential JSON call', r.seq * 1000, 'µs', r.rt * 1000, { le: 1.5 }, 'median of 60 blocks of 50 awaited calls; floor: a bare postMessage round trip to an echo worker');
  row('Pipelined JSON calls', r.pipelined, 'calls/s', r.echo, { ge: 0.5 }, '10,000 in flight; floor: 10,000 bare messages to an echo worker, answered one by one');
  row('Batched JSON calls (1000/message)', r.batch, 'calls/s', 1e9 / r.inWorkerNs, { ge: 0.3 }, `floor: the same calls made directly inside the worker; ${r.batchMs.toFixed(2)} ms per batch`);
  row('JSON call inside the worker', r.inWorkerNs, 'ns', null, null, 'the floor of the row above');
  row('Trivial raw export inside the worker', addNs, 'ns', null, null, 'a direct call of a numeric export, for reference');
}
