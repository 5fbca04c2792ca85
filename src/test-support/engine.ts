/**
 * For the engine's tests only (nothing in the app imports it): the committed example and fixture
 * modules as bytes, and workers that run in this process.
 */
import { readFileSync } from 'node:fs';
import type { WorkerLike } from '../core/rpc';
import { InProcessWorker } from '../worker/in-process';

/** A file of the repository, by its path from the root, as bytes. */
export const file = (path: string) => new Uint8Array(readFileSync(new URL(`../../${path}`, import.meta.url)));
/** The example counter (public/examples/counter.wasm). */
export const counter = () => file('public/examples/counter.wasm');
/** A hot-swap fixture (fixtures/swap/<name>.wasm). */
export const swap = (name: string) => file(`fixtures/swap/${name}.wasm`);
/** A worker factory for createEngine: the worker's code, run in this process. */
export const inProcess = () => new InProcessWorker() as unknown as WorkerLike;
