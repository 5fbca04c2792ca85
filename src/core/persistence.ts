/**
 * The engine's side of its registry that the API shows: bringing a page back (./restore.ts),
 * taking what another tab wrote (`sync`), writing what waits (`flush`), and the registry as one
 * file (`registry.export` / `registry.import`, ../registry/transfer.ts).
 */
import { exportRegistry, importRegistry } from '../registry/transfer';
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
  modules(): ReadonlyMap<string, { controller: ModuleController }>;
  controllerOf(name: string): ModuleController;
  /** Load what `input` reads as a restore, through the engine's usual path. */
  load(name: string, input: () => Promise<UpdateInput>): Promise<ModuleInfo>;
  emit(event: EngineEvent): void;
}

export function persistence(host: PersistenceHost): Pick<Engine, 'restore' | 'sync' | 'flush' | 'registry'> {
  const { registry, history } = host;
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
    },
  };
}
