/// <reference lib="webworker" />
/**
 * Worker entry: hosts one guest module and serves the page's requests in the order they arrive.
 *
 * Requests are answered in arrival order, one at a time. Synchronous calls are served straight
 * from the message handler; asynchronous ones (load, instantiate, run) hold the requests behind
 * them until they finish. Replies go back in one message per incoming message, flushed early
 * when a long run of calls takes more than FLUSH_MS, so the page's watchdog sees progress.
 */
import { HotwasmError, serializeError } from '../shared/errors';
import type { FromWorker, Reply, Request, ToWorker } from '../shared/protocol';
import { Guest, warmUp } from './guest';
import { GuestOutput } from './output';

declare const self: DedicatedWorkerGlobalScope;

const FLUSH_MS = 50;

const send = (message: FromWorker) => self.postMessage(message);
const output = new GuestOutput((stream, text) => send({ type: 'output', stream, text }));

let guest: Guest | null = null;
let replies: Reply[] = [];
let lastFlush = 0;
/** Requests not served yet, in arrival order (`next` indexes the first). */
let backlog: Request[] = [];
let next = 0;
let busy = false;

function flush(): void {
  // Output first: a call's stdout must reach the page before its reply does.
  output.flush();
  if (replies.length > 0) {
    send({ type: 'replies', replies });
    replies = [];
  }
  lastFlush = performance.now();
}

function needGuest(): Guest {
  if (!guest) throw new HotwasmError('not-loaded', 'No module is loaded in this worker');
  return guest;
}

/** Serve one synchronous request; returns a promise only for asynchronous operations. */
function serve(request: Request): unknown {
  switch (request.op) {
    case 'call':
      return needGuest().callJson(request.fn, request.argJson);
    case 'callRaw':
      return needGuest().callRaw(request.fn, request.args);
    case 'batch':
      return needGuest().batch(request.fn, request.argsJson);
    case 'measure': {
      const totalMs = needGuest().measure(request.fn, request.argJson, request.iterations);
      return { iterations: request.iterations, totalMs, nsPerCall: (totalMs * 1e6) / request.iterations };
    }
    case 'ping':
      return null;
    case 'load':
      return readData(request.data).then((bytes) => Guest.load(bytes, request.options, output)).then(({ guest: g, loaded }) => {
        guest = g;
        return loaded;
      });
    case 'instantiate':
      return Guest.instantiate(request.module, request.layout, request.options, output).then(({ guest: g, instantiateMs }) => {
        guest = g;
        return { instantiateMs };
      });
    case 'run':
      return needGuest().runCommand(request.args, request.env);
    default: {
      const unknown: never = request;
      throw new HotwasmError('internal', `Unknown request ${JSON.stringify(unknown)}`);
    }
  }
}

async function readData(data: Uint8Array | Blob): Promise<Uint8Array> {
  return data instanceof Uint8Array ? data : new Uint8Array(await data.arrayBuffer());
}

function settle(id: number, fn: () => unknown): Promise<void> | void {
  let value: unknown;
  try {
    value = fn();
  } catch (error) {
    replies.push({ id, ok: false, error: serializeError(error) });
    return;
  }
  if (value instanceof Promise) {
    return value.then(
      (v: unknown) => void replies.push({ id, ok: true, value: v }),
      (error: unknown) => void replies.push({ id, ok: false, error: serializeError(error) }),
    );
  }
  replies.push({ id, ok: true, value });
}

async function drain(): Promise<void> {
  busy = true;
  try {
    while (next < backlog.length) {
      const request = backlog[next++]!;
      const pending = settle(request.id, () => serve(request));
      if (pending) {
        flush(); // let earlier replies out before waiting
        await pending;
        flush();
      } else if (performance.now() - lastFlush > FLUSH_MS) {
        flush();
      }
    }
  } finally {
    busy = false;
    backlog = [];
    next = 0;
    flush();
  }
}

// Run the load path once on a tiny module while this worker waits to be used, so the first
// real load does not pay for compiling the host's own code.
warmUp();

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message?.type !== 'requests') return;
  // No push(...spread): a message may hold more requests than a call has argument slots.
  for (const request of message.requests) backlog.push(request);
  if (!busy) void drain();
};
