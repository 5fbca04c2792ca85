/**
 * The hotwasm engine, framework-free: load modules into workers, hot-swap new versions in with
 * their state, call them, run commands, and tell listeners what happened. The React app and
 * `window.hotwasm` are both thin layers over it.
 *
 * Module identity is the **name** (default: the file name without `.wasm`). Every load goes
 * through {@link Engine.load}: a new name starts a module; a running name becomes a hot swap
 * through the update pipeline (src/core/slot.ts), which never replaces a working version by a
 * broken one.
 */
import { jsonArgText } from '../shared/abi';
import { HotwasmError, messageOf } from '../shared/errors';
import { checkHeader, describeLayout, readModuleLayout, sha256Hex, type ModuleLayoutInfo } from '../shared/inspect';
import type { GuestOptions, MeasureResult, OutputStream, RawValue, RunResult, Settled } from '../shared/protocol';
import { CONFIG_RULES, type ConfigStorage, DEFAULT_CONFIG, type EngineConfig, mergeConfig, readStoredConfig, toStoredConfig } from './config';
import { History, type UpdateRecord, type UpdateTrigger } from './history';
import { BufferPool, type HostDeps, type HostState, type ModuleHost, type ModuleInfo } from './module-host';
import type { WorkerLike } from './rpc';
import { ModuleSlot, type SlotDeps, type UpdateInput } from './slot';
import { type ModuleSource, readSource } from './sources';
import type { CallStats } from './stats';

export type EngineState = 'empty' | 'loading' | HostState;

export interface EngineStatus extends CallStats {
  state: EngineState;
  name: string | null;
  version: string | null;
  apiVersion: string | null;
  sha256: string | null;
  /** When the serving version went live (ms since epoch). */
  lastUpdate: number | null;
  /** The latest incident, update or failed load, in words. */
  message: string | null;
  /** Names of every loaded module. */
  modules: string[];
  /** Auto reload is on (config.enabled). */
  autoReload: boolean;
  /** Why auto reload was paused, until the user turns it back on. */
  autoReloadPaused: string | null;
  /** When the latest state checkpoint of the serving version was taken (ms since epoch). */
  checkpointAt: number | null;
}

export type EngineEvent =
  | { type: 'status'; status: EngineStatus }
  | { type: 'loaded'; module: ModuleInfo; replaced: boolean }
  | { type: 'update'; record: UpdateRecord }
  | { type: 'output'; module: string; stream: OutputStream; text: string }
  | { type: 'error'; action: 'load' | 'call' | 'run'; error: HotwasmError };

export interface LoadOptions {
  /** Module identity; defaults to the file name without `.wasm`. A running name means a hot swap. */
  name?: string;
  /** A label for this build (default: v1, v2, … per module). */
  version?: string;
  /** For a running name: replace it with fresh state, skipping the API-version check. */
  fresh?: boolean;
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
  /** Initial settings (validated); they override stored ones. */
  config?: Partial<EngineConfig>;
  /** Where settings persist (the app uses localStorage). */
  storage?: ConfigStorage;
  /** Keep one worker started ahead of time so a load does not wait for worker start-up (default true). */
  warmWorker?: boolean;
}

/** Live settings: read a key, or assign one (validated: an invalid value throws, nothing changes). */
export type ConfigFacade = EngineConfig;

