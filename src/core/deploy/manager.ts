/**
 * A module's pool beyond one instance: scaling it, the deployment running on it (one at a time),
 * blue kept warm after a blue-green switch, per-instance views and calls per second per version
 * for the Deploy panel. A module that never scales nor deploys never reaches any of it but
 * {@link PoolManager.observe}.
 */
import { HotwasmError } from '../../shared/errors';
import type { Op, RequestOf } from '../../shared/ops';
import { PREPARE } from '../../shared/update-plan';
import type { Clock, Timer } from '../clock';
import type { EngineConfig } from '../config';
import type { EngineEvent } from '../events';
import type { UpdateRecord, UpdateTrigger } from '../history';
import type { Instance, ModuleInfo } from '../instance';
import type { PipelineHost, Ticket, UpdateInput } from '../pipeline/context';
import { finalState } from '../pipeline/cutover';
import { type RecordDraft, versionRef } from '../pipeline/records';
import { refusalText } from '../pipeline/refusal';
import { type InstancePool, instanceId } from '../pool';
import { probationFailure, type RollbackStreak } from '../probation';
import { blueGreen, rolling } from './blue-green';
import { canary } from './canary';
import { DeploymentRun, type StrategyRun } from './deployment';
import { type DeployHost, prepare } from './prepare';
import { shadow } from './shadow';
import { TrafficSeries } from './traffic';
import type { Deployment, DeploymentStatus, InstanceView, Strategy } from './types';

/** The most instances a module runs. */
export const MAX_INSTANCES = 16;
/** The pool event is sent at most this often, ms. */
const POOL_EVENT_MS = 500;

const RUNS: Record<Strategy['kind'], StrategyRun> = { 'blue-green': blueGreen, rolling, canary, shadow };

export interface ManagerDeps {
  name: string;
  clock: Clock;
  config(): EngineConfig;
  pool(): InstancePool | null;
  pipeline(): PipelineHost;
  bytesOf(sha256: string, label: string): Promise<Uint8Array>;
  /** The state bytes of the module's latest checkpoint (a pool of one checkpoints in the module's ring). */
  latestStateBytes(): number | null;
  record(draft: RecordDraft): UpdateRecord;
  emit(event: EngineEvent): void;
  /** A version now serves (some of the pool, or all): marked served. */
  served(instance: Instance): void;
  /** The primary instance now runs another version: the module's `loaded` news. */
  loaded(info: ModuleInfo, trigger: UpdateTrigger): void;
  /** The module's status and panels should look again. */
  changed(): void;
  say(text: string): void;
  /** Run `work` in the module's queue, after what is queued; it supersedes nothing and nothing supersedes it. */
  schedule<T>(work: (ticket: Ticket) => Promise<T>): Promise<T>;
  /** The ordinary update, in the current turn (a shadowed candidate promoted). */
  update(ticket: Ticket, input: UpdateInput): Promise<ModuleInfo>;
  /** The module's automatic rollbacks in a row (a pool's back to warm blue count as probation's do). */
  readonly streak: RollbackStreak;
}

export class PoolManager {
  /** The deployment running or waiting to run, else the latest one that ended. */
  private latest: DeploymentRun | null = null;
  private warm: { blue: Instance[]; green: Instance[]; timer: Timer } | null = null;
  /** An automatic rollback to warm blue is on its way: later failures of green add nothing. */
  private autoRollback = false;
  private readonly series = new TrafficSeries();
  private poolTimer: Timer | null = null;
  private disposed = false;

  constructor(private readonly deps: ManagerDeps) {}

  /** Why a load, a scale or a deployment must not start now, or null. */
  busy(): string | null {
    const d = this.latest;
    if (!d?.running) return null;
    const s = d.status();
    return `a ${s.strategy.kind} deployment of ${this.deps.name} (${s.from} → ${s.to ?? 'the new build'}) is ${s.phase === 'preparing' ? 'being prepared' : `in its ${s.phase} phase`}: promote or abort it first (hotwasm.deployment('${this.deps.name}'))`;
  }

