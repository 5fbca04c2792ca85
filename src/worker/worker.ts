/// <reference lib="webworker" />
/** Worker entry: one guest module at a time, served by {@link WorkerServer}. */
import type { FromWorker, ToWorker } from '../shared/protocol';
import { WorkerServer } from './server';
import { warmUp } from './warm-up';

declare const self: DedicatedWorkerGlobalScope;

const post = (message: FromWorker, transfer: Transferable[]) => self.postMessage(message, transfer);
const server = new WorkerServer(post);

// A spare the page asks to warm up replays an update's requests on a throwaway guest while it
// waits, so that the first real update does not pay for compiling the host's own code. Any other
// message (a request, or the page's wake-up as a load begins) stops it at its next step. Only
// when asked: a worker started for a load that is coming (the page's first, a page opened again)
// would spend a core on it meanwhile, and the page's messages reach a worker only between two of
// its steps (traced: a wake-up posted before the worker started was served 64 ms of warm-up later).
let used = false;
let warming = false;
self.onmessage = (event: MessageEvent<ToWorker>) => {
  if (event.data?.type === 'warm-up') {
    if (!used && !warming) {
      warming = true;
      void warmUp(() => used).finally(() => post({ type: 'ready' }, []));
    }
    return;
  }
  used = true;
  server.receive(event.data);
};
