/**
 * For the engine's tests only (nothing in the app imports it): the committed example and fixture
 * modules as bytes, and workers that run in this process.
 */
import { readFileSync } from 'node:fs';
import type { WorkerLike } from '../core/rpc';
import type { ToWorker } from '../shared/protocol';
import { InProcessWorker } from '../worker/in-process';

/** A file of the repository, by its path from the root, as bytes. */
export const file = (path: string) => new Uint8Array(readFileSync(new URL(`../../${path}`, import.meta.url)));
/** The example counter (public/examples/counter.wasm). */
export const counter = () => file('public/examples/counter.wasm');
/** A hot-swap fixture (fixtures/swap/<name>.wasm). */
export const swap = (name: string) => file(`fixtures/swap/${name}.wasm`);
/** A worker factory for createEngine: the worker's code, run in this process. */
export const inProcess = () => new InProcessWorker() as unknown as WorkerLike;

/**
 * A worker that gets stuck, as a real one does in a guest's endless loop, when it is asked to
 * call `fn`: the requests before that call are answered; that one and every one after it never
 * are, until terminate(). (A guest that really looped in this process would block the test.)
 */
class StuckWorker extends InProcessWorker {
  private stuck = false;
  constructor(private readonly fn: string) {
    super();
  }
  override postMessage(message: ToWorker, transfer: Transferable[] = []): void {
    if (this.stuck) return;
    if (message.type !== 'requests') return super.postMessage(message, transfer);
    const at = message.requests.findIndex((r) => 'fn' in r && r.fn === this.fn);
    if (at < 0) return super.postMessage(message, transfer);
    this.stuck = true;
    if (at > 0) super.postMessage({ ...message, requests: message.requests.slice(0, at) }, transfer);
  }
}

/** A worker factory for createEngine whose workers get stuck in calls to `fn` (see StuckWorker). */
export const stuckOn = (fn: string) => () => new StuckWorker(fn) as unknown as WorkerLike;
