/**
 * Bringing back what a registry kept from an earlier session (a page opened again): the update
 * records, and each module at the version that was serving, with its latest checkpoint. The
 * bytes are checked against their sha256 on the way (the load refuses a damaged copy, with the
 * sha256 expected and the one found); a module that cannot be brought back is reported and the
 * others come back all the same. Run before anything else loads: a module loaded first keeps
 * its place, and nothing is brought back over it.
 */
import { messageOf } from '../shared/errors';
import type { History } from './history';
import type { ModuleInfo } from './instance';
import type { ModuleController } from './module';
import type { UpdateInput } from './pipeline/context';
import type { CheckpointRecord, Registry } from './registry';
import type { UpdateRecord } from './history';

export interface RestoreOptions {
  /** When the page was left (ms since epoch), for "state from 12:04:31, 3 s before the reload". */
  leftAt?: number;
  /** The module to bring back first, alone (the one the user works with): the others follow together. */
  first?: string;
}

export interface RestoreReport {
  /** Modules serving again, and whether their kept state went back in. */
  restored: { name: string; version: string; state: 'restored' | 'refused' | 'none' }[];
  /** Modules that could not be brought back, and why. */
  failed: { name: string; version: string | null; reason: string }[];
  /** Update records taken from the registry. */
  records: number;
}

export interface RestoreHost {
  registry: Registry;
  history: History;
  /** Is a module of this name already loaded or loading? (It is left as it is.) */
  known(name: string): boolean;
  controllerOf(name: string): ModuleController;
  /** Load what `input` reads, through the engine's usual path (counted as a load, failures reported as a load's). */
  load(name: string, input: () => Promise<UpdateInput>): Promise<ModuleInfo>;
  historyChanged(records: UpdateRecord[]): void;
}

export async function restore(host: RestoreHost, options: RestoreOptions = {}): Promise<RestoreReport> {
  const { registry } = host;
  const report: RestoreReport = { restored: [], failed: [], records: 0 };
  const [kept, records] = await Promise.all([registry.listModules(), registry.listRecords()]);
  host.history.hydrate(records);
  report.records = records.length;
  host.historyChanged(host.history.list());
  const one = async (module: (typeof kept)[number]) => {
    const { name, serving } = module;
    if (!serving || host.known(name)) return;
    try {
      const controller = host.controllerOf(name);
      // Everything the module needs is read at once; the checkpoint is read while it loads.
      const [versions, checkpoint] = [registry.listVersions(name), registry.latestCheckpoint(name)];
      checkpoint.catch(() => undefined);
      controller.versions.hydrate(await versions);
      const version = controller.versions.record(serving.label);
      const info = await host.load(name, async () => {
        // Read back from storage, so checked against its sha256 before it is compiled.
        const data = await controller.versions.copyOf(serving.sha256, serving.label, true);
        return { data, source: version?.source ?? `${name} ${serving.label}`, version: serving.label, sha256: serving.sha256 };
      });
      const kept = await checkpoint;
      const state = kept ? await restoreKept(controller, kept, options.leftAt ?? null) : 'none';
      report.restored.push({ name, version: info.version ?? serving.label, state });
    } catch (error) {
      report.failed.push({ name, version: serving.label, reason: messageOf(error) });
      // Refused before it was ever loaded: the name stays free.
      if (host.known(name)) host.controllerOf(name).forgetIfIdle();
    }
  };
  const first = kept.find((m) => m.name === options.first);
  if (first) await one(first);
  await Promise.all(kept.filter((m) => m !== first).map(one));
  return report;
}

/**
 * Give the serving version a state kept from an earlier session (the registry's latest
 * checkpoint, made by these same bytes). Answers whether it took it; when its restore_state
 * refuses, the module goes on with fresh state and its status says so.
 */
async function restoreKept(controller: ModuleController, kept: CheckpointRecord, leftAt: number | null): Promise<'restored' | 'refused' | 'none'> {
  const serving = controller.serving;
  if (!serving || !serving.has('restore_state') || serving.info.sha256 !== kept.sha256) return 'none';
  const { name } = controller;
  const time = new Date(kept.at).toLocaleTimeString();
  const before = leftAt !== null && leftAt >= kept.at ? `, ${Math.round((leftAt - kept.at) / 1000)} s before the reload` : '';
  let code: number;
  try {
    ({ code } = await controller.send((instance) => instance.request({ op: 'restoreState', state: kept.state.slice() })));
  } catch (error) {
    controller.say(`The state of ${name} kept from ${time} could not be restored (${messageOf(error)}): it starts fresh`);
    return 'refused';
  }
  if (code !== 0) {
    controller.say(`The state of ${name} kept from ${time} was refused by its restore_state (code ${code}): it starts fresh`);
    return 'refused';
  }
  controller.checkpoints.adopt({ state: kept.state, at: kept.at, version: kept.label, sha256: kept.sha256, bytes: kept.state.byteLength, calls: 0 });
  controller.say(`${name} ${serving.info.version} is back with its state from ${time}${before}`);
  return 'restored';
}
