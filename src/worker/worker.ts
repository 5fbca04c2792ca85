/// <reference lib="webworker" />
/** Worker entry: one guest module per worker, served by {@link WorkerServer}. */
import type { ToWorker } from '../shared/protocol';
import { warmUp } from './warm-up';
import { WorkerServer } from './server';

declare const self: DedicatedWorkerGlobalScope;

const server = new WorkerServer((message, transfer) => self.postMessage(message, transfer));

// While this worker waits to be used (a spare), run the load path on a throwaway module so the
// first real load does not pay for compiling the host's own code. A worker that has work already
// (requests sent before it started) skips it: the warm-up would only delay that work.
let used = false;
self.onmessage = (event: MessageEvent<ToWorker>) => {
  used = true;
  server.receive(event.data);
};
setTimeout(() => void warmUp(() => used), 0);
