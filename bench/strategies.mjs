// Production strategies (#14): a pool's throughput on a CPU-bound export, calls during each
// kind of deployment under continuous load, the longest call of a blue-green switch beside an
// ordinary swap's pause, and what a canary's bookkeeping costs every call.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mainThreadMs, open, serve } from './kit.mjs';

/** The in-page helpers this bench shares between its page.evaluate calls (plain browser JavaScript). */
const KIT = `(() => {
  const h = window.hotwasm;
  /**
   * \`callers\` concurrent callers, each making sequential calls of \`call()\` until stop(): every
   * call's start and latency, the failures, and whether a caller's answers came back out of the
   * order it sent them in.
   */
  function load(call, callers) {
    let running = true;
    const calls = [];
    const errors = [];
    let reordered = 0;
    const tasks = Array.from({ length: callers }, async () => {
      let sent = 0;
      let answered = 0;
      while (running) {
        const seq = sent++;
        const t0 = performance.now();
        try {
          await call();
        } catch (error) {
          errors.push(String(error?.message ?? error));
        }
        if (seq !== answered) reordered++;
        answered = seq + 1;
        calls.push({ t0, ms: performance.now() - t0 });
      }
    });
    return {
      async stop() {
        running = false;
        await Promise.all(tasks);
        return { calls, errors, reordered };
      },
    };
  }
  /** The longest call that overlapped [from, to]. */
  const longest = (calls, from, to) => Math.max(0, ...calls.filter((c) => c.t0 <= to && c.t0 + c.ms >= from).map((c) => c.ms));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const bytesOf = async (u) => new Uint8Array(await (await fetch(u)).arrayBuffer());
  window.strategiesKit = { h, load, longest, median, sleep, bytesOf };
})();`;

const CALLERS = 8;

/** 3, in the page: the longest call of a blue-green switch (pool of 2) vs an ordinary swap's pause (pool of 1), under the same load. */
async function switchVsSwap({ a, b, callers }) {
  const { h, load, longest, median, bytesOf, sleep } = window.strategiesKit;
  h.configure({ probation_ms: 0 });
  const builds = [await bytesOf(b), await bytesOf(a)];
  await h.load(builds[1].slice(), { name: 'sw' });
  const m = h.module('sw');
  let next = 0;
  const build = () => builds[next++ % 2].slice();
  const underLoad = async (move) => {
    const l = load(() => m.call('increment', 1), callers);
    await sleep(100);
    const t0 = performance.now();
    const end = await move();
    const t1 = performance.now();
    await sleep(50);
    const r = await l.stop();
    // A blue-green deployment's switch is from its green pool being ready to its end (the staging
    // before it is the deployment's, not the switch's); an ordinary swap is measured whole.
    return { end, failed: r.errors.length, longest: longest(r.calls, end.switchAt ?? t0, t1), whole: longest(r.calls, t0, t1) };
  };
  const deploy = (strategy) => async () => {
    let switchAt = null;
    const stop = h.subscribe((e) => {
      // The switch follows "green pool ready" at once (its 'switching' phase is not announced: the news would lengthen the hold).
      if (e.type === 'deployment' && e.module === 'sw' && switchAt === null && e.status.decisions.at(-1)?.text.startsWith('green pool ready')) switchAt = performance.now();
    });
    const d = await h.deploy(build(), { name: 'sw', strategy });
    const s = await d.done;
    stop();
    if (s.outcome !== 'promoted') next--;
    return { outcome: s.outcome, pauseMs: h.history('sw')[0]?.cutover?.pauseMs ?? null, switchAt };
  };
  // 3. The longest call of a blue-green switch (pool of 2) vs an ordinary swap's pause (pool of 1).
  const bg = [];
  const bgPause = [];
  const bgWhole = [];
  const single = [];
  const singleLongest = [];
  for (let rep = 0; rep < 9; rep++) {
    await h.scale('sw', 2);
    const g = await underLoad(deploy({ kind: 'blue-green' }));
    if (g.end.outcome === 'promoted') {
      bg.push(g.longest);
      bgWhole.push(g.whole);
      bgPause.push(g.end.pauseMs);
    }
    await h.scale('sw', 1);
    const s = await underLoad(async () => {
      await h.load(build(), { name: 'sw' });
      return { pauseMs: h.history('sw')[0].cutover?.pauseMs ?? null };
    });
    if (s.end.pauseMs !== null) {
      single.push(s.end.pauseMs);
      singleLongest.push(s.longest);
    }
  }
  return { longest: median(bg), whole: median(bgWhole), pause: median(bgPause), single: median(single), singleLongest: median(singleLongest), n: bg.length, m: single.length, worst: Math.max(...bg) };
  h.unload('sw');
}

