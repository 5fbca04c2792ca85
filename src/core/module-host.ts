/**
 * One running version of a module: its worker, the RPC client to it, its statistics, and recovery.
 *
 * A call that runs past the call timeout (a runaway loop) can only be stopped by terminating the
 * worker. The host then re-instantiates the module from its compiled `WebAssembly.Module` in a new
 * worker (no recompilation), restores the latest state checkpoint when there is one, and sends the
 * calls that were queued behind the runaway one again, in order: only the runaway call fails.
 * The status says what state the module resumed with.
 */
import { HotwasmError } from '../shared/errors';
import type { ModuleLayoutInfo } from '../shared/inspect';
import { PATCH_ROOM } from '../shared/wasm-binary';
import { type GuestOptions, type Op, type OutputStream, type RequestOf, type ResultOf, transferablesOf } from '../shared/protocol';
import { type PendingRequest, RpcClient, type WorkerLike } from './rpc';
import { LatencyStats } from './stats';

export type HostState = 'healthy' | 'restarting' | 'failed';

/** Send a request to a worker whose module is still loading (pipelined behind the load). */
export type Send = <O extends Op>(body: RequestOf<O>, timeoutMs: number) => Promise<ResultOf[O]>;

/** Everything known about a loaded module. */
export interface ModuleInfo extends ModuleLayoutInfo {
  /** Identity: the file name without `.wasm`, unless given. */
  name: string;
  /** This build's label: the one given to load(), else v1, v2, … in the order versions served. */
  version: string | null;
  /** The file name or URL it came from. */
  source: string;
  sha256: string;
  apiVersion: string | null;
  apiVersionSource: 'section' | 'export' | null;
  loadedAt: number;
  compileMs: number;
  instantiateMs: number;
}

export interface HostDeps {
  takeWorker: () => WorkerLike;
  now: () => number;
  timeouts: () => { callMs: number; loadMs: number };
  onOutput: (stream: OutputStream, text: string) => void;
  onChange: () => void;
  /** Where the copies of bytes handed to workers are made (one per engine). */
  buffers: BufferPool;
  /** The latest state checkpoint, restored after a restart. */
  checkpoint?: () => { state: Uint8Array; at: number } | null;
  /**
   * A runaway call stopped this host's worker. Return true to take over the calls queued behind
   * it (they have not started) instead of restarting — a version in probation is rolled back.
   */
  onRunaway?: (host: ModuleHost, requeue: PendingRequest[], reason: string) => boolean;
  /** A call failed (trap, overflow, timeout): a version in probation may be rolled back. */
  onCallFailed?: (host: ModuleHost, error: unknown) => void;
}

export class ModuleHost {
  state: HostState = 'healthy';
  /** The latest incident, in words (a restart after a timeout, a crash), and when it happened. */
  notice: string | null = null;
  noticeAt = 0;
  readonly stats = new LatencyStats();
  private disposed = false;
  /**
   * Counts what may have changed the guest's state since: every request but save_state, and
   * restarts. Equal counts mean the state is what it was (a cutover can use an earlier snapshot).
   */
  changes = 0;
  /** Exported function names: `has()` runs after every call (checkpoints), so no scan there. */
  private readonly functions: Set<string>;

  private constructor(
    private worker: WorkerLike,
    private rpc: RpcClient,
    readonly info: ModuleInfo,
    private readonly compiled: WebAssembly.Module,
    private readonly layout: ModuleLayoutInfo,
    private readonly options: GuestOptions,
    private readonly deps: HostDeps,
  ) {
    this.functions = new Set(layout.exports.filter((e) => e.kind === 'function').map((e) => e.name));
  }

  /** Load a module into a fresh worker. On failure the worker is terminated and the error thrown. */
  static async start(
    data: Uint8Array | Blob,
    meta: { name: string; version: string | null; source: string },
    options: GuestOptions,
    deps: HostDeps,
  ): Promise<ModuleHost> {
    return (await ModuleHost.stage(data, meta, options, deps, () => null)).host;
  }

