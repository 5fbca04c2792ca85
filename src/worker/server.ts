/**
 * The worker's request server: hosts one guest and serves the page's requests in the order they
 * arrive, one at a time. Kept apart from the worker entry so tests can run it in-process.
 *
 * Synchronous requests are served straight from the message handler; asynchronous ones (load,
 * receiveState) hold the requests behind them until they finish. Each reply leaves before the
 * next request starts: if a request never returns (a runaway guest), the page knows exactly which
 * requests finished, so none is reported as timed out, or sent again, by mistake. (Posting
 * replies in bulk was 3× faster for pipelined calls but could not tell that; `batch` keeps one
 * message for many calls.)
 */
import { HotwasmError, serializeError } from '../shared/errors';
import { OPS, OUT_OF_MEMORY, type Request } from '../shared/ops';
import { packLayout, unpackLayout } from '../shared/packed-layout';
import type { FromWorker, LoadedGuest, Reply, ToWorker } from '../shared/protocol';
import { Guest } from './guest';
import { type Handlers, lifecycleHandlers } from './lifecycle';
import { GuestOutput } from './output';

export type Post = (message: FromWorker, transfer: Transferable[]) => void;

/** What the handlers share: the guest and what was learnt loading it. */
export interface ServerState {
  guest: Guest | null;
  loaded: LoadedGuest | null;
  /** An untouched instance made ahead for a cutover (`prepare`), until `renew`. */
  prepared: Guest | null;
  /** An update pipeline step failed or refused here: later steps are skipped (see OPS[op].step). */
  pipelineFailed: boolean;
  readonly output: GuestOutput;
  /** Transferables to send with the current replies. */
  readonly transfer: Transferable[];
  needGuest(): Guest;
  /** An answer that is a refusal closes the pipeline gate (later steps are skipped). */
  verdict<T>(value: T, refused: boolean): T;
}

export class WorkerServer {
  private readonly state: ServerState;
  private readonly handlers: Handlers;
  private replies: Reply[] = [];
  /** Requests not served yet, in arrival order (`next` indexes the first). */
  private backlog: Request[] = [];
  /** Ids of the requests waiting whose reply should say how long serving them took (ToWorker `timed`). */
  private readonly timed = new Set<number>();
  private next = 0;
  private busy = false;

  constructor(private readonly post: Post) {
    const output = new GuestOutput((stream, text) => post({ type: 'output', stream, text }, []));
    const state: ServerState = {
      guest: null,
      loaded: null,
      prepared: null,
      pipelineFailed: false,
      output,
      transfer: [],
      needGuest() {
        if (!state.guest) throw new HotwasmError('not-loaded', 'No module is loaded in this worker');
        return state.guest;
      },
      verdict(value, refused) {
        if (refused) state.pipelineFailed = true;
        return value;
      },
    };
    this.state = state;
    this.handlers = { ...callHandlers(state), ...lifecycleHandlers(state) };
  }

  receive(message: ToWorker): void {
    if (message?.type === 'reset') {
      // Only ever sent to an idle worker: nothing runs or waits here now.
      Object.assign(this.state, { guest: null, loaded: null, prepared: null, pipelineFailed: false });
      return;
    }
    if (message?.type !== 'requests') return;
    // No push(...spread): a message may hold more requests than a call has argument slots.
    for (const request of message.requests) this.backlog.push(request);
    if (message.timed) for (const id of message.timed) this.timed.add(id);
    if (!this.busy) void this.drain();
  }

  private flush(): void {
    // Output first: a call's stdout must reach the page before its reply does.
    this.state.output.flush();
    if (this.replies.length > 0) {
      const transfer = this.state.transfer.splice(0);
      this.post({ type: 'replies', replies: this.replies }, transfer);
      this.replies = [];
    }
  }

  private settle(request: Request): Promise<void> | void {
    const { id } = request;
    const spec = OPS[request.op];
    const fail = (error: unknown) => {
      if (spec.step) this.state.pipelineFailed = true;
      this.replies.push({ id, ok: false, error: serializeError(error) });
    };
    if (spec.step && this.state.pipelineFailed) return fail(new HotwasmError('skipped', `${request.op} was skipped: an earlier update step failed`));
    let value: unknown;
    // A call that asks to be timed (calls are synchronous): the guest's time is the handler's.
    const timed = this.timed.size > 0 && this.timed.delete(id);
    const t0 = timed ? performance.now() : 0;
    try {
      value = (this.handlers[request.op] as (r: Request) => unknown)(request);
    } catch (error) {
      return fail(error);
    }
    if (value instanceof Promise) {
      return value.then((v: unknown) => void this.replies.push({ id, ok: true, value: v }), fail);
    }
    this.replies.push(timed ? { id, ok: true, value, ms: performance.now() - t0 } : { id, ok: true, value });
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

/** Loading and calls. */
function callHandlers(state: ServerState): Pick<Handlers, 'load' | 'instantiate' | 'call' | 'callRaw' | 'batch' | 'run' | 'measure' | 'ping'> {
  return {
    load: async (request) => {
      const bytes = request.data instanceof Uint8Array ? request.data : new Uint8Array(await request.data.arrayBuffer());
      let guest: Guest;
      let loaded: LoadedGuest;
      try {
        ({ guest, loaded } = await Guest.load(bytes, request.options, state.output));
      } catch (error) {
        // Out of WebAssembly memory is the one refusal a retry elsewhere can mend: the page's
        // bytes go back with it (moved), since it gave them up to this worker.
        if (error instanceof HotwasmError && OUT_OF_MEMORY.test(error.message) && bytes.buffer instanceof ArrayBuffer) {
          error.details.bytes = bytes;
          state.transfer.push(bytes.buffer);
        }
        throw error;
      }
      Object.assign(state, { guest, loaded, prepared: null, pipelineFailed: false });
      // Compiled, inspected and hashed: the bytes go back to the page, which keeps them as the
      // version's bytes (moved, not copied).
      if (bytes.buffer instanceof ArrayBuffer) state.transfer.push(bytes.buffer);
      return { ...loaded, layout: packLayout(loaded.layout), bytes };
    },
    instantiate: (request) => {
      const { guest, instantiateMs } = Guest.instantiate(request.module, unpackLayout(request.layout), request.options, state.output);
      state.guest = guest;
      return { instantiateMs };
    },
    call: (request) => state.needGuest().callJson(request.fn, request.argJson),
    callRaw: (request) => state.needGuest().callRaw(request.fn, request.args),
    batch: (request) => {
      const reply = state.needGuest().batch(request.fn, request.args);
      state.transfer.push(reply.ends.buffer as ArrayBuffer);
      return reply;
    },
    run: (request) => state.needGuest().runCommand(request.args, request.env),
    measure: ({ fn, argJson, iterations }) => {
      const totalMs = state.needGuest().measure(fn, argJson, iterations);
      return { iterations, totalMs, nsPerCall: (totalMs * 1e6) / iterations };
    },
    ping: () => null,
  };
}


