/**
 * The registry: where versions, their bytes, update records and state checkpoints are kept.
 * The engine writes to it as things happen (off the call path) and reads bytes from it to roll
 * back or reload; it keeps what it needs at once (labels, the version list) in memory too
 * (./versions.ts). {@link MemoryRegistry} keeps everything in this page; an IndexedDB registry
 * (the app's) implements the same interface, so `createEngine({ registry })` chooses.
 *
 * Bytes are stored apart from the versions that name them, once per sha256: listing versions
 * never reads bytes, and two versions with the same bytes share them.
 */
import { recordKey, type UpdateRecord, type UpdateTrigger } from './history';

/** The schema of version records; 1 had no tag, imports, exports or removed (../registry/validate.ts upgrades it). */
export const VERSION_SCHEMA = 2;

export interface VersionRecord {
  schema: typeof VERSION_SCHEMA;
  module: string;
  /** v1, v2, … or the label given to load(); never given to other bytes. */
  label: string;
  sha256: string;
  size: number;
  /** The file name or URL it came from. */
  source: string;
  /** What brought it. */
  trigger: UpdateTrigger;
  apiVersion: string | null;
  /** When it was first staged (ms since epoch). */
  createdAt: number;
  /** When it last went into service; null while it never has. */
  servedAt: number | null;
  /** Pinned versions are never evicted. */
  pinned: boolean;
  /** A name a user gave it ("known good"), shown beside the label; null when none. */
  tag: string | null;
  /** What it imports, as `module.name` (its dependencies); null when kept before schema 2. */
  imports: string[] | null;
  /** The names it exports; null when kept before schema 2. */
  exports: string[] | null;
  /**
   * Set once it was deleted or evicted: the record stays, without its bytes, so that its label is
   * never given to other bytes; it is listed nowhere else. Null while it is kept.
   */
  removed: VersionRemoval | null;
}

export interface VersionRemoval {
  at: number;
  why: 'deleted' | 'evicted';
}

export interface CheckpointRecord {
  schema: 1;
  module: string;
  /** The version whose save_state made it. */
  label: string;
  sha256: string;
  at: number;
  state: Uint8Array;
}

/** The text a module's bytes were compiled from (a Source panel build), kept beside them. */
export interface TextRecord {
  schema: 1;
  module: string;
  sha256: string;
  text: string;
  /** When it was kept (ms since epoch). */
  at: number;
}

/** What a module name is serving, so that a page opened again brings it back. */
export interface ModuleRecord {
  schema: 1;
  name: string;
  /** The version serving; null once the module was unloaded (it is not brought back). */
  serving: { label: string; sha256: string } | null;
  /** When this changed (ms since epoch). */
  at: number;
}

export interface Registry {
  /** Keep `bytes` under their sha256; bytes kept already under it are kept as they are. */
  putBytes(sha256: string, bytes: Uint8Array): Promise<void>;
  /** The bytes kept under a sha256, or null. The caller checks them against it before running them. */
  getBytes(sha256: string): Promise<Uint8Array | null>;
  /**
   * Add or replace a version (by module and label); with `bytes`, they are kept under its sha256
   * in the same write (a store that has transactions writes both or neither). A version not
   * removed is refused unless its bytes are kept (given now, or before): never a half record.
   */
  putVersion(version: VersionRecord, bytes?: Uint8Array): Promise<void>;
  /** Versions of one module (or all), oldest first; removed ones too (their labels stay taken). */
  listVersions(module?: string): Promise<VersionRecord[]>;
  /**
   * Mark a version removed (its record stays, see VersionRecord.removed) and let go of its bytes
   * unless a version still kept, of any module, has the same sha256. Both in one write.
   */
  removeVersion(module: string, label: string, removal: VersionRemoval): Promise<void>;
  /** Add a record (each record is put once; records are never replaced). */
  putRecord(record: UpdateRecord): Promise<void>;
  /** Update records, newest first. */
  listRecords(module?: string): Promise<UpdateRecord[]>;
  /** The latest checkpoint of a module replaces the one kept before. */
  putCheckpoint(checkpoint: CheckpointRecord): Promise<void>;
  latestCheckpoint(module: string): Promise<CheckpointRecord | null>;
  /** Add or replace what a module name serves. */
  putModule(record: ModuleRecord): Promise<void>;
  /** Every module name ever recorded, with what it served last. */
  listModules(): Promise<ModuleRecord[]>;
  /**
   * Keep the text a module's bytes (by sha256) were compiled from, replacing the one kept
   * before. Optional: a registry without it keeps no texts (the engine keeps them in memory).
   */
  putText?(module: string, sha256: string, text: string): Promise<void>;
  /** The text kept for a module's bytes, or null. */
  getText?(module: string, sha256: string): Promise<string | null>;
}

