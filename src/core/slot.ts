/**
 * One module name: the version serving it, the update pipeline that replaces it, probation and
 * rollback, state checkpoints, and the gate that holds calls during a cutover.
 *
 * Update pipeline (docs/hot-reload.md): check → stage → validate (API version, benchmark, shadow
 * check) → cut over. Every step that fails aborts the update and leaves the serving version and
 * its state untouched; no call fails or is lost because of an update. Updates of one name run one
 * at a time in the order they were asked for; a newer one supersedes those not yet cutting over.
 */
import { parseSemver } from '../shared/abi';
import { HotwasmError, messageOf } from '../shared/errors';
import type { GuestOptions, ResultOf } from '../shared/protocol';
import type { EngineConfig } from './config';
import type { UpdateRecord, UpdateStep, UpdateTrigger, VersionRef } from './history';
import { type HostDeps, ModuleHost, type ModuleInfo } from './module-host';
import type { PendingRequest } from './rpc';

export interface SlotDeps {
  config: () => EngineConfig;
  now: () => number;
  /** Deps for a host of this module; `loadMs` overrides the load timeout (staging uses validation_timeout_ms). */
  hostDeps: (loadMs?: number) => HostDeps;
  guestOptions: (label: string) => GuestOptions;
  record: (record: Omit<UpdateRecord, 'schema' | 'id'>) => void;
  changed: () => void;
  loaded: (info: ModuleInfo, replaced: boolean) => void;
  pauseAutoReload: (reason: string) => void;
}

export interface UpdateInput {
  data: Uint8Array | Blob;
  source: string;
  version?: string;
  /** Replace without carrying state and without the API-version check (the user asked for it). */
  fresh?: boolean;
  /** A kept version going back into service: its bytes must still be the ones that served. */
  sha256?: string;
}

interface KeptVersion {
  label: string;
  sha256: string;
  data: Uint8Array | Blob;
  source: string;
}

interface Ticket {
  superseded: boolean;
  inCutover: boolean;
  candidate: ModuleHost | null;
}

/** Versions kept in memory for rollback (the registry keeps them all). */
const KEEP_VERSIONS = 20;

/**
 * How long work left by a cutover waits (the displaced worker's retirement, the checkpoint).
 * Traced on the 2-core benchmark machine, a worker stopped at the cutover delayed the new
 * version's first answer by up to 2 ms; waiting took 100 KiB updates from 7.1 to 5.1 ms.
 */
const SETTLE_MS = 100;

/** Call failures that count against a version in probation. */
const PROBATION_FAILURES = new Set(['trap', 'stack-overflow', 'timeout', 'worker-died']);

class UpdateRefused extends HotwasmError {
  constructor(
    readonly step: UpdateStep,
    message: string,
  ) {
    super('update-refused', message, { step });
    this.name = 'UpdateRefused';
  }
}

/** A promise that never rejects: requests sent together are read one by one without unhandled rejections. */
function settled<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

const ref = (host: ModuleHost): VersionRef => ({ version: host.info.version ?? '?', sha256: host.info.sha256 });

export class ModuleSlot {
  /** The version answering calls. */
  serving!: ModuleHost;
  /** The version replaced by the last cutover, kept warm during probation. */
  private previous: { host: ModuleHost; timer: ReturnType<typeof setTimeout> } | null = null;
  /** Calls waiting for a cutover or rollback to finish, in the order they were made. */
  private held: (() => void)[] | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly tickets = new Set<Ticket>();
  private readonly versions: KeptVersion[] = [];
  private versionCount = 0;
  /** The latest bytes received, whatever became of them: what Reload re-runs. */
  private latest: UpdateInput | null = null;
  checkpoint: { state: Uint8Array; at: number } | null = null;
  private checkpointing = false;
  private rollingBack = false;
  private rollbackStreak = 0;
  /** Work a cutover leaves behind, waiting for {@link SETTLE_MS} (see settle). */
  private readonly settling = new Map<ReturnType<typeof setTimeout>, { host: ModuleHost; work: (host: ModuleHost) => void }>();
  notice: { text: string; at: number } | null = null;

  private constructor(
    readonly name: string,
    private readonly deps: SlotDeps,
  ) {}