  /**
   * Load a module into a fresh worker and send `steps` in the same message, to run right after
   * the load without waiting for the page (their promises reject if the load fails).
   */
  static async stage<T>(
    data: Uint8Array | Blob,
    meta: { name: string; version: string | null; source: string },
    options: GuestOptions,
    deps: HostDeps,
    steps: (send: Send) => T,
  ): Promise<{ host: ModuleHost; steps: T }> {
    const worker = deps.takeWorker();
    const ref: { host: ModuleHost | null } = { host: null };
    const rpc = connect(worker, ref, deps, options.label);
    const timeoutMs = deps.timeouts().loadMs;
    // The caller keeps its bytes (they are kept for rollbacks, too): the worker gets a copy, moved
    // to it rather than cloned. The worker caps, compiles, inspects and hashes it off this thread.
    const copy = data instanceof Uint8Array ? deps.buffers.copy(data) : null;
    const loading = copy
      ? rpc.request({ op: 'load', data: copy, options }, { timeoutMs, transfer: [copy.buffer] })
      : rpc.request({ op: 'load', data, options }, { timeoutMs });
    const pipelined = steps((body, timeoutMs) => rpc.request(body, { timeoutMs, transfer: transferablesOf(body) }));
    let loaded: ResultOf['load'];
    try {
      loaded = await loading;
    } catch (error) {
      rpc.close(new HotwasmError('disposed', 'load failed'));
      worker.terminate();
      throw error;
    }
    const { module, layout, buffer, ...rest } = loaded;
    if (buffer) deps.buffers.giveBack(buffer);
    const info: ModuleInfo = { ...layout, ...rest, ...meta, loadedAt: Date.now() };
    ref.host = new ModuleHost(worker, rpc, info, module, layout, options, deps);
    return { host: ref.host, steps: pipelined };
  }

  /** Send a request, recording latency for calls. */
  request<O extends Op>(body: RequestOf<O>, timeoutMs = this.deps.timeouts().callMs): Promise<ResultOf[O]> {
    if (this.disposed) return Promise.reject(new HotwasmError('disposed', `${this.info.name} was unloaded`));
    if (this.state === 'failed') return Promise.reject(new HotwasmError('worker-died', `${this.info.name} is not running: ${this.notice ?? 'it failed'}. Restart it or load it again.`));
    if (body.op !== 'saveState') this.changes++;
    // State bytes and ports move to the worker instead of being copied (the sender gives them up).
    return this.rpc.request(body, { timeoutMs, transfer: transferablesOf(body) });
  }

  /**
   * Send a call and count it in the statistics. `onError` maps a failure (the engine reports it).
   * Plain `then` rather than async/await: this is on every call's path.
   */
  call<O extends Op>(body: RequestOf<O>, onError: (error: unknown) => Promise<never>): Promise<ResultOf[O]> {
    const t0 = this.deps.now();
    return this.request(body).then(
      (value) => {
        this.stats.record(this.deps.now() - t0, true);
        this.deps.onChange();
        return value;
      },
      (error: unknown) => {
        this.stats.record(this.deps.now() - t0, false);
        this.deps.onChange();
        this.deps.onCallFailed?.(this, error);
        return onError(error);
      },
    );
  }

  /** Are requests sent to this version still unanswered? */
  get busy(): boolean {
    return this.rpc.pendingCount > 0;
  }

  /** Does the module export this function? */
  has(exportName: string): boolean {
    return this.functions.has(exportName);
  }

  /** Send requests that another host could not serve (a rollback), keeping their promises. */
  adopt(entries: PendingRequest[]): void {
    this.rpc.adopt(entries);
  }

  /** The oldest pending request ran past its timeout: stop the worker, fail that request, restart. */
  recover(stalled: PendingRequest): void {
    const what = describeRequest(stalled);
    const stopped = `${what} did not return within ${stalled.timeoutMs} ms, so its worker was stopped`;
    const entries = this.rpc.detach(new HotwasmError('worker-died', stopped));
    this.worker.terminate();
    const timeout = new HotwasmError('timeout', `${what} timed out after ${stalled.timeoutMs} ms (${timeoutSetting(stalled)}) and its worker was stopped`, {
      timeoutMs: stalled.timeoutMs,
    });
    const requeue = entries.filter((e) => e !== stalled);
    if (this.deps.onRunaway?.(this, requeue, stopped)) {
      stalled.reject(timeout);
      this.deps.onCallFailed?.(this, timeout);
      return;
    }
    stalled.reject(timeout);
    void this.restart(stopped, requeue);
  }

