/**
 * One module name, from its first load on: the queue its loads and updates wait in (one at a
 * time, in the order they were asked for), the pool of instances serving it, its versions,
 * checkpoints and probation. Updates walk the pipeline's steps (./pipeline); what a cutover
 * leaves behind waits in ./leftovers.ts.
 */
import { HotwasmError, messageOf } from '../shared/errors';
import type { GuestOptions } from '../shared/protocol';
import { STATUS_THROTTLE_MS } from '../shared/tuning';
import type { BufferPool } from './buffer-pool';
import { type CheckpointEntry, Checkpoints } from './checkpoints';
import type { Clock, Timer } from './clock';
import type { EngineConfig } from './config';
import type { EngineEvent, ModuleStatus } from './events';
import type { UpdateRecord, UpdateStep, UpdateTrigger } from './history';
import { Instance, type InstanceDeps, type ModuleInfo, type Send, type Staged } from './instance';
import { Leftovers } from './leftovers';
import type { PipelineHost, Ticket, UpdateContext, UpdateInput } from './pipeline/context';
import { type RecordDraft, refusedLoadRecord, updateNotice, updateRecord } from './pipeline/records';
import { failed, refusalText } from './pipeline/refusal';
import { walk } from './pipeline/run';
import { REPLACE_STEPS } from './pipeline/steps';
import { InstancePool } from './pool';
import { Probation } from './probation';
import type { Registry } from './registry';
import type { PendingRequest } from './rpc';
import type { SparePool } from './spares';
import { VersionBook } from './versions';

export interface ModuleDeps {
  clock: Clock;
  /** This module's settings (the engine's, with the module's own on top). */
  config(): EngineConfig;
  spares: SparePool;
  buffers: BufferPool;
  registry: Registry;
  guestOptions(label: string): GuestOptions;
  emit(event: EngineEvent): void;
  /** Add a record to the engine's history (and the registry). */
  record(draft: RecordDraft): UpdateRecord;
  pauseAutoReload(reason: string): void;
  /** Nothing serves under this name and nothing is queued: forget it. */
  gone(name: string): void;
}

/** The latest build received, whatever became of it: what Reload re-runs. */
interface Latest {
  input: UpdateInput;
  /** Known once it was staged: its bytes are then read back from the registry. */
  sha256: string | null;
}

export class ModuleController {
  pool: InstancePool | null = null;
  readonly clock: Clock;
  readonly versions: VersionBook;
  readonly checkpoints: Checkpoints;
  readonly leftovers: Leftovers;
  readonly probation: Probation;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly tickets = new Set<Ticket>();
  private queued = 0;
  private latest: Latest | null = null;
  private notice: { text: string; at: number } | null = null;
  private updating: UpdateStep | null = null;
  private statusTimer: Timer | null = null;
  private disposed = false;

  constructor(
    readonly name: string,
    private readonly deps: ModuleDeps,
  ) {
    this.clock = deps.clock;
    const warn = (what: string, error: unknown) => console.warn(`hotwasm: the registry could not keep ${name}'s ${what}: ${messageOf(error)}`);
    this.versions = new VersionBook(name, deps.registry, deps.clock, warn);
    this.checkpoints = new Checkpoints(deps.clock, deps.config, (c) => this.checkpointTaken(c));
    this.leftovers = new Leftovers(deps.clock);
    this.probation = new Probation({
      name,
      pool: () => this.pool!,
      clock: deps.clock,
      checkpoints: this.checkpoints,
      leftovers: this.leftovers,
      config: deps.config,
      record: (draft) => this.record(draft),
      say: (text) => this.say(text),
      loaded: (info) => this.loaded(info, true),
      pauseAutoReload: deps.pauseAutoReload,
    });
  }

  config(): EngineConfig {
    return this.deps.config();
  }

  /** The serving version, or null before the first load has finished. */
  get serving(): Instance | null {
    return this.pool?.primary ?? null;
  }

  info(): ModuleInfo | null {
    return this.serving?.info ?? null;
  }

  // --- The queue ------------------------------------------------------------------------------

  /**
   * Load `input` under this name: the first load, or an update through the pipeline once a
   * version serves. Runs after every load and update asked for before it; a newer one
   * supersedes it until its cutover begins. Resolves with the version serving afterwards.
   */
  enqueue(input: UpdateInput, trigger: UpdateTrigger): Promise<ModuleInfo> {
    this.latest = { input, sha256: null };
    const asked = this.clock.wallNow();
    return this.schedule((ticket) => this.turn(ticket, input, trigger, asked));
  }

