/**
 * One running instance of a module version: its worker, the RPC client to it, its statistics,
 * and recovery. Instances belong to their module's pool (./pool.ts).
 *
 * A call that runs past the call timeout (a runaway loop) can only be stopped by terminating the
 * worker. The instance then re-instantiates the module from its compiled `WebAssembly.Module` in
 * a new worker (no recompilation), restores the latest state checkpoint when there is one, and
 * sends the calls that were queued behind the runaway one again, in order: only the runaway call
 * fails. The status says what state the module resumed with.
 */
import { HotwasmError, messageOf } from '../shared/errors';
import { OPS, OUT_OF_MEMORY, type Op, type RequestOf, type ResultOf, describeRequest, transferablesOf } from '../shared/ops';
import { type PackedLayout, unpackLayout } from '../shared/packed-layout';
import type { GuestOptions } from '../shared/protocol';
import { sentence } from './pipeline/refusal';
import { type PendingRequest, type ReplyTiming, RpcClient, type WorkerLike } from './rpc';
import { LatencyStats } from './stats';

export type { InstanceState, Send, ModuleInfo, TimedResult, Checkpoint, InstanceOwner, Resumed, Stopped, InstanceDeps, Staged } from './instance-types';
import type { Checkpoint, InstanceDeps, InstanceState, ModuleInfo, Resumed, Send, Staged, Stopped, TimedResult } from './instance-types';

export class Instance {
  state: InstanceState = 'healthy';
  /** The latest incident, in words (a restart after a timeout, a crash), and when it happened. */
  notice: string | null = null;
  noticeAt = 0;
  readonly stats = new LatencyStats();
  private disposed = false;
  /**
   * Counts what may have changed the guest's state since: every request but those that keep it
   * (OPS[op].keepsState), and restarts. Equal counts mean the state is what it was (a cutover can
   * use an earlier snapshot).
   */
  changes = 0;
  /** Restarts so far (a runaway call, a crash, a stop): a step that failed across one may be tried again. */
  restarts = 0;
  /**
   * Exported function names: `has()` runs after every call (checkpoints), so no scan there. Made
   * when first asked, not in the load's task: at 100,000 exports it takes 10-20 ms.
   */
  private functions: Set<string> | null = null;
  /** Set while a retirement is scheduled: the spares keep room for this worker. */
  private returning: (() => void) | null = null;

  private constructor(
    private worker: WorkerLike,
    private rpc: RpcClient,
    readonly info: ModuleInfo,
    private readonly compiled: WebAssembly.Module,
    /** As it came from the worker: sent back as it is to re-instantiate after a restart. */
    private readonly packed: PackedLayout,
    private readonly options: GuestOptions,
    private readonly deps: InstanceDeps,
  ) {}

  /**
   * Load a module into a spare worker and send `steps` in the same message, to run right after
   * the load without waiting for the page (their promises reject if the load fails). `data` is
   * the engine's own copy (moved to the worker) or a Blob; the worker hands the bytes back.
   * On failure the worker is stopped and the error thrown.
   */
  static async stage<T>(
    data: Uint8Array | Blob,
    meta: { name: string; version: string | null; source: string },
    options: GuestOptions,
    deps: InstanceDeps,
    steps: (send: Send) => T,
    retried = false,
  ): Promise<Staged<T>> {
    const worker = deps.spares.take();
    deps.spares.countInstance(worker);
    const ref: { instance: Instance | null } = { instance: null };
    const rpc = connect(worker, ref, deps, options.label);
    const timeoutMs = deps.timeouts().loadMs;
    const transfer = data instanceof Uint8Array ? [data.buffer as ArrayBuffer] : [];
    const loading = rpc.request({ op: 'load', data, options }, { timeoutMs, transfer });
    const pipelined = steps((body, timeoutMs) => rpc.request(body, { timeoutMs, transfer: transferablesOf(body) }));
    let loaded: ResultOf<'load'>;
    try {
      loaded = await loading;
    } catch (error) {
      rpc.close(new HotwasmError('disposed', 'load failed'));
      worker.terminate();
      // The page ran out of WebAssembly memory: idle workers may hold memories they no longer
      // use (see SparePool) — this one, stopped now, and the spares. Stop them, and try once
      // more in a new worker with the bytes this one handed back.
      const back = error instanceof HotwasmError ? error.details.bytes : undefined;
      if (back !== undefined) delete (error as HotwasmError).details.bytes;
      const again = back instanceof Uint8Array ? back : data instanceof Blob ? data : null;
      if (!retried && again && OUT_OF_MEMORY.test(messageOf(error))) {
        deps.spares.drain();
        return Instance.stage(again, meta, options, deps, steps, true);
      }
      throw error;
    }
    const { module, layout: packed, bytes, ...rest } = loaded;
    const info: ModuleInfo = { ...unpackLayout(packed), ...rest, ...meta, loadedAt: deps.clock.wallNow() };
    ref.instance = new Instance(worker, rpc, info, module, packed, options, deps);
    return { instance: ref.instance, steps: pipelined, bytes };
  }

