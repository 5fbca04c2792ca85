/// <reference lib="webworker" />
/** Worker entry: one guest module at a time, served by {@link WorkerServer}. */
import type { FromWorker, ToWorker } from '../shared/protocol';
import { WorkerServer } from './server';
import { warmUp } from './warm-up';

declare const self: DedicatedWorkerGlobalScope;

const post = (message: FromWorker, transfer: Transferable[]) => self.postMessage(message, transfer);
const server = new WorkerServer(post);

// While this worker waits to be used (a spare), replay an update's requests on a throwaway guest
// so the first real update does not pay for compiling the host's own code. Any message (a
// request, or the page's wake-up as a load begins) stops it at its next step.
let used = false;
self.onmessage = (event: MessageEvent<ToWorker>) => {
  used = true;
  server.receive(event.data);
};
setTimeout(() => void warmUp(() => used).finally(() => post({ type: 'ready' }, [])), 0);
