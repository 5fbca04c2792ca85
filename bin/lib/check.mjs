/**
 * `hotwasm check <file.wasm>`: conformance to guest ABI v1 (docs/abi.md) before a user finds out
 * the hard way. The static part (src/shared/conformance.ts: imports, exports, lifecycle types,
 * api_version), then the module run as the browser runs it (src/worker/probe.ts) in a worker
 * thread: each step has a timeout, past which the thread is terminated and the step reported as
 * hanging; the next step gets a new thread.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CliError, EXIT } from './errors.mjs';

/**
 * @typedef {import('../../src/shared/conformance').ConformanceCheck} Check
 * @typedef {import('../../src/shared/conformance').StaticConformance} StaticConformance
 * @typedef {import('../../src/shared/conformance').CheckReport} CheckReport
 */

export const DEFAULT_TIMEOUT_MS = 5000;
/** Loading the engine code into a new thread (Vite's module runner in this repository) is not the guest's time. */
const STARTUP_MS = 60_000;

/** One worker thread at a time; a request that outlives its timeout ends the thread. */
class GuestThread {
  /** @type {Worker | null} */ worker = null;
  /** @type {Promise<void> | null} */ ready = null;
  /** @type {Map<number, { resolve(v: any): void, reject(e: Error): void }>} */ pending = new Map();
  next = 1;

  start() {
    const worker = new Worker(new URL('./check-worker.mjs', import.meta.url));
    this.worker = worker;
    this.ready = new Promise((resolveReady, rejectReady) => {
      const timer = setTimeout(() => rejectReady(new CliError(`the check worker did not start within ${STARTUP_MS} ms`, EXIT.failed)), STARTUP_MS);
      worker.on('message', (/** @type {any} */ m) => {
        if (m.ready) {
          clearTimeout(timer);
          resolveReady();
        } else if (m.fatal) rejectReady(new CliError(`the check worker could not load the engine: ${m.fatal}`, EXIT.failed));
        else {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          if (m.error) p?.reject(new Error(m.error));
          else p?.resolve(m.result);
        }
      });
      worker.on('error', (error) => {
        rejectReady(error);
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      });
    });
    return this.ready;
  }

  /**
   * @param {object} request
   * @param {number} timeoutMs
   * @returns {Promise<{ timedOut: true } | { timedOut: false, result: any }>}
   */
  async request(request, timeoutMs) {
    if (!this.worker) await this.start();
    await this.ready;
    const worker = /** @type {Worker} */ (this.worker);
    const id = this.next++;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const answer = new Promise((res, rej) => this.pending.set(id, { resolve: res, reject: rej }));
    worker.postMessage({ ...request, id });
    const late = new Promise((res) => (timer = setTimeout(() => res(null), timeoutMs)));
    const result = await Promise.race([answer.then((r) => ({ r })), late]);
    clearTimeout(timer);
    if (result) return { timedOut: false, result: /** @type {{ r: any }} */ (result).r };
    this.pending.delete(id);
    await this.stop();
    return { timedOut: true };
  }

  async stop() {
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    if (worker) await worker.terminate();
  }
}

/** What each running step is called in a timeout's message. */
const STEP_TEXT = {
  load: 'compiling, instantiating and _initialize',
  run: '_start',
  health_check: 'health_check',
  state: 'the save_state → restore_state round trip',
  garbage: 'restore_state of garbage',
  benchmark: 'benchmark_function',
  memory: 'the 1,000 JSON calls',
};

/**
 * Check `bytes` (the file `file`): the static checks, then, if it can run, each running one.
 * @param {Uint8Array} bytes
 * @param {string} file
 * @param {number} timeoutMs
 * @returns {Promise<CheckReport>}
 */
