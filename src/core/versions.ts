/**
 * A module's versions as the engine needs them at once: labels (v1, v2, … given in the order
 * builds were staged, or the label given to load(); never given to other bytes, even when the
 * build was refused), and the order versions served in, for rollback. Each change is written
 * through to the registry, which also keeps the bytes.
 */
import { HotwasmError } from '../shared/errors';
import { sha256Hex } from '../shared/inspect';
import { refusalText } from './pipeline/refusal';
import type { BufferPool } from './buffer-pool';
import type { Clock } from './clock';
import type { UpdateTrigger } from './history';
import type { ModuleInfo } from './instance';
import type { Registry, VersionRecord } from './registry';

/** A version as `versions()` lists it. */
export interface VersionInfo {
  version: string;
  sha256: string;
  source: string;
  size: number;
  apiVersion: string | null;
  trigger: UpdateTrigger;
  createdAt: number;
  /** When it last went into service (ms since epoch); null if it never served. */
  servedAt: number | null;
  pinned: boolean;
}

export class VersionBook {
  private readonly byLabel = new Map<string, VersionRecord>();
  private readonly bySha = new Map<string, VersionRecord>();
  /** Labels in the order their versions first served. */
  private readonly served: string[] = [];
  private count = 0;

  private readonly registry: Registry;
  private readonly buffers: BufferPool;
  private readonly clock: Clock;

  constructor(
    private readonly module: string,
    deps: { registry: Registry; buffers: BufferPool; clock: Clock },
    private readonly onError: (what: string, error: unknown) => void,
  ) {
    ({ registry: this.registry, buffers: this.buffers, clock: this.clock } = deps);
  }

  /**
   * Take the versions kept from an earlier session: their labels are never given again, and
   * those that served can be rolled back to (in the order they were made).
   */
  hydrate(kept: readonly VersionRecord[]): void {
    for (const record of [...kept].sort((a, b) => a.createdAt - b.createdAt)) {
      if (record.module !== this.module || this.byLabel.has(record.label)) continue;
      const copy = { ...record };
      this.byLabel.set(copy.label, copy);
      if (!this.bySha.has(copy.sha256)) this.bySha.set(copy.sha256, copy);
      if (copy.servedAt !== null && !this.served.includes(copy.label)) this.served.push(copy.label);
      const n = /^v(\d+)$/.exec(copy.label)?.[1];
      if (n !== undefined) this.count = Math.max(this.count, Number(n));
    }
  }

  /** The version kept under a label, if any. */
  record(label: string): VersionRecord | null {
    const record = this.byLabel.get(label);
    return record ? { ...record } : null;
  }

  /** Keep the bytes of a staged build under their sha256 (they came back from its worker). */
  keepBytes(sha256: string, bytes: Uint8Array): void {
    void this.registry
      .getBytes(sha256)
      .then((kept) => {
        // Bytes kept already under this sha256: the copy's buffer goes back to the pool.
        if (kept) return this.buffers.giveBack(bytes.buffer as ArrayBuffer);
        return this.registry.putBytes(sha256, bytes);
      })
      .catch((error: unknown) => this.onError('bytes', error));
  }

  /**
   * A copy of the kept bytes of `sha256`, ready to be moved to a worker. With `verify`, they are
   * hashed first (1.3 ms per MiB on this thread): bytes read back from storage are untrusted,
   * and a damaged copy is refused before it is compiled, with both sha256s.
   */
  async copyOf(sha256: string, what: string, verify = false): Promise<Uint8Array> {
    const bytes = await this.registry.getBytes(sha256);
    if (!bytes) throw new HotwasmError('not-loaded', `The bytes of ${this.module} ${what} are no longer kept (only the most recent versions keep theirs)`);
    if (verify) {
      const actual = await sha256Hex(bytes);
      if (actual !== sha256) {
        const refusal = { step: 'check', code: 'bytes-changed', detail: { version: what, expected: sha256, actual } } as const;
        throw new HotwasmError('update-refused', `${this.module} ${what} refused: ${refusalText(refusal)}`, { step: 'check', refusal: refusal.code, module: this.module, expected: sha256, actual });
      }
    }
    return this.buffers.copy(bytes);
  }

