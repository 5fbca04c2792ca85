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
import { parseSemver } from '../shared/abi';
import { HotwasmError, reviveError, serializeError } from '../shared/errors';
import { type FromWorker, type LoadedGuest, PIPELINE_OPS, type Reply, type Request, type ResultOf, type StateMessage, type ToWorker } from '../shared/protocol';
import { Guest } from './guest';
import { GuestOutput } from './output';

export type Post = (message: FromWorker, transfer: Transferable[]) => void;

export class WorkerServer {
  private guest: Guest | null = null;
  private loaded: LoadedGuest | null = null;
  /** An untouched instance made ahead for a cutover (`prepare`), until `renew`. */
  private prepared: Guest | null = null;
  /** An update pipeline step failed or refused here: later steps are skipped (see PIPELINE_OPS). */
  private pipelineFailed = false;
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
          .then((bytes) => Guest.load(bytes, request.options, this.output).then((result) => ({ ...result, bytes })))
          .then(({ guest, loaded, bytes }): ResultOf['load'] => {
            this.guest = guest;
            this.loaded = loaded;
            this.pipelineFailed = false;
            // Compiled, inspected and hashed: the bytes are no longer needed here.
            const buffer = bytes.byteOffset === 0 && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : null;
            if (buffer) this.transfer.push(buffer);
            return { ...loaded, buffer };
          });
      case 'instantiate': {
        const { guest, instantiateMs } = Guest.instantiate(request.module, request.layout, request.options, this.output);
        this.guest = guest;
        return { instantiateMs };
      }
      case 'run':
        return this.needGuest().runCommand(request.args, request.env);
      case 'saveState':
        return this.saveState(request.to);
      case 'restoreState': {
        const t0 = performance.now();
        const code = this.needGuest().restoreState(request.state);
        return { code, ms: performance.now() - t0 };
      }
      case 'checkApi': {
        const loaded = this.loaded;
        if (!loaded) throw new HotwasmError('not-loaded', 'No module is loaded in this worker');
        const major = parseSemver(loaded.apiVersion ?? '')?.major;
        const compatible = request.apiMajor === null || major === undefined || major === request.apiMajor;
        return this.verdict({ compatible }, !compatible);
      }
      case 'benchmark': {
        const guest = this.needGuest();
        if (!guest.has('benchmark_function')) return null;
        const t0 = performance.now();
        guest.callJson('benchmark_function', request.argJson);
        const ms = performance.now() - t0;
        return this.verdict({ ms }, ms > request.budgetMs);
      }
      case 'receiveState':
        return this.receiveState(request.from);
      case 'health': {
        const health = this.needGuest().health();
        return this.verdict(health, health !== null && !health.healthy);
      }
      case 'prepare': {
        const g = this.needGuest();
        const { guest, instantiateMs } = Guest.instantiate(g.module, g.layout, g.options, this.output);
        this.prepared = guest;
        return { instantiateMs };
      }
      case 'renew': {
        const g = this.needGuest();
        const t0 = performance.now();
        this.guest = this.prepared ?? Guest.instantiate(g.module, g.layout, g.options, this.output).guest;
        this.prepared = null;
        return { instantiateMs: performance.now() - t0 };
      }
      default: {
        const unknown: never = request;
        throw new HotwasmError('internal', `Unknown request ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** An answer that is a refusal closes the pipeline gate (later steps are skipped). */
  private verdict<T>(value: T, refused: boolean): T {
    if (refused) this.pipelineFailed = true;
    return value;
  }

  private saveState(to: MessagePort | undefined): ResultOf['saveState'] {
    const t0 = performance.now();
    let state: Uint8Array | null;
    try {
      state = this.needGuest().saveState();
    } catch (error) {
      to?.postMessage({ error: serializeError(error) } satisfies StateMessage);
      to?.close();
      throw error;
    }
    const ms = performance.now() - t0;
    if (!to) {
      if (state) this.transfer.push(state.buffer);
      return { state, ms };
    }
    to.postMessage({ state } satisfies StateMessage, state ? [state.buffer] : []);
    to.close();
    return { state: null, ms };
  }

  /** The state another worker sends on `from`, given to restore_state. */
  private async receiveState(from: MessagePort): Promise<ResultOf['receiveState']> {
    const message = await new Promise<StateMessage>((resolve) => {
      from.onmessage = (event: MessageEvent<StateMessage>) => resolve(event.data);
    });
    from.close();
    const guest = this.needGuest();
    if (!guest.has('restore_state')) return null; // no state is carried into it, whatever came
    if ('error' in message) throw reviveError(message.error);
    if (!message.state) return null;
    const t0 = performance.now();
    const code = guest.restoreState(message.state);
    return this.verdict({ code, ms: performance.now() - t0, bytes: message.state.byteLength }, code !== 0);
  }

  private settle(request: Request): Promise<void> | void {
    const { id } = request;
    const pipeline = PIPELINE_OPS.has(request.op);
    const fail = (error: unknown) => {
      if (pipeline) this.pipelineFailed = true;
      this.replies.push({ id, ok: false, error: serializeError(error) });
    };
    if (pipeline && this.pipelineFailed) return fail(new HotwasmError('skipped', `${request.op} was skipped: an earlier update step failed`));
    let value: unknown;
    try {
      value = this.serve(request);
    } catch (error) {
      return fail(error);
    }
    if (value instanceof Promise) {
      return value.then((v: unknown) => void this.replies.push({ id, ok: true, value: v }), fail);
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
        const pending = this.settle(request);
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
