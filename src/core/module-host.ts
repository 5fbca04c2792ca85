/**
 * One running module: its worker, the RPC client to it, its statistics, and recovery.
 *
 * A call that runs past the call timeout (a runaway loop) can only be stopped by terminating the
 * worker. The host then re-instantiates the module from its compiled `WebAssembly.Module` in a new
 * worker (no recompilation) and sends the calls that were queued behind the runaway one again, in
 * order: only the runaway call fails. The module's state starts fresh, and the status says so.
 */
import { HotwasmError } from '../shared/errors';
import type { ModuleLayoutInfo } from '../shared/inspect';
import type { GuestOptions, LoadedGuest, Op, OutputStream, RequestOf, ResultOf } from '../shared/protocol';
import { type PendingRequest, RpcClient, type WorkerLike } from './rpc';
import { LatencyStats } from './stats';

export type HostState = 'healthy' | 'restarting' | 'failed';

/** Everything known about a loaded module. */
export interface ModuleInfo extends ModuleLayoutInfo {
  /** Identity: the file name without `.wasm`, unless given. */
  name: string;
  /** A label the user gave this build (load option), if any. */
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
}

export class ModuleHost {
  state: HostState = 'healthy';
  /** The latest incident, in words (a restart after a timeout, a crash). */
  notice: string | null = null;
  readonly stats = new LatencyStats();
  private disposed = false;

  private constructor(
    private worker: WorkerLike,
    private rpc: RpcClient,
    readonly info: ModuleInfo,
    private readonly compiled: WebAssembly.Module,
    private readonly layout: ModuleLayoutInfo,
    private readonly options: GuestOptions,
    private readonly deps: HostDeps,
  ) {}

  /** Load bytes into a fresh worker. On failure the worker is terminated and the error thrown. */
  static async start(
    input: { data: Uint8Array | Blob; owned: boolean },
    meta: { name: string; version: string | null; source: string },
    options: GuestOptions,
    deps: HostDeps,
  ): Promise<ModuleHost> {
    const worker = deps.takeWorker();
    const ref: { host: ModuleHost | null } = { host: null };
    const rpc = connect(worker, ref, deps, options.label);
    let loaded: LoadedGuest;
    try {
      // A buffer only we hold moves to the worker instead of being copied.
      const transfer = input.owned && input.data instanceof Uint8Array ? [input.data.buffer] : [];
      loaded = await rpc.request({ op: 'load', data: input.data, options }, { timeoutMs: deps.timeouts().loadMs, transfer });
    } catch (error) {
      rpc.close(new HotwasmError('disposed', 'load failed'));
      worker.terminate();
      throw error;
    }
    const { module, layout, ...rest } = loaded;
    const info: ModuleInfo = { ...layout, ...rest, ...meta, loadedAt: Date.now() };
    ref.host = new ModuleHost(worker, rpc, info, module, layout, options, deps);
    return ref.host;
  }

  /** Send a request, recording latency for calls. */
  request<O extends Op>(body: RequestOf<O>, timeoutMs = this.deps.timeouts().callMs): Promise<ResultOf[O]> {
    if (this.disposed) return Promise.reject(new HotwasmError('disposed', `${this.info.name} was unloaded`));
    if (this.state === 'failed') return Promise.reject(new HotwasmError('worker-died', `${this.info.name} is not running: ${this.notice ?? 'it failed'}. Restart it or load it again.`));
    return this.rpc.request(body, { timeoutMs });
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
        return onError(error);
      },
    );
  }

  /** The oldest pending request ran past its timeout: stop the worker, fail that request, restart. */
  recover(stalled: PendingRequest): void {
    const what = describeRequest(stalled);
    const message = `${what} did not return within ${stalled.timeoutMs} ms, so its worker was stopped and ${this.info.name} was re-instantiated: its state was reset`;
    const entries = this.rpc.detach(new HotwasmError('worker-died', message));
    const timeout = new HotwasmError('timeout', `${what} timed out after ${stalled.timeoutMs} ms (call_timeout_ms); the worker was stopped and the module re-instantiated, so its state was reset`, {
      timeoutMs: stalled.timeoutMs,
    });
    stalled.reject(timeout);
    void this.restart(message, entries.filter((e) => e !== stalled));
  }

  /** Re-instantiate in a new worker; `requeue` (not yet started) are sent again after it. */
  async restart(reason: string, requeue: PendingRequest[] = []): Promise<void> {
    if (this.disposed) return;
    this.worker.terminate();
    if (!this.rpc.isClosed) requeue = [...requeue, ...this.rpc.detach(new HotwasmError('worker-died', reason))];
    this.state = 'restarting';
    this.notice = reason;
    this.deps.onChange();
    this.worker = this.deps.takeWorker();
    this.rpc = connect(this.worker, { host: this }, this.deps, this.options.label);
    const ready = this.rpc.request(
      { op: 'instantiate', module: this.compiled, layout: this.layout, options: this.options },
      { timeoutMs: this.deps.timeouts().loadMs },
    );
    this.rpc.adopt(requeue);
    try {
      await ready;
      if (this.disposed) return;
      this.state = 'healthy';
    } catch (error) {
      if (this.disposed) return;
      this.state = 'failed';
      this.notice = `${reason}; restarting failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.deps.onChange();
  }

  get pendingCount(): number {
    return this.rpc.pendingCount;
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
    default:
      return `The ${r.op} request`;
  }
}