  /** First load of a name. */
  static async create(name: string, input: UpdateInput, deps: SlotDeps): Promise<ModuleSlot> {
    const slot = new ModuleSlot(name, deps);
    slot.latest = input;
    const host = await ModuleHost.start(input.data, slot.meta(input), deps.guestOptions(input.source), slot.hostDeps());
    slot.label(host, input);
    slot.commitLabel(host);
    slot.serving = host;
    slot.keep(host, input);
    return slot;
  }

  private meta(input: UpdateInput): { name: string; version: string | null; source: string } {
    return { name: this.name, version: input.version ?? null, source: input.source };
  }

  /**
   * Name a staged version: the label given to load(), else the label it had when it served
   * before (same sha256), else the next v<n>. Numbers are used up only by versions that serve.
   */
  private label(host: ModuleHost, input: UpdateInput): void {
    const known = this.versions.find((v) => v.sha256 === host.info.sha256);
    host.info.version = input.version ?? known?.label ?? `v${this.versionCount + 1}`;
  }

  private commitLabel(host: ModuleHost): void {
    if (host.info.version === `v${this.versionCount + 1}`) this.versionCount++;
  }

  private hostDeps(loadMs?: number): HostDeps {
    const base = this.deps.hostDeps(loadMs);
    return {
      ...base,
      onChange: () => {
        base.onChange();
        this.maybeCheckpoint();
      },
      checkpoint: () => this.checkpoint,
      onRunaway: (host, requeue, reason) => this.onRunaway(host, requeue, reason),
      onCallFailed: (host, error) => this.onCallFailed(host, error),
    };
  }

  private keep(host: ModuleHost, input: UpdateInput): void {
    if (this.versions.some((v) => v.sha256 === host.info.sha256)) return;
    this.versions.push({ label: host.info.version ?? '?', sha256: host.info.sha256, data: input.data, source: input.source });
    if (this.versions.length > KEEP_VERSIONS) this.versions.shift();
  }

  private say(text: string): void {
    this.notice = { text, at: Date.now() };
    this.deps.changed();
  }

  /** Run `request` on the serving version, or after the cutover in progress, in call order. */
  send<T>(request: (host: ModuleHost) => Promise<T>): Promise<T> {
    if (this.held) {
      const held = this.held;
      return new Promise<T>((resolve, reject) => held.push(() => void request(this.serving).then(resolve, reject)));
    }
    return request(this.serving);
  }

  private hold(): void {
    this.held ??= [];
  }

