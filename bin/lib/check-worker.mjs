/**
 * The worker thread `hotwasm check` runs a guest in, so that a step that never returns (a guest
 * in an endless loop) is ended by terminating this thread. One request at a time:
 * `{ id, step, ... }` → `{ id, result }` or `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads';
import { loadProbe } from './engine.mjs';

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/** @type {Awaited<ReturnType<typeof loadProbe>>} */
let engine;
try {
  engine = await loadProbe();
} catch (error) {
  port.postMessage({ fatal: error instanceof Error ? error.message : String(error) });
  throw error;
}

/** @type {any} a Probe (src/worker/probe.ts) once a load succeeded */
let probe = null;

/** @param {any} request */
async function handle(request) {
  const { step, bytes, label } = request;
  if (step === 'static') return engine.conformance(bytes, label);
  if (step === 'load') {
    const loaded = await engine.Probe.load(bytes, label);
    probe = loaded.probe;
    return loaded.checks;
  }
  if (!probe) throw new Error(`check-worker: ${step} before a successful load`);
  if (step === 'run') return probe.run();
  if (step === 'health_check') return probe.health();
  if (step === 'state') return probe.roundTrip();
  if (step === 'garbage') return probe.refusesGarbage();
  if (step === 'benchmark') return probe.benchmark();
  if (step === 'memory') return probe.growth(request.candidates, request.timeoutMs);
  throw new Error(`check-worker: unknown step ${step}`);
}

port.on('message', async (/** @type {any} */ request) => {
  try {
    port.postMessage({ id: request.id, result: await handle(request) });
  } catch (error) {
    port.postMessage({ id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
port.postMessage({ ready: true });
