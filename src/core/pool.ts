/**
 * The instances serving one module, the gate that holds calls while a cutover or rollback
 * changes them, and the routing of calls to them: to the least busy instance, or — while a
 * canary runs — a fixed share to the canary (./deploy/canary.ts). A pool of one serves exactly
 * as a single instance does; strategies (./deploy) change the pool through a few moves:
 * {@link InstancePool.hold} / {@link InstancePool.release}, {@link InstancePool.replace},
 * {@link InstancePool.add} and {@link InstancePool.drain}.
 *
 * Each instance of a pool of several has its own state, checkpointed on its own: a restart
 * brings back that instance's latest checkpoint, not another's.
 */
import { HotwasmError } from '../shared/errors';
import type { Checkpoint, Instance } from './instance';

/** A call as a shadow mirror needs it: what to send the candidate again. */
export type CallBody =
  | { op: 'call'; fn: string; argJson: string | null; timed?: true }
  | { op: 'callRaw'; fn: string; args: (number | bigint)[]; timed?: true };

/** A canary's share of calls, and what to do with a call that failed on it. */
export interface CanaryRoute {
  instance: Instance;
  /** 0–1. */
  share: number;
  /** The canary failed this call: answer true to send it again to a baseline instance. */
  failed(error: unknown): boolean;
}

/** Mirrors calls to a shadow candidate after the serving instance answered. */
export type Mirror = (body: CallBody, served: { ok: boolean; value: unknown; ms: number }) => void;

/** Routing's preference by an instance's state: lower first. */
const RANK: Record<Instance['state'], number> = { healthy: 0, restarting: 1, failed: 2 };

let nextInstanceId = 1;
const ids = new WeakMap<Instance, number>();

/** An instance's number in this page ("#3"), stable as long as it lives. */
export function instanceId(instance: Instance): string {
  let id = ids.get(instance);
  if (id === undefined) ids.set(instance, (id = nextInstanceId++));
  return `#${id}`;
}

export class InstancePool {
  private instances: Instance[];
  /** Calls waiting for a cutover or rollback to finish, in the order they were made. */
  private held: (() => Promise<void>)[] | null = null;
  /** Instances taken out of routing, finishing the calls they were sent. */
  readonly draining = new Set<Instance>();
  canary: CanaryRoute | null = null;
  /** Deterministic share: the canary gets a call each time this passes 1. */
  private owed = 0;
  mirror: Mirror | null = null;
  /** Where a drained instance stood in the pool: what takes its place goes there (the pool keeps its order). */
  private readonly slots = new WeakMap<Instance, number>();
  /** Each instance's latest checkpoint (a pool of several: see ModuleController.onChange). */
  private readonly own = new WeakMap<Instance, Checkpoint>();

  constructor(
    first: Instance,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.instances = [first];
  }

  /** The instance that answers calls (a pool of one has only it); never the canary. */
  get primary(): Instance {
    const first = this.instances[0];
    if (!first) throw new HotwasmError('not-loaded', 'The module has no instance serving');
    return first;
  }

  get all(): readonly Instance[] {
    return this.instances;
  }

  get size(): number {
    return this.instances.length;
  }

  /** Are calls being held? */
  get holding(): boolean {
    return this.held !== null;
  }

  /**
   * The least busy instance that is not the canary: the one with the fewest requests waiting. A
   * healthy one before one restarting, and a failed one only when no other is left: a failed
   * instance answers every call at once with its failure, so it has no requests waiting and
   * would otherwise take every call.
   */
  baseline(): Instance {
    const canary = this.canary?.instance;
    let best: Instance | null = null;
    for (const instance of this.instances) {
      if (instance === canary) continue;
      if (best === null || RANK[instance.state] < RANK[best.state] || (RANK[instance.state] === RANK[best.state] && instance.pending < best.pending)) best = instance;
    }
    return best ?? this.primary;
  }

  /** Share of new calls `instance` gets (0–1). */
  shareOf(instance: Instance): number {
    if (!this.serves(instance)) return 0;
    const canary = this.canary;
    if (!canary) return 1 / this.instances.length;
    if (instance === canary.instance) return canary.share;
    return (1 - canary.share) / Math.max(1, this.instances.length - 1);
  }

