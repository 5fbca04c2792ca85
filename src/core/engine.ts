/**
 * The hotwasm engine, framework-free: load modules into workers, hot-swap new versions in with
 * their state, call them, run commands, and tell listeners what happened. The React app and
 * `window.hotwasm` are both thin layers over it.
 *
 * Module identity is the **name** (default: the file name without `.wasm`). Every load of a name
 * goes through its {@link ModuleController}, in the order asked for: the first one starts the
 * module; later ones are hot swaps through the update pipeline (./pipeline), which never
 * replaces a working version by a broken one. This file wires the parts together: settings,
 * spare workers, the registry, inputs, pushes, events and the API's shortcuts.
 */
import { HotwasmError, isStorageFull, messageOf, serializeError } from '../shared/errors';
import { checkHeader, describeLayout, readModuleLayout, sha256Hex } from '../shared/inspect';
import type { Engine, EngineOptions, EngineStatus, LoadOptions, ModuleHandle } from './api';
import { BufferPool } from './buffer-pool';
import { systemClock } from './clock';
import { ConfigStore } from './config-store';
import type { EngineConfig } from './config';
import type { ErrorAction, EngineEvent } from './events';
import { makeHandle } from './handle';
import { History, type UpdateTrigger } from './history';
import type { ModuleInfo } from './instance';
import { ModuleController } from './module';
import type { UpdateInput } from './pipeline/context';
import { refusedLoadRecord } from './pipeline/records';
import { failed } from './pipeline/refusal';
import { PushQueue } from './push';
import { MemoryRegistry } from './registry';
import type { WorkerLike } from './rpc';
import { type ModuleSource, nameOfSource, readSource } from './sources';
import { waitingText } from './not-saved';
import { persistence } from './persistence';
import { WriteBehindRegistry } from './write-behind';
import { DEFAULT_SPARE_POLICY, SparePool } from './spares';

function defaultWorkerFactory(): WorkerLike {
  return new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'hotwasm guest' });
}

