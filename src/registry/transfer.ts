/**
 * Export and import of a registry as one JSON file (docs/registry.md, "Export and import"):
 * versions, their bytes (base64), update records, checkpoints (state as base64) and what each
 * module name serves, of every module or of one.
 *
 * Uses only the Registry interface and the checks of ./validate.ts, so it works with
 * MemoryRegistry and IndexedDbRegistry alike; framework-free, for a page, a worker or Node.
 *
 * A file to import is untrusted: it is read and checked whole (JSON, format, schema, every
 * record, every sha256 of its bytes, every version's bytes present) before anything is written,
 * and refused with a reason in words if any of it fails. Writes then go in an order that keeps
 * the registry consistent if one fails: each version with its bytes (one putVersion), then
 * records and checkpoints, then module records (which name versions written before them).
 */
import type { UpdateRecord } from '../core/history';
import type { CheckpointRecord, ModuleRecord, Registry, TextRecord, VersionRecord } from '../core/registry';
import { messageOf } from '../shared/errors';
import { sha256Hex } from '../shared/inspect';
import { fromBase64, toBase64 } from './base64';
import { checkCheckpoint, checkModule, checkText, checkUpdateRecord, checkVersion, type Check } from './validate';

export { fromBase64, toBase64 } from './base64';

export const EXPORT_FORMAT = 'hotwasm-registry';
/** The file schema this code writes and reads. */
export const EXPORT_SCHEMA = 1;

/** A checkpoint as it is in the file: its state as base64. */
export type ExportedCheckpoint = Omit<CheckpointRecord, 'state'> & { state: string };

export interface RegistryExport {
  format: typeof EXPORT_FORMAT;
  schema: typeof EXPORT_SCHEMA;
  /** When it was exported (ms since epoch). */
  exportedAt: number;
  modules: ModuleRecord[];
  versions: VersionRecord[];
  /** Newest first, as listRecords() lists them. */
  records: UpdateRecord[];
  checkpoints: ExportedCheckpoint[];
  /** The bytes the versions name, by sha256, as base64. */
  bytes: Record<string, string>;
  /**
   * The sha256s that versions name but whose bytes the exporting registry no longer kept
   * (evicted): those versions are imported without bytes. A version whose bytes are neither in
   * `bytes`, nor listed here, nor kept by the importing registry makes the file refused.
   */
  bytesNotKept: string[];
  /** The texts versions were built from in the Source panel (absent from files of before they were kept). */
  texts?: TextRecord[];
}

export interface ExportOptions {
  /** Only this module's versions, bytes, records, checkpoint and module record. */
  module?: string;
}

export interface ImportCounts {
  versions: number;
  bytes: number;
  records: number;
  checkpoints: number;
  modules: number;
  texts: number;
}

export type ImportReport =
  | { ok: true; took: ImportCounts; skipped: ImportCounts; refused: { what: string; reason: string }[] }
  | { ok: false; reason: string };

const moduleNames = (versions: VersionRecord[], records: UpdateRecord[], modules: ModuleRecord[]): string[] => [
  ...new Set([...modules.map((m) => m.name), ...versions.map((v) => v.module), ...records.map((r) => r.module)]),
];

