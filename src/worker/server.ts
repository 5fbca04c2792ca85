/**
 * The worker's request server: hosts one guest and serves the page's requests in the order they
 * arrive, one at a time. Kept apart from the worker entry so tests can run it in-process.
 *
 * Synchronous calls are served straight from the message handler; asynchronous requests (load,
 * instantiate, run) hold the requests behind them until they finish. Each reply leaves before the
 * next request starts: if a request never returns (a runaway guest), the page knows exactly which
 * requests finished, so none is reported as timed out, or sent again, by mistake. (Posting
 * replies in bulk was 3× faster for pipelined calls but could not tell that; `batch` keeps one
 * message for many calls.)
 */
import { HotwasmError, serializeError } from '../shared/errors';
import type { FromWorker, Reply, Request, ToWorker } from '../shared/protocol';
import { Guest } from './guest';
import { GuestOutput } from './output';

export type Post = (message: FromWorker, transfer: Transferable[]) => void;

export class WorkerServer {
  private guest: Guest | null = null;
  /** A second instance kept untouched for a cutover (see `prepareFresh`). */
  private fresh: Guest | null = null;
  private replies: Reply[] = [];
  private transfer: Transferable[] = [];
  /** Requests not served yet, in arrival order (`next` indexes the first). */
  private backlog: Request[] = [];
  private next = 0;
  private busy = false;
  private readonly output: GuestOutput;

  constructor(private readonly post: Post) {
    this.output = new GuestOutput((stream, text) => post({ type: 'output', stream, text }, []));
  }

  receive(message: ToWorker): void {
    if (message?.type !== 'requests') return;
    // No push(...spread): a message may hold more requests than a call has argument slots.
    for (const request of message.requests) this.backlog.push(request);
    if (!this.busy) void this.drain();
  }

  private flush(): void {
    // Output first: a call's stdout must reach the page before its reply does.
    this.output.flush();
    if (this.replies.length > 0) {
      this.post({ type: 'replies', replies: this.replies }, this.transfer);
      this.replies = [];
      this.transfer = [];
    }
  }

  private needGuest(): Guest {
    if (!this.guest) throw new HotwasmError('not-loaded', 'No module is loaded in this worker');
    return this.guest;
  }

  /** Serve one request; returns a promise only for asynchronous operations. */
  private serve(request: Request): unknown {
    switch (request.op) {
      case 'call':
        return this.needGuest().callJson(request.fn, request.argJson);
      case 'callRaw':
        return this.needGuest().callRaw(request.fn, request.args);
      case 'batch':
        return this.needGuest().batch(request.fn, request.argsJson);
      case 'measure': {
        const totalMs = this.needGuest().measure(request.fn, request.argJson, request.iterations);
        return { iterations: request.iterations, totalMs, nsPerCall: (totalMs * 1e6) / request.iterations };
      }
      case 'ping':
        return null;
      case 'load':
        return readData(request.data)
          .then((bytes) => Guest.load(bytes, request.options, this.output))
          .then(({ guest, loaded }) => {
            this.guest = guest;
            return loaded;
          });
      case 'instantiate':
        return Guest.instantiate(request.module, request.layout, request.options, this.output).then(({ guest, instantiateMs }) => {
          this.guest = guest;
          return { instantiateMs };
        });
      case 'run':
        return this.needGuest().runCommand(request.args, request.env);
      case 'saveState': {
        const t0 = performance.now();
        const state = this.needGuest().saveState();
        if (state) this.transfer.push(state.buffer);
        return { state, ms: performance.now() - t0 };
      }
      case 'restoreState': {
        const t0 = performance.now();
        const code = this.needGuest().restoreState(request.state);
        return { code, ms: performance.now() - t0 };
      }
      case 'health':
        return this.needGuest().health();
      case 'benchmark': {
        const t0 = performance.now();
        this.needGuest().callJson('benchmark_function', request.argJson);
        return { ms: performance.now() - t0 };
      }
      case 'prepareFresh': {
        const g = this.needGuest();
        return Guest.instantiate(g.module, g.layout, g.options, this.output).then(({ guest, instantiateMs }) => {
          this.fresh = guest;
          return { instantiateMs };
        });
      }
      case 'useFresh':
        if (!this.fresh) throw new HotwasmError('internal', 'No fresh instance was prepared');
        this.guest = this.fresh;
        this.fresh = null;
        return null;
      default: {
        const unknown: never = request;
        throw new HotwasmError('internal', `Unknown request ${JSON.stringify(unknown)}`);
      }
    }
  }

  private settle(id: number, fn: () => unknown): Promise<void> | void {
    let value: unknown;
    try {
      value = fn();
    } catch (error) {
      this.replies.push({ id, ok: false, error: serializeError(error) });
      return;
    }
    if (value instanceof Promise) {
      return value.then(
        (v: unknown) => void this.replies.push({ id, ok: true, value: v }),
        (error: unknown) => void this.replies.push({ id, ok: false, error: serializeError(error) }),
      );
    }
    this.replies.push({ id, ok: true, value });
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.next < this.backlog.length) {
        const request = this.backlog[this.next++]!;
        // Replies already made leave before the next request starts: if that one never returns,
        // the page knows exactly which requests finished and which did not.
        if (this.replies.length > 0) this.flush();
        const pending = this.settle(request.id, () => this.serve(request));
        if (pending) {
          await pending;
          this.flush();
        }
      }
    } finally {
      this.busy = false;
      this.backlog = [];
      this.next = 0;
      this.flush();
    }
  }
}

async function readData(data: Uint8Array | Blob): Promise<Uint8Array> {
  return data instanceof Uint8Array ? data : new Uint8Array(await data.arrayBuffer());
}
