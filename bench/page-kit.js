// Floors and helpers the benchmarks run inside the page (added with page.addScriptTag): every
// figure is compared with what the browser itself does for the same work, measured in the same
// run. Plain browser JavaScript.
(() => {
  const WORKER = `
    const wasi = new Proxy({}, { get: () => () => 0 });
    onmessage = async (event) => {
      const m = event.data;
      if (m.kind === 'echo') return postMessage(m);
      const t0 = performance.now();
      const bytes = m.kind === 'file' ? new Uint8Array(await m.file.arrayBuffer()) : m.bytes;
      const module = await WebAssembly.compile(bytes);
      const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi });
      if (typeof instance.exports._initialize === 'function') instance.exports._initialize();
      postMessage({ id: m.id, ms: performance.now() - t0 });
    };`;

  /** A worker that echoes messages and compiles + instantiates modules, timing that inside itself. */
  function floorWorker() {
    const worker = new Worker(URL.createObjectURL(new Blob([WORKER], { type: 'text/javascript' })));
    let next = 1;
    const ask = (message, transfer = []) =>
      new Promise((resolve) => {
        const id = next++;
        const onMessage = (event) => {
          if (event.data.id !== id) return;
          worker.removeEventListener('message', onMessage);
          resolve(event.data);
        };
        worker.addEventListener('message', onMessage);
        worker.postMessage({ ...message, id }, transfer);
      });
    return {
      /** One bare round trip, ms. */
      async roundTrip() {
        const t0 = performance.now();
        await ask({ kind: 'echo', payload: { type: 'requests', requests: [{ id: 1, op: 'call', fn: 'increment', argJson: '1' }] } });
        return performance.now() - t0;
      },
      /** Mean of `n` sequential round trips, ms (the page clock is coarse: time blocks). */
      async roundTrips(n) {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) await ask({ kind: 'echo' });
        return (performance.now() - t0) / n;
      },
      /** Messages per second, `n` posted in one task and echoed one by one. */
      async pipelined(n) {
        let left = n;
        const done = new Promise((resolve) => {
          const onMessage = () => {
            if (--left === 0) {
              worker.removeEventListener('message', onMessage);
              resolve();
            }
          };
          worker.addEventListener('message', onMessage);
        });
        const t0 = performance.now();
        for (let i = 0; i < n; i++) worker.postMessage({ kind: 'echo', id: -1, payload: { type: 'requests', requests: [{ id: i, op: 'call', fn: 'increment', argJson: '1' }] } });
        await done;
        return n / ((performance.now() - t0) / 1000);
      },
      /** Compile + instantiate (+ _initialize) of a copy of `bytes` inside the worker, ms. */
      async compile(bytes) {
        const copy = bytes.slice();
        return (await ask({ kind: 'bytes', bytes: copy }, [copy.buffer])).ms;
      },
      /** Read `file` + compile + instantiate inside the worker, ms. */
      async compileFile(file) {
        return (await ask({ kind: 'file', file })).ms;
      },
      terminate: () => worker.terminate(),
    };
  }

  /** `bytes` with a custom section appended: the same code under another sha256, which V8 has not compiled before. */
  function variant(bytes, id) {
    const name = new TextEncoder().encode('build');
    const payload = new TextEncoder().encode(`${id}-${Math.random().toString(36).slice(2)}`);
    const body = [name.length, ...name, ...payload];
    const out = new Uint8Array(bytes.length + 2 + body.length);
    out.set(bytes);
    out.set([0, body.length, ...body], bytes.length);
    return out;
  }

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const fetchBytes = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());

  window.benchKit = { floorWorker, variant, median, sleep, fetchBytes };
})();