export async function checkModule(bytes, file, timeoutMs) {
  const label = basename(file);
  const thread = new GuestThread();
  try {
    const first = await thread.request({ step: 'static', bytes, label }, Math.max(timeoutMs, STARTUP_MS));
    if (first.timedOut) throw new CliError(`reading ${label} took over ${Math.max(timeoutMs, STARTUP_MS)} ms`, EXIT.failed);
    /** @type {StaticConformance} */
    const found = first.result;
    const checks = [...found.checks];
    /** @type {CheckReport['apiVersion']} */
    let apiVersion = found.module?.apiVersion ? { value: found.module.apiVersion, source: 'section' } : null;
    const { plan } = found;
    const runnable = found.module && !found.checks.some((c) => c.status === 'fail' && ['format', 'imports', 'memory', 'lifecycle-types', 'api_version'].includes(c.id));
    if (runnable) {
      let loaded = false;
      /** @param {string} step @param {object} [extra] */
      const step = async (step, extra = {}) => {
        if (!loaded) {
          // A new thread (the first, or one after a timeout): load the module into it.
          const load = await thread.request({ step: 'load', bytes, label }, timeoutMs);
          if (load.timedOut) return [{ id: 'load', status: 'fail', message: `${STEP_TEXT.load} did not finish within ${timeoutMs} ms: the module hangs while loading` }];
          loaded = !!thread.worker;
          if (step === 'load') return load.result;
        }
        const answer = await thread.request({ step, ...extra }, timeoutMs);
        if (answer.timedOut) {
          loaded = false;
          return [{ id: step, status: 'fail', message: `${STEP_TEXT[/** @type {keyof STEP_TEXT} */ (step)]} did not answer within ${timeoutMs} ms: it hangs (the thread running it was terminated)` }];
        }
        return [answer.result].flat();
      };
      /** @type {Check[]} */
      const load = await step('load');
      checks.push(...load);
      const fromExport = load.find((c) => c.id === 'api_version' && c.status === 'pass');
      if (fromExport) apiVersion = { value: fromExport.message.replace(/^api_version (\S+).*/, '$1'), source: 'get_api_version' };
      if (load.every((c) => c.status !== 'fail')) {
        if (plan.command) checks.push(...(await step('run')));
        else {
          if (plan.health) checks.push(...(await step('health_check')));
          else checks.push({ id: 'health_check', status: 'skip', message: 'no health_check: the host takes the module as healthy' });
          if (plan.saveRestore) checks.push(...(await step('state')));
          else checks.push({ id: 'state', status: 'skip', message: 'no save_state and restore_state: no state is carried across a hot swap' });
          if (plan.restore) checks.push(...(await step('garbage')));
          let candidates = plan.jsonCandidates;
          if (plan.benchmark) {
            const bench = await step('benchmark');
            checks.push(...bench);
            // A benchmark_function that failed (or hung) would only fail again: count with the next call.
            if (bench.some((/** @type {Check} */ c) => c.status === 'fail')) candidates = candidates.filter((/** @type {string} */ n) => n !== 'benchmark_function');
          }
          if (candidates.length) checks.push(...(await step('memory', { candidates, timeoutMs })));
        }
      }
    }
    /** @type {CheckReport['counts']} */
    const counts = { pass: 0, fail: 0, warn: 0, skip: 0 };
    for (const c of checks) counts[c.status]++;
    return { schema: 1, file, ok: counts.fail === 0, counts, checks, module: found.module, apiVersion, timeoutMs };
  } finally {
    await thread.stop();
  }
}

const MARK = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

/** @param {CheckReport} report */
export function describeReport(report) {
  const width = Math.max(...report.checks.map((c) => c.id.length));
  const lines = report.checks.map((c) => `${MARK[c.status]} ${c.id.padEnd(width)}  ${c.message}`);
  const { pass, fail, warn } = report.counts;
  const notes = [warn ? `${warn} warning${warn === 1 ? '' : 's'}` : '', fail ? `${fail} failed` : ''].filter(Boolean).join(', ');
  lines.push(`${basename(report.file)}: ${fail ? 'does not conform to' : 'conforms to'} guest ABI v1 (${pass} passed${notes ? `, ${notes}` : ''})`);
  return lines.join('\n');
}

export const check = {
  summary: 'check a .wasm against guest ABI v1: imports, exports, api_version, then its lifecycle, run',
  usage: `hotwasm check <file.wasm> [--json] [--timeout-ms <n>]

  Reads the module (imports other than WASI, JSON-callable, raw, lifecycle and malformed exports,
  the api_version and where it came from), then runs it in Node with the browser's WASI shim:
  health_check, a save_state → restore_state round trip on a fresh instance, restore_state of
  garbage (must be refused), benchmark_function, memory growth over 1,000 JSON calls.
  Exit 0 when nothing failed, 1 when something did, 2 for wrong arguments.

  --json               print the report as JSON (schema 1) instead of one line per check
  --timeout-ms <n>     how long each running step may take (default ${DEFAULT_TIMEOUT_MS}); past it, it hangs
  -h, --help           this help`,
  options: { json: { type: 'boolean' }, 'timeout-ms': { type: 'string' } },
  /** @param {any} values @param {string[]} positionals */
  async run(values, positionals) {
    if (positionals.length !== 1) throw new CliError('hotwasm check takes one .wasm file', EXIT.usage);
    const timeoutMs = values['timeout-ms'] === undefined ? DEFAULT_TIMEOUT_MS : Number(values['timeout-ms']);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) throw new CliError(`--timeout-ms ${values['timeout-ms']} is not a number of milliseconds (1 to 600000)`, EXIT.usage);
    const file = positionals[0] ?? '';
    const info = await stat(resolve(file)).catch(() => null);
    if (!info?.isFile()) throw new CliError(`${file} is not a file`, EXIT.usage);
    const bytes = new Uint8Array(await readFile(resolve(file)));
    const report = await checkModule(bytes, file, timeoutMs);
    console.log(values.json ? JSON.stringify(report, null, 2) : describeReport(report));
    if (!report.ok) {
      const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
      throw new CliError(`${basename(file)}: ${failed.length} check${failed.length === 1 ? '' : 's'} failed (${failed.join(', ')})`, EXIT.failed);
    }
  },
};
