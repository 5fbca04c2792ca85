/**
 * Probation: after a cutover the previous version stays warm for `probation_ms`. If the new
 * version traps, times out, crashes or is asked for an export it lost during probation, and
 * `rollback_on_failure` is on, the module rolls back at once: the old version resumes with the
 * state saved from the new one if its `restore_state` accepts it, else with the state it had at
 * the cutover. After `max_rollback_attempts` automatic rollbacks in a row, auto reload pauses
 * ({@link RollbackStreak}: a pool's automatic rollbacks to warm blue count too).
 */
import { HotwasmError } from '../shared/errors';
import type { Op, RequestOf } from '../shared/ops';
import type { Checkpoints } from './checkpoints';
import type { Clock, Timer } from './clock';
import type { EngineConfig } from './config';
import type { UpdateTrigger } from './history';
import type { Instance, ModuleInfo } from './instance';
import type { Leftovers } from './leftovers';
import { type RecordDraft, versionRef } from './pipeline/records';
import type { InstancePool } from './pool';
import type { PendingRequest } from './rpc';

/** Call failures that count against a version in probation. */
const FAILURES = new Set(['trap', 'stack-overflow', 'timeout', 'worker-died']);
/** …and these, when the previous version had the export that was asked for. */
const LOST_EXPORT = new Set(['no-such-export', 'not-json-callable']);

/**
 * Does a call's failure count against a version in probation — a trap, a timeout, a crash, or
 * an export that the version it replaced (`previous`) had? The reason to roll back, else null.
 */
export function probationFailure(instance: Instance, previous: Instance, error: unknown, request?: RequestOf<Op>): string | null {
  if (!(error instanceof HotwasmError)) return null;
  const fn = request && 'fn' in request && typeof request.fn === 'string' ? request.fn : null;
  const lost = LOST_EXPORT.has(error.code) && fn !== null && previous.has(fn);
  if (!FAILURES.has(error.code) && !lost) return null;
  return `${instance.info.version} failed during probation: ${error.message}`;
}

/**
 * A module's automatic rollbacks in a row, whoever made them (probation at one instance, or a
 * pool going back to warm blue): after `max_rollback_attempts` of them auto reload pauses, so a
 * build that keeps failing is not pushed again and again. A version that outlives its probation
 * ends the streak.
 */
export class RollbackStreak {
  private count = 0;

  constructor(private readonly host: { readonly name: string; config(): EngineConfig; pauseAutoReload(reason: string): void }) {}

  /** The version that came last survived its probation. */
  survived(): void {
    this.count = 0;
  }

  /** An automatic rollback, for `reason`: one more in a row. */
  rolledBack(reason: string): void {
    this.count++;
    if (this.count < this.host.config().max_rollback_attempts) return;
    const times = this.count === 1 ? 'once' : `${this.count} times in a row`;
    this.host.pauseAutoReload(`Auto reload paused: ${this.host.name} was rolled back automatically ${times} (last: ${reason}). Turn Auto reload back on to resume.`);
    this.count = 0;
  }
}

export interface ProbationHost {
  readonly name: string;
  /** The module's pool (it exists once a version serves). */
  pool(): InstancePool;
  readonly clock: Clock;
  readonly checkpoints: Checkpoints;
  readonly leftovers: Leftovers;
  config(): EngineConfig;
  record(draft: RecordDraft): void;
  say(text: string): void;
  loaded(info: ModuleInfo, trigger: UpdateTrigger): void;
  /** The module's automatic rollbacks in a row. */
  readonly streak: RollbackStreak;
}

export class Probation {
  private previous: { instance: Instance; timer: Timer } | null = null;
  private rollingBack = false;

  constructor(private readonly host: ProbationHost) {}

  /** The version replaced by the last cutover, while it is warm. */
  get warm(): Instance | null {
    return this.previous?.instance ?? null;
  }

  /**
   * After a cutover from `old`: keep it warm, and take the new version's first checkpoint from it
   * (unless `checkpointed`: the new version was given other state, already kept as one).
   */
  start(old: Instance, { checkpointed = false } = {}): void {
    const { host } = this;
    if (this.previous) {
      const displaced = this.previous.instance;
      host.clock.clearTimeout(this.previous.timer);
      displaced.willRetire();
      host.leftovers.later(() => displaced.retire(), () => displaced.dispose());
    }
    // The old instance is idle now and holds the state of the cutover: keep it as the new
    // version's first checkpoint (and the fallback if a rollback cannot use the new state).
    const at = host.clock.wallNow();
    if (!checkpointed) {
      if (old.has('save_state')) host.leftovers.later(() => host.checkpoints.take(old, at, () => !host.pool().serves(old)));
      else host.checkpoints.clear();
    }
    const timer = host.clock.setTimeout(() => {
      if (this.previous?.instance !== old) return;
      this.previous = null;
      host.streak.survived();
      old.willRetire();
      host.leftovers.later(() => old.retire(), () => old.dispose()); // after the checkpoint is asked for
    }, host.config().probation_ms);
    this.previous = { instance: old, timer };
  }