  private release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const run of held) run();
  }

  /** During activity, keep the latest save_state bytes at most every checkpoint_interval_ms. */
  private maybeCheckpoint(): void {
    const host = this.serving;
    if (this.checkpointing || this.held || !host || !host.has('save_state')) return;
    const now = Date.now();
    if (this.checkpoint && now - this.checkpoint.at < this.deps.config().checkpoint_interval_ms) return;
    this.checkpointing = true;
    host
      .request({ op: 'saveState' }, this.deps.config().validation_timeout_ms)
      .then(
        ({ state }) => {
          if (state && host === this.serving) this.checkpoint = { state, at: now };
        },
        () => undefined, // a save_state that fails is reported when an update needs it
      )
      .finally(() => (this.checkpointing = false));
  }

  // ---------------------------------------------------------------------------------------------
  // Updates
  // ---------------------------------------------------------------------------------------------

  /** Queue an update; resolves with the version that serves afterwards, rejects when refused. */
  update(input: UpdateInput, trigger: UpdateTrigger): Promise<ModuleInfo> {
    this.latest = input;
    // A newer update supersedes every one that has not started its cutover.
    for (const t of this.tickets) {
      if (!t.inCutover) {
        t.superseded = true;
        t.candidate?.dispose('superseded by a newer update');
      }
    }
    const ticket: Ticket = { superseded: false, inCutover: false, candidate: null };
    this.tickets.add(ticket);
    const asked = Date.now();
    const run = this.chain.then(() => this.runUpdate(ticket, input, trigger, asked));
    this.chain = run.catch(() => undefined).finally(() => this.tickets.delete(ticket));
    return run;
  }

  /** Keep bytes that arrived without being applied (auto reload is off): Reload applies them. */
  keepLatest(input: UpdateInput, notice: string): void {
    this.latest = input;
    this.say(notice);
  }

  /** Re-run the update with the latest bytes received; `fresh` replaces without carrying state. */
  reload(fresh = false): Promise<ModuleInfo> {
    if (!this.latest) return Promise.reject(new HotwasmError('not-loaded', `Nothing to reload for ${this.name}`));
    return this.update(fresh ? { ...this.latest, fresh: true } : this.latest, 'reload');
  }

  /** Go back to `version` (default: the one before the serving version), carrying state. */
  rollback(version?: string): Promise<ModuleInfo> {
    const current = this.serving.info.sha256;
    const index = this.versions.findIndex((v) => v.sha256 === current);
    const target = version === undefined ? this.versions[index - 1] : this.versions.find((v) => v.label === version || (version.length >= 8 && v.sha256.startsWith(version)));
    if (!target) {
      const known = this.versions.map((v) => v.label).join(', ');
      const what = version === undefined ? `no version before ${this.serving.info.version}` : `no version "${version}"`;
      return Promise.reject(new HotwasmError('not-loaded', `Cannot roll back ${this.name}: there is ${what} (kept: ${known})`));
    }
    if (this.previous && this.previous.host.info.sha256 === target.sha256) return this.rollBack('rolled back by request', { trigger: 'rollback' });
    return this.update({ data: target.data, source: target.source, version: target.label, sha256: target.sha256 }, 'rollback');
  }

  private async runUpdate(ticket: Ticket, input: UpdateInput, trigger: UpdateTrigger, asked: number): Promise<ModuleInfo> {
    const t0 = this.deps.now();
    const config = this.deps.config();
    const serving = this.serving;
    let step: UpdateStep = 'stage';
    let to: VersionRef | null = null;
    let stateBytes: number | null = null;
    const warnings: string[] = [];
    const base = () => ({ timestamp: asked, module: this.name, trigger, from: ref(serving), to, durationMs: this.deps.now() - t0 });
    const checkSuperseded = () => {
      if (ticket.superseded) throw new HotwasmError('superseded', `This update of ${this.name} was superseded by a newer one`);
    };
    const timeout = config.validation_timeout_ms;
    this.settleNow();
    try {
      checkSuperseded();
      // Every step is sent with the load, in one message: the candidate's worker runs them in
      // order and skips the rest once one fails, without a round trip to the page in between.
      // The shadow check's snapshot goes from the serving worker straight to the candidate's
      // (a MessageChannel between them). It is asked for right after the load leaves, so that it
      // is there when the candidate, once loaded and benchmarked, needs it; `mark` tells whether
      // anything reached the serving version after it.
      const carry = !input.fresh && serving.has('save_state');
      const channel = carry ? new MessageChannel() : null;
      const servingApi = input.fresh ? null : parseSemver(serving.info.apiVersion ?? '');
      const staging = ModuleHost.stage(input.data, this.meta(input), this.deps.guestOptions(input.source), this.hostDeps(timeout), (send) => ({
        api: settled(send({ op: 'checkApi', apiMajor: servingApi?.major ?? null }, timeout)),
        benchmark: settled(send({ op: 'benchmark', argJson: 'null', budgetMs: config.benchmark_budget_ms }, timeout)),
        restored: channel ? settled(send({ op: 'receiveState', from: channel.port2 }, timeout)) : null,
        health: settled(send({ op: 'health' }, timeout)),
      }));
      const snapshot = channel ? settled(serving.request({ op: 'saveState', to: channel.port1 }, timeout)) : null;
      const mark = serving.changes;
      const { host: candidate, steps } = await staging;
      ticket.candidate = candidate;
      this.label(candidate, input);
      to = ref(candidate);
      checkSuperseded();

      step = 'check';
      if (input.sha256 && candidate.info.sha256 !== input.sha256) {
        // Bytes handed to load() are kept by reference: the caller changed them since.
        throw new UpdateRefused(step, `the bytes kept for ${input.version} have changed since it served (sha256 ${candidate.info.sha256.slice(0, 12)}…, not ${input.sha256.slice(0, 12)}…): were they modified after load()?`);
      }
      if (candidate.info.sha256 === serving.info.sha256) {
        candidate.dispose('already running');
        this.deps.record({ ...base(), to: ref(serving), outcome: 'already running', failedStep: null, error: null, stateBytes: null, warning: null, cutover: null });
        this.say(`${input.source} is already running as ${this.name} ${serving.info.version}`);
        return serving.info;
      }

      step = 'api version';
      const api = await steps.api;
      if (!api.ok) throw api.error;
      if (!api.value.compatible) {
        const next = parseSemver(candidate.info.apiVersion ?? '');
        throw new UpdateRefused(
          step,
          `API version ${next?.text} is not compatible with the serving ${servingApi?.text} (major ${next?.major} ≠ ${servingApi?.major}). To replace it anyway with fresh state, load it with { fresh: true }.`,
        );
      }

      step = 'benchmark';
      const bench = await steps.benchmark;
      if (!bench.ok) throw bench.error;
      if (bench.value && bench.value.ms > config.benchmark_budget_ms) {
        throw new UpdateRefused(step, `benchmark_function took ${bench.value.ms.toFixed(1)} ms, over the ${config.benchmark_budget_ms} ms budget (benchmark_budget_ms)`);
      }
      checkSuperseded();

      step = 'shadow check';
      if (input.fresh) warnings.push('fresh load: state was reset by request');
      else if (!serving.has('save_state')) warnings.push(`state was not carried: ${serving.info.version} has no save_state`);
      else if (!candidate.has('restore_state')) warnings.push(`state was not carried: ${candidate.info.version} has no restore_state`);
      let restored: (NonNullable<ResultOf['receiveState']> & { saveMs: number }) | null = null;
      if (snapshot && steps.restored && candidate.has('restore_state')) {
        const saved = await snapshot;
        if (!saved.ok) throw new UpdateRefused(step, `save_state failed on the serving version ${serving.info.version}: ${messageOf(saved.error)}`);
        const r = await steps.restored;
        if (!r.ok) throw new UpdateRefused(step, `restore_state failed on ${candidate.info.version}: ${messageOf(r.error)}`);
        if (r.value && r.value.code !== 0) throw new UpdateRefused(step, `restore_state of ${candidate.info.version} refused the current state (it answered ${r.value.code})`);
        restored = r.value && { ...r.value, saveMs: saved.value.ms };
      }
      const h = await steps.health;
      if (!h.ok) throw new UpdateRefused(step, `health_check failed on ${candidate.info.version}: ${messageOf(h.error)}`);
      if (h.value && !h.value.healthy) throw new UpdateRefused(step, `health_check of ${candidate.info.version} answered ${JSON.stringify(h.value.text.slice(0, 200))}, not "ok"`);
      checkSuperseded();

      step = 'cutover';
      let heldAt = 0;
      const holdCalls = () => {
        ticket.inCutover = true; // past this point a newer update waits for this one
        heldAt = this.deps.now();
        this.hold();
      };
      let saveMs = 0;
      let restoreMs = 0;
      let held = true;
      if (restored && serving.changes === mark) {
        // Nothing reached the serving version since the snapshot, so the candidate holds its
        // current state, restored and health-checked: what the cutover below would make of it.
        // It takes over at once; no call is held.
        held = false;
        stateBytes = restored.bytes;
        saveMs = restored.saveMs;
        restoreMs = restored.ms;
      } else if (restored) {
        // The untouched instance the final state goes into is made before calls are held (an
        // idle cutover does not need one, so staging does not make it).
        await candidate.request({ op: 'prepare' }, timeout);
        checkSuperseded();
        holdCalls();
        try {
          ({ stateBytes, saveMs, restoreMs } = await this.finalState(serving, candidate, timeout));
        } catch (error) {
          this.release(); // the held calls run on the version that kept serving
          throw error;
        }
      } else if (serving.busy) {
        // No state to carry: let the calls already sent to the serving version finish first.
        holdCalls();
        try {
          await serving.request({ op: 'ping' }, timeout);
        } catch (error) {
          this.release();
          throw error;
        }
      } else {
        held = false;
      }
      this.serving = candidate;
      this.release();
      this.commitLabel(candidate);
      const cutover = { pauseMs: held ? this.deps.now() - heldAt : 0, saveMs, restoreMs, held };
      this.keep(candidate, input);
      this.startProbation(serving);
      const warning = warnings.join('; ') || null;
      this.deps.record({ ...base(), outcome: 'committed', failedStep: null, error: null, stateBytes, warning, cutover });
      this.say(
        `${this.name} ${serving.info.version} → ${candidate.info.version}: ${stateBytes !== null ? `${stateBytes} bytes of state carried` : (warning ?? 'no state to carry')}`,
      );
      this.deps.loaded(candidate.info, true);
      return candidate.info;
    } catch (error) {
      ticket.candidate?.dispose('update refused');
      const superseded = ticket.superseded || (error instanceof HotwasmError && error.code === 'superseded');
      const failedStep = error instanceof UpdateRefused ? error.step : step;
      const message = superseded ? 'superseded by a newer update' : messageOf(error);
      this.deps.record({
        ...base(),
        outcome: superseded ? 'superseded' : 'refused',
        failedStep: superseded ? null : failedStep,
        error: message,
        stateBytes: null,
        warning: warnings.join('; ') || null,
        cutover: null,
      });
      if (!superseded) this.say(`Update of ${this.name} to ${to?.version ?? input.source} refused at ${failedStep}: ${message}. ${serving.info.version} keeps serving.`);
      if (superseded) throw new HotwasmError('superseded', `The update of ${this.name} to ${to?.version ?? input.source} was superseded by a newer one`);
      throw new HotwasmError('update-refused', `Update of ${this.name} refused at ${failedStep}: ${message}`, { step: failedStep });
    }
  }

  /**
   * The cutover with calls held: the serving version's final state (after every call already
   * sent to it) goes straight to a new, untouched instance of the candidate, whose health is
   * checked. The candidate instantiates while the serving worker saves.
   */
  private async finalState(serving: ModuleHost, candidate: ModuleHost, timeout: number): Promise<{ stateBytes: number; saveMs: number; restoreMs: number }> {
    const step = 'cutover';
    const channel = new MessageChannel();
    const saved = settled(serving.request({ op: 'saveState', to: channel.port1 }, timeout));
    const renewed = settled(candidate.request({ op: 'renew' }, timeout));
    const received = settled(candidate.request({ op: 'receiveState', from: channel.port2 }, timeout));
    const healthy = settled(candidate.request({ op: 'health' }, timeout));
    const s = await saved;
    if (!s.ok) throw new UpdateRefused(step, `save_state failed on the serving version ${serving.info.version}: ${messageOf(s.error)}`);
    const n = await renewed;
    if (!n.ok) throw n.error;
    const r = await received;
    if (!r.ok) throw new UpdateRefused(step, `restore_state failed on ${candidate.info.version}: ${messageOf(r.error)}`);
    if (!r.value || r.value.code !== 0) throw new UpdateRefused(step, `restore_state of ${candidate.info.version} refused the final state (it answered ${r.value?.code ?? 'nothing'})`);
    const h = await healthy;
    if (!h.ok) throw new UpdateRefused(step, `health_check failed on ${candidate.info.version}: ${messageOf(h.error)}`);
    if (h.value && !h.value.healthy) throw new UpdateRefused(step, `health_check of ${candidate.info.version} answered ${JSON.stringify(h.value.text.slice(0, 200))} after the state was restored`);
    return { stateBytes: r.value.bytes, saveMs: s.value.ms, restoreMs: r.value.ms };
  }

  // ---------------------------------------------------------------------------------------------
  // Probation and rollback
  // ---------------------------------------------------------------------------------------------

  private startProbation(old: ModuleHost): void {
    if (this.previous) {
      clearTimeout(this.previous.timer);
      this.settle(this.previous.host, (displaced) => displaced.retire());
    }
    // The old instance is idle now and holds the state of the cutover: keep it as the new
    // version's first checkpoint (and the fallback if a rollback cannot use the new state).
    const at = Date.now();
    if (old.has('save_state')) {
      this.settle(old, () => {
        if (old === this.serving) return; // rolled back to meanwhile: its state is live again
        old.request({ op: 'saveState' }, this.deps.config().validation_timeout_ms).then(
          ({ state }) => {
            if (state && (!this.checkpoint || this.checkpoint.at < at)) this.checkpoint = { state, at };
          },
          () => undefined,
        );
      });
    } else {
      this.checkpoint = null;
    }
    const probation = this.deps.config().probation_ms;
    const timer = setTimeout(() => {
      if (this.previous?.host !== old) return;
      this.previous = null;
      this.rollbackStreak = 0; // the new version survived probation
      this.settle(old, (survived) => survived.retire()); // after the checkpoint is asked for
    }, probation);
    this.previous = { host: old, timer };
  }

  /**
   * Run `work` on `host` once the new version has had {@link SETTLE_MS} to answer its first
   * calls: stopping a worker (its engine's teardown) and saving a checkpoint competed with them
   * for this machine's two cores. A slot disposed meanwhile disposes `host` instead.
   */
  private settle(host: ModuleHost, work: (host: ModuleHost) => void): void {
    const timer = setTimeout(() => {
      this.settling.delete(timer);
      work(host);
    }, SETTLE_MS);
    this.settling.set(timer, { host, work });
  }

  /**
   * Do the waiting work now: an update is starting. Left waiting, it would land in that
   * update's cutover, where calls are held (measured: +0.4-0.6 ms of swap pause when updates
   * follow each other closely).
   */
  private settleNow(): void {
    const pending = [...this.settling];
    this.settling.clear();
    for (const [timer, { host, work }] of pending) {
      clearTimeout(timer);
      work(host);
    }
  }

  private inProbation(host: ModuleHost): boolean {
    return host === this.serving && this.previous !== null && this.deps.config().rollback_on_failure && !this.rollingBack;
  }

  private onCallFailed(host: ModuleHost, error: unknown): void {
    if (!this.inProbation(host)) return;
    if (!(error instanceof HotwasmError) || !PROBATION_FAILURES.has(error.code)) return;
    void this.rollBack(`${host.info.version} failed during probation: ${error.message}`, { trigger: 'auto rollback' });
  }

  private onRunaway(host: ModuleHost, requeue: PendingRequest[], reason: string): boolean {
    if (host !== this.serving) {
      // A candidate (or the warm previous version) hung in a lifecycle step: it is being
      // discarded, so it is not restarted; the update that used it is refused.
      for (const entry of requeue) entry.reject(new HotwasmError('worker-died', reason));
      host.dispose(reason);
      return true;
    }
    if (!this.inProbation(host)) return false;
    void this.rollBack(`${host.info.version} failed during probation: ${reason}`, { trigger: 'auto rollback', requeue, failedIsDead: true });
    return true;
  }

  /** Put the warm previous version back, with the failed version's state if it takes it. */
  private async rollBack(
    reason: string,
    { trigger, requeue = [], failedIsDead = false }: { trigger: UpdateTrigger; requeue?: PendingRequest[]; failedIsDead?: boolean },
  ): Promise<ModuleInfo> {
    const previous = this.previous;
    if (!previous) throw new HotwasmError('not-loaded', `No previous version of ${this.name} is warm to roll back to`);
    this.rollingBack = true;
    const t0 = this.deps.now();
    clearTimeout(previous.timer);
    this.previous = null;
    const failed = this.serving;
    const old = previous.host;
    const timeout = this.deps.config().validation_timeout_ms;
    this.hold();
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
      this.serving = old;
      old.adopt(requeue);
      this.release();
      failed.dispose(`rolled back to ${old.info.version}`);
      this.rollingBack = false;
    }
    if (trigger === 'auto rollback') this.rollbackStreak++;
    this.deps.record({
      timestamp: Date.now(),
      module: this.name,
      trigger,
      from: ref(failed),
      to: ref(old),
      outcome: 'rolled back',
      durationMs: this.deps.now() - t0,
      failedStep: trigger === 'auto rollback' ? 'probation' : null,
      error: reason,
      stateBytes,
      warning: `resumed with ${resumed}`,
      cutover: null,
    });
    this.say(`Rolled back ${this.name} from ${failed.info.version} to ${old.info.version} (${reason}); it resumed with ${resumed}`);
    const max = this.deps.config().max_rollback_attempts;
    if (trigger === 'auto rollback' && this.rollbackStreak >= max) {
      const times = this.rollbackStreak === 1 ? 'once' : `${this.rollbackStreak} times in a row`;
      this.deps.pauseAutoReload(`Auto reload paused: ${this.name} was rolled back automatically ${times} (last: ${reason}). Turn Auto reload back on to resume.`);
      this.rollbackStreak = 0;
    }
    this.deps.loaded(old.info, true);
    return old.info;
  }

  /** The versions kept for rollback, oldest first. */
  keptVersions(): { version: string; sha256: string; source: string }[] {
    return this.versions.map((v) => ({ version: v.label, sha256: v.sha256, source: v.source }));
  }

  dispose(reason: string): void {
    for (const t of this.tickets) t.candidate?.dispose(reason);
    for (const [timer, { host }] of this.settling) {
      clearTimeout(timer);
      if (host !== this.serving) host.dispose(reason);
    }
    this.settling.clear();
    if (this.previous) {
      clearTimeout(this.previous.timer);
      this.previous.host.dispose(reason);
      this.previous = null;
    }
    this.serving.dispose(reason);
  }
}