/** The registry (or one module of it) as one JSON file. */
export async function exportRegistry(registry: Registry, options: ExportOptions = {}): Promise<Blob> {
  const only = options.module;
  const versions = await registry.listVersions(only);
  const records = await registry.listRecords(only);
  const modules = (await registry.listModules()).filter((m) => only === undefined || m.name === only);
  const checkpoints: ExportedCheckpoint[] = [];
  for (const name of only === undefined ? moduleNames(versions, records, modules) : [only]) {
    const checkpoint = await registry.latestCheckpoint(name);
    if (checkpoint) checkpoints.push({ ...checkpoint, state: toBase64(checkpoint.state) });
  }
  const bytes: Record<string, string> = {};
  const bytesNotKept: string[] = [];
  // Removed versions go without bytes (they have none): their labels stay taken in the other browser too.
  for (const sha256 of new Set(versions.filter((v) => v.removed === null).map((v) => v.sha256))) {
    const kept = await registry.getBytes(sha256);
    // Damaged bytes are not exported as if they were these: the version goes without them.
    if (kept && (await sha256Hex(kept)) === sha256.toLowerCase()) bytes[sha256] = toBase64(kept);
    else bytesNotKept.push(sha256);
  }
  const texts: TextRecord[] = [];
  if (registry.getText) {
    const seen = new Set<string>();
    for (const v of versions) {
      const key = `${v.module}\u0000${v.sha256}`;
      if (v.removed !== null || seen.has(key)) continue;
      seen.add(key);
      const text = await registry.getText(v.module, v.sha256);
      if (text !== null) texts.push({ schema: 1, module: v.module, sha256: v.sha256, text, at: Date.now() });
    }
  }
  const file: RegistryExport = { format: EXPORT_FORMAT, schema: EXPORT_SCHEMA, exportedAt: Date.now(), modules, versions, records, checkpoints, bytes, bytesNotKept, texts };
  return new Blob([JSON.stringify(file)], { type: 'application/json' });
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

class Refused extends Error {}

/** Each item of a list in the file, through its check; the first that fails refuses the file. */
function checkAll<T>(value: unknown, field: string, check: Check<T>, what: (item: unknown, i: number) => string): T[] {
  if (!Array.isArray(value)) throw new Refused(value === undefined ? `it has no "${field}" list` : `"${field}" is not a list`);
  return value.map((item, i) => {
    const checked = check(item);
    if (!checked.ok) throw new Refused(`${what(item, i)} is not valid: ${checked.reason}`);
    return checked.value;
  });
}

const itemName = (kind: string, i: number, item: unknown, describe: (o: Record<string, unknown>) => string): string =>
  `${kind} ${i + 1}${isObject(item) ? ` (${describe(item)})` : ''}`;

const versionKey = (v: { module: string; label: string }) => `${v.module}\u0000${v.label}`;
/** What makes an update record the same record: ids count from 1 in every page, so not the id alone. */
const recordKey = (r: UpdateRecord) => `${r.module}\u0000${r.id}\u0000${r.timestamp}`;
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

interface Parsed {
  modules: ModuleRecord[];
  versions: VersionRecord[];
  records: UpdateRecord[];
  checkpoints: CheckpointRecord[];
  bytes: Map<string, Uint8Array>;
  bytesNotKept: Set<string>;
  texts: TextRecord[];
}

/** The file, read and checked whole; throws Refused with the reason. */
async function parse(file: Blob | string): Promise<Parsed> {
  const text = typeof file === 'string' ? file : await file.text();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Refused(`it is not JSON (or it is cut short): ${messageOf(error)}`);
  }
  if (!isObject(data)) throw new Refused('it is not a hotwasm registry export: not a JSON object');
  if (data.format !== EXPORT_FORMAT) throw new Refused(`it is not a hotwasm registry export: its "format" is ${JSON.stringify(data.format) ?? 'missing'}, not "${EXPORT_FORMAT}"`);
  if (data.schema !== EXPORT_SCHEMA) {
    throw new Refused(
      typeof data.schema === 'number' && data.schema > EXPORT_SCHEMA
        ? `it is schema ${data.schema}, newer than this page reads (${EXPORT_SCHEMA}): exported by a newer hotwasm`
        : `its schema ${JSON.stringify(data.schema) ?? '(missing)'} is not one this page knows (it reads ${EXPORT_SCHEMA})`,
    );
  }
  const versions = checkAll(data.versions, 'versions', checkVersion, (v, i) => itemName('version', i, v, (o) => `${String(o.module)} ${String(o.label)}`));
  const records = checkAll(data.records, 'records', checkUpdateRecord, (r, i) => itemName('update record', i, r, (o) => `${String(o.module)} #${String(o.id)}`));
  const modules = checkAll(data.modules, 'modules', checkModule, (m, i) => itemName('module record', i, m, (o) => String(o.name)));
  if (!Array.isArray(data.checkpoints)) throw new Refused('it has no "checkpoints" list');
  const checkpoints = checkAll(
    data.checkpoints.map((c: unknown) => {
      if (!isObject(c) || typeof c.state !== 'string') return c;
      const state = fromBase64(c.state);
      return state ? { ...c, state } : c;
    }),
    'checkpoints',
    checkCheckpoint,
    (c, i) => itemName('checkpoint', i, c, (o) => String(o.module)),
  );
  if (!isObject(data.bytes)) throw new Refused('"bytes" is not an object of base64 by sha256');
  const bytes = new Map<string, Uint8Array>();
  for (const [sha256, encoded] of Object.entries(data.bytes)) {
    const decoded = typeof encoded === 'string' ? fromBase64(encoded) : null;
    if (!decoded) throw new Refused(`the bytes ${sha256.slice(0, 12)}… are not base64`);
    const actual = await sha256Hex(decoded);
    if (actual !== sha256.toLowerCase()) throw new Refused(`the bytes under ${sha256.slice(0, 12)}… do not match that sha256 (they hash to ${actual.slice(0, 12)}…)`);
    bytes.set(sha256, decoded);
  }
  const notKept = data.bytesNotKept ?? [];
  if (!Array.isArray(notKept) || !notKept.every((s) => typeof s === 'string')) throw new Refused('"bytesNotKept" is not a list of sha256s');
  const byKey = new Map<string, VersionRecord>();
  for (const v of versions) {
    const bytesOf = bytes.get(v.sha256);
    if (bytesOf && bytesOf.length !== v.size) throw new Refused(`version ${v.module} ${v.label} says ${v.size} bytes, but its bytes are ${bytesOf.length}`);
    const twin = byKey.get(versionKey(v));
    if (twin && twin.sha256 !== v.sha256) throw new Refused(`the label ${v.label} of ${v.module} is given to two different sha256s in the file`);
    byKey.set(versionKey(v), v);
  }
  const texts = data.texts === undefined ? [] : checkAll(data.texts, 'texts', checkText, (t, i) => itemName('text', i, t, (o) => `${String(o.module)} ${String(o.sha256).slice(0, 12)}…`));
  return { modules, versions: [...byKey.values()], records, checkpoints, bytes, bytesNotKept: new Set(notKept as string[]), texts };
}

