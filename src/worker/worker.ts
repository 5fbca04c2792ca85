/// <reference lib="webworker" />
/** Worker entry: one guest module per worker, served by {@link WorkerServer}. */
import type { ToWorker } from '../shared/protocol';
import { warmUp } from './warm-up';
import { WorkerServer } from './server';

declare const self: DedicatedWorkerGlobalScope;

const server = new WorkerServer((message, transfer) => self.postMessage(message, transfer));

// Run the load path once on a tiny module while this worker waits to be used, so the first
// real load does not pay for compiling the host's own code.
void warmUp();

self.onmessage = (event: MessageEvent<ToWorker>) => server.receive(event.data);