  deployment(): Deployment | null {
    return this.latest;
  }

  /** Start deploying `input` with `strategy`, in the module's queue: answers the handle at once. */
  deploy(input: UpdateInput, strategy: Strategy): Deployment {
    const why = this.busy();
    if (why) throw new HotwasmError('deploying', `Cannot deploy: ${why}`);
    const pool = this.deps.pool();
    if (!pool) throw new HotwasmError('not-loaded', `${this.deps.name} is still loading`);
    const run = new DeploymentRun(this.host(pool, null), input, strategy);
    this.latest = run;
    run.changed();
    void this.deps.schedule(async () => {
      this.endWarm();
      const before = pool.primary.info;
      await run.run(RUNS[strategy.kind]);
      if (pool.primary.info !== before) this.deps.loaded(pool.primary.info, 'deploy');
    });
    return run;
  }

  /** An ordinary update (load, push, reload, rollback) of a pool of several: blue-green, in the turn it was given. */
  async updatePool(ticket: Ticket, input: UpdateInput, trigger: UpdateTrigger): Promise<DeploymentStatus> {
    this.endWarm();
    const run = new DeploymentRun(this.host(this.deps.pool()!, ticket), input, { kind: 'blue-green' }, trigger);
    this.latest = run;
    return run.run(blueGreen);
  }

