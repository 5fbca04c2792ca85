/**
 * Bringing back what a registry kept from an earlier session (a page opened again): the update
 * records, and each module at the version that was serving, with its latest checkpoint. The
 * bytes are checked against their sha256 on the way (the load refuses a damaged copy, with the
 * sha256 expected and the one found); a module that cannot be brought back is reported and the
 * others come back all the same. Run before anything else loads: a module loaded first keeps
 * its place, and nothing is brought back over it.
 */
import { messageOf } from '../shared/errors';
import type { ResultOf } from '../shared/ops';
import type { History, UpdateRecord } from './history';
import type { ModuleInfo, Send } from './instance';
import type { ModuleController } from './module';
import { type Outcome, type UpdateInput, outcome } from './pipeline/context';
import type { CheckpointRecord, Registry } from './registry';

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
  // The records and the modules are read at once, and neither waits for the other: the History
  // shows the records as soon as they are read, while the first module is still being read and
  // loaded (it waited for that module's load before: 176 ms instead of a few). The modules
  // first: a few small records, whose answer says what to read next and which module the
  // History is about, so it is not left behind the records' (200 of them, 5–9 ms to take in).
  const modules = registry.listModules();
  const records = registry.listRecords().then((kept) => {
    host.history.hydrate(kept);
    host.historyChanged(host.history.list());
    return kept.length;
  });
  records.catch(() => undefined); // awaited below
  const kept = await modules;
  const one = async (module: (typeof kept)[number]) => {
    const { name, serving } = module;
    if (!serving || host.known(name)) return;
    try {
      const controller = host.controllerOf(name);
      controller.announce(); // loading: the History shows its records while its bytes are read
      // Everything the module needs is read at once, and its load starts as soon as it is in:
      // its latest checkpoint, its versions (labels are never given again) and its bytes (read
      // back from storage, so checked against their sha256 before they are compiled). The bytes
      // last: IndexedDB reads them as a file, and the answers that came after them came later
      // (traced: the checkpoint 26 ms after the bytes, though read in 0.1 ms).
      const checkpoint = registry.latestCheckpoint(name);
      const versions = controller.storedVersions; // read as the controller was made
      const bytes = controller.versions.copyOf(serving.sha256, serving.label, true);
      for (const read of [versions, bytes, checkpoint]) read.catch(() => undefined); // awaited below
      const sent: { state: KeptState | null } = { state: null };
      const info = await host.load(name, async () => {
        // The records first (read long before the bytes): a record this load makes is numbered after theirs.
        const [, data, latest] = await Promise.all([versions, bytes, checkpoint.catch(() => null), records]);
        const version = controller.versions.record(serving.label);
        // A checkpoint made by these bytes goes in the load's own message: restore_state runs in
        // the worker right after the module is instantiated (it waited behind the page's render
        // of the module before: 43 ms of a 196 ms restore).
        const state: KeptState | null = latest?.sha256 === serving.sha256 ? { kept: latest, answer: null } : null;
        sent.state = state;
        const afterLoad = state
          ? (send: Send) => void (state.answer = outcome(send({ op: 'restoreState', state: state.kept.state.slice() }, controller.config().call_timeout_ms)))
          : undefined;
        return { data, source: version?.source ?? `${name} ${serving.label}`, version: serving.label, sha256: serving.sha256, afterLoad };
      });
      await checkpoint; // a checkpoint that could not be read is reported, as before (the module serves)
      const state = sent.state ? await restoreKept(controller, sent.state, options.leftAt ?? null) : 'none';
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
  report.records = await records;
  return report;
}

/** A kept checkpoint for a module being brought back, and the answer of the restore_state sent with its load (null until sent). */
interface KeptState {
  kept: CheckpointRecord;
  answer: Promise<Outcome<ResultOf<'restoreState'>>> | null;
}

/**
 * Give the serving version a state kept from an earlier session (the registry's latest
 * checkpoint, made by these same bytes): the answer of the restore_state sent with its load, or
 * one sent now if the load was not a first load. Answers whether it took it; when its
 * restore_state refuses, the module goes on with fresh state and its status says so.
 */
async function restoreKept(controller: ModuleController, { kept, answer }: KeptState, leftAt: number | null): Promise<'restored' | 'refused' | 'none'> {
  const serving = controller.serving;
  // A guest without restore_state refused the one sent with its load: it starts fresh, as it would have.
  if (!serving || !serving.has('restore_state') || serving.info.sha256 !== kept.sha256) return 'none';
  const { name } = controller;
  const time = new Date(kept.at).toLocaleTimeString();
  const before = leftAt !== null && leftAt >= kept.at ? `, ${Math.round((leftAt - kept.at) / 1000)} s before the reload` : '';
  const result = await (answer ?? outcome(controller.send((instance) => instance.request({ op: 'restoreState', state: kept.state.slice() }))));
  if (!result.ok) {
    controller.say(`The state of ${name} kept from ${time} could not be restored (${messageOf(result.error)}): it starts fresh`);
    return 'refused';
  }
  const { code } = result.value;
  if (code !== 0) {
    controller.say(`The state of ${name} kept from ${time} was refused by its restore_state (code ${code}): it starts fresh`);
    return 'refused';
  }
  controller.checkpoints.adopt({ state: kept.state, at: kept.at, version: kept.label, sha256: kept.sha256, bytes: kept.state.byteLength, calls: 0 });
  controller.say(`${name} ${serving.info.version} is back with its state from ${time}${before}`);
  return 'restored';
}