  /** Queue `work` behind everything asked for before; it supersedes what has not begun its cutover. */
  private schedule<T>(work: (ticket: Ticket) => Promise<T>): Promise<T> {
    for (const t of this.tickets) {
      if (!t.inCutover) {
        t.superseded = true;
        t.candidate?.dispose('superseded by a newer update');
      }
    }
    const ticket: Ticket = { superseded: false, inCutover: false, candidate: null };
    this.tickets.add(ticket);
    this.queued++;
    const run = this.chain.then(() => work(ticket));
    this.chain = run
      .catch(() => undefined)
      .finally(() => {
        this.tickets.delete(ticket);
        this.queued--;
        if (!this.pool && this.queued === 0) this.forget();
      });
    return run;
  }

  private turn(ticket: Ticket, input: UpdateInput, trigger: UpdateTrigger, asked: number): Promise<ModuleInfo> {
    if (this.disposed) return Promise.reject(new HotwasmError('disposed', `${this.name} was unloaded`));
    if (this.pool) return this.update(ticket, input, trigger, asked); // superseded or not: it gets its record
    if (ticket.superseded) {
      const error = this.superseded(input);
      this.record(refusedLoadRecord(this.name, failed('stage', error), { trigger, asked, durationMs: 0, from: null }));
      return Promise.reject(error);
    }
    ticket.inCutover = true; // a first load is never superseded once it runs: nothing serves yet
    return this.firstLoad(input, trigger, asked);
  }

  private superseded(input: UpdateInput): HotwasmError {
    return new HotwasmError('superseded', `The update of ${this.name} to ${input.version ?? input.source} was superseded by a newer one`);
  }

  private async firstLoad(input: UpdateInput, trigger: UpdateTrigger, asked: number): Promise<ModuleInfo> {
    const t0 = this.clock.now();
    this.emitStatus();
    let staged: Staged<null>;
    try {
      staged = await this.stage(input, this.config().load_timeout_ms, () => null, trigger);
    } catch (error) {
      this.record(refusedLoadRecord(this.name, failed('stage', error), { trigger, asked, durationMs: this.clock.now() - t0, from: null }));
      throw error;
    }
    if (this.disposed) {
      staged.instance.dispose(`${this.name} was unloaded`);
      throw new HotwasmError('disposed', `${this.name} was unloaded`);
    }
    this.pool = new InstancePool(staged.instance);
    this.versions.markServed(staged.instance.info.version!);
    this.loaded(staged.instance.info, false);
    return staged.instance.info;
  }

  /** PipelineHost: stage `input` in a spare worker, label it, keep its bytes. */
  async stage<T>(input: UpdateInput, timeoutMs: number, steps: (send: Send) => T, trigger: UpdateTrigger = 'load'): Promise<Staged<T>> {
    const meta = { name: this.name, version: null, source: input.source };
    const staged = await Instance.stage(input.data, meta, this.deps.guestOptions(input.source), this.instanceDeps(timeoutMs), steps);
    const { instance, bytes } = staged;
    instance.info.version = this.versions.label(instance.info, trigger, input.version);
    if (this.latest?.input === input) this.latest.sha256 = instance.info.sha256;
    this.keepBytes(instance.info.sha256, bytes);
    return staged;
  }

  labelOwner(version: string): string | null {
    return this.versions.owner(version);
  }

  private keepBytes(sha256: string, bytes: Uint8Array): void {
    void this.deps.registry.getBytes(sha256).then((kept) => {
      // Bytes kept already under this sha256: the copy's buffer goes back to the pool.
      if (kept) return this.deps.buffers.giveBack(bytes.buffer as ArrayBuffer);
      return this.deps.registry.putBytes(sha256, bytes);
    }).catch((error: unknown) => console.warn(`hotwasm: the registry could not keep the bytes of ${this.name}: ${messageOf(error)}`));
  }

  private async update(ticket: Ticket, input: UpdateInput, trigger: UpdateTrigger, asked: number): Promise<ModuleInfo> {
    this.leftovers.now();
    const t0 = this.clock.now();
    const host: PipelineHost = { name: this.name, pool: this.pool!, clock: this.clock, labelOwner: (v) => this.labelOwner(v), stage: (i, ms, s) => this.stage(i, ms, s, trigger) };
    const ctx: UpdateContext = {
      host,
      input,
      config: this.config(),
      serving: this.pool!.primary,
      ticket,
      warnings: [],
      candidate: null,
      answers: null,
      snapshot: null,
      mark: 0,
      restored: null,
      stateBytes: null,
      cutover: null,
    };
    const end = await walk(ctx, REPLACE_STEPS, (step) => this.step(step));
    this.step(null);
    const draft = updateRecord(ctx, end, { trigger, asked, durationMs: this.clock.now() - t0 });
    this.record(draft);
    const notice = updateNotice(ctx, end, draft);
    if (notice) this.say(notice);
    switch (end.end) {
      case 'committed': {
        const candidate = ctx.candidate!;
        this.versions.markServed(candidate.info.version!);
        this.probation.start(ctx.serving);
        this.loaded(candidate.info, true);
        return candidate.info;
      }
      case 'already running':
        return ctx.serving.info;
      case 'superseded':
        throw this.superseded({ ...input, version: ctx.candidate?.info.version ?? input.version });
      case 'refused':
        throw new HotwasmError('update-refused', `Update of ${this.name} refused at ${end.refusal.step}: ${refusalText(end.refusal)}`, { step: end.refusal.step, refusal: end.refusal.code, module: this.name });
    }
  }

