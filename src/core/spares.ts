/**
 * Spare workers, kept ready so that a load does not wait for a worker to start. Each warms up
 * while it waits (src/worker/warm-up.ts); a load takes one that finished warming up, else any.
 * New ones are started only while no load is under way, a moment after the last one, and one
 * at a time, so that their start-up never competes with a load for the cores.
 *
 * Workers are never reused for another module: every WebAssembly memory reserves about 10 GiB of
 * address space, Chromium allows about 120 of them per process, and a worker holding dead ones
 * frees them only when its own garbage collector runs — which an idle worker never does, and
 * another worker's failed allocation does not make it do (measured: an idle worker's 124 dead
 * memories left another worker unable to make a single one). Stopping a worker frees all of
 * them at once; {@link SparePool.drain} stops the spares when memory runs short.
 */
import type { FromWorker } from '../shared/protocol';
import { SPARE_START_DELAY_MS, SPARE_WORKERS } from '../shared/tuning';
import type { Clock, Timer } from './clock';
import type { WorkerLike } from './rpc';

export interface SparePolicy {
  /** Workers to keep ready (0: start one per load). */
  keep: number;
  /** Wait this long after the last load before starting a fresh one. */
  startDelayMs: number;
}

export const DEFAULT_SPARE_POLICY: SparePolicy = { keep: SPARE_WORKERS, startDelayMs: SPARE_START_DELAY_MS };

interface Spare {
  worker: WorkerLike;
  /** Its warm-up has ended. */
  warm: boolean;
  stopListening: () => void;
}

export class SparePool {
  private readonly spares: Spare[] = [];
  private timer: Timer | null = null;
  private busy = 0;
  private disposed = false;

  constructor(
    private readonly factory: () => WorkerLike,
    private readonly clock: Clock,
    private readonly policy: SparePolicy = DEFAULT_SPARE_POLICY,
  ) {}

  /** A warm spare, else any spare, else a new worker. */
  take(): WorkerLike {
    const at = this.spares.findIndex((s) => s.warm);
    const [spare] = this.spares.splice(at >= 0 ? at : 0, 1);
    spare?.stopListening();
    this.replenish();
    return spare?.worker ?? this.factory();
  }

  /** A load is about to take a worker: wake the one it will get (waking an idle worker took 0.3–0.5 ms). */
  wake(): void {
    const next = this.spares.find((s) => s.warm) ?? this.spares[0];
    next?.worker.postMessage({ type: 'wake' }, []);
  }

  /** Stop every spare (their memory goes with them): the page ran short of WebAssembly memory. */
  drain(): number {
    const stopped = this.spares.splice(0);
    for (const spare of stopped) {
      spare.stopListening();
      spare.worker.terminate();
    }
    return stopped.length;
  }

  /** A load starts: no fresh spare is started until every load has ended. */
  begin(): void {
    this.busy++;
  }

  end(): void {
    this.busy = Math.max(0, this.busy - 1);
    this.replenish();
  }

  get ready(): number {
    return this.spares.length;
  }

  /** Start a fresh spare when there is room, no load is under way and no other one is still warming up. */
  private replenish(): void {
    const wanted = () => !this.disposed && this.busy === 0 && this.spares.length < this.policy.keep && this.spares.every((s) => s.warm);
    if (this.timer !== null || !wanted()) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      if (wanted()) this.spares.push(this.fresh());
    }, this.policy.startDelayMs);
  }

  private fresh(): Spare {
    const worker = this.factory();
    const spare: Spare = { worker, warm: false, stopListening: () => undefined };
    const onMessage = (event: MessageEvent<FromWorker>) => {
      if (event.data?.type !== 'ready') return;
      spare.warm = true;
      this.replenish(); // the next one, now that this one no longer competes for the cores
    };
    worker.addEventListener('message', onMessage);
    spare.stopListening = () => worker.removeEventListener('message', onMessage);
    return spare;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.drain();
  }
}
