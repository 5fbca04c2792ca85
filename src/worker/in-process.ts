/**
 * A {@link WorkerLike} that runs the worker server in the same thread, for tests of the engine
 * without a browser. Messages are structured-cloned and delivered asynchronously, as between
 * threads. It cannot stop a guest stuck in a loop (only a real worker's terminate() can): tests
 * of runaway guests belong in the browser.
 */
import type { FromWorker, ToWorker } from '../shared/protocol';
import { WorkerServer } from './server';

type Listener = (event: { data: unknown }) => void;

export class InProcessWorker {
  private readonly listeners = new Map<string, Listener[]>();
  private terminated = false;
  private readonly server = new WorkerServer((message: FromWorker, transfer) => {
    const data = structuredClone(message, { transfer });
    setTimeout(() => this.dispatch('message', data), 0);
  });

  postMessage(message: ToWorker, transfer: Transferable[] = []): void {
    if (this.terminated) return;
    const data = structuredClone(message, { transfer }) as ToWorker;
    setTimeout(() => !this.terminated && this.server.receive(data), 0);
  }

  terminate(): void {
    this.terminated = true;
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, (this.listeners.get(type) ?? []).filter((l) => l !== listener));
  }

  private dispatch(type: string, data: unknown): void {
    if (this.terminated) return;
    for (const listener of this.listeners.get(type) ?? []) listener({ data });
  }
}