export function createEngine(options: EngineOptions = {}): Engine {
  const clock = options.clock ?? systemClock;
  const fetchImpl = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const registry = new WriteBehindRegistry(options.registry ?? new MemoryRegistry(), clock, () => {
    waitingForRoom.clear();
    emit({ type: 'saved', at: clock.wallNow() });
  });
  const policy = options.spares === false ? { keep: 0, startDelayMs: 0 } : { ...DEFAULT_SPARE_POLICY, ...options.spares };
  const spares = new SparePool(options.workerFactory ?? defaultWorkerFactory, clock, policy);
  spares.prime();
  const buffers = new BufferPool();
  const history = new History();
  const listeners = new Set<(event: EngineEvent) => void>();
  const modules = new Map<string, { controller: ModuleController; handle: ModuleHandle }>();
  let active: string | null = null;
  let loading = 0;
  let lastError: { text: string; at: number } | null = null;

  const emit = (event: EngineEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('hotwasm: an event listener threw', error);
      }
    }
  };
  const settings = new ConfigStore(options, (config, autoReloadPaused) => {
    emit({ type: 'config', config, autoReloadPaused });
    // A lower keep_versions takes effect at once.
    for (const { controller } of modules.values()) controller.versions.evict([]);
  });

  const setActive = (name: string | null) => {
    if (active === name) return;
    active = name;
    emit({ type: 'active', module: name });
  };

  const fail = (module: string | null, action: ErrorAction, error: unknown): Promise<never> => {
    const e = error instanceof HotwasmError ? error : new HotwasmError('internal', messageOf(error), {}, { cause: error });
    const at = clock.wallNow();
    if (action === 'load') lastError = { text: e.message, at };
    emit({ type: 'error', module, action, error: serializeError(e), at });
    return Promise.reject(e);
  };

  /**
   * What of each module waits for room, oldest first: a module's newest notice names all of it,
   * so that a checkpoint refused after its version does not hide that the version waits too.
   * Emptied once everything is saved.
   */
  const waitingForRoom = new Map<string, string[]>();
  /** A registry write failed: said plainly (what runs is unaffected), never taken for saved. */
  const notSaved = (module: string, what: string, error: unknown) => {
    let text: string;
    if (isStorageFull(error)) {
      const waiting = [...new Set([...(waitingForRoom.get(module) ?? []), what])];
      waitingForRoom.set(module, waiting);
      text = `${module}: ${waitingText(waiting)} not saved: storage full (this site's storage quota is used up; nothing of it was written). What runs is unaffected; prune old versions to make room.`;
    } else text = `${module}: ${what} was not saved: ${messageOf(error)}`;
    console.warn(`hotwasm: ${text}`);
    emit({ type: 'error', module, action: 'save', error: serializeError(new HotwasmError('not-saved', text, { module })), at: clock.wallNow() });
  };

  const serving = (): ModuleController[] => [...modules.values()].map((m) => m.controller).filter((c) => c.pool !== null);

  /** The controller of `name`, made on the first load of the name. */
  function controllerOf(name: string): ModuleController {
    const known = modules.get(name);
    if (known) return known.controller;
    const controller: ModuleController = new ModuleController(name, {
      clock,
      config: () => settings.forModule(name),
      spares,
      buffers,
      registry,
      notSaved,
      guestOptions: (label) => ({ label, memoryBudgetBytes: settings.forModule(name).memory_budget_mb * 1024 * 1024, args: [label], env: [] }),
      emit: (event) => {
        emit(event);
        // A module's first version going live makes it the active one — unless it arrived by
        // itself (a push) while the user works with another.
        if (event.type === 'loaded' && !event.replaced && ((event.trigger !== 'push' && event.trigger !== 'restore') || active === null)) setActive(name);
      },
      record: (draft) => {
        const record = history.add(draft);
        registry.putRecord(record).catch((error: unknown) => notSaved(record.module, 'an update record', error));
        emit({ type: 'update', module: record.module, record });
        return record;
      },
      pauseAutoReload: (reason) => settings.pause(reason),
      gone: (gone) => {
        if (modules.get(gone)?.controller === controller) modules.delete(gone);
      },
    });
    const handle = makeHandle(controller, {
      fail,
      history: (n) => history.list(n),
      configure: (n, patch) => settings.configureModule(n, patch),
      unload: (n) => engine.unload(n),
    });
    modules.set(name, { controller, handle });
    return controller;
  }

  /** Read a source into an update's input, refusing what is obviously not a module. */
  async function readInput(source: ModuleSource, loadOptions: LoadOptions): Promise<{ name: string; input: UpdateInput }> {
    const read = await readSource(source, settings.current.max_module_bytes, fetchImpl, options.baseUrl);
    const name = loadOptions.name ?? read.name;
    // Bytes in hand have no file name: messages name them after the module.
    const label = source instanceof Uint8Array || source instanceof ArrayBuffer ? (loadOptions.name ?? read.label) : read.label;
    const { data } = read;
    // Refuse bytes that are obviously not a module without starting a worker. (A file is read
    // and checked by the worker: the page never holds its bytes.) Bytes in hand are copied: the
    // caller keeps theirs, the copy is moved to the worker and kept as the version's bytes.
    if (data instanceof Uint8Array) checkHeader(data, label);
    const owned = data instanceof Uint8Array ? (read.owned ? data : buffers.copy(data)) : data;
    const expected = loadOptions.sha256 ? { sha256: loadOptions.sha256, announced: true } : {};
    const text = loadOptions.text === undefined ? {} : { text: loadOptions.text };
    return { name, input: { data: owned, source: label, version: loadOptions.version, fresh: loadOptions.fresh, ...expected, ...text } };
  }

  /** Load `input` under `name`: a first load, or an update of the module running under it. */
  function apply(name: string, input: UpdateInput, trigger: UpdateTrigger): Promise<ModuleInfo> {
    const controller = controllerOf(name);
    if (controller.pool) setActive(name);
    return controller.enqueue(input, trigger);
  }

  /** Count a load in progress (status, spare workers) until it settles; report a failure. */
  function asLoad<T>(source: ModuleSource, loadOptions: LoadOptions, work: () => Promise<T>): Promise<T> {
    loading++;
    spares.begin();
    const done = () => {
      loading--;
      spares.end();
    };
    return work().then(
      (value) => {
        done();
        lastError = null; // a load that worked supersedes the last one that did not
        return value;
      },
      (error: unknown) => {
        done();
        return fail(loadOptions.name ?? nameOfSource(source), 'load', error);
      },
    );
  }

  /** Read a source; a read that fails (a size cap, a header, a fetch) gets its record. */
  async function read(source: ModuleSource, loadOptions: LoadOptions, trigger: UpdateTrigger): Promise<{ name: string; input: UpdateInput }> {
    const asked = clock.wallNow();
    const t0 = clock.now();
    try {
      return await readInput(source, loadOptions);
    } catch (error) {
      const name = loadOptions.name ?? nameOfSource(source);
      const running = modules.get(name)?.controller.serving;
      const from = running ? { version: running.info.version ?? '?', sha256: running.info.sha256 } : null;
      const record = history.add(refusedLoadRecord(name, failed('read', error), { trigger, asked, durationMs: clock.now() - t0, from }));
      registry.putRecord(record).catch((error: unknown) => notSaved(name, 'an update record', error));
      emit({ type: 'update', module: name, record });
      throw error;
    }
  }

  const pushes = new PushQueue(clock, {
    config: () => settings.current,
    apply: (name, input) => apply(name, input, 'push'),
    keep: (name, input) => {
      // Nothing replaces a running module by itself while auto reload is off; a module not
      // running is not started either.
      const controller = modules.get(name)?.controller;
      if (controller?.pool) controller.keepLatest(input, `A new build of ${name} arrived (${input.source}); auto reload is off, so it waits: Reload applies it`);
    },
  });

  const activeHandle = (): ModuleHandle => {
    const entry = active ? modules.get(active) : undefined;
    if (!entry) throw new HotwasmError('not-loaded', 'No module is loaded: load one first (drop a .wasm file, pick one, or hotwasm.load(url))');
    return entry.handle;
  };
  /** Run `work` on the active module's handle; no active module fails through the error path. */
  const onActive = <T>(action: ErrorAction, work: (handle: ModuleHandle) => Promise<T>): Promise<T> => {
    let handle: ModuleHandle;
    try {
      handle = activeHandle();
    } catch (error) {
      return fail(null, action, error);
    }
    return work(handle);
  };

  function status(): EngineStatus {
    const s = active ? modules.get(active)?.controller.status() : undefined;
    // The newest of the active module's message and the last failed load.
    const message = lastError && (!s?.message || lastError.at >= (s.messageAt ?? 0)) ? lastError.text : (s?.message ?? null);
    return {
      state: s?.state ?? (loading > 0 ? 'loading' : 'empty'),
      name: s?.name ?? null,
      version: s?.version ?? null,
      apiVersion: s?.apiVersion ?? null,
      sha256: s?.sha256 ?? null,
      lastUpdate: s?.lastUpdate ?? null,
      checkpointAt: s?.checkpointAt ?? null,
      updating: s?.updating ?? null,
      instances: s?.instances ?? 0,
      busy: s?.busy ?? null,
      busySince: s?.busySince ?? null,
      calls: s?.calls ?? 0,
      errors: s?.errors ?? 0,
      p50Ms: s?.p50Ms ?? null,
      p99Ms: s?.p99Ms ?? null,
      message,
      messageAt: message === null ? null : message === s?.message ? (s.messageAt ?? null) : lastError!.at,
      modules: serving().map((c) => c.name),
      autoReload: settings.current.enabled,
      autoReloadPaused: settings.paused,
    };
  }

  const engine: Engine = {
    ...persistence({
      registry,
      history,
      buffers,
      clock,
      config: (name) => settings.forModule(name),
      modules: () => modules,
      controllerOf,
      load: (name, input) => asLoad(name, { name }, async () => apply(name, await input(), 'restore')),
      emit,
    }),
    load(source, loadOptions = {}) {
      // Bytes in hand leave for a spare within a fraction of a millisecond: have its thread woken meanwhile.
      if (typeof source !== 'string' && !(source instanceof URL)) spares.wake();
      return asLoad(source, loadOptions, async () => {
        const trigger = loadOptions.text === undefined ? 'load' : 'editor';
        const { name, input } = await read(source, loadOptions, trigger);
        return apply(name, input, trigger);
      });
    },

    push(source, loadOptions = {}) {
      return asLoad(source, loadOptions, () => pushes.push(read(source, loadOptions, 'push')));
    },

    module: ((name?: string) => {
      if (name === undefined) return (active && modules.get(active)?.controller.info()) || null;
      const entry = modules.get(name);
      if (!entry) throw new HotwasmError('not-loaded', `No module named "${name}" is loaded (loaded: ${serving().map((c) => c.name).join(', ') || 'none'})`);
      return entry.handle;
    }) as Engine['module'],

    modules: () => serving().map((c) => c.info()!),

    use(name) {
      const info = modules.get(name)?.controller.info();
      if (!info) throw new HotwasmError('not-loaded', `No module named "${name}" is loaded (loaded: ${serving().map((c) => c.name).join(', ') || 'none'})`);
      setActive(name);
      return info;
    },

    active: () => active,

    unload(name = active ?? undefined) {
      if (!name) return;
      const entry = modules.get(name);
      if (!entry) return;
      entry.controller.dispose(`${name} was unloaded`);
      modules.delete(name);
      // An unloaded module is not brought back when the page is opened again.
      registry.putModule({ schema: 1, name, serving: null, at: clock.wallNow() }).catch((error: unknown) => notSaved(name, 'its unloading', error));
      emit({ type: 'unloaded', module: name });
      if (active === name) setActive(serving()[0]?.name ?? null);
    },

    async inspect(bytes, label = 'The module') {
      const layout = describeLayout(bytes, readModuleLayout(bytes, label), label);
      return { ...layout, sha256: await sha256Hex(bytes) };
    },

    call: (fn, arg) => onActive('call', (h) => h.call(fn, arg)),
    callRaw: (fn, ...args) => onActive('call', (h) => h.callRaw(fn, ...args)),
    callTimed: (fn, arg) => onActive('call', (h) => h.callTimed(fn, arg)),
    callRawTimed: (fn, ...args) => onActive('call', (h) => h.callRawTimed(fn, ...args)),
    callBatch: (fn, args) => onActive('call', (h) => h.callBatch(fn, args)),
    run: (args, runOptions) => onActive('run', (h) => h.run(args, runOptions)),
    restart: () => onActive('call', (h) => h.restart()),
    stop: () => onActive('call', (h) => h.stop()),
    rollback: (version) => onActive('load', (h) => h.rollback(version)),
    reload: (reloadOptions) => onActive('load', (h) => h.reload(reloadOptions)),
    state: () => onActive('state', (h) => h.state()),
    injectState: (bytes, injectOptions) => onActive('state', (h) => h.injectState(bytes, injectOptions)),
    probeState: (bytes) => onActive('state', (h) => h.probeState(bytes)),
    rewind: (checkpoint) => onActive('state', (h) => h.rewind(checkpoint)),
    checkpoints: (name = active ?? undefined) => (name ? (modules.get(name)?.handle.checkpoints() ?? []) : []),
    measure: (fn, arg, iterations, raw) => onActive('call', (h) => h.measure(fn, arg, iterations, raw)),
    versions: (name = active ?? undefined) => (name ? (modules.get(name)?.handle.versions() ?? []) : []),
    status,
    history: (name) => history.list(name),
    config: settings.facade,
    configure: (patch: Partial<EngineConfig>) => settings.configure(patch),

    // Placeholders for the Deploy panel's branch (deploy-ui): the engine's branch brings the real ones.
    scale: () => Promise.reject(new Error('pending')),
    pool: () => [],
    deploy: () => Promise.reject(new Error('pending')),
    deployment: () => null,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    dispose() {
      void registry.close(); // what waits is still written; nothing is retried after
      pushes.dispose();
      for (const { controller } of modules.values()) controller.dispose('The engine was disposed');
      modules.clear();
      active = null;
      spares.dispose();
      listeners.clear();
    },
  };
  return engine;
}