  /** Run `request` on a serving instance now, or after the cutover in progress, in call order. */
  send<T>(request: (instance: Instance) => Promise<T>, body?: CallBody): Promise<T> {
    if (this.held) {
      const held = this.held;
      return new Promise<T>((resolve, reject) => held.push(() => this.dispatch(request, body).then(resolve, reject)));
    }
    // The common case, a pool of one with nothing watching: straight to it.
    if (this.instances.length === 1 && this.mirror === null) return request(this.instances[0]!);
    return this.dispatch(request, body);
  }

  private dispatch<T>(request: (instance: Instance) => Promise<T>, body: CallBody | undefined): Promise<T> {
    const canary = this.canary;
    if (canary && this.serves(canary.instance)) {
      this.owed += canary.share;
      if (this.owed >= 1) {
        this.owed -= 1;
        // A call the canary fails goes to the baseline: its caller never sees the canary's fault.
        return request(canary.instance).catch((error: unknown) => {
          if (!canary.failed(error)) throw error;
          return request(this.baseline());
        });
      }
      return request(this.baseline());
    }
    const mirror = this.mirror;
    if (!mirror || !body) return request(this.baseline());
    const t0 = this.now();
    return request(this.baseline()).then(
      (value) => {
        mirror(body, { ok: true, value, ms: this.now() - t0 });
        return value;
      },
      (error: unknown) => {
        mirror(body, { ok: false, value: error, ms: this.now() - t0 });
        throw error;
      },
    );
  }

  /** Hold new calls until {@link release}. */
  hold(): void {
    this.held ??= [];
  }

  /** Let the held calls go, in order, to whichever instances serve now. Settles once they all have (answered or failed). */
  release(): Promise<void> {
    const held = this.held ?? [];
    this.held = null;
    const settled = held.map((run) => run());
    return settled.length === 0 ? Promise.resolve() : Promise.all(settled).then(() => undefined);
  }

  /** Serve with `next` instead of every current instance; answers the ones it displaced. */
  replace(next: Instance): Instance[] {
    return this.replaceAll([next]);
  }

  /** Serve with `next` instead of every current instance (a blue-green switch); answers the ones displaced. */
  replaceAll(next: Instance[]): Instance[] {
    const displaced = this.instances.filter((i) => !next.includes(i));
    this.instances = [...next];
    if (this.canary && !next.includes(this.canary.instance)) this.canary = null;
    return displaced;
  }

  /** `next` takes `old`'s place (a rolling step), at its position even when `old` was drained; `old` stops getting calls. */
  swap(old: Instance, next: Instance): void {
    const at = this.instances.indexOf(old);
    if (at >= 0) this.instances[at] = next;
    else this.insertAt(this.slots.get(old), next);
    this.draining.delete(old);
  }

  /** A drained instance serves again, at the position it left (a swap that was refused). */
  undrain(instance: Instance): void {
    this.draining.delete(instance);
    if (!this.instances.includes(instance)) this.insertAt(this.slots.get(instance), instance);
  }

  private insertAt(slot: number | undefined, instance: Instance): void {
    this.instances.splice(slot === undefined ? this.instances.length : Math.min(slot, this.instances.length), 0, instance);
  }

  /** Serve with one more instance. */
  add(instance: Instance): void {
    if (!this.instances.includes(instance)) this.instances.push(instance);
  }

  /**
   * Take `instance` out of routing (no new call reaches it) and answer once the calls it was sent
   * have finished. The last instance of a pool is never drained.
   */
  async drain(instance: Instance, timeoutMs: number): Promise<void> {
    if (this.instances.length <= 1 && this.serves(instance)) throw new HotwasmError('internal', 'The last instance of a pool cannot be drained');
    const at = this.instances.indexOf(instance);
    if (at >= 0) this.slots.set(instance, at);
    this.instances = this.instances.filter((i) => i !== instance);
    this.draining.add(instance);
    // A ping answers after every request sent before it: the worker runs them in order.
    if (instance.pending > 0) await instance.request({ op: 'ping' }, timeoutMs).catch(() => undefined);
  }

  /** Does this instance serve here? */
  serves(instance: Instance): boolean {
    return this.instances.includes(instance);
  }

  /** An instance's own latest checkpoint (pools of several). */
  checkpointOf(instance: Instance): Checkpoint | null {
    return this.own.get(instance) ?? null;
  }

  keepCheckpoint(instance: Instance, checkpoint: Checkpoint): void {
    this.own.set(instance, checkpoint);
  }

  dispose(reason: string): void {
    for (const instance of [...this.instances, ...this.draining]) instance.dispose(reason);
    this.draining.clear();
    this.release(); // held calls now fail on the disposed instance, with the reason
  }
}
