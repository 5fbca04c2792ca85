/**
 * One module name, from its first load on: the queue its loads and updates wait in (one at a
 * time, in the order they were asked for), the pool of instances serving it, its versions,
 * checkpoints and probation. Updates walk the pipeline's steps (./pipeline); what a cutover
 * leaves behind waits in ./leftovers.ts.
 */
import { CallTrace } from './call-trace';
import { HotwasmError } from '../shared/errors';
import type { GuestOptions } from '../shared/protocol';
import type { BufferPool } from './buffer-pool';
import { type CheckpointEntry, Checkpoints } from './checkpoints';
import type { Clock } from './clock';
import type { StopResult } from './api';
import type { EngineConfig } from './config';
import type { EngineEvent, ModuleStatus } from './events';
import type { UpdateRecord, UpdateTrigger } from './history';
import { Instance, type InstanceDeps, type ModuleInfo, type Send, type Staged } from './instance';
import { Leftovers } from './leftovers';
import { StatusReporter } from './module-status';
import { type PipelineHost, type Ticket, type UpdateInput, newContext } from './pipeline/context';
import { type RecordDraft, refusalSubject, refusedError, refusedLoadRecord, updateNotice, updateRecord, updateStory, versionRef } from './pipeline/records';
import { failed } from './pipeline/refusal';
import { walk } from './pipeline/run';
import { REPLACE_STEPS, shaMismatch } from './pipeline/steps';
import { PoolManager } from './deploy/manager';
import { type CallBody, InstancePool } from './pool';
import { Probation, RollbackStreak } from './probation';
import { UpdateQueue } from './queue';
import { type StateTrigger, stateInput } from './state';
import type { Registry } from './registry';
import type { PendingRequest } from './rpc';
import type { SparePool } from './spares';
import { stopInstances } from './stop';
import { SourceTexts } from './texts';
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
  /** A registry write failed (storage full, storage gone): said plainly; what runs is unaffected. */
  notSaved(module: string, what: string, error: unknown): void;
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
  /** Recent calls across versions (see ./call-trace.ts). */
  readonly calls = new CallTrace();
  readonly texts: SourceTexts;
  readonly leftovers: Leftovers;
  readonly probation: Probation;
  /** Scaling, deployments and the Deploy panel's numbers (./deploy). */
  readonly pools: PoolManager;
  private readonly queue: UpdateQueue;
  private readonly reporter: StatusReporter;
  private latest: Latest | null = null;
  private disposed = false;
  /**
   * The versions the registry keeps of this name from earlier sessions, taken into `versions`
   * (read as the controller is made, while the first build compiles): their labels are never
   * given again, and they can be rolled back to. A restore waits for it too.
   */
  readonly storedVersions: Promise<void>;

  constructor(
    readonly name: string,
    private readonly deps: ModuleDeps,
  ) {
    this.clock = deps.clock;
    const warn = (what: string, error: unknown) => this.notSaved(what, error);
    this.versions = new VersionBook(
      name,
      { registry: deps.registry, buffers: deps.buffers, clock: deps.clock },
      { keep: () => deps.config().keep_versions, inUse: () => this.versionsInUse(), changed: () => this.versionsChanged() },
      warn,
    );
    this.storedVersions = deps.registry.listVersions(name).then(
      (kept) => this.versions.hydrate(kept),
      // Unread, a label kept there could be given here again: the registry then refuses that write, and says so.
      (error: unknown) => console.warn(`hotwasm: the kept versions of ${name} could not be read:`, error),
    );
    this.texts = new SourceTexts(name, deps.registry, warn);
    this.checkpoints = new Checkpoints(
      deps.clock,
      deps.config,
      (c) => this.checkpointTaken(c),
      () => this.deps.emit({ type: 'checkpoints-cleared', module: this.name }),
    );
    this.leftovers = new Leftovers(deps.clock);
    // A first load that failed, with nothing queued behind it: the name serves nothing.
    this.queue = new UpdateQueue(() => this.pool === null && this.forget());
    this.reporter = new StatusReporter(name, deps.clock, { pool: () => this.pool, checkpoints: this.checkpoints }, (status) =>
      deps.emit({ type: 'status', module: name, status }),
    );
    const streak = new RollbackStreak({ name, config: deps.config, pauseAutoReload: deps.pauseAutoReload });
    this.probation = new Probation({
      name,
      pool: () => this.pool!,
      clock: deps.clock,
      checkpoints: this.checkpoints,
      leftovers: this.leftovers,
      config: deps.config,
      record: (draft) => this.record(draft),
      say: (text) => this.say(text),
      loaded: (info, trigger) => this.loaded(info, true, trigger),
      streak,
    });
    this.pools = new PoolManager({
      name,
      clock: deps.clock,
      config: deps.config,
      pool: () => this.pool,
      pipeline: () => this.pipelineHost('deploy'),
      bytesOf: (sha256, label) => this.versions.copyOf(sha256, label),
      latestStateBytes: () => this.checkpoints.latest()?.bytes ?? null,
      record: (draft) => this.record(draft),
      emit: deps.emit,
      served: (instance) => this.versions.markServed(instance.info.version!),
      loaded: (info, trigger) => this.loaded(info, true, trigger),
      changed: () => this.reporter.now(),
      say: (text) => this.say(text),
      schedule: (work) => this.queue.schedule(work, true, false),
      update: (ticket, input) => this.update(ticket, input, 'deploy', this.clock.wallNow()),
      streak,
    });
  }

  private pipelineHost(trigger: UpdateTrigger): PipelineHost {
    return { name: this.name, pool: this.pool!, clock: this.clock, labelOwner: (v) => this.versions.owner(v), stage: (i, ms, s) => this.stage(i, ms, s, trigger) };
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
    const deploying = this.pools.busy();
    if (deploying) return Promise.reject(new HotwasmError('deploying', `Cannot update ${this.name} now: ${deploying}`));
    this.latest = { input, sha256: null };
    const asked = this.clock.wallNow();
    // With nothing serving or queued, this is the first load: nothing may supersede it.
    const first = this.pool === null && this.queue.size === 0;
    return this.schedule((ticket) => this.turn(ticket, input, trigger, asked), first);
  }

  private schedule<T>(work: (ticket: Ticket) => Promise<T>, lasting = false): Promise<T> {
    return this.queue.schedule(work, lasting);
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
    this.reporter.now();
    let staged: Staged<void>;
    try {
      staged = await this.stage(input, this.config().load_timeout_ms, (send) => input.afterLoad?.(send), trigger);
    } catch (error) {
      this.record(refusedLoadRecord(this.name, failed('stage', error), { trigger, asked, durationMs: this.clock.now() - t0, from: null }));
      throw error;
    }
    if (this.disposed) {
      staged.instance.dispose(`${this.name} was unloaded`);
      throw new HotwasmError('disposed', `${this.name} was unloaded`);
    }
    const mismatch = shaMismatch(input, staged.instance.info.sha256, staged.instance.info.version);
    if (mismatch) {
      staged.instance.dispose('refused');
      this.record(refusedLoadRecord(this.name, mismatch, { trigger, asked, durationMs: this.clock.now() - t0, from: null }));
      const subject = refusalSubject(trigger, this.name, null, { label: staged.instance.info.version, source: input.source });
      throw refusedError(this.name, { subject, keeper: null, untouched: false, refusal: mismatch });
    }
    this.pool = new InstancePool(staged.instance);
    this.versions.markServed(staged.instance.info.version!);
    this.loaded(staged.instance.info, false, trigger);
    return staged.instance.info;
  }

  /** Stage `input` in a spare worker, label it, keep its bytes (the pipeline's stage step). */
  async stage<T>(input: UpdateInput, timeoutMs: number, steps: (send: Send) => T, trigger: UpdateTrigger = 'load'): Promise<Staged<T>> {
    const meta = { name: this.name, version: null, source: input.source };
    const staged = await Instance.stage(input.data, meta, this.deps.guestOptions(input.source), this.instanceDeps(timeoutMs), steps);
    const { instance, bytes } = staged;
    await this.storedVersions;
    instance.info.version = this.versions.label(instance.info, trigger, input.version, bytes);
    if (input.text !== undefined) this.texts.keep(instance.info.sha256, input.text);
    if (this.latest?.input === input) this.latest.sha256 = instance.info.sha256;
    return staged;
  }

  private async update(ticket: Ticket, input: UpdateInput, trigger: UpdateTrigger, asked: number): Promise<ModuleInfo> {
    if (this.pool!.size > 1 && input.state === undefined) return this.updatePool(ticket, input, trigger);
    this.leftovers.now();
    const t0 = this.clock.now();
    const ctx = newContext(this.pipelineHost(trigger), input, this.config(), ticket);
    const end = await walk(ctx, REPLACE_STEPS, (step) => this.reporter.step(step));
    this.reporter.step(null);
    const draft = updateRecord(ctx, end, { trigger, asked, durationMs: this.clock.now() - t0 });
    this.record(draft);
    const notice = updateNotice(ctx, end, draft);
    if (notice) this.say(notice);
    switch (end.end) {
      case 'committed': {
        const candidate = ctx.candidate!;
        this.versions.markServed(candidate.info.version!);
        // State given (an injection, a rewind) is the new version's first checkpoint.
        const given = input.state;
        this.probation.start(ctx.serving, { checkpointed: given !== undefined });
        if (given) this.checkpoints.put(candidate, given, this.clock.wallNow());
        this.loaded(candidate.info, true, trigger);
        return candidate.info;
      }
      case 'already running':
        return ctx.serving.info;
      case 'superseded':
        throw this.superseded({ ...input, version: ctx.candidate?.info.version ?? input.version });
      case 'refused':
        throw refusedError(this.name, updateStory(ctx, end.refusal, trigger));
    }
  }

  /** An update of a pool of several instances: blue-green, every instance given its counterpart's state. */
  private async updatePool(ticket: Ticket, input: UpdateInput, trigger: UpdateTrigger): Promise<ModuleInfo> {
    const status = await this.pools.updatePool(ticket, input, trigger);
    if (status.outcome === 'promoted') {
      this.loaded(this.serving!.info, true, trigger);
      return this.serving!.info;
    }
    const message = `The update of ${this.name} to ${status.to ?? input.source} was refused: ${status.reason ?? status.outcome}; ${status.from} serves on, untouched`;
    this.say(message);
    throw new HotwasmError('update-refused', message);
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
    const data = latest.sha256 ? await this.versions.copyOf(latest.sha256, latest.input.version ?? latest.input.source) : latest.input.data;
    if (data instanceof Uint8Array && data.byteLength === 0 && data.buffer.byteLength === 0) {
      throw new HotwasmError('not-loaded', `Nothing to reload for ${this.name}: its latest build (${latest.input.source}) could not be loaded, so its bytes were not kept`);
    }
    const { afterLoad: _once, ...again } = latest.input; // what a restore sent with its load is not sent again
    const input: UpdateInput = { ...again, data, sha256: latest.sha256 ?? undefined, ...(fresh ? { fresh: true } : {}) };
    return this.enqueue(input, 'reload');
  }

  /** Go back to `version` (default: the one that served before the serving version), carrying state. */
  async rollback(version?: string): Promise<ModuleInfo> {
    const serving = this.serving;
    if (!serving) throw new HotwasmError('not-loaded', `${this.name} is still loading`);
    // A rollback during a deployment ends it: back to the version serving before it, with state.
    const running = this.pools.busy() ? this.pools.deployment() : null;
    if (running) {
      running.abort('a rollback was asked for');
      await running.done;
      return this.serving!.info;
    }
    const warm = this.pools.warmVersion();
    if (warm !== null && (version === undefined || this.versions.find(version)?.version === warm)) return this.pools.rollBackWarm();
    const target = version === undefined ? this.versions.before(serving.info.sha256) : this.versions.find(version);
    if (!target) {
      // A version deleted or evicted: say so.
      if (version !== undefined && this.versions.owner(version) !== null) this.versions.need(version);
      const known = this.versions.list().map((v) => v.version).join(', ');
      const what = version === undefined ? `no version before ${serving.info.version}` : `no version "${version}"`;
      throw new HotwasmError('not-loaded', `Cannot roll back ${this.name}: there is ${what} (kept: ${known})`);
    }
    // Back to the version still warm from probation: at once, in the queue's order (a pool of
    // several goes back through the pipeline, blue-green, so that it keeps its size).
    if (this.probation.warm?.info.sha256 === target.sha256 && this.pool?.size === 1) {
      return this.schedule(async (ticket) => {
        if (ticket.superseded) throw new HotwasmError('superseded', `The rollback of ${this.name} to ${target.version} was superseded by a newer update`);
        ticket.inCutover = true;
        if (this.probation.warm?.info.sha256 === target.sha256 && this.pool?.size === 1) return this.probation.rollBack('rolled back by request', { trigger: 'rollback' });
        return this.rollToKept(target, ticket);
      });
    }
    return this.rollToKept(target, null);
  }

  /** Roll back through the pipeline, with the kept bytes of `target`. */
  private async rollToKept(target: { sha256: string; version: string; source: string }, ticket: Ticket | null): Promise<ModuleInfo> {
    const data = await this.versions.copyOf(target.sha256, target.version);
    const input: UpdateInput = { data, source: target.source, version: target.version, sha256: target.sha256 };
    if (!ticket) return this.enqueue(input, 'rollback');
    return this.update(ticket, input, 'rollback', this.clock.wallNow());
  }

  // --- State given to the serving version (./state.ts) ----------------------------------------

  /**
   * Give `state` to the version serving when its turn comes: its own bytes are staged with the
   * state, validated and cut over as an update is. A state edit is not a newer build: it
   * supersedes none waiting before it, and none after it supersedes it.
   */
  giveState(state: Uint8Array, trigger: StateTrigger, meantFor?: string): Promise<ModuleInfo> {
    const asked = this.clock.wallNow();
    const turn = async (ticket: Ticket) => {
      if (this.disposed) throw new HotwasmError('disposed', `${this.name} was unloaded`);
      if (this.pool && this.pool.size > 1) throw new HotwasmError('bad-arguments', `${this.name} runs ${this.pool.size} instances, each with its own state: scale it to 1 to give it a state`);
      const serving = this.serving;
      if (serving && meantFor !== undefined && serving.info.version !== meantFor) {
        const refusal = { step: 'check', code: 'other-version', detail: { expected: meantFor, serving: serving.info.version ?? '?' } } as const;
        this.record(refusedLoadRecord(this.name, refusal, { trigger, asked, durationMs: 0, from: versionRef(serving) }));
        const from = serving.info.version;
        throw refusedError(this.name, { subject: refusalSubject(trigger, this.name, from, { label: from, source: serving.info.source }), keeper: from ?? '?', untouched: true, refusal });
      }
      return this.update(ticket, await stateInput(this, state), trigger, asked);
    };
    return this.queue.schedule(turn, true, false);
  }

  // --- Calls ----------------------------------------------------------------------------------

  /** Run `request` on a serving instance (after the cutover in progress, in call order). */
  send<T>(request: (instance: Instance) => Promise<T>, body?: CallBody): Promise<T> {
    if (!this.pool) return Promise.reject(new HotwasmError('not-loaded', `${this.name} is still loading`));
    return this.pool.send(request, body);
  }

  /** Stop what the serving instances run now (see ModuleHandle.stop). */
  stop(): Promise<StopResult> {
    return stopInstances(this.name, this.pool?.all ?? []);
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
        checkpoint: (instance) => (this.pool && this.pool.size > 1 ? this.pool.checkpointOf(instance) : this.checkpoints.latest()),
        onRunaway: (instance, requeue, reason) => this.onRunaway(instance, requeue, reason),
        onCallFailed: (instance, error, request) => {
          if (!this.pools.onGreenFailed(instance, error, request)) this.probation.onCallFailed(instance, error, request);
        },
        onChange: (instance) => this.onChange(instance),
        onCall: (instance, ms, ok, sampleMs) => {
          const at = this.clock.wallNow();
          this.calls.record({ at, ms, ok, version: instance.info.version ?? '?' });
          this.pools.observe(instance, ms, ok, at, sampleMs);
        },
        wantsGuestTime: (instance) => this.pools.wantsTiming(instance),
        onBusy: (instance) => this.pool?.serves(instance) && this.reporter.now(),
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
    if (this.probation.onRunaway(instance, requeue, reason)) return true;
    // Green hung while blue is warm: back to blue (green restarts from its checkpoint meanwhile,
    // keeping the calls queued behind, and the rollback carries that state).
    this.pools.onGreenFailed(instance, new HotwasmError('timeout', reason));
    return false;
  }

  private onChange(instance: Instance): void {
    const pool = this.pool;
    if (!pool?.serves(instance)) return;
    if (!pool.holding && pool.size > 1) this.pools.checkpoint(instance);
    if (!pool.holding && instance === pool.primary) this.checkpoints.maybeTake(instance, () => pool.serves(instance));
    // A restart or failure is news at once; call statistics can wait a moment.
    if (instance.state !== 'healthy') this.reporter.now();
    else this.reporter.soon();
  }

  /** Labels no eviction or deletion may take: serving, and warm in probation. */
  private versionsInUse(): Map<string, string> {
    const inUse = new Map<string, string>();
    const warm = this.probation.warm?.info.version;
    if (warm) inUse.set(warm, 'warm for a rollback until its probation ends');
    for (const instance of this.pool?.all ?? []) if (instance.info.version) inUse.set(instance.info.version, 'in service');
    return inUse;
  }

  private versionsPending = false;

  /** Tell the list of versions once for all the changes of this turn. */
  private versionsChanged(): void {
    if (this.versionsPending) return;
    this.versionsPending = true;
    queueMicrotask(() => {
      this.versionsPending = false;
      if (!this.disposed) this.deps.emit({ type: 'versions', module: this.name, versions: this.versions.list() });
    });
  }

  private checkpointTaken(entry: CheckpointEntry): void {
    const { state, ...info } = entry;
    this.deps.emit({ type: 'checkpoint', module: this.name, checkpoint: info });
    this.deps.registry.putCheckpoint({ schema: 1, module: this.name, label: entry.version, sha256: entry.sha256, at: entry.at, state }).catch((error: unknown) => this.notSaved(`checkpoint of ${entry.version}`, error));
  }

  private notSaved(what: string, error: unknown): void {
    this.deps.notSaved(this.name, what, error);
  }

  // --- Status ---------------------------------------------------------------------------------

  /**
   * Report the status now: a module about to be loaded shows as loading while what it needs is
   * still being read (a restore reads its bytes first), and its panels show it meanwhile.
   */
  announce(): void {
    this.reporter.now();
  }

  /** Say something about this module in its status (an incident, an outcome). */
  say(text: string): void {
    this.reporter.say(text);
  }

  private record(draft: RecordDraft): UpdateRecord {
    return this.deps.record(draft);
  }

  private loaded(info: ModuleInfo, replaced: boolean, trigger: UpdateTrigger): void {
    const serving = { label: info.version!, sha256: info.sha256 };
    this.deps.registry.putModule({ schema: 1, name: this.name, serving, at: this.clock.wallNow() }).catch((error: unknown) => this.notSaved(`serving version (${serving.label})`, error));
    this.deps.emit({ type: 'loaded', module: this.name, info, replaced, trigger });
    this.versionsChanged();
    this.reporter.now();
  }

  status(): ModuleStatus {
    return this.reporter.status();
  }

  // --- Lifecycle ------------------------------------------------------------------------------

  private forget(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.reporter.stop();
    this.leftovers.dispose();
    this.deps.gone(this.name);
  }

  /** Nothing serves and nothing is asked for (a restore whose bytes were refused before any load): forget the name. */
  forgetIfIdle(): void {
    if (this.pool === null && this.queue.size === 0) this.forget();
  }

  dispose(reason: string): void {
    this.reporter.stop();
    this.disposed = true;
    this.queue.supersede(reason, true);
    this.leftovers.dispose();
    this.probation.dispose(reason);
    this.pools.dispose(reason);
    this.pool?.dispose(reason);
  }
}