  // --- Reload and rollback --------------------------------------------------------------------

  /** Keep a build that arrived without being applied (auto reload is off): Reload applies it. */
  keepLatest(input: UpdateInput, notice: string): void {
    this.latest = { input, sha256: null };
    this.say(notice);
  }

  /** Re-run the update with the latest build received; `fresh` replaces without carrying state. */
  async reload(fresh = false): Promise<ModuleInfo> {
    const latest = this.latest;
    if (!latest) throw new HotwasmError('not-loaded', `Nothing to reload for ${this.name}`);
    const data = latest.sha256 ? await this.keptCopy(latest.sha256, latest.input.version ?? latest.input.source) : latest.input.data;
    if (data instanceof Uint8Array && data.byteLength === 0 && data.buffer.byteLength === 0) {
      throw new HotwasmError('not-loaded', `Nothing to reload for ${this.name}: its latest build (${latest.input.source}) could not be loaded, so its bytes were not kept`);
    }
    const input: UpdateInput = { ...latest.input, data, sha256: latest.sha256 ?? undefined, ...(fresh ? { fresh: true } : {}) };
    return this.enqueue(input, 'reload');
  }

  /** Go back to `version` (default: the one that served before the serving version), carrying state. */
  async rollback(version?: string): Promise<ModuleInfo> {
    const serving = this.serving;
    if (!serving) throw new HotwasmError('not-loaded', `${this.name} is still loading`);
    const target = version === undefined ? this.versions.before(serving.info.sha256) : this.versions.find(version);
    if (!target) {
      const known = this.versions.list().map((v) => v.version).join(', ');
      const what = version === undefined ? `no version before ${serving.info.version}` : `no version "${version}"`;
      throw new HotwasmError('not-loaded', `Cannot roll back ${this.name}: there is ${what} (kept: ${known})`);
    }
    // Back to the version still warm from probation: at once, in the queue's order.
    if (this.probation.warm?.info.sha256 === target.sha256) {
      return this.schedule(async (ticket) => {
        if (ticket.superseded) throw new HotwasmError('superseded', `The rollback of ${this.name} to ${target.version} was superseded by a newer update`);
        ticket.inCutover = true;
        if (this.probation.warm?.info.sha256 === target.sha256) return this.probation.rollBack('rolled back by request', { trigger: 'rollback' });
        return this.rollToKept(target, ticket);
      });
    }
    return this.rollToKept(target, null);
  }

  /** Roll back through the pipeline, with the kept bytes of `target`. */
  private async rollToKept(target: { sha256: string; version: string; source: string }, ticket: Ticket | null): Promise<ModuleInfo> {
    const data = await this.keptCopy(target.sha256, target.version);
    const input: UpdateInput = { data, source: target.source, version: target.version, sha256: target.sha256 };
    if (!ticket) return this.enqueue(input, 'rollback');
    return this.update(ticket, input, 'rollback', this.clock.wallNow());
  }

  /** A copy of kept bytes, ready to be moved to a worker. */
  private async keptCopy(sha256: string, what: string): Promise<Uint8Array> {
    const bytes = await this.deps.registry.getBytes(sha256);
    if (!bytes) throw new HotwasmError('not-loaded', `The bytes of ${this.name} ${what} are no longer kept (only the most recent versions keep theirs)`);
    return this.deps.buffers.copy(bytes);
  }

  // --- Calls ----------------------------------------------------------------------------------

  /** Run `request` on a serving instance (after the cutover in progress, in call order). */
  send<T>(request: (instance: Instance) => Promise<T>): Promise<T> {
    if (!this.pool) return Promise.reject(new HotwasmError('not-loaded', `${this.name} is still loading`));
    return this.pool.send(request);
  }

  async restart(): Promise<void> {
    if (!this.serving) throw new HotwasmError('not-loaded', `${this.name} is still loading`);
    await this.serving.restart('Restarted by the user', [], { useCheckpoint: false });
  }

  // --- What instances tell their owner (InstanceOwner) -----------------------------------------

