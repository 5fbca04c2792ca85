/**
 * State checkpoints of a module's serving version: the latest save_state bytes, restored after a
 * runaway call stops its worker, and a ring of recent ones (for rewinding state). Taken after
 * each update and, during activity, at most every `checkpoint_interval_ms` — always after a call
 * has answered, never on its path, and when the state is read or injected on request (./state.ts).
 * Each one is also handed to the registry to keep.
 */
import type { Clock } from './clock';
import type { EngineConfig } from './config';
import type { Checkpoint, Instance } from './instance';

export interface CheckpointEntry extends Checkpoint {
  /**
   * Its number in this module, counting from 1 in this page: what `rewind()` names it by (times
   * can repeat within a millisecond; positions in the ring move as it turns).
   */
  seq: number;
  /** The version whose save_state made it, and its sha256. */
  version: string;
  sha256: string;
  bytes: number;
  /** Calls answered by the serving version when it was taken. */
  calls: number;
}

/** Checkpoints kept in memory. */
const RING = 50;

export class Checkpoints {
  private readonly ring: CheckpointEntry[] = [];
  private taking = false;
  private nextSeq = 1;

  constructor(
    private readonly clock: Clock,
    private readonly config: () => EngineConfig,
    private readonly taken: (checkpoint: CheckpointEntry) => void,
    private readonly cleared: () => void = () => undefined,
  ) {}

  latest(): CheckpointEntry | null {
    return this.ring[this.ring.length - 1] ?? null;
  }

  /** Recent checkpoints, oldest first. */
  list(): readonly CheckpointEntry[] {
    return this.ring;
  }

  /** The checkpoint numbered `seq`, if the ring still holds it. */
  find(seq: number): CheckpointEntry | null {
    return this.ring.find((c) => c.seq === seq) ?? null;
  }

  private keep(instance: Instance, state: Uint8Array, at: number): void {
    const entry = { seq: this.nextSeq++, state, at, version: instance.info.version ?? '?', sha256: instance.info.sha256, bytes: state.byteLength, calls: instance.stats.calls };
    this.ring.push(entry);
    if (this.ring.length > RING) this.ring.shift();
    this.taken(entry);
  }

  /**
   * Keep `state`, which `instance` holds as of `at`, as a checkpoint (a state read on request,
   * or one just injected): unless a newer one is kept already. Answers whether it was kept.
   */
  put(instance: Instance, state: Uint8Array, at: number): boolean {
    const last = this.latest();
    if (last && last.at > at) return false;
    this.keep(instance, state, at);
    return true;
  }

  /** During activity: at most every checkpoint_interval_ms, and never while calls are held. */
  maybeTake(instance: Instance, stillServing: () => boolean): void {
    if (this.taking || !instance.has('save_state')) return;
    const now = this.clock.wallNow();
    const last = this.latest();
    if (last && now - last.at < this.config().checkpoint_interval_ms) return;
    this.take(instance, now, () => stillServing());
  }

  /**
   * Save `instance`'s state as a checkpoint dated `at`, if `wanted()` still says so when it
   * answers. A save_state that fails is reported when an update needs it, not here.
   */
  take(instance: Instance, at: number, wanted: () => boolean): void {
    if (!instance.has('save_state')) return;
    this.taking = true;
    instance
      .request({ op: 'saveState' }, this.config().validation_timeout_ms)
      .then(
        ({ state }) => {
          const last = this.latest();
          if (state && wanted() && (!last || last.at <= at)) this.keep(instance, state, at);
        },
        () => undefined,
      )
      .finally(() => (this.taking = false));
  }

  /** A checkpoint kept from an earlier session, restored into the serving version: the latest now. */
  adopt(entry: Omit<CheckpointEntry, 'seq'>): void {
    this.ring.push({ ...entry, seq: this.nextSeq++ });
    if (this.ring.length > RING) this.ring.shift();
  }

  /** The serving version has no save_state: nothing older may be restored into it. */
  clear(): void {
    if (this.ring.length === 0) return;
    this.ring.length = 0;
    this.cleared();
  }
}