  /** The kept bytes of `version` (default: `serving`, the version serving), checked against their sha256. */
  download(version: string | undefined, serving: { sha256: string; version: string | null } | null): Promise<Uint8Array> {
    const target = version === undefined ? (serving ? { sha256: serving.sha256, version: serving.version ?? '?' } : null) : this.find(version);
    if (!target) {
      const known = this.list().map((v) => v.version).join(', ') || 'none';
      return Promise.reject(new HotwasmError('not-loaded', version === undefined ? `${this.module} is still loading` : `${this.module} has no version "${version}" (kept: ${known})`));
    }
    return this.copyOf(target.sha256, target.version, true);
  }

  /** The sha256 of the build a label was given to, if any. */
  owner(label: string): string | null {
    return this.byLabel.get(label)?.sha256 ?? null;
  }

  /**
   * The label of a staged build: `requested` if given, else the one its bytes had before, else
   * the next v<n>. A new label is recorded at once (it is never given again), with the bytes in
   * the same write; a requested label that belongs to other bytes is answered but not recorded
   * (the pipeline refuses it). The bytes are kept under their sha256 either way.
   */
  label(info: ModuleInfo, trigger: UpdateTrigger, requested: string | undefined, bytes: Uint8Array): string {
    if (requested !== undefined) {
      if (this.owner(requested) === null) this.add(requested, info, trigger, bytes);
      else this.keepBytes(info.sha256, bytes);
      return requested;
    }
    const known = this.bySha.get(info.sha256);
    if (known) {
      this.keepBytes(info.sha256, bytes);
      return known.label;
    }
    let label: string;
    do label = `v${++this.count}`;
    while (this.byLabel.has(label));
    this.add(label, info, trigger, bytes);
    return label;
  }

  private add(label: string, info: ModuleInfo, trigger: UpdateTrigger, bytes: Uint8Array): void {
    const record: VersionRecord = {
      schema: 1,
      module: this.module,
      label,
      sha256: info.sha256,
      size: info.size,
      source: info.source,
      trigger,
      apiVersion: info.apiVersion,
      createdAt: this.clock.wallNow(),
      servedAt: null,
      pinned: false,
    };
    this.byLabel.set(label, record);
    if (!this.bySha.has(info.sha256)) this.bySha.set(info.sha256, record);
    this.registry.putVersion({ ...record }, bytes).catch((error: unknown) => this.onError(`version ${label}`, error));
  }

  /** The version labelled `label` went into service. */
  markServed(label: string): void {
    const record = this.byLabel.get(label);
    if (!record) return;
    record.servedAt = this.clock.wallNow();
    if (!this.served.includes(label)) this.served.push(label);
    this.write(record);
  }

  private write(record: VersionRecord): void {
    this.registry.putVersion({ ...record }).catch((error: unknown) => this.onError(`version ${record.label}`, error));
  }

  /** The versions that served, in the order they first did. */
  list(): VersionInfo[] {
    return this.served.map((label) => {
      const { schema: _schema, module: _module, label: version, ...rest } = this.byLabel.get(label)!;
      return { version, ...rest };
    });
  }

  /** A served version by label, or by a sha256 prefix of at least 8 characters. */
  find(version: string): VersionInfo | null {
    return this.list().find((v) => v.version === version || (version.length >= 8 && v.sha256.startsWith(version))) ?? null;
  }

  /** The version that first served before the one with this sha256. */
  before(sha256: string): VersionInfo | null {
    const list = this.list();
    const at = list.findIndex((v) => v.sha256 === sha256);
    return at > 0 ? list[at - 1]! : null;
  }
}