export async function benchStrategies({ page, cdp, url, root, row }) {
  const counterA = await serve(root, 'strategies-counter-a.wasm', await readFile(join(root, 'public/examples/counter.wasm')));
  const counterB = await serve(root, 'strategies-counter-b.wasm', await readFile(join(root, 'fixtures/swap/counter-b.wasm')));
  const work = await serve(root, 'strategies-work.wasm', await readFile(join(root, 'fixtures/swap/counter-work.wasm')));
  await open(page, url, root);
  await page.addScriptTag({ content: KIT });
  await page.evaluate(() => window.hotwasm.configure({ probation_ms: 0 }));

  // 1. Pool throughput: work(n) sized to ~10 ms from 8 callers, 1 instance vs 2, interleaved; and
  // beside it the machine's own scaling: the same callers on 1 vs 2 bare workers spinning as long.
  const tp = await page.evaluate(
    async ({ work, callers }) => {
      const { h, load, median, sleep, bytesOf } = window.strategiesKit;
      await h.load(await bytesOf(work), { name: 'work' });
      const m = h.module('work');
      const probe = await m.measure('work', 100, 20);
      const n = Math.max(1, Math.round((100 * 10e6) / probe.nsPerCall));
      const callMs = (await m.measure('work', n, 10)).nsPerCall / 1e6;
      const round = async (call) => {
        const warm = load(call, callers);
        await sleep(300); // both instances busy, V8's tiers settled
        await warm.stop();
        const t0 = performance.now();
        const l = load(call, callers);
        await sleep(2000);
        const r = await l.stop();
        return { perSec: r.calls.length / ((performance.now() - t0) / 1000), errors: r.errors.length };
      };
      // Bare workers: each call runs a fixed number of xorshift blocks (calibrated to callMs on an
      // idle worker) and answers by postMessage: what the machine gives two workers, no engine.
      const SPIN = 'const block = (x) => { for (let i = 0; i < 1000; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; } return x; }; onmessage = (e) => { let x = 1; if (e.data.calibrate) { let blocks = 0; const end = performance.now() + e.data.calibrate; while (performance.now() < end) { x = block(x); blocks++; } return postMessage({ blocks, x }); } for (let b = 0; b < e.data.blocks; b++) x = block(x); postMessage({ id: e.data.id, x }); };';
      const spinWorker = () => new Worker(URL.createObjectURL(new Blob([SPIN], { type: 'text/javascript' })));
      const calibrator = spinWorker();
      const calibrate = (ms) => new Promise((resolve) => { calibrator.onmessage = (e) => resolve(e.data.blocks); calibrator.postMessage({ calibrate: ms }); });
      await calibrate(200);
      const blocks = Math.round(Math.max(...[await calibrate(100), await calibrate(100), await calibrate(100)]) * (callMs / 100));
      calibrator.terminate();
      const bare = (count) => {
        const workers = Array.from({ length: count }, spinWorker);
        const waiting = new Map();
        const busy = workers.map(() => 0);
        let id = 0;
        workers.forEach((w, k) => (w.onmessage = (e) => { busy[k]--; waiting.get(e.data.id)(); waiting.delete(e.data.id); }));
        return {
          call: () => new Promise((resolve) => {
            const k = busy.indexOf(Math.min(...busy));
            busy[k]++;
            waiting.set(++id, resolve);
            workers[k].postMessage({ id, blocks });
          }),
          terminate: () => workers.forEach((w) => w.terminate()),
        };
      };
      const one = [];
      const two = [];
      const bare1 = [];
      const bare2 = [];
      const split = [];
      let errors = 0;
      for (let rep = 0; rep < 3; rep++) {
        await h.scale('work', 1);
        const a = await round(() => m.call('work', n));
        await h.scale('work', 2);
        const before = h.pool('work').map((v) => v.calls);
        const b = await round(() => m.call('work', n));
        split.push(h.pool('work').map((v, i) => v.calls - (before[i] ?? 0)));
        one.push(a.perSec);
        two.push(b.perSec);
        errors += a.errors + b.errors;
        for (const [count, into] of [[1, bare1], [2, bare2]]) {
          const w = bare(count);
          into.push((await round(w.call)).perSec);
          w.terminate();
        }
      }
      h.unload('work');
      return { n, callMs, one: median(one), two: median(two), bare1: median(bare1), bare2: median(bare2), errors, split: split.at(-1) };
    },
    { work, callers: CALLERS },
  );
  row('Pool of 2, CPU-bound export: calls/s', tp.two, 'calls/s', tp.one, { ge: 1.7 }, `work(${tp.n}), ${tp.callMs.toFixed(1)} ms inside the worker, ${CALLERS} sequential callers; floor: the same at 1 instance; medians of 3 interleaved rounds of 2 s; the last round's calls per instance ${tp.split.join(' / ')}; ${tp.errors} failed; bare workers doing as much xorshift in JS, same callers: 2 give ${(tp.bare2 / tp.bare1).toFixed(2)}× the calls/s of 1 (${Math.round(tp.bare1)} → ${Math.round(tp.bare2)})`);

  // 2 + 3. Deployments under continuous load: 8 sequential callers of increment throughout.
  const deploys = await page.evaluate(
    async ({ a, b, callers }) => {
      const { h, load, longest, median, bytesOf } = window.strategiesKit;
      const builds = [await bytesOf(b), await bytesOf(a)];
      await h.load(builds[1].slice(), { name: 'sc' });
      const m = h.module('sc');
      let next = 0;
      const build = () => builds[next++ % 2].slice();
      const out = {};
      /** Run `move` (answers when the deployment or update is over) under load: calls, failures, order, the longest call. */
      const underLoad = async (move) => {
        const l = load(() => m.call('increment', 1), callers);
        await new Promise((r) => setTimeout(r, 100));
        const t0 = performance.now();
        const end = await move();
        const t1 = performance.now();
        await new Promise((r) => setTimeout(r, 50));
        const r = await l.stop();
        return { end, ms: t1 - t0, calls: r.calls.length, failed: r.errors.length, firstError: r.errors[0] ?? null, reordered: r.reordered, longest: longest(r.calls, t0, t1) };
      };
      const deploy = (strategy) => async () => {
        const d = await h.deploy(build(), { name: 'sc', strategy });
        const s = await d.done;
        if (s.outcome !== 'promoted') next--; // the other build still serves: deploy the same one again
        return { outcome: s.outcome, reason: s.reason, pauseMs: h.history('sc')[0]?.cutover?.pauseMs ?? null };
      };
      for (const [label, size, strategy] of [
        ['blue-green, pool of 2', 2, { kind: 'blue-green' }],
        ['rolling (batch 1), pool of 3', 3, { kind: 'rolling', batch_size: 1 }],
        ['canary (10 %), pool of 2', 2, { kind: 'canary', traffic_percentage: 10, min_calls: 100, min_ms: 1000 }],
      ]) {
        await h.scale('sc', size);
        const runs = [];
        for (let rep = 0; rep < 3; rep++) runs.push(await underLoad(deploy(strategy)));
        out[label] = {
          failed: runs.reduce((s, r) => s + r.failed, 0),
          reordered: runs.reduce((s, r) => s + r.reordered, 0),
          calls: runs.reduce((s, r) => s + r.calls, 0),
          outcomes: runs.map((r) => r.end.outcome),
          reason: runs.filter((r) => r.end.reason).map((r) => `${r.end.outcome}: ${r.end.reason}`).join('; ') || null,
          firstError: runs.find((r) => r.firstError)?.firstError ?? null,
          ms: median(runs.map((r) => r.ms)),
        };
      }
      h.unload('sc');
      return out;
    },
    { a: counterA, b: counterB, callers: CALLERS },
  );
  for (const [label, r] of Object.entries(deploys)) {
    row(`Deploy under load, ${label}: failed / reordered calls`, r.failed + r.reordered, 'calls', null, { zero: true }, `${r.failed} failed, ${r.reordered} reordered of ${r.calls.toLocaleString('en-US')} calls from ${CALLERS} sequential callers over 3 deployments (${r.outcomes.join(', ')}; median ${r.ms.toFixed(0)} ms each)${r.firstError ? `; first error: ${r.firstError}` : ''}${r.reason ? `; ${r.reason}` : ''}`);
  }
  for (const [where, at] of [
    ['playground', url],
    ['engine.html', `${url}engine.html`],
  ]) {
    if (where !== 'playground') {
      await open(page, at, root);
      await page.addScriptTag({ content: KIT });
    }
    const sw = await page.evaluate(switchVsSwap, { a: counterA, b: counterB, callers: CALLERS });
    row(`Longest call during a blue-green switch, pool of 2, ${where}`, sw.longest, 'ms', sw.single, { le: 1, plus: 1 }, `floor: an ordinary swap's pause (history cutover.pauseMs) at 1 instance under the same load, whose longest call was ${sw.singleLongest.toFixed(2)} ms; the switch's own pause ${sw.pause.toFixed(2)} ms; the longest call over the whole deployment (staging included) ${sw.whole.toFixed(2)} ms; worst of ${sw.n}: ${sw.worst.toFixed(2)} ms; medians of ${sw.n} and ${sw.m} runs, ${CALLERS} sequential callers`);
  }
  await open(page, url, root);
  await page.addScriptTag({ content: KIT });

  // 4. The canary's bookkeeping on the call path: get, 10,000 in flight, on a pool of 2. What a
  // call costs the page's thread (its task time per call, CDP Performance.getMetrics) is the call
  // path; calls per second beside it also measure capacity: at 0 % every call goes to the one
  // baseline instance, where the floor spreads them over two.
  await page.evaluate(
    async ({ a, b }) => {
      const { h, bytesOf } = window.strategiesKit;
      await h.load(await bytesOf(a), { name: 'cb' });
      await h.scale('cb', 2);
      window.cbKit = { b: await bytesOf(b) };
    },
    { a: counterA, b: counterB },
  );
  const CALLS = 10_000;
  const burst = async () => {
    const before = await mainThreadMs(cdp);
    const perSecond = await page.evaluate(async (n) => {
      const m = window.hotwasm.module('cb');
      const t0 = performance.now();
      await Promise.all(Array.from({ length: n }, () => m.call('get')));
      return n / ((performance.now() - t0) / 1000);
    }, CALLS);
    return { us: ((await mainThreadMs(cdp)) - before) * 1000 / CALLS, perSecond };
  };
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  /** Bursts of one condition: the median task time per call and calls/s. */
  const measure = async (bursts) => {
    const xs = [];
    for (let i = 0; i < bursts; i++) xs.push(await burst());
    return xs;
  };
  const startCanary = (percent) =>
    page.evaluate(async (percent) => {
      const { h, sleep } = window.strategiesKit;
      const d = await h.deploy(window.cbKit.b.slice(), { name: 'cb', strategy: { kind: 'canary', traffic_percentage: percent, min_calls: 1e9, min_ms: 0 } });
      window.cbKit.d = d;
      while (d.status().phase !== 'canary') {
        if (d.status().outcome) throw new Error(`the canary ended: ${d.status().reason}`);
        await sleep(5);
      }
    }, percent);
  const stopCanary = () =>
    page.evaluate(async () => {
      const d = window.cbKit.d;
      d.abort();
      const end = await d.done;
      if (end.outcome !== 'aborted') throw new Error(`the canary ended ${end.outcome}: ${end.reason}`);
    });
  await measure(5); // warm
  const runs = { none: [], zero: [], ten: [] };
  for (let rep = 0; rep < 7; rep++) {
    runs.none.push(...(await measure(3)));
    for (const [key, percent] of [['zero', 0], ['ten', 10]]) {
      await startCanary(percent);
      runs[key].push(...(await measure(3)));
      await stopCanary();
    }
  }
  await page.evaluate(() => window.hotwasm.unload('cb'));
  const cb = Object.fromEntries(Object.entries(runs).map(([k, xs]) => [k, { us: median(xs.map((x) => x.us)), perSecond: median(xs.map((x) => x.perSecond)) }]));
  const note = (key) =>
    `floor: the same pool with no deployment; the page's task time per call, ${CALLS.toLocaleString('en')} get calls in flight, medians of 21 bursts interleaved with the floor's; calls/s ${Math.round(cb[key].perSecond).toLocaleString('en')} vs ${Math.round(cb.none.perSecond).toLocaleString('en')} (capacity too: the canary's share is not the baseline's); the canary never judged (min_calls 1e9), then aborted`;
  row('Canary bookkeeping: task time per call, pool of 2, canary at 0 %', cb.zero.us, 'µs', cb.none.us, { le: 1.05 }, note('zero'));
  row('Canary bookkeeping: task time per call, pool of 2, canary at 10 %', cb.ten.us, 'µs', cb.none.us, { le: 1.05 }, note('ten'));
}