  /** Send a request (lifecycle and pipeline steps: no statistics). `timed` hears how long it took (see RequestOptions.timed). */
  request<O extends Op>(body: RequestOf<O>, timeoutMs = this.deps.timeouts().callMs, timed?: (timing: ReplyTiming, by: RpcClient) => void, guestTime = false): Promise<ResultOf<O>> {
    if (this.disposed) return Promise.reject(new HotwasmError('disposed', `${this.info.name} was unloaded`));
    if (this.state === 'failed') return Promise.reject(new HotwasmError('worker-died', `${this.info.name} is not running: ${sentence(this.notice ?? 'it failed')} Restart it or load it again.`));
    if (!OPS[body.op].keepsState) this.changes++;
    if (body.op === 'prepare' || body.op === 'renew') this.deps.spares.countInstance(this.worker);
    // State bytes and ports move to the worker instead of being copied (the sender gives them up).
    return this.rpc.request(body, { timeoutMs, transfer: transferablesOf(body), ...(timed && { timed }), ...(guestTime && { guestTime }) });
  }

  /**
   * Send a call and count it in the statistics. Plain `then` rather than async/await: this is
   * on every call's path.
   */
  call<O extends Op>(body: RequestOf<O>, timed?: (timing: ReplyTiming, by: RpcClient) => void): Promise<ResultOf<O>> {
    const t0 = this.deps.clock.now();
    // While its owner compares guests' own times (a canary, on a sample of the calls), the worker is asked for it.
    let asked = false;
    let guestMs: number | undefined;
    if (this.deps.owner.wantsGuestTime?.(this) === true) {
      asked = true;
      const told = timed;
      timed = (timing, by) => {
        guestMs = timing.guestMs;
        told?.(timing, by);
      };
    }
    // A timed call (callTimed) reports the guest's time too.
    return this.request(body, undefined, timed, asked || ('timed' in body && body.timed === true)).then(
      (value) => {
        const ms = this.deps.clock.now() - t0;
        this.stats.record(ms, true);
        this.deps.owner.onCall?.(this, ms, true, asked ? (guestMs ?? ms) : undefined);
        this.deps.owner.onChange(this);
        return value;
      },
      (error: unknown) => {
        const ms = this.deps.clock.now() - t0;
        this.stats.record(ms, false);
        this.deps.owner.onCall?.(this, ms, false);
        this.deps.owner.onChange(this);
        this.deps.owner.onCallFailed(this, error, body);
        throw error;
      },
    );
  }

  /**
   * {@link call}, answering also who answered and how long it took. The answer may come from
   * another version than this one: calls queued behind a runaway one in probation go back to the
   * version it replaced.
   */
  callTimed<O extends 'call' | 'callRaw'>(body: RequestOf<O>): Promise<TimedResult<ResultOf<O>>> {
    let timing: ReplyTiming = { guestMs: undefined, roundTripMs: 0 };
    let by: Instance | null = null;
    return this.call(body, (t, client) => {
      timing = t;
      by = answering.get(client)?.instance ?? null;
    }).then((value) => {
      const { name, version } = (by ?? this).info;
      const result: TimedResult<ResultOf<O>> = { value, module: name, version, roundTripMs: timing.roundTripMs, answeredAt: this.deps.clock.wallNow() };
      if (timing.guestMs !== undefined) result.guestMs = timing.guestMs;
      return result;
    });
  }

  /** What has kept the worker busy for a while now (BUSY_AFTER_MS), and since when (ms since epoch); null when nothing has. */
  busyWith(): { what: string; since: number } | null {
    const entry = this.rpc.busyWith();
    const startedAt = this.rpc.headStartedAt();
    if (!entry || startedAt === null) return null;
    const clock = this.deps.clock;
    return { what: describeRequest(entry.request), since: clock.wallNow() - (clock.now() - startedAt) };
  }

  /** Requests sent and not answered yet. */
  get pending(): number {
    return this.rpc.pendingCount;
  }