/**
 * A registry in this page's memory: for tests, and where nothing persistent is available. It
 * keeps what it is given; the engine removes versions past its `keep_versions` setting.
 */
export class MemoryRegistry implements Registry {
  private readonly bytes = new Map<string, Uint8Array>();
  private readonly versions = new Map<string, VersionRecord[]>();
  private records: UpdateRecord[] = [];
  private readonly checkpoints = new Map<string, CheckpointRecord>();
  private readonly modules = new Map<string, ModuleRecord>();
  private readonly texts = new Map<string, string>();

  async putText(module: string, sha256: string, text: string): Promise<void> {
    this.texts.set(`${module}\n${sha256}`, text);
  }

  async getText(module: string, sha256: string): Promise<string | null> {
    return this.texts.get(`${module}\n${sha256}`) ?? null;
  }

  async putBytes(sha256: string, bytes: Uint8Array): Promise<void> {
    if (!this.bytes.has(sha256)) this.bytes.set(sha256, bytes);
  }

  async getBytes(sha256: string): Promise<Uint8Array | null> {
    return this.bytes.get(sha256) ?? null;
  }

  async putVersion(version: VersionRecord, bytes?: Uint8Array): Promise<void> {
    if (bytes && !this.bytes.has(version.sha256)) this.bytes.set(version.sha256, bytes);
    if (version.removed === null && !this.bytes.has(version.sha256)) throw new Error(`version ${version.module} ${version.label} was not saved: its bytes are not kept`);
    const list = this.versions.get(version.module) ?? [];
    const at = list.findIndex((v) => v.label === version.label);
    if (at >= 0) list[at] = { ...version };
    else list.push({ ...version });
    this.versions.set(version.module, list);
  }

  async listVersions(module?: string): Promise<VersionRecord[]> {
    const lists = module === undefined ? [...this.versions.values()] : [this.versions.get(module) ?? []];
    return lists.flat().map((v) => ({ ...v }));
  }

  async removeVersion(module: string, label: string, removal: VersionRemoval): Promise<void> {
    const version = this.versions.get(module)?.find((v) => v.label === label);
    if (!version || version.removed) return;
    version.removed = { ...removal };
    const kept = [...this.versions.values()].flat().some((v) => v.removed === null && v.sha256 === version.sha256);
    if (!kept) this.bytes.delete(version.sha256);
  }

  async putRecord(record: UpdateRecord): Promise<void> {
    const key = recordKey(record);
    this.records = [record, ...this.records.filter((r) => recordKey(r) !== key)];
  }

  async listRecords(module?: string): Promise<UpdateRecord[]> {
    return (module === undefined ? this.records : this.records.filter((r) => r.module === module)).map((r) => ({ ...r }));
  }

  async putCheckpoint(checkpoint: CheckpointRecord): Promise<void> {
    const kept = this.checkpoints.get(checkpoint.module);
    if (!kept || kept.at <= checkpoint.at) this.checkpoints.set(checkpoint.module, checkpoint);
  }

  async latestCheckpoint(module: string): Promise<CheckpointRecord | null> {
    return this.checkpoints.get(module) ?? null;
  }

  async putModule(record: ModuleRecord): Promise<void> {
    this.modules.set(record.name, structuredClone(record));
  }

  async listModules(): Promise<ModuleRecord[]> {
    return [...this.modules.values()].map((m) => structuredClone(m));
  }
}