const zero = (): ImportCounts => ({ versions: 0, bytes: 0, records: 0, checkpoints: 0, modules: 0, texts: 0 });

/**
 * Take what a file exported by {@link exportRegistry} holds that this registry has not. The file
 * is checked whole first: anything wrong with it refuses it all, nothing written. Then, skipped:
 * versions kept already (same module, label and sha256), bytes kept already, records kept already
 * (same module, id and timestamp), checkpoints no newer than the one kept, and the module records
 * of modules this registry has (what a module serves here stays as it is). Refused one by one,
 * the rest taken: a version whose label is kept here for other bytes (labels are never given to
 * other bytes), and a module record whose serving version is not here after the import.
 */
export async function importRegistry(registry: Registry, file: Blob | string): Promise<ImportReport> {
  let parsed: Parsed;
  try {
    parsed = await parse(file);
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: `The file was not imported: ${error.message}` };
    return { ok: false, reason: `The file was not imported: it could not be read (${messageOf(error)})` };
  }

  const took = zero();
  const skipped = zero();
  const refused: { what: string; reason: string }[] = [];

  // Everything decided before anything is written.
  const keptVersions = new Map((await registry.listVersions()).map((v) => [versionKey(v), v]));
  const keptBytes = new Set<string>();
  for (const sha256 of new Set(parsed.versions.map((v) => v.sha256))) if (await registry.getBytes(sha256)) keptBytes.add(sha256);
  for (const v of parsed.versions) {
    if (v.removed === null && !parsed.bytes.has(v.sha256) && !keptBytes.has(v.sha256) && !parsed.bytesNotKept.has(v.sha256)) {
      return { ok: false, reason: `The file was not imported: the bytes of version ${v.module} ${v.label} (sha256 ${v.sha256.slice(0, 12)}…) are neither in the file nor kept here` };
    }
  }
  const keptRecords = new Set((await registry.listRecords()).map(recordKey));
  const keptModules = new Set((await registry.listModules()).map((m) => m.name));

  type VersionWrite = { version: VersionRecord; bytes?: Uint8Array; isNew: boolean };
  const versionWrites: VersionWrite[] = [];
  const present = new Map([...keptVersions].map(([key, v]) => [key, v.sha256]));
  const bytesToWrite = new Set<string>();
  for (const v of parsed.versions) {
    const kept = keptVersions.get(versionKey(v));
    const fileBytes = parsed.bytes.get(v.sha256);
    const writeBytes = fileBytes && !keptBytes.has(v.sha256) && !bytesToWrite.has(v.sha256) ? fileBytes : undefined;
    if (kept && kept.sha256 !== v.sha256) {
      refused.push({ what: `version ${v.module} ${v.label}`, reason: `the label ${v.label} of ${v.module} is kept here for other bytes (sha256 ${kept.sha256.slice(0, 12)}…, not ${v.sha256.slice(0, 12)}…)` });
      continue;
    }
    if (kept) {
      skipped.versions++;
      // Removed here (its bytes gone) and kept in the file: the file brings it back.
      if (writeBytes && kept.removed !== null && v.removed === null) {
        versionWrites.push({ version: { ...kept, removed: null }, bytes: writeBytes, isNew: false });
        bytesToWrite.add(v.sha256);
      }
      continue;
    }
    // A version whose bytes the other browser had lost comes as removed: its label stays taken.
    const hasBytes = writeBytes !== undefined || keptBytes.has(v.sha256) || bytesToWrite.has(v.sha256);
    const version = v.removed === null && !hasBytes ? { ...v, removed: { at: Date.now(), why: 'evicted' as const } } : v;
    versionWrites.push({ version, bytes: writeBytes, isNew: true });
    if (writeBytes) bytesToWrite.add(v.sha256);
    present.set(versionKey(v), v.sha256);
  }
  skipped.bytes = [...parsed.bytes.keys()].filter((sha) => keptBytes.has(sha)).length;

  const recordWrites = [...parsed.records].reverse().filter((r) => {
    const key = recordKey(r);
    if (keptRecords.has(key)) {
      skipped.records++;
      return false;
    }
    keptRecords.add(key);
    return true;
  });

  const checkpointWrites: CheckpointRecord[] = [];
  for (const c of parsed.checkpoints) {
    const kept = await registry.latestCheckpoint(c.module);
    if (kept && (kept.at > c.at || (kept.at === c.at && kept.label === c.label && kept.sha256 === c.sha256 && sameBytes(kept.state, c.state)))) skipped.checkpoints++;
    else checkpointWrites.push(c);
  }

  // A text goes with a version of its module and bytes kept here after the import.
  const withVersion = new Set([...present].map(([key, sha256]) => `${key.slice(0, key.indexOf('\u0000'))}\u0000${sha256}`));
  const textWrites: TextRecord[] = [];
  for (const t of parsed.texts) {
    if (!registry.putText || !withVersion.has(`${t.module}\u0000${t.sha256}`)) continue;
    if ((await registry.getText?.(t.module, t.sha256)) === t.text) skipped.texts++;
    else textWrites.push(t);
  }

  const moduleWrites: ModuleRecord[] = [];
  for (const m of parsed.modules) {
    if (keptModules.has(m.name)) {
      skipped.modules++;
      continue;
    }
    if (m.serving && present.get(versionKey({ module: m.name, label: m.serving.label })) !== m.serving.sha256) {
      refused.push({ what: `module record ${m.name}`, reason: `it serves ${m.serving.label} (sha256 ${m.serving.sha256.slice(0, 12)}…), which is not a version kept here` });
      continue;
    }
    moduleWrites.push(m);
  }

  // Writes: each version with its bytes in one putVersion; module records last.
  const done = () => `took ${took.versions} versions, ${took.bytes} bytes, ${took.records} records, ${took.checkpoints} checkpoints, ${took.modules} module records before that`;
  let step = '';
  try {
    for (const w of versionWrites) {
      step = `version ${w.version.module} ${w.version.label}`;
      try {
        await registry.putVersion(w.version, w.bytes);
      } catch (error) {
        // Another tab gave the label to other bytes since it was checked: refused alone.
        const kept = (await registry.listVersions(w.version.module)).find((v) => v.label === w.version.label);
        if (kept && kept.sha256 !== w.version.sha256) {
          refused.push({ what: step, reason: messageOf(error) });
          continue;
        }
        throw error;
      }
      if (w.isNew) took.versions++;
      if (w.bytes) took.bytes++;
    }
    for (const r of recordWrites) {
      step = `update record ${r.module} #${r.id}`;
      await registry.putRecord(r);
      took.records++;
    }
    for (const c of checkpointWrites) {
      step = `the checkpoint of ${c.module}`;
      await registry.putCheckpoint(c);
      took.checkpoints++;
    }
    for (const t of textWrites) {
      step = `the text of ${t.module} ${t.sha256.slice(0, 12)}…`;
      await registry.putText!(t.module, t.sha256, t.text);
      took.texts++;
    }
    for (const m of moduleWrites) {
      step = `module record ${m.name}`;
      await registry.putModule(m);
      took.modules++;
    }
  } catch (error) {
    return { ok: false, reason: `The import stopped at ${step}: ${messageOf(error)} (it ${done()}; what was written is whole)` };
  }
  return { ok: true, took, skipped, refused };
}