  /**
   * Re-instantiate in a new worker, restoring the latest checkpoint if there is one; `requeue`
   * (requests that had not started) are sent again after it.
   */
  async restart(reason: string, requeue: PendingRequest[] = [], { useCheckpoint = true } = {}): Promise<void> {
    if (this.disposed) return;
    this.changes++;
    this.worker.terminate();
    if (!this.rpc.isClosed) requeue = [...requeue, ...this.rpc.detach(new HotwasmError('worker-died', reason))];
    this.state = 'restarting';
    this.notice = `${reason}; restarting ${this.info.name}…`;
    this.noticeAt = Date.now();
    this.deps.onChange();
    this.worker = this.deps.takeWorker();
    this.rpc = connect(this.worker, { host: this }, this.deps, this.options.label);
    const timeoutMs = this.deps.timeouts().loadMs;
    const ready = this.rpc.request({ op: 'instantiate', module: this.compiled, layout: this.layout, options: this.options }, { timeoutMs });
    // The checkpoint is restored before the requeued calls run: they were made after it.
    const checkpoint = useCheckpoint && this.has('restore_state') ? (this.deps.checkpoint?.() ?? null) : null;
    const restored = checkpoint
      ? this.rpc.request({ op: 'restoreState', state: checkpoint.state.slice() }, { timeoutMs, transfer: [] })
      : Promise.resolve(null);
    this.rpc.adopt(requeue);
    try {
      await ready;
      const result = await restored.catch((error: unknown) => ({ code: -1, ms: 0, error }));
      if (this.disposed) return;
      this.state = 'healthy';
      if (!checkpoint) {
        const why = !useCheckpoint ? '' : this.has('save_state') ? ' (no checkpoint had been taken yet)' : ' (it has no save_state, so no checkpoint exists)';
        this.notice = `${reason}; ${this.info.name} was re-instantiated and its state was reset${why}`;
      } else if (result && result.code === 0) {
        this.notice = `${reason}; ${this.info.name} was re-instantiated and restored from the checkpoint of ${new Date(checkpoint.at).toLocaleTimeString()}: calls after it are lost`;
      } else {
        this.notice = `${reason}; ${this.info.name} was re-instantiated but restore_state refused the checkpoint of ${new Date(checkpoint.at).toLocaleTimeString()}, so its state was reset`;
      }
    } catch (error) {
      if (this.disposed) return;
      this.state = 'failed';
      this.notice = `${reason}; restarting failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.noticeAt = Date.now();
    this.deps.onChange();
  }

  /** Stop at once: pending calls are rejected. */
  dispose(reason = `${this.info.name} was unloaded`): void {
    if (this.disposed) return;
    this.disposed = true;
    this.rpc.close(new HotwasmError('disposed', reason));
    this.worker.terminate();
  }

  /** Stop once the calls already sent have settled (a replaced version finishes its work). */
  retire(): void {
    const tryStop = () => {
      if (this.rpc.pendingCount === 0 || this.disposed) this.dispose();
      else setTimeout(tryStop, 10);
    };
    tryStop();
  }
}

/**
 * The copies of module bytes handed to workers. A worker hands its copy's buffer back once it
 * has compiled and hashed it, and the next copy is made into it: copying into memory already in
 * use is several times faster than into a new buffer, whose pages the system must first provide
 * (10 MiB: 0.7–1.5 ms against 5 ms, measured in headless Chromium on the benchmark machine).
 * At most one buffer is kept, the last one handed back.
 */
export class BufferPool {
  private kept: ArrayBuffer | null = null;

  /**
   * A copy of `bytes`, in the kept buffer when it is large enough (it is then given away). The
   * buffer has room after the copy: the worker caps memory growth in place (a longer memory
   * section), and the next build of a module is often slightly larger.
   */
  copy(bytes: Uint8Array): Uint8Array {
    let buffer = this.kept;
    this.kept = null;
    if (!buffer || buffer.byteLength < bytes.length + PATCH_ROOM) buffer = new ArrayBuffer(bytes.length + (bytes.length >>> 4) + PATCH_ROOM);
    const copy = new Uint8Array(buffer, 0, bytes.length);
    copy.set(bytes);
    return copy;
  }

  giveBack(buffer: ArrayBuffer): void {
    this.kept = buffer;
  }
}

/**
 * An RPC client whose stall and crash handlers reach the host once it exists; before that (while
 * loading) a stall or crash fails the load.
 */
function connect(worker: WorkerLike, ref: { host: ModuleHost | null }, deps: HostDeps, label: string): RpcClient {
  const rpc: RpcClient = new RpcClient(worker, {
    onOutput: deps.onOutput,
    onStall: (entry) => {
      if (ref.host) return ref.host.recover(entry);
      rpc.close(new HotwasmError('timeout', `${label} did not finish loading within ${entry.timeoutMs} ms (a hang in its start function or _initialize?)`));
    },
    onDeath: (error) => {
      if (ref.host) void ref.host.restart(error.message);
    },
  });
  return rpc;
}

/** The setting that bounded a request, for messages. */
function timeoutSetting(entry: PendingRequest): string {
  switch (entry.request.op) {
    case 'call':
    case 'callRaw':
    case 'batch':
    case 'run':
    case 'measure':
      return 'call_timeout_ms';
    case 'load':
    case 'instantiate':
      return 'load_timeout_ms';
    default:
      return 'validation_timeout_ms';
  }
}

function describeRequest(entry: PendingRequest): string {
  const r = entry.request;
  switch (r.op) {
    case 'call':
    case 'callRaw':
    case 'batch':
    case 'measure':
      return `The call to ${r.fn}`;
    case 'run':
      return 'The command run';
    case 'saveState':
      return 'save_state';
    case 'restoreState':
    case 'receiveState':
      return 'restore_state';
    case 'checkApi':
      return 'Checking the API version';
    case 'health':
      return 'health_check';
    case 'benchmark':
      return 'benchmark_function';
    case 'load':
    case 'instantiate':
    case 'renew':
      return 'Instantiating the module';
    default:
      return `The ${r.op} request`;
  }
}