  private instanceDeps(loadMs: number): InstanceDeps {
    const config = () => this.config();
    return {
      spares: this.deps.spares,
      clock: this.clock,
      buffers: this.deps.buffers,
      timeouts: () => ({ callMs: config().call_timeout_ms, loadMs }),
      onOutput: (stream, text) => this.deps.emit({ type: 'output', module: this.name, stream, text }),
      owner: {
        checkpoint: () => this.checkpoints.latest(),
        onRunaway: (instance, requeue, reason) => this.onRunaway(instance, requeue, reason),
        onCallFailed: (instance, error, request) => this.probation.onCallFailed(instance, error, request),
        onChange: (instance) => this.onChange(instance),
      },
    };
  }

  private onRunaway(instance: Instance, requeue: PendingRequest[], reason: string): boolean {
    if (!this.pool?.serves(instance)) {
      // A candidate (or the warm previous version) hung in a lifecycle step: it is being
      // discarded, so it is not restarted; the update that used it is refused.
      for (const entry of requeue) entry.reject(new HotwasmError('worker-died', reason));
      instance.dispose(reason);
      return true;
    }
    return this.probation.onRunaway(instance, requeue, reason);
  }

  private onChange(instance: Instance): void {
    const pool = this.pool;
    if (!pool?.serves(instance)) return;
    if (!pool.holding) this.checkpoints.maybeTake(instance, () => pool.serves(instance));
    // A restart or failure is news at once; call statistics can wait a moment.
    this.emitStatusSoon(instance.state !== 'healthy');
  }

  private checkpointTaken(entry: CheckpointEntry): void {
    const { state, ...info } = entry;
    this.deps.emit({ type: 'checkpoint', module: this.name, checkpoint: info });
    this.deps.registry.putCheckpoint({ schema: 1, module: this.name, label: entry.version, sha256: entry.sha256, at: entry.at, state }).catch(() => undefined);
  }

  // --- Status ---------------------------------------------------------------------------------

  private say(text: string): void {
    this.notice = { text, at: this.clock.wallNow() };
    this.emitStatus();
  }

  private step(step: UpdateStep | null): void {
    if (this.updating === step) return;
    this.updating = step;
    this.emitStatus();
  }

  private record(draft: RecordDraft): UpdateRecord {
    return this.deps.record(draft);
  }

  private loaded(info: ModuleInfo, replaced: boolean): void {
    this.deps.emit({ type: 'loaded', module: this.name, info, replaced });
    this.deps.emit({ type: 'versions', module: this.name, versions: this.versions.list() });
    this.emitStatus();
  }

  status(): ModuleStatus {
    const serving = this.serving;
    const stats = serving?.stats.snapshot() ?? { calls: 0, errors: 0, p50Ms: null, p99Ms: null };
    // The newest of the module's update notices and the serving instance's incidents.
    const incident = serving?.notice ? { text: serving.notice, at: serving.noticeAt } : null;
    const newest = [this.notice, incident].filter((n) => n !== null).sort((a, b) => b.at - a.at)[0] ?? null;
    return {
      name: this.name,
      state: serving ? serving.state : 'loading',
      version: serving?.info.version ?? null,
      apiVersion: serving?.info.apiVersion ?? null,
      sha256: serving?.info.sha256 ?? null,
      lastUpdate: serving?.info.loadedAt ?? null,
      message: newest?.text ?? null,
      messageAt: newest?.at ?? null,
      checkpointAt: this.checkpoints.latest()?.at ?? null,
      updating: this.updating,
      instances: this.pool?.all.length ?? 0,
      ...stats,
    };
  }

  emitStatus(): void {
    if (this.statusTimer !== null) {
      this.clock.clearTimeout(this.statusTimer);
      this.statusTimer = null;
    }
    if (!this.disposed) this.deps.emit({ type: 'status', module: this.name, status: this.status() });
  }

  /** Call statistics change with every call: report them at most every STATUS_THROTTLE_MS. */
  private emitStatusSoon(now: boolean): void {
    if (now) return this.emitStatus();
    if (this.statusTimer !== null) return;
    this.statusTimer = this.clock.setTimeout(() => {
      this.statusTimer = null;
      this.emitStatus();
    }, STATUS_THROTTLE_MS);
  }

  // --- Lifecycle ------------------------------------------------------------------------------

  private forget(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.leftovers.dispose();
    this.deps.gone(this.name);
  }

  dispose(reason: string): void {
    if (this.statusTimer !== null) this.clock.clearTimeout(this.statusTimer);
    this.disposed = true;
    for (const t of this.tickets) {
      t.superseded = true;
      t.candidate?.dispose(reason);
    }
    this.leftovers.dispose();
    this.probation.dispose(reason);
    this.pool?.dispose(reason);
  }
}