export interface Engine {
  /** Load a module from bytes, a File/Blob or a URL. For a running name this is a hot swap. */
  load(source: ModuleSource, options?: LoadOptions): Promise<ModuleInfo>;
  /**
   * A new build that arrived by itself (live push from a dev server, a watcher), as opposed to
   * one a user loads. With auto reload on (`config.enabled`), builds of one module arriving less
   * than `debounce_ms` apart are coalesced into the last, which then goes through the update
   * pipeline as load() does. With auto reload off (or paused), a build of a running module is
   * kept for Reload instead. Resolves with the version serving afterwards, or null when the build
   * was coalesced into a later one or kept; rejects as load() does.
   */
  push(source: ModuleSource, options?: LoadOptions): Promise<ModuleInfo | null>;
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
  /** The active module's serving version, or null. */
  module(): ModuleInfo | null;
  /** Every loaded module's serving version. */
  modules(): ModuleInfo[];
  /** Make another loaded module the active one. */
  use(name: string): ModuleInfo;
  /** Stop a module and forget it. */
  unload(name?: string): void;
  /** Re-instantiate the active module from its compiled code (state resets). */
  restart(): Promise<void>;
  /** Update records, newest first (one module's when named). */
  history(name?: string): UpdateRecord[];
  /** Go back to `version` of the active module (default: the previous one), carrying state. */
  rollback(version?: string): Promise<ModuleInfo>;
  /**
   * Re-run the last update of the active module with the latest bytes received. With
   * `{ fresh: true }` they replace it without the API-version check and with state reset (what
   * a refusal for an API major change offers).
   */
  reload(options?: { fresh?: boolean }): Promise<ModuleInfo>;
  /** Versions of the active module kept for rollback, oldest first. */
  versions(): { version: string; sha256: string; source: string }[];
  /** Settings: read `config.probation_ms`, assign `config.probation_ms = 1000` (validated). */
  readonly config: ConfigFacade;
  /** Change several settings at once; refuses out-of-range values with a message. */
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
  const storage = options.storage;
  let config = mergeConfig(mergeConfig({ ...DEFAULT_CONFIG }, readStoredConfig(storage?.read(), (m) => console.warn(m))), options.config ?? {});
  const slots = new Map<string, ModuleSlot>();
  /** First loads of a name in progress: later loads of the name wait and become updates. */
  const starting = new Map<string, Promise<ModuleSlot>>();
  const history = new History();
  const listeners = new Set<(event: EngineEvent) => void>();
  let active: string | null = null;
  let loading = 0;
  let lastError: { text: string; at: number } | null = null;
  let autoReloadPaused: string | null = null;
  let spare: WorkerLike | null = null;
  let spareTimer: ReturnType<typeof setTimeout> | null = null;
  let statsTimer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  const emit = (event: EngineEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('hotwasm: an event listener threw', error);
      }
    }
  };

  /**
   * One spare worker is kept started and warmed up for the next load. It is started 50 ms after
   * the last one was taken and no load is under way: its start-up (script, warm-up) would
   * otherwise compete with that load for the machine's cores.
   */
  const replenish = () => {
    if (!warm || disposed || spare || spareTimer !== null || loading > 0) return;
    spareTimer = setTimeout(() => {
      spareTimer = null;
      if (loading === 0 && !disposed) spare ??= workerFactory();
    }, 50);
  };

  const takeWorker = (): WorkerLike => {
    const worker = spare ?? workerFactory();
    spare = null;
    replenish();
    return worker;
  };

  const activeSlot = (): ModuleSlot | undefined => (active ? slots.get(active) : undefined);

  const status = (): EngineStatus => {
    const slot = activeSlot();
    const host = slot?.serving;
    const stats = host?.stats.snapshot() ?? { calls: 0, errors: 0, p50Ms: null, p99Ms: null };
    const state: EngineState = host ? host.state : loading > 0 ? 'loading' : 'empty';
    // The newest of: the slot's update notices, the host's incidents, a failed load.
    const notices = [slot?.notice, host?.notice ? { text: host.notice, at: host.noticeAt } : null, lastError].filter(
      (n): n is { text: string; at: number } => !!n,
    );
    notices.sort((a, b) => b.at - a.at);
    return {
      state,
      name: host?.info.name ?? null,
      version: host?.info.version ?? null,
      apiVersion: host?.info.apiVersion ?? null,
      sha256: host?.info.sha256 ?? null,
      lastUpdate: host?.info.loadedAt ?? null,
      message: notices[0]?.text ?? null,
      modules: [...slots.keys()],
      autoReload: config.enabled,
      autoReloadPaused,
      checkpointAt: slot?.checkpoint?.at ?? null,
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

  const buffers = new BufferPool();
  const slotDeps = (name: string): SlotDeps => ({
    config: () => config,
    now,
    guestOptions,
    hostDeps: (loadMs?: number): HostDeps => ({
      takeWorker,
      now,
      timeouts: () => ({ callMs: config.call_timeout_ms, loadMs: loadMs ?? config.load_timeout_ms }),
      onOutput: (stream, text) => emit({ type: 'output', module: name, stream, text }),
      onChange: statsChanged,
      buffers,
    }),
    record: (record) => emit({ type: 'update', record: history.add(record) }),
    changed: emitStatus,
    loaded: (module, replaced) => {
      emit({ type: 'loaded', module, replaced });
      emitStatus();
    },
    pauseAutoReload: (reason) => {
      autoReloadPaused = reason;
      setConfig({ enabled: false }, true);
    },
  });

  const slotOf = (): ModuleSlot => {
    const slot = activeSlot();
    if (!slot) throw new HotwasmError('not-loaded', 'No module is loaded: load one first (drop a .wasm file, pick one, or hotwasm.load(url))');
    return slot;
  };

  const fail = (action: 'load' | 'call' | 'run', error: unknown): Promise<never> => {
    const e = error instanceof HotwasmError ? error : new HotwasmError('internal', messageOf(error), {}, { cause: error });
    emit({ type: 'error', action, error: e });
    return Promise.reject(e);
  };

  /** Send through the active module's gate (calls made during a cutover wait, in order). */
  const send = <T>(action: 'call' | 'run', request: (host: ModuleHost) => Promise<T>): Promise<T> => {
    try {
      return slotOf().send(request);
    } catch (error) {
      return fail(action, error);
    }
  };

  function setConfig(patch: Partial<EngineConfig>, bySystem = false): EngineConfig {
    config = mergeConfig(config, patch);
    // Turning auto reload back on is the user acting on a pause.
    if (!bySystem && patch.enabled === true) autoReloadPaused = null;
    try {
      storage?.write(toStoredConfig(config));
    } catch (error) {
      console.warn('hotwasm: settings could not be saved:', messageOf(error));
    }
    emitStatus();
    return config;
  }

  const configFacade = {} as ConfigFacade;
  for (const key of Object.keys(CONFIG_RULES) as (keyof EngineConfig)[]) {
    Object.defineProperty(configFacade, key, {
      enumerable: true,
      get: () => config[key],
      set: (value: unknown) => void setConfig({ [key]: value } as Partial<EngineConfig>),
    });
  }

  /** Read a source into an update's input, refusing what is obviously not a module. */
  async function readInput(source: ModuleSource, loadOptions: LoadOptions): Promise<{ name: string; input: UpdateInput }> {
    const read = await readSource(source, config.max_module_bytes, fetchImpl, options.baseUrl);
    const { data, name: defaultName } = read;
    const name = loadOptions.name ?? defaultName;
    // Bytes in hand have no file name: messages name them after the module.
    const label = source instanceof Uint8Array || source instanceof ArrayBuffer ? (loadOptions.name ?? read.label) : read.label;
    // Refuse bytes in hand that are obviously not a module without starting a worker. (A file
    // is read and checked by the worker: the page never holds its bytes.)
    if (data instanceof Uint8Array) checkHeader(data, label);
    return { name, input: { data, source: label, version: loadOptions.version, fresh: loadOptions.fresh } };
  }

  async function loadNow(source: ModuleSource, loadOptions: LoadOptions): Promise<ModuleInfo> {
    const { name, input } = await readInput(source, loadOptions);
    return apply(name, input, 'load');
  }

  /** Load `input` under `name`: a first load, or an update of the module running under it. */
  async function apply(name: string, input: UpdateInput, trigger: UpdateTrigger): Promise<ModuleInfo> {
    await starting.get(name)?.catch(() => undefined);
    const existing = slots.get(name);
    if (existing) {
      active = name;
      return existing.update(input, trigger);
    }
    const creating = ModuleSlot.create(name, input, slotDeps(name));
    starting.set(name, creating);
    try {
      const slot = await creating;
      if (disposed) {
        slot.dispose('The engine was disposed');
        throw new HotwasmError('disposed', 'The engine was disposed');
      }
      slots.set(name, slot);
      active = name;
      emit({ type: 'loaded', module: slot.serving.info, replaced: false });
      return slot.serving.info;
    } finally {
      if (starting.get(name) === creating) starting.delete(name);
    }
  }

  /** Count a load in progress (status, spare worker) until `work` settles; report a failure. */
  function asLoad<T>(work: () => Promise<T>): Promise<T> {
    loading++;
    emitStatus();
    return work().then(
      (info) => {
        loading--;
        replenish();
        emitStatus();
        return info;
      },
      (error: unknown) => {
        loading--;
        replenish();
        lastError = { text: messageOf(error), at: Date.now() };
        emitStatus();
        return fail('load', error);
      },
    );
  }

  /** Pushed builds waiting out debounce_ms, by module name: only the last one is applied. */
  const pushes = new Map<string, { timer: ReturnType<typeof setTimeout>; settle: (result: Promise<ModuleInfo> | null) => void }>();
  /** The newest push of each name, in the order pushes were made (reading a URL takes its time). */
  const newestPush = new Map<string, number>();
  let pushCount = 0;

  function pushNow(source: ModuleSource, loadOptions: LoadOptions): Promise<ModuleInfo | null> {
    const order = ++pushCount;
    return readInput(source, loadOptions).then(({ name, input }) => {
      if ((newestPush.get(name) ?? 0) > order) return null; // a newer build arrived first
      newestPush.set(name, order);
      const waiting = pushes.get(name);
      if (waiting) {
        clearTimeout(waiting.timer);
        pushes.delete(name);
        waiting.settle(null); // coalesced into this one
      }
      const keep = (): null => {
        // Nothing replaces a running module by itself while auto reload is off; a module not
        // running is not started either.
        slots.get(name)?.keepLatest(input, `A new build of ${name} arrived (${input.source}); auto reload is off, so it waits: Reload applies it`);
        return null;
      };
      if (!config.enabled) return keep();
      return new Promise<ModuleInfo | null>((resolve, reject) => {
        const settle = (result: Promise<ModuleInfo> | null) => (result ? result.then(resolve, reject) : resolve(null));
        const timer = setTimeout(() => {
          pushes.delete(name);
          settle(config.enabled ? apply(name, input, 'push') : keep());
        }, config.debounce_ms);
        pushes.set(name, { timer, settle });
      });
    });
  }

  const engine: Engine = {
    load(source, loadOptions = {}) {
      // Bytes in hand leave for the spare within a fraction of a millisecond: have its thread
      // woken meanwhile (waking an idle worker took 0.3-0.5 ms on the benchmark machine).
      if (spare && typeof source !== 'string' && !(source instanceof URL)) spare.postMessage({ type: 'wake' }, []);
      return asLoad(() => loadNow(source, loadOptions));
    },

    push(source, loadOptions = {}) {
      return asLoad(() => pushNow(source, loadOptions));
    },

    call(fn, arg) {
      let argJson: string;
      try {
        argJson = jsonArgText(arg);
      } catch (error) {
        return fail('call', error);
      }
      return send('call', (host) => host.call({ op: 'call', fn, argJson }, (e) => fail('call', e)));
    },

    callRaw(fn, ...args) {
      return send('call', (host) => host.call({ op: 'callRaw', fn, args }, (e) => fail('call', e)));
    },

    callBatch(fn, args) {
      let argsJson: string[];
      try {
        argsJson = args.map(jsonArgText);
      } catch (error) {
        return fail('call', error);
      }
      return send('call', (host) => host.request({ op: 'batch', fn, argsJson }).catch((e: unknown) => fail('call', e)));
    },

    run(args = [], runOptions = {}) {
      const env = Object.entries(runOptions.env ?? {}).map(([k, v]) => `${k}=${v}`);
      return send('run', (host) => host.request({ op: 'run', args, env }).catch((e: unknown) => fail('run', e)));
    },

    async inspect(bytes, label = 'The module') {
      const layout = describeLayout(bytes, readModuleLayout(bytes, label), label);
      return { ...layout, sha256: await sha256Hex(bytes) };
    },

    status,
    module: () => activeSlot()?.serving.info ?? null,
    modules: () => [...slots.values()].map((s) => s.serving.info),

    use(name) {
      const slot = slots.get(name);
      if (!slot) throw new HotwasmError('not-loaded', `No module named "${name}" is loaded (loaded: ${[...slots.keys()].join(', ') || 'none'})`);
      active = name;
      emitStatus();
      return slot.serving.info;
    },

    unload(name = active ?? undefined) {
      if (!name) return;
      slots.get(name)?.dispose(`${name} was unloaded`);
      slots.delete(name);
      if (active === name) active = slots.keys().next().value ?? null;
      emitStatus();
    },

    async restart() {
      await slotOf().serving.restart('Restarted by the user', [], { useCheckpoint: false });
    },

    history: (name) => history.list(name),

    rollback(version) {
      try {
        return slotOf().rollback(version).catch((error: unknown) => fail('load', error));
      } catch (error) {
        return fail('load', error);
      }
    },

    reload(reloadOptions = {}) {
      try {
        return slotOf().reload(reloadOptions.fresh === true).catch((error: unknown) => fail('load', error));
      } catch (error) {
        return fail('load', error);
      }
    },

    versions: () => activeSlot()?.keptVersions() ?? [],

    config: configFacade,

    configure: (patch) => setConfig(patch),

    measure(fn, arg, iterations, raw = false) {
      const argJson = raw ? null : jsonArgText(arg);
      return slotOf().send((host) => host.request({ op: 'measure', fn, argJson, iterations }, Math.max(config.call_timeout_ms, 60_000)));
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    dispose() {
      disposed = true;
      for (const { timer, settle } of pushes.values()) {
        clearTimeout(timer);
        settle(null);
      }
      pushes.clear();
      for (const slot of slots.values()) slot.dispose('The engine was disposed');
      slots.clear();
      active = null;
      spare?.terminate();
      spare = null;
      if (spareTimer !== null) clearTimeout(spareTimer);
      if (statsTimer !== null) clearTimeout(statsTimer);
      listeners.clear();
    },
  };
  return engine;
}

export type { ModuleInfo } from './module-host';
export type { UpdateRecord } from './history';
