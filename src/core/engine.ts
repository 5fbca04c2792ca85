/**
 * The hotwasm engine, framework-free: load modules into workers, call them, run commands, and
 * tell listeners what happened. The React app and `window.hotwasm` are both thin layers over it.
 *
 * Module identity is the **name** (default: the file name without `.wasm`). Every load goes
 * through {@link Engine.load}: loading bytes under a running name stages the new build in a fresh
 * worker and only replaces the running one once it has loaded; a failed load changes nothing.
 */
import { jsonArgText } from '../shared/abi';
import { HotwasmError, messageOf } from '../shared/errors';
import { checkHeader, describeLayout, readModuleLayout, sha256Hex, type ModuleLayoutInfo } from '../shared/inspect';
import type { GuestOptions, MeasureResult, OutputStream, RawValue, RunResult, Settled } from '../shared/protocol';
import { DEFAULT_CONFIG, type EngineConfig, mergeConfig } from './config';
import { type HostState, ModuleHost, type ModuleInfo } from './module-host';
import type { WorkerLike } from './rpc';
import { type ModuleSource, readSource } from './sources';
import type { CallStats } from './stats';

export type EngineState = 'empty' | 'loading' | HostState;

export interface EngineStatus extends CallStats {
  state: EngineState;
  name: string | null;
  version: string | null;
  apiVersion: string | null;
  sha256: string | null;
  /** When the serving module was loaded (ms since epoch). */
  lastUpdate: number | null;
  /** The latest incident or failed load, in words. */
  message: string | null;
  /** Names of every loaded module. */
  modules: string[];
}

export type EngineEvent =
  | { type: 'status'; status: EngineStatus }
  | { type: 'loaded'; module: ModuleInfo; replaced: boolean }
  | { type: 'output'; module: string; stream: OutputStream; text: string }
  | { type: 'error'; action: 'load' | 'call' | 'run'; error: HotwasmError };

export interface LoadOptions {
  /** Module identity; defaults to the file name without `.wasm`. */
  name?: string;
  /** A label for this build, shown in the status. */
  version?: string;
}

export interface RunOptions {
  /** Environment variables for the run. */
  env?: Record<string, string>;
}

export interface EngineOptions {
  /** Creates a guest worker. Defaults to the bundled worker (src/worker/worker.ts). */
  workerFactory?: () => WorkerLike;
  /** Used for URL loads. */
  fetch?: typeof fetch;
  /** Base for relative URLs. */
  baseUrl?: string;
  /** Monotonic clock in ms. */
  now?: () => number;
  /** Initial settings (validated). */
  config?: Partial<EngineConfig>;
  /** Keep one worker started ahead of time so a load does not wait for worker start-up (default true). */
  warmWorker?: boolean;
}

export interface Engine {
  /** Load a module from bytes, a File/Blob or a URL. Resolves with what was loaded. */
  load(source: ModuleSource, options?: LoadOptions): Promise<ModuleInfo>;
  /** JSON call on the active module (ABI v1). */
  call(fn: string, arg?: unknown): Promise<unknown>;
  /** Raw numeric call on the active module; i64 as BigInt. */
  callRaw(fn: string, ...args: RawValue[]): Promise<RawValue | RawValue[] | undefined>;
  /** Many JSON calls of one export in one message; each result settles on its own. */
  callBatch(fn: string, args: unknown[]): Promise<Settled<unknown>[]>;
  /** Run the active command module's `_start` on a fresh instance. */
  run(args?: string[], options?: RunOptions): Promise<RunResult>;
  /** Inspect bytes without loading them (no guest code runs). */
  inspect(bytes: Uint8Array, label?: string): Promise<ModuleLayoutInfo & { sha256: string }>;
  status(): EngineStatus;
  /** The active module, or null. */
  module(): ModuleInfo | null;
  /** Every loaded module. */
  modules(): ModuleInfo[];
  /** Make another loaded module the active one. */
  use(name: string): ModuleInfo;
  /** Stop a module and forget it. */
  unload(name?: string): void;
  /** Re-instantiate the active module from its compiled code (state resets). */
  restart(): Promise<void>;
  readonly config: Readonly<EngineConfig>;
  /** Change settings; refuses out-of-range values with a message. */
  configure(patch: Partial<EngineConfig>): EngineConfig;
  /** Time direct calls inside the worker: the floor for benchmarks. */
  measure(fn: string, arg: unknown | undefined, iterations: number, raw?: boolean): Promise<MeasureResult>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  dispose(): void;
}