  get busy(): boolean {
    return this.rpc.pendingCount > 0;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Does the module export this function? */
  has(exportName: string): boolean {
    if (!this.functions) {
      this.functions = new Set();
      for (const e of this.info.exports) if (e.kind === 'function') this.functions.add(e.name);
    }
    return this.functions.has(exportName);
  }

  /** Send requests that another instance could not serve (a rollback), keeping their promises. */
  adopt(entries: PendingRequest[]): void {
    this.rpc.adopt(entries);
  }

  /** The oldest pending request ran past its timeout: stop the worker, fail that request, restart. */
  recover(stalled: PendingRequest): void {
    const what = describeRequest(stalled.request);
    const stopped = `${what} did not return within ${stalled.timeoutMs} ms, so its worker was stopped`;
    const entries = this.rpc.detach(new HotwasmError('worker-died', stopped));
    this.worker.terminate();
    const setting = OPS[stalled.request.op].timeout;
    const timeout = new HotwasmError('timeout', `${what} timed out after ${stalled.timeoutMs} ms (${setting}) and its worker was stopped`, { timeoutMs: stalled.timeoutMs });
    const requeue = entries.filter((e) => e !== stalled);
    if (this.deps.owner.onRunaway(this, requeue, stopped)) {
      stalled.reject(timeout);
      this.deps.owner.onCallFailed(this, timeout, stalled.request);
      return;
    }
    stalled.reject(timeout);
    void this.restart(stopped, requeue);
  }

  /**
   * Stop what the worker runs now, at a person's request: the way a runaway call is stopped
   * ({@link recover}) — the worker is terminated, the module re-instantiated and its latest
   * checkpoint restored, the requests queued behind sent again — except that the running request
   * fails with `stopped`, and no version is blamed for it (a stop is not a failure of the guest,
   * so a version in probation is not rolled back). What is stopped is the oldest request a user
   * asked for (OPS[op].asked): the engine's own (a checkpoint's save_state) are not what a person
   * means to stop — they are sent again with the others. Null when none is pending (or while
   * restarting).
   */
  stop(): Stopped | null {
    const target = this.rpc.find((e) => OPS[e.request.op].asked === true);
    if (this.disposed || this.state !== 'healthy' || !target) return null;
    const what = describeRequest(target.request);
    // It runs when it is the oldest; else it waits behind a request of the engine's own.
    const running = this.rpc.head() === target;
    const ranMs = running ? Math.max(0, this.deps.clock.now() - this.rpc.headStartedAt()!) : 0;
    const reason = `${what} was stopped by you ${running ? `after ${formatRan(ranMs)}` : 'before it began'}`;
    // Said before the restart begins, from the checkpoint it is about to restore (see restart()).
    const resumes = this.resumeWords(this.resumeCheckpoint(true));
    const entries = this.rpc.detach(new HotwasmError('worker-died', reason));
    this.worker.terminate();
    const requeue = entries.filter((e) => e !== target);
    const restarted = this.restart(reason, requeue);
    target.reject(new HotwasmError('stopped', `${reason}; ${resumes}`, { ranMs }));
    return { what, ranMs, requeued: requeue.filter((e) => OPS[e.request.op].asked === true).length, restarted };
  }

  /** The checkpoint a restart restores: the latest one, when the module can take it back. */
  private resumeCheckpoint(useCheckpoint: boolean): Checkpoint | null {
    return useCheckpoint && this.has('restore_state') ? this.deps.owner.checkpoint(this) : null;
  }

  /** What a restart about to begin, from `checkpoint` when there is one, will resume with, in words. */
  private resumeWords(checkpoint: Checkpoint | null): string {
    const { name } = this.info;
    if (checkpoint) return `${name} restarts from its last checkpoint (of ${clockTime(checkpoint.at)}): calls made after it are lost`;
    return `${name} restarts with its state reset${this.noCheckpointWhy(true)}`;
  }

  private noCheckpointWhy(useCheckpoint: boolean): string {
    if (!useCheckpoint) return '';
    return this.has('save_state') ? ' (no checkpoint had been taken yet)' : ' (it has no save_state, so no checkpoint exists)';
  }

  /**
   * Re-instantiate in a new worker, restoring the latest checkpoint if there is one; `requeue`
   * (requests that had not started) are sent again after it. Resolves with what it resumed with.
   */
  async restart(reason: string, requeue: PendingRequest[] = [], { useCheckpoint = true } = {}): Promise<Resumed> {
    if (this.disposed) return 'unloaded';
    this.changes++;
    this.restarts++;
    this.worker.terminate();
    if (!this.rpc.isClosed) requeue = [...requeue, ...this.rpc.detach(new HotwasmError('worker-died', reason))];
    this.state = 'restarting';
    this.say(`${reason}; restarting ${this.info.name}…`);
    this.worker = this.deps.spares.take();
    this.deps.spares.countInstance(this.worker);
    this.rpc = connect(this.worker, { instance: this }, this.deps, this.options.label);
    const timeoutMs = this.deps.timeouts().loadMs;
    const ready = this.rpc.request({ op: 'instantiate', module: this.compiled, layout: this.packed, options: this.options }, { timeoutMs });
    // The checkpoint is restored before the requeued calls run: they were made after it.
    const checkpoint = this.resumeCheckpoint(useCheckpoint);
    const restored = checkpoint ? this.rpc.request({ op: 'restoreState', state: checkpoint.state.slice() }, { timeoutMs }) : Promise.resolve(null);
    this.rpc.adopt(requeue);
    try {
      await ready;
      const result = await restored.catch((error: unknown) => ({ code: -1, ms: 0, error }));
      if (this.disposed) return 'unloaded';
      this.state = 'healthy';
      if (!checkpoint) {
        this.say(`${reason}; ${this.info.name} was re-instantiated and its state was reset${this.noCheckpointWhy(useCheckpoint)}`);
        return 'reset';
      }
      if (result && result.code === 0) {
        this.say(`${reason}; ${this.info.name} was re-instantiated and restored from the checkpoint of ${clockTime(checkpoint.at)}: calls after it are lost`);
        return 'checkpoint';
      }
      this.say(`${reason}; ${this.info.name} was re-instantiated but restore_state refused the checkpoint of ${clockTime(checkpoint.at)}, so its state was reset`);
      return 'checkpoint refused';
    } catch (error) {
      if (this.disposed) return 'unloaded';
      this.state = 'failed';
      this.say(`${reason}; restarting failed: ${messageOf(error)}`);
      return 'failed';
    }
  }

  private say(text: string): void {
    this.notice = text;
    this.noticeAt = this.deps.clock.wallNow();
    this.deps.owner.onChange(this);
  }

  /** Stop at once: pending calls are rejected. */
  dispose(reason = `${this.info.name} was unloaded`): void {
    if (this.disposed) return;
    this.disposed = true;
    this.rpc.close(new HotwasmError('disposed', reason));
    this.worker.terminate();
    this.returned();
  }

  /**
   * A retirement is scheduled (a displaced version retires in a moment): the spares keep room
   * for this worker instead of starting a fresh one that it would replace.
   */
  willRetire(): void {
    if (this.disposed || this.returning || this.state !== 'healthy' || !this.deps.spares.recyclable(this.worker)) return;
    this.returning = this.deps.spares.expectReturn();
  }

  private returned(): void {
    const done = this.returning;
    this.returning = null;
    done?.();
  }

  /**
   * Stop once the calls already sent have settled (a replaced version finishes its work). A
   * worker that made few instances in its life goes back to the spares, its guest forgotten: it
   * is warm from real use (see SparePool for why only few).
   */
  retire(): void {
    const done = () => {
      if (this.disposed || this.state !== 'healthy') return this.dispose();
      this.disposed = true;
      this.rpc.close(new HotwasmError('disposed', `${this.info.name} ${this.info.version} was retired`));
      this.deps.spares.recycle(this.worker);
      this.returned();
    };
    // At once when idle: an update starting now can take the worker for its candidate.
    if (this.rpc.pendingCount === 0) done();
    else void this.rpc.idle().then(done);
  }
}

/** A wall-clock time in the user's locale: when a checkpoint was taken. */
const clockTime = (at: number) => new Date(at).toLocaleTimeString();

/** How long a request ran, for people: "850 ms", "3.2 s". */
function formatRan(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Which instance each RPC client serves: a request adopted by another client says who answered it. */
const answering = new WeakMap<RpcClient, { instance: Instance | null }>();

/**
 * An RPC client whose stall and crash handlers reach the instance once it exists; before that
 * (while loading) a stall or crash fails the load.
 */
function connect(worker: WorkerLike, ref: { instance: Instance | null }, deps: InstanceDeps, label: string): RpcClient {
  const rpc: RpcClient = new RpcClient(worker, {
    clock: deps.clock,
    onOutput: deps.onOutput,
    onStall: (entry) => {
      if (ref.instance) return ref.instance.recover(entry);
      rpc.close(new HotwasmError('timeout', `${label} did not finish loading within ${entry.timeoutMs} ms (a hang in its start function or _initialize?)`));
    },
    onDeath: (error) => {
      if (ref.instance) void ref.instance.restart(error.message);
    },
    onBusyChange: () => {
      if (ref.instance) deps.owner.onBusy(ref.instance);
    },
  });
  answering.set(rpc, ref);
  return rpc;
}
