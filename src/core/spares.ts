/**
 * Spare workers, kept ready so that a load does not wait for a worker to start: fresh ones,
 * which warm up while they wait (src/worker/warm-up.ts; not the one started for an engine's first
 * load, which comes within moments), and workers of retired versions,
 * recycled — warm from real use. A load takes a recycled one first, then a fresh one that
 * finished warming up, then any. New ones are started only while no load is under way, a moment
 * after the last one, and one at a time, so that their start-up never competes with a load.
 *
 * Every WebAssembly memory reserves about 10 GiB of address space, Chromium allows about 120 of
 * them per process, and a worker holding dead ones frees them only when its own garbage
 * collector runs — which an idle worker never does, and another worker's failed allocation does
 * not make it do (measured: an idle worker's 124 dead memories left another worker unable to
 * make a single one). So a spare holds few: the pool counts the instances each worker has made
 * over its whole life (the warm-up's {@link WARM_UP_INSTANCES}, each load, restart, prepare and
 * renew), and only a worker that made at most RECYCLE_MAX_INSTANCES is recycled.
 * {@link SparePool.drain} stops every spare when memory runs short anyway.
 *
 * A version displaced by an update retires a moment later (src/core/leftovers.ts); its worker is
 * announced with {@link SparePool.expectReturn} when the retirement is scheduled, so the pool does
 * not start a fresh spare for the room that worker is about to take (measured: without it, every
 * update started a worker and stopped it 50 ms later, 5–7 ms of the page's main thread each).
 */
import type { FromWorker } from '../shared/protocol';
import { RECYCLE_MAX_INSTANCES, SPARE_START_DELAY_MS, SPARE_WORKERS, WARM_UP_INSTANCES } from '../shared/tuning';
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
  /** A recycled worker, or a fresh one whose warm-up has ended. */
  warm: boolean;
  /** Asked to warm up, and not done yet: no other fresh one is started meanwhile. */
  warming: boolean;
  recycled: boolean;
  stopListening: () => void;
}

export class SparePool {
  private readonly spares: Spare[] = [];
  private timer: Timer | null = null;
  private busy = 0;
  private disposed = false;
  /** Instances each worker made in its life, as far as the page has asked for them. */
  private readonly made = new WeakMap<WorkerLike, number>();
  /** Workers announced to come back (a retirement scheduled), counted as spares already. */
  private returning = 0;

  constructor(
    private readonly factory: () => WorkerLike,
    private readonly clock: Clock,
    private readonly policy: SparePolicy = DEFAULT_SPARE_POLICY,
  ) {}

  private best(): number {
    const rank = (s: Spare) => (s.recycled ? 2 : s.warm ? 1 : 0);
    let best = -1;
    for (let i = 0; i < this.spares.length; i++) if (best < 0 || rank(this.spares[i]!) > rank(this.spares[best]!)) best = i;
    return best;
  }

  /** The best spare, or a new worker. */
  take(): WorkerLike {
    const at = this.best();
    const spare = at >= 0 ? this.spares.splice(at, 1)[0]! : null;
    spare?.stopListening();
    this.replenish();
    return spare?.worker ?? this.started();
  }

  /** `worker` makes another WebAssembly instance (a load, a restart, a prepare or a renew). */
  countInstance(worker: WorkerLike): void {
    this.made.set(worker, (this.made.get(worker) ?? 0) + 1);
  }

  /** Would `worker` be kept as a spare, were it idle now? */
  recyclable(worker: WorkerLike): boolean {
    return !this.disposed && (this.made.get(worker) ?? 0) <= RECYCLE_MAX_INSTANCES;
  }

  /**
   * A worker will be offered to {@link recycle} in a moment: its room is kept for it. Call the
   * function returned once it has been offered, or will not be (it stopped).
   */
  expectReturn(): () => void {
    this.returning++;
    let settled = false;
    return () => {
      if (settled) return;
      settled = true;
      this.returning--;
      this.replenish();
    };
  }

  /** A load is about to take a worker: wake the one it will get (waking an idle worker took 0.3–0.5 ms). */
  wake(): void {
    const at = this.best();
    if (at >= 0) this.spares[at]!.worker.postMessage({ type: 'wake' }, []);
  }

  /**
   * An idle worker whose guest can go: told to forget it (`reset`) and kept as a spare if it has
   * made few instances and there is room, else stopped.
   */
  recycle(worker: WorkerLike): void {
    if (!this.recyclable(worker)) return worker.terminate();
    if (this.spares.length >= this.policy.keep) {
      // A fresh spare (warming up, or never asked to) makes room for it: this one is warm already.
      const cold = this.spares.findIndex((s) => !s.warm);
      if (cold < 0) return worker.terminate();
      const [replaced] = this.spares.splice(cold, 1);
      replaced!.stopListening();
      replaced!.worker.terminate();
    }
    worker.postMessage({ type: 'reset' }, []);
    this.spares.push({ worker, warm: true, warming: false, recycled: true, stopListening: () => undefined });
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

  /**
   * Start a fresh spare now, if there is room: an engine just made has a load coming, and a
   * worker started while the page still reads what to load (a registry, a URL) is ready for it.
   * It does not warm up: that load comes within moments, and a warm-up would take a core from
   * the page's reads and first render meanwhile, and hold the load back behind its steps
   * (traced on a page opened again: 64 ms of warm-up from 41 ms after the start).
   */
  prime(): void {
    if (!this.disposed && this.busy === 0 && this.spares.length + this.returning < this.policy.keep) this.spares.push(this.fresh(false));
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
    const wanted = () => !this.disposed && this.busy === 0 && this.spares.length + this.returning < this.policy.keep && this.spares.every((s) => !s.warming);
    if (this.timer !== null || !wanted()) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      if (wanted()) this.spares.push(this.fresh(true));
    }, this.policy.startDelayMs);
  }

  private started(): WorkerLike {
    const worker = this.factory();
    this.made.set(worker, 0);
    return worker;
  }

  /** A new worker kept as a spare; `warmUp`: asked to warm up while it waits. */
  private fresh(warmUp: boolean): Spare {
    const worker = this.started();
    const spare: Spare = { worker, warm: false, warming: warmUp, recycled: false, stopListening: () => undefined };
    if (!warmUp) return spare;
    this.made.set(worker, WARM_UP_INSTANCES); // at most; taken before its warm-up ends, fewer
    const onMessage = (event: MessageEvent<FromWorker>) => {
      if (event.data?.type !== 'ready') return;
      spare.warm = true;
      spare.warming = false;
      this.replenish(); // the next one, now that this one no longer competes for the cores
    };
    worker.addEventListener('message', onMessage);
    spare.stopListening = () => worker.removeEventListener('message', onMessage);
    worker.postMessage({ type: 'warm-up' }, []);
    return spare;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.drain();
  }
}