function defaultWorkerFactory(): WorkerLike {
  return new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'hotwasm guest' });
}

export function createEngine(options: EngineOptions = {}): Engine {
  const workerFactory = options.workerFactory ?? defaultWorkerFactory;
  const fetchImpl = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const now = options.now ?? (() => performance.now());
  const warm = options.warmWorker ?? true;
  let config = mergeConfig({ ...DEFAULT_CONFIG }, options.config ?? {});
  const hosts = new Map<string, ModuleHost>();
  const listeners = new Set<(event: EngineEvent) => void>();
  let active: string | null = null;
  let loading = 0;
  let lastError: string | null = null;
  let spare: WorkerLike | null = null;
  let statsTimer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  /** Loads of one name are applied in the order they were asked for. */
  const loadChains = new Map<string, Promise<unknown>>();

  const emit = (event: EngineEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('hotwasm: an event listener threw', error);
      }
    }
  };

  const takeWorker = (): WorkerLike => {
    const worker = spare ?? workerFactory();
    spare = null;
    if (warm && !disposed) setTimeout(() => (spare ??= disposed ? null : workerFactory()), 0);
    return worker;
  };

  const status = (): EngineStatus => {
    const host = active ? hosts.get(active) : undefined;
    const stats = host?.stats.snapshot() ?? { calls: 0, errors: 0, p50Ms: null, p99Ms: null };
    const state: EngineState = loading > 0 ? 'loading' : host ? host.state : 'empty';
    return {
      state,
      name: host?.info.name ?? null,
      version: host?.info.version ?? null,
      apiVersion: host?.info.apiVersion ?? null,
      sha256: host?.info.sha256 ?? null,
      lastUpdate: host?.info.loadedAt ?? null,
      message: host?.notice ?? lastError,
      modules: [...hosts.keys()],
      ...stats,
    };
  };

  const emitStatus = () => emit({ type: 'status', status: status() });
  /** Statistics change with every call: tell listeners at most every 200 ms. */
  const statsChanged = () => {
    if (statsTimer !== null) return;
    statsTimer = setTimeout(() => {
      statsTimer = null;
      emitStatus();
    }, 200);
  };

  const guestOptions = (label: string): GuestOptions => ({
    label,
    memoryBudgetBytes: config.memory_budget_mb * 1024 * 1024,
    args: [label],
    env: [],
  });

  const activeHost = (): ModuleHost => {
    const host = active ? hosts.get(active) : undefined;
    if (!host) throw new HotwasmError('not-loaded', 'No module is loaded: load one first (drop a .wasm file, pick one, or hotwasm.load(url))');
    return host;
  };

  const fail = <T>(action: 'load' | 'call' | 'run', error: unknown): Promise<T> => {
    const e = error instanceof HotwasmError ? error : new HotwasmError('internal', messageOf(error), {}, { cause: error });
    emit({ type: 'error', action, error: e });
    return Promise.reject(e);
  };

  async function loadNow(source: ModuleSource, loadOptions: LoadOptions): Promise<ModuleInfo> {
    const { data, owned, label, name: defaultName } = await readSource(source, config.max_module_bytes, fetchImpl, options.baseUrl);
    const name = loadOptions.name ?? defaultName;
    // Refuse bytes in hand that are obviously not a module without starting a worker. (A file
    // is read and checked by the worker: the page never holds its bytes.)
    if (data instanceof Uint8Array) checkHeader(data, label);
    const host = await ModuleHost.start({ data, owned }, { name, version: loadOptions.version ?? null, source: label }, guestOptions(label), {
      takeWorker,
      now,
      timeouts: () => ({ callMs: config.call_timeout_ms, loadMs: config.load_timeout_ms }),
      onOutput: (stream, text) => emit({ type: 'output', module: name, stream, text }),
      onChange: statsChanged,
    });
    const previous = hosts.get(name);
    if (disposed) {
      host.dispose();
      throw new HotwasmError('disposed', 'The engine was disposed');
    }
    hosts.set(name, host);
    active = name;
    // The replaced build finishes the calls it already has, then stops.
    previous?.retire();
    emit({ type: 'loaded', module: host.info, replaced: previous !== undefined });
    return host.info;
  }

  const engine: Engine = {
    load(source, loadOptions = {}) {
      loading++;
      lastError = null;
      emitStatus();
      const key = loadOptions.name ?? '';
      const previous = loadChains.get(key) ?? Promise.resolve();
      const result = previous.then(
        () => loadNow(source, loadOptions),
        () => loadNow(source, loadOptions),
      );
      loadChains.set(key, result.catch(() => undefined));
      return result.then(
        (info) => {
          loading--;
          emitStatus();
          return info;
        },
        (error: unknown) => {
          loading--;
          lastError = messageOf(error);
          emitStatus();
          return fail('load', error);
        },
      );
    },

    call(fn, arg) {
      try {
        const host = activeHost();
        const argJson = jsonArgText(arg);
        return host.call({ op: 'call', fn, argJson }, (e) => fail('call', e));
      } catch (error) {
        return fail('call', error);
      }
    },

    callRaw(fn, ...args) {
      try {
        const host = activeHost();
        return host.call({ op: 'callRaw', fn, args }, (e) => fail('call', e));
      } catch (error) {
        return fail('call', error);
      }
    },

    callBatch(fn, args) {
      try {
        const host = activeHost();
        const argsJson = args.map(jsonArgText);
        return host.request({ op: 'batch', fn, argsJson }).catch((e: unknown) => fail('call', e));
      } catch (error) {
        return fail('call', error);
      }
    },

    run(args = [], runOptions = {}) {
      try {
        const host = activeHost();
        const env = Object.entries(runOptions.env ?? {}).map(([k, v]) => `${k}=${v}`);
        return host.request({ op: 'run', args, env }).catch((e: unknown) => fail('run', e));
      } catch (error) {
        return fail('run', error);
      }
    },

    async inspect(bytes, label = 'The module') {
      const layout = describeLayout(bytes, readModuleLayout(bytes, label), label);
      return { ...layout, sha256: await sha256Hex(bytes) };
    },

    status,
    module: () => (active ? (hosts.get(active)?.info ?? null) : null),
    modules: () => [...hosts.values()].map((h) => h.info),

    use(name) {
      const host = hosts.get(name);
      if (!host) throw new HotwasmError('not-loaded', `No module named "${name}" is loaded (loaded: ${[...hosts.keys()].join(', ') || 'none'})`);
      active = name;
      emitStatus();
      return host.info;
    },

    unload(name = active ?? undefined) {
      if (!name) return;
      hosts.get(name)?.dispose();
      hosts.delete(name);
      if (active === name) active = hosts.keys().next().value ?? null;
      emitStatus();
    },

    async restart() {
      await activeHost().restart('Restarted by the user: state was reset');
    },

    get config() {
      return config;
    },

    configure(patch) {
      config = mergeConfig(config, patch);
      emitStatus();
      return config;
    },

    measure(fn, arg, iterations, raw = false) {
      const host = activeHost();
      const argJson = raw ? null : jsonArgText(arg);
      return host.request({ op: 'measure', fn, argJson, iterations }, Math.max(config.call_timeout_ms, 60_000));
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    dispose() {
      disposed = true;
      for (const host of hosts.values()) host.dispose('The engine was disposed');
      hosts.clear();
      active = null;
      spare?.terminate();
      spare = null;
      if (statsTimer !== null) clearTimeout(statsTimer);
      listeners.clear();
    },
  };
  return engine;
}

export type { ModuleInfo } from './module-host';
