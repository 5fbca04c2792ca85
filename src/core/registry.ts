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
import type { UpdateRecord, UpdateTrigger } from './history';

export interface VersionRecord {
  schema: 1;
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
  pinned: boolean;
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
   * in the same write (a store that has transactions writes both or neither).
   */
  putVersion(version: VersionRecord, bytes?: Uint8Array): Promise<void>;
  /** Versions of one module (or all), oldest first. */
  listVersions(module?: string): Promise<VersionRecord[]>;
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
}

export interface MemoryRegistryOptions {
  /**
   * Bytes of at most this many versions per module are kept; those of the versions that served
   * least recently go first (never the latest served, never pinned ones). Default 20.
   */
  keepBytes?: number;
}

/** A registry in this page's memory: for tests, and where nothing persistent is available. */
export class MemoryRegistry implements Registry {
  private readonly bytes = new Map<string, Uint8Array>();
  private readonly versions = new Map<string, VersionRecord[]>();
  private records: UpdateRecord[] = [];
  private readonly checkpoints = new Map<string, CheckpointRecord>();
  private readonly modules = new Map<string, ModuleRecord>();
  private readonly keepBytes: number;

  constructor(options: MemoryRegistryOptions = {}) {
    this.keepBytes = options.keepBytes ?? 20;
  }

  async putBytes(sha256: string, bytes: Uint8Array): Promise<void> {
    if (!this.bytes.has(sha256)) this.bytes.set(sha256, bytes);
  }

  async getBytes(sha256: string): Promise<Uint8Array | null> {
    return this.bytes.get(sha256) ?? null;
  }

  async putVersion(version: VersionRecord, bytes?: Uint8Array): Promise<void> {
    if (bytes && !this.bytes.has(version.sha256)) this.bytes.set(version.sha256, bytes);
    const list = this.versions.get(version.module) ?? [];
    const at = list.findIndex((v) => v.label === version.label);
    if (at >= 0) list[at] = { ...version };
    else list.push({ ...version });
    this.versions.set(version.module, list);
    this.evict(version.module);
  }

  async listVersions(module?: string): Promise<VersionRecord[]> {
    const lists = module === undefined ? [...this.versions.values()] : [this.versions.get(module) ?? []];
    return lists.flat().map((v) => ({ ...v }));
  }

  async putRecord(record: UpdateRecord): Promise<void> {
    // Ids count from 1 in every page: a record is the same one only with its module and timestamp too.
    const same = (r: UpdateRecord) => r.id === record.id && r.module === record.module && r.timestamp === record.timestamp;
    this.records = [record, ...this.records.filter((r) => !same(r))];
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

  /** Drop the bytes of a module's versions beyond keepBytes, least recently served first. */
  private evict(module: string): void {
    const list = this.versions.get(module) ?? [];
    const withBytes = list.filter((v) => this.bytes.has(v.sha256));
    if (withBytes.length <= this.keepBytes) return;
    // Pinned versions, and bytes another module's versions share, keep their bytes.
    const inUse = new Set([...this.versions].flatMap(([m, vs]) => vs.filter((v) => v.pinned || m !== module)).map((v) => v.sha256));
    const byUse = [...withBytes].sort((a, b) => (a.servedAt ?? a.createdAt) - (b.servedAt ?? b.createdAt));
    inUse.add(byUse[byUse.length - 1]!.sha256); // the latest served
    let extra = withBytes.length - this.keepBytes;
    for (const v of byUse) {
      if (extra <= 0) break;
      if (inUse.has(v.sha256)) continue;
      this.bytes.delete(v.sha256);
      extra--;
    }
  }
}
