/**
 * The page's side of the WAT toolchain: `compile` and `toText` as promises of result values,
 * answered by one worker that starts on first use. No call is ever lost: pending requests wait
 * in a Map by id; a request that runs past `timeoutMs` stops the worker (only terminate() stops
 * wabt stuck in a loop) and every pending request is answered; a worker that crashes answers
 * them too, and the next call starts a fresh one. Nothing here throws for a WAT error.
 */
import { messageOf } from '../shared/errors';
import { type CompileResult, type ToTextResult, type WatOp, type WatRequestOf, type WatResultOf, requestTransferables, watSpecOf } from './protocol';

export type { CompileResult, ToTextResult, WatDiagnostic } from './protocol';

/**
 * How long one request may run before the worker is stopped. Measured in a Vite build in Debian's
 * Chromium (2-core AMD EPYC VM): the first compile of counter.wat, with the worker's start and
 * wabt's load, answered in 0.4–0.8 s; later ones in ~2 ms (~1 ms of it in wabt).
 */
export const DEFAULT_WAT_TIMEOUT_MS = 10_000;

export interface WatToolchainOptions {
  /** Makes the compiler's worker; tests pass a fake. Default: the bundled wat.worker.ts, as a module worker. */
  workerFactory?: () => Worker;
  /** How long one request may run before the worker is stopped and every pending request answered (default 10 s). */
  timeoutMs?: number;
}

export interface WatToolchain {
  /** WAT text to a WebAssembly binary; `filename` names the text in messages. */
  compile(text: string, filename: string): Promise<CompileResult>;
  /** A binary as WAT text. The bytes are copied: the caller keeps theirs. */
  toText(bytes: Uint8Array): Promise<ToTextResult>;
  /** Stops the worker; pending and later calls are answered with `ok: false`. */
  dispose(): void;
}

function bundledWorker(): Worker {
  // The same pattern as the guest worker in src/core/engine.ts: Vite bundles the file (and wabt) as its own chunk.
  return new Worker(new URL('./wat.worker.ts', import.meta.url), { type: 'module', name: 'hotwasm WAT compiler' });
}

interface Pending {
  op: WatOp;
  settle(result: unknown): void;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const seconds = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);

export function createWatToolchain(options: WatToolchainOptions = {}): WatToolchain {
  const workerFactory = options.workerFactory ?? bundledWorker;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAT_TIMEOUT_MS;
  // In send order, which is the order the worker answers in: the first is the one running.
  const pending = new Map<number, Pending>();
  let worker: Worker | null = null;
  let nextId = 1;
  let watchdog: { id: number; timer: ReturnType<typeof setTimeout> } | null = null;
  let disposedMessage: string | null = null;

  const answer = (entry: Pending, message: string) => entry.settle(watSpecOf(entry.op).failure(message));

  /** Stop the worker and answer every pending request with `message`; the next call starts a fresh worker. */
  function stop(message: string): void {
    worker?.terminate();
    worker = null;
    if (watchdog) clearTimeout(watchdog.timer);
    watchdog = null;
    const entries = [...pending.values()];
    pending.clear();
    for (const entry of entries) answer(entry, message);
  }

  /** Watch the request that is running (the oldest pending): it alone is given `timeoutMs`, from when it started. */
  function watch(): void {
    const head = pending.keys().next();
    if (head.done) {
      if (watchdog) clearTimeout(watchdog.timer);
      watchdog = null;
      return;
    }
    if (watchdog?.id === head.value) return;
    if (watchdog) clearTimeout(watchdog.timer);
    watchdog = { id: head.value, timer: setTimeout(() => stop(`The WAT compiler did not answer within ${seconds(timeoutMs)} and was stopped`), timeoutMs) };
  }

  function onReply(data: unknown): void {
    if (!isObject(data) || typeof data.id !== 'number') return; // not a reply of ours
    const entry = pending.get(data.id);
    if (!entry) return; // answered already (the worker was stopped under it)
    pending.delete(data.id);
    watch();
    if (data.op === entry.op && watSpecOf(entry.op).check(data.result)) entry.settle(data.result);
    else answer(entry, 'The WAT compiler sent an answer of the wrong shape');
  }

  function start(): Worker {
    const started = workerFactory();
    started.addEventListener('message', (event: MessageEvent) => {
      if (worker === started) onReply(event.data);
    });
    started.addEventListener('error', (event: ErrorEvent) => {
      if (worker !== started) return;
      event.preventDefault?.();
      stop(`The WAT compiler stopped: ${event.message || 'its worker failed to start or threw'}`);
    });
    started.addEventListener('messageerror', () => {
      if (worker === started) stop('The WAT compiler stopped: a message to or from it could not be read');
    });
    return started;
  }

  function send<O extends WatOp>(request: WatRequestOf<O>): Promise<WatResultOf<O>> {
    return new Promise((resolve) => {
      const entry: Pending = { op: request.op, settle: resolve as (result: unknown) => void };
      if (disposedMessage !== null) return answer(entry, disposedMessage);
      try {
        worker ??= start();
        pending.set(request.id, entry);
        watch();
        worker.postMessage(request, requestTransferables(request));
      } catch (error) {
        pending.delete(request.id);
        watch();
        answer(entry, `The WAT compiler could not be asked: ${messageOf(error)}`);
      }
    });
  }

  return {
    compile: (text, filename) => send({ op: 'compile', id: nextId++, text, filename }),
    // A copy of exactly the bytes, moved to the worker: the caller's array stays theirs, and intact.
    toText: (bytes) => send({ op: 'toText', id: nextId++, bytes: bytes.slice() }),
    dispose() {
      disposedMessage = 'The WAT toolchain was disposed';
      stop(disposedMessage);
    },
  };
}