  private host(pool: InstancePool, ticket: Ticket | null): DeployHost {
    const deps = this.deps;
    return {
      name: deps.name,
      pool,
      clock: deps.clock,
      config: deps.config,
      pipeline: deps.pipeline(),
      bytesOf: deps.bytesOf,
      record: deps.record,
      changed: () => this.changed(),
      served: deps.served,
      emit: (status) => deps.emit({ type: 'deployment', module: deps.name, status }),
      keepWarm: (blue, green) => this.keepWarm(blue, green),
      cutOver: async (input) => {
        try {
          await deps.update(ticket ?? { superseded: false, inCutover: false, candidate: null }, input);
          return { stateBytes: null, pauseMs: 0 };
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      },
    };
  }

  // --- Scaling ---------------------------------------------------------------------------------

  scale(n: number): Promise<InstanceView[]> {
    if (!Number.isInteger(n) || n < 1 || n > MAX_INSTANCES) return Promise.reject(new HotwasmError('bad-arguments', `A pool has 1 to ${MAX_INSTANCES} instances, not ${String(n)}`));
    const why = this.busy();
    if (why) return Promise.reject(new HotwasmError('deploying', `Cannot scale ${this.deps.name} now: ${why}`));
    return this.deps.schedule(async () => {
      const pool = this.deps.pool();
      if (!pool) throw new HotwasmError('not-loaded', `${this.deps.name} is still loading`);
      const from = pool.size;
      while (pool.size < n) {
        const source = pool.all[pool.size % from]!;
        const { sha256, version } = source.info;
        const input: UpdateInput = { data: await this.deps.bytesOf(sha256, version!), source: source.info.source, version: version!, sha256, replica: true };
        const p = await prepare(this.host(pool, null), input, source);
        if (!p.ok) {
          this.changed();
          throw new HotwasmError('update-refused', `Scaling ${this.deps.name} to ${n} stopped at ${pool.size} instance${pool.size === 1 ? '' : 's'}: a new instance was refused: ${refusalText(p.refusal)}`);
        }
        pool.add(p.candidate);
        this.changed();
      }
      while (pool.size > n) {
        const last = pool.all[pool.size - 1]!;
        await pool.drain(last, this.deps.config().validation_timeout_ms);
        pool.draining.delete(last);
        last.retire();
      }
      if (pool.size !== from) this.deps.say(`${this.deps.name} scaled from ${from} to ${pool.size} instance${pool.size === 1 ? '' : 's'}`);
      this.changed();
      return this.views();
    });
  }

  // --- Blue kept warm -----------------------------------------------------------------------------

  private keepWarm(blue: Instance[], green: Instance[]): void {
    this.endWarm();
    const timer = this.deps.clock.setTimeout(() => {
      this.deps.streak.survived(); // green outlived blue's warm time
      this.endWarm();
    }, this.deps.config().probation_ms);
    this.warm = { blue, green, timer };
  }

  private endWarm(): void {
    const warm = this.warm;
    if (!warm) return;
    this.warm = null;
    this.deps.clock.clearTimeout(warm.timer);
    for (const b of warm.blue) b.retire();
  }

  /** The version blue runs, while it is warm and green serves. */
  warmVersion(): string | null {
    const warm = this.warm;
    const pool = this.deps.pool();
    if (!warm || !pool || !warm.green.every((g) => pool.serves(g))) return null;
    return warm.blue[0]?.info.version ?? null;
  }

  /**
   * A call failed on `instance`: while blue is warm after a blue-green switch, a failure that
   * probation counts on a green instance (a trap, a timeout, a crash, an export blue had) takes
   * the pool back to blue at once, as a lone version in probation goes back to the one it
   * replaced. True when a rollback started (the failing instance still restarts on its own if it
   * must: the rollback then carries its restored state).
   */
  onGreenFailed(instance: Instance, error: unknown, request?: RequestOf<Op>): boolean {
    const warm = this.warm;
    if (!warm || this.autoRollback || !this.deps.config().rollback_on_failure || this.warmVersion() === null || !warm.green.includes(instance)) return false;
    const reason = probationFailure(instance, warm.blue[0]!, error, request);
    if (reason === null) return false;
    this.autoRollback = true;
    void this.rollBackWarm(reason)
      .catch(() => undefined)
      .finally(() => (this.autoRollback = false));
    return true;
  }

  /**
   * Back to blue at once: every call held while each green instance's state goes to its blue
   * counterpart. With `failure`, an automatic rollback, for that reason.
   */
  async rollBackWarm(failure?: string): Promise<ModuleInfo> {
    return this.deps.schedule(async () => {
      const warm = this.warm;
      const pool = this.deps.pool();
      if (!warm || !pool || this.warmVersion() === null) throw new HotwasmError('not-loaded', `${this.deps.name}: blue is no longer warm`);
      this.warm = null;
      this.deps.clock.clearTimeout(warm.timer);
      const timeout = this.deps.config().validation_timeout_ms;
      const t0 = this.deps.clock.now();
      await Promise.all(warm.blue.map((b) => b.request(PREPARE, timeout).catch(() => undefined)));
      pool.hold();
      const moved = await Promise.all(warm.green.map((g, i) => finalState(g, warm.blue[i]!, timeout).catch((e: unknown) => ({ step: 'cutover', code: 'failed', detail: { message: String(e) } }) as const)));
      pool.replaceAll(warm.blue);
      pool.release();
      for (const g of warm.green) g.retire();
      const pauseMs = this.deps.clock.now() - t0;
      const kept = moved.filter((m) => !('code' in m)).length;
      const warning = kept === moved.length ? null : `${moved.length - kept} instance${moved.length - kept === 1 ? '' : 's'} came back with reset state: green's state was refused`;
      this.deps.record({
        timestamp: this.deps.clock.wallNow(),
        module: this.deps.name,
        trigger: failure === undefined ? 'rollback' : 'auto rollback',
        from: versionRef(warm.green[0]!),
        to: versionRef(warm.blue[0]!),
        outcome: failure === undefined ? 'committed' : 'rolled back',
        durationMs: pauseMs,
        failedStep: failure === undefined ? null : 'probation',
        error: failure ?? null,
        refusal: null,
        stateBytes: moved.reduce((sum, m) => sum + ('stateBytes' in m ? m.stateBytes : 0), 0),
        warning,
        cutover: { pauseMs, saveMs: 0, restoreMs: 0, held: true },
      });
      for (const b of warm.blue) this.deps.served(b);
      if (failure !== undefined) {
        this.deps.say(`Rolled back ${this.deps.name} from ${warm.green[0]!.info.version} to ${warm.blue[0]!.info.version} on all ${warm.blue.length} instances (${failure})`);
        this.deps.streak.rolledBack(failure);
      }
      this.deps.loaded(pool.primary.info, failure === undefined ? 'rollback' : 'auto rollback');
      this.changed();
      return pool.primary.info;
    });
  }

  private readonly saving = new Set<Instance>();

  /** In a pool of several, each instance keeps its own checkpoint, at most every checkpoint_interval_ms. */
  checkpoint(instance: Instance): void {
    const pool = this.deps.pool();
    if (!pool || this.saving.has(instance) || !instance.has('save_state')) return;
    const at = this.deps.clock.wallNow();
    const last = pool.checkpointOf(instance);
    if (last && at - last.at < this.deps.config().checkpoint_interval_ms) return;
    this.saving.add(instance);
    instance
      .request({ op: 'saveState' }, this.deps.config().validation_timeout_ms)
      .then(
        ({ state }) => state && pool.keepCheckpoint(instance, { state, at }),
        () => undefined,
      )
      .finally(() => this.saving.delete(instance));
  }

  // --- What the Deploy panel shows ----------------------------------------------------------------

  observe(instance: Instance, ms: number, ok: boolean, at: number, sampleMs?: number): void {
    // The chart is drawn for a pool of several or once a deployment ran: a lone instance's calls
    // skip it (this is every call's path).
    if (this.latest !== null || (this.deps.pool()?.size ?? 1) > 1) this.series.record(instance.info.version ?? '?', ms, ok, at);
    this.latest?.watcher?.heard(instance, ok, sampleMs);
    this.soon();
  }

  /** A deployment compares calls' times (a canary): the calls it samples ask for the guest's own time. */
  wantsTiming(instance: Instance): boolean {
    return this.latest?.watcher?.wants(instance) ?? false;
  }

  views(): InstanceView[] {
    const pool = this.deps.pool();
    if (!pool) return [];
    const one = pool.size === 1;
    const view = (i: Instance, draining: boolean): InstanceView => {
      const s = i.stats.snapshot();
      const own = pool.checkpointOf(i)?.state.byteLength ?? null;
      return { id: instanceId(i), version: i.info.version ?? '?', state: draining ? 'draining' : i.state, stateBytes: one ? (this.deps.latestStateBytes() ?? own) : own, calls: s.calls, errors: s.errors, p50Ms: s.p50Ms, p99Ms: s.p99Ms, share: pool.shareOf(i) };
    };
    return [...pool.all.map((i) => view(i, false)), ...[...pool.draining].map((i) => view(i, true))];
  }

  /** Tell the panels about the pool now (an instance came, went, changed version). */
  changed(): void {
    if (this.poolTimer !== null) this.deps.clock.clearTimeout(this.poolTimer);
    this.poolTimer = null;
    this.emitPool();
    this.deps.changed();
  }

  private soon(): void {
    if (this.poolTimer !== null || this.disposed) return;
    this.poolTimer = this.deps.clock.setTimeout(() => {
      this.poolTimer = null;
      this.emitPool();
    }, POOL_EVENT_MS);
  }

  private emitPool(): void {
    if (this.disposed) return;
    this.deps.emit({ type: 'pool', module: this.deps.name, instances: this.views(), traffic: this.series.points(this.deps.clock.wallNow()) });
  }

  dispose(reason: string): void {
    this.disposed = true;
    if (this.poolTimer !== null) this.deps.clock.clearTimeout(this.poolTimer);
    this.latest?.abort(reason);
    this.endWarm();
  }
}