  /**
   * Is `instance` on probation? Only while it serves alone: the warm previous version is one
   * instance, so rolling back to it would shrink a pool scaled since (there each instance
   * restarts from its own checkpoint instead).
   */
  private on(instance: Instance): boolean {
    const pool = this.host.pool();
    return this.previous !== null && pool.size === 1 && pool.serves(instance) && this.host.config().rollback_on_failure && !this.rollingBack;
  }

  /** A call failed on `instance`: during probation, a failure that counts rolls back. */
  onCallFailed(instance: Instance, error: unknown, request?: RequestOf<Op>): void {
    if (!this.on(instance)) return;
    const reason = probationFailure(instance, this.previous!.instance, error, request);
    if (reason !== null) void this.rollBack(reason, { trigger: 'auto rollback' }).catch(() => undefined);
  }

  /** A runaway call stopped `instance`'s worker: during probation, roll back instead of restarting. */
  onRunaway(instance: Instance, requeue: PendingRequest[], reason: string): boolean {
    if (!this.on(instance)) return false;
    void this.rollBack(`${instance.info.version} failed during probation: ${reason}`, { trigger: 'auto rollback', requeue, failedIsDead: true }).catch(() => undefined);
    return true;
  }

  /** Put the warm previous version back, with the failed version's state if it takes it. */
  async rollBack(reason: string, { trigger, requeue = [], failedIsDead = false }: { trigger: UpdateTrigger; requeue?: PendingRequest[]; failedIsDead?: boolean }): Promise<ModuleInfo> {
    const { host } = this;
    const previous = this.previous;
    if (!previous) throw new HotwasmError('not-loaded', `No previous version of ${host.name} is warm to roll back to`);
    this.rollingBack = true;
    const t0 = host.clock.now();
    host.clock.clearTimeout(previous.timer);
    this.previous = null;
    const failed = host.pool().primary;
    const old = previous.instance;
    const timeout = host.config().validation_timeout_ms;
    host.pool().hold();
    let resumed = 'the state it had at the cutover';
    let stateBytes: number | null = null;
    try {
      if (!failedIsDead && failed.has('save_state') && old.has('restore_state')) {
        const saved = await failed.request({ op: 'saveState' }, timeout).catch(() => null);
        if (saved?.state) {
          const bytes = saved.state.byteLength;
          const restored = await old.request({ op: 'restoreState', state: saved.state }, timeout).catch(() => null);
          if (restored?.code === 0) {
            resumed = `the state saved from ${failed.info.version}`;
            stateBytes = bytes;
          } else if (restored === null) {
            // restore_state trapped: the old instance's state cannot be trusted; restart it from
            // the checkpoint of the cutover.
            await old.restart(`restore_state trapped while rolling back to ${old.info.version}`);
          }
        }
      }
    } finally {
      host.pool().replace(old);
      old.adopt(requeue);
      host.pool().release();
      failed.dispose(`rolled back to ${old.info.version}`);
      this.rollingBack = false;
    }
    host.record({
      timestamp: host.clock.wallNow(),
      module: host.name,
      trigger,
      from: versionRef(failed),
      to: versionRef(old),
      outcome: 'rolled back',
      durationMs: host.clock.now() - t0,
      failedStep: trigger === 'auto rollback' ? 'probation' : null,
      error: reason,
      refusal: null,
      stateBytes,
      warning: `resumed with ${resumed}`,
      cutover: null,
    });
    host.say(`Rolled back ${host.name} from ${failed.info.version} to ${old.info.version} (${reason}); it resumed with ${resumed}`);
    if (trigger === 'auto rollback') host.streak.rolledBack(reason);
    host.loaded(old.info, trigger);
    return old.info;
  }

  dispose(reason: string): void {
    if (!this.previous) return;
    this.host.clock.clearTimeout(this.previous.timer);
    this.previous.instance.dispose(reason);
    this.previous = null;
  }
}
