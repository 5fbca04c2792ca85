/**
 * The engine's side of its registry that the API shows: bringing a page back (./restore.ts),
 * taking what another tab wrote (`sync`), writing what waits (`flush`), the registry as one
 * file (`registry.export` / `registry.import`, ../registry/transfer.ts), versions kept without
 * running them (`registry.publish` / `registry.download`, for any module name, loaded or not)
 * and making room (`registry.prune`).
 */
import { exportRegistry, importRegistry } from '../registry/transfer';
import { HotwasmError } from '../shared/errors';
import { describeLayout, readModuleLayout, sha256Hex } from '../shared/inspect';
import type { BufferPool } from './buffer-pool';
import type { Clock } from './clock';
import type { EngineConfig } from './config';
import { VersionBook, type VersionInfo } from './versions';
import type { Engine } from './api';
import type { EngineEvent } from './events';
import type { History } from './history';
import type { ModuleController } from './module';
import type { UpdateInput } from './pipeline/context';
import type { ModuleInfo } from './instance';
import { restore } from './restore';
import type { WriteBehindRegistry } from './write-behind';

export interface PersistenceHost {
  registry: WriteBehindRegistry;
  history: History;
  buffers: BufferPool;
  clock: Clock;
  config(name: string): EngineConfig;
  modules(): ReadonlyMap<string, { controller: ModuleController }>;
  controllerOf(name: string): ModuleController;
  /** Load what `input` reads as a restore, through the engine's usual path. */
  load(name: string, input: () => Promise<UpdateInput>): Promise<ModuleInfo>;
  emit(event: EngineEvent): void;
}

/** What registry.prune() did. */
export interface PruneReport {
  removed: { module: string; version: string }[];
  /** Writes still refused for want of room after the prune (0: everything is saved). */
  unsaved: number;
}

export function persistence(host: PersistenceHost): Pick<Engine, 'restore' | 'sync' | 'flush' | 'registry'> {
  const { registry, history } = host;

  /**
   * The versions of `name`: its controller's while it runs, else a book read from the registry
   * (what its module record serves counts as in use). A write that fails goes to `failed`.
   */
  const bookOf = async (name: string, failed: (what: string, error: unknown) => void): Promise<{ book: VersionBook; serving: { sha256: string; version: string } | null }> => {
    const running = host.modules().get(name)?.controller;
    if (running) return { book: running.versions, serving: running.info() && { sha256: running.info()!.sha256, version: running.info()!.version ?? '?' } };
    const [versions, modules] = await Promise.all([registry.listVersions(name), registry.listModules()]);
    const served = modules.find((m) => m.name === name)?.serving ?? null;
    const deps = { registry, buffers: host.buffers, clock: host.clock };
    const policy = { keep: () => host.config(name).keep_versions, inUse: () => new Map(served ? [[served.label, 'what it serves']] : []), changed: () => undefined };
    const book = new VersionBook(name, deps, policy, failed);
    book.hydrate(versions);
    return { book, serving: served && { sha256: served.sha256, version: served.label } };
  };
  const noteFailure = (what: string, error: unknown) => console.warn(`hotwasm: ${what} was not saved:`, error);

  const publish = async (name: string, version: string, source: Uint8Array | ArrayBuffer | Blob): Promise<VersionInfo> => {
    if (typeof name !== 'string' || name.length === 0) throw new HotwasmError('bad-arguments', 'registry.publish needs a module name');
    if (typeof version !== 'string' || version.trim().length === 0) throw new HotwasmError('bad-arguments', 'registry.publish needs a version label');
    const max = host.config(name).max_module_bytes;
    const size = source instanceof Blob ? source.size : source.byteLength;
    if (size > max) throw new HotwasmError('too-large', `${name} ${version} is ${size} bytes, over max_module_bytes (${max})`);
    const bytes = source instanceof Blob ? new Uint8Array(await source.arrayBuffer()) : source instanceof ArrayBuffer ? new Uint8Array(source.slice(0)) : source.slice();
    // Checked as a load checks it (its sections, then the engine's own validation), never run.
    const label = `${name} ${version}`;
    const layout = describeLayout(bytes, readModuleLayout(bytes, label), label);
    if (!WebAssembly.validate(bytes)) throw new HotwasmError('invalid-module', `${label} is not a valid WebAssembly module (the engine refuses it)`);
    const sha256 = await sha256Hex(bytes);
    const { book } = await bookOf(name, noteFailure);
    const published = book.publish(version, { sha256, size: bytes.byteLength, source: `${name}.wasm`, apiVersion: layout.apiVersionSection, imports: layout.imports, exports: layout.exports }, bytes);
    await registry.flush();
    await published.saved; // a write that failed is never reported as saved
    return published.version;
  };

  const download = async (name: string, version?: string): Promise<Uint8Array> => {
    const { book, serving } = await bookOf(name, noteFailure);
    if (version === undefined && !serving) throw new HotwasmError('not-loaded', `${name} serves no version here`);
    return book.download(version, serving);
  };

  const prune = async (options: { keep?: number } = {}): Promise<PruneReport> => {
    const { keep } = options;
    if (keep !== undefined && (!Number.isSafeInteger(keep) || keep < 1)) throw new HotwasmError('bad-arguments', `prune keeps a whole number ≥ 1 of versions per module, not ${String(keep)}`);
    const names = new Set([...(await registry.listVersions()).map((v) => v.module), ...host.modules().keys()]);
    const removed: PruneReport['removed'] = [];
    for (const name of names) {
      const { book } = await bookOf(name, noteFailure);
      const unpinned = book.list().filter((v) => !v.pinned).length;
      for (const version of book.evict([], keep ?? Math.max(1, Math.ceil(unpinned / 2)))) removed.push({ module: name, version });
    }
    return { removed, unsaved: await registry.retryUnsaved() };
  };

  const sync: Engine['sync'] = async (name) => {
    // What another tab wrote: its records, and the versions of the modules running here (their
    // labels are then never given here, and those that served can be rolled back to).
    const controller = name ? host.modules().get(name)?.controller : undefined;
    const [records, versions] = await Promise.all([registry.listRecords(), controller ? registry.listVersions(controller.name) : null]);
    const before = history.list().length;
    history.hydrate(records);
    if (history.list().length !== before) host.emit({ type: 'history', records: history.list() });
    if (controller && versions) {
      controller.versions.hydrate(versions);
      host.emit({ type: 'versions', module: controller.name, versions: controller.versions.list() });
    }
  };
  return {
    restore: (options) =>
      restore(
        {
          registry,
          history,
          known: (name) => host.modules().has(name),
          controllerOf: host.controllerOf,
          load: host.load,
          historyChanged: (records) => host.emit({ type: 'history', records }),
        },
        options,
      ),
    sync,
    flush: () => registry.flush(),
    registry: {
      async export(options) {
        await registry.flush();
        return exportRegistry(registry, options);
      },
      async import(file) {
        const report = await importRegistry(registry, file);
        // What came in is this page's too: records, and versions of the modules running here.
        for (const name of [undefined, ...host.modules().keys()]) await sync(name);
        return report;
      },
      publish,
      download,
      prune,
    },
  };
}
