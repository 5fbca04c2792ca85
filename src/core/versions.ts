/**
 * A module's versions as the engine needs them at once: labels (v1, v2, … given in the order
 * builds were staged, or the label given to load(); never given to other bytes, even when the
 * build was refused), and the order versions served in, for rollback. Each change is written
 * through to the registry, which also keeps the bytes.
 */
import { HotwasmError } from '../shared/errors';
import { sha256Hex } from '../shared/inspect';
import { refusedError } from './pipeline/records';
import type { BufferPool } from './buffer-pool';
import type { Clock } from './clock';
import type { UpdateTrigger } from './history';
import type { ModuleInfo } from './instance';
import { chooseEvictions } from './eviction';
import { VERSION_SCHEMA, type Registry, type VersionRecord, type VersionRemoval } from './registry';

/** A version as `versions()` lists it: its metadata (listing never reads bytes). */
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
  /** The name a user gave it, if any. */
  tag: string | null;
  /** What it imports (`module.name`); null for versions kept by an older hotwasm. */
  imports: string[] | null;
  /** What it exports; null for versions kept by an older hotwasm. */
  exports: string[] | null;
}

/** What a version record takes from the build it labels. */
export type VersionMeta = Pick<ModuleInfo, 'sha256' | 'size' | 'source' | 'apiVersion' | 'imports' | 'exports'>;

/** What VersionBook asks of its module. */
export interface VersionPolicy {
  /** Unpinned versions to keep (the `keep_versions` setting). */
  keep(): number;
  /** Labels that must stay whatever their age, with why: serving, warm in probation. */
  inUse(): ReadonlyMap<string, string>;
  /** The list of versions changed (a version added, served, pinned, tagged, removed). */
  changed(): void;
}

/** The longest tag: it is a name, shown beside the label. */
export const MAX_TAG_LENGTH = 60;

export class VersionBook {
  /** Every version ever given a label, removed ones too (their labels are never given again). */
  private readonly byLabel = new Map<string, VersionRecord>();
  /** Labels in the order their versions first served. */
  private readonly served: string[] = [];
  private count = 0;

  private readonly registry: Registry;
  private readonly buffers: BufferPool;
  private readonly clock: Clock;

  constructor(
    private readonly module: string,
    deps: { registry: Registry; buffers: BufferPool; clock: Clock },
    private readonly policy: VersionPolicy,
    private readonly onError: (what: string, error: unknown) => void,
  ) {
    ({ registry: this.registry, buffers: this.buffers, clock: this.clock } = deps);
  }

  /**
   * Take the versions kept from an earlier session or another tab: their labels are never given
   * again, and those still kept can be rolled back to. A version known here already takes what
   * the other copy says of its pin, tag and removal.
   */
  hydrate(kept: readonly VersionRecord[]): void {
    let changed = false;
    for (const record of [...kept].sort((a, b) => a.createdAt - b.createdAt)) {
      if (record.module !== this.module) continue;
      const known = this.byLabel.get(record.label);
      if (known) {
        if (known.sha256 !== record.sha256) continue;
        const removed = known.removed ?? record.removed;
        if (known.pinned !== record.pinned || known.tag !== record.tag || known.removed !== removed) changed = true;
        Object.assign(known, { pinned: record.pinned, tag: record.tag, removed, servedAt: Math.max(known.servedAt ?? 0, record.servedAt ?? 0) || null });
        continue;
      }
      changed = true;
      const copy = { ...record };
      this.byLabel.set(copy.label, copy);
      if (copy.servedAt !== null && !this.served.includes(copy.label)) this.served.push(copy.label);
      const n = /^v(\d+)$/.exec(copy.label)?.[1];
      if (n !== undefined) this.count = Math.max(this.count, Number(n));
    }
    if (changed) this.policy.changed();
  }

  /** The version kept under a label, if any (not a removed one). */
  record(label: string): VersionRecord | null {
    const record = this.byLabel.get(label);
    return record && !record.removed ? { ...record } : null;
  }

  /** The first version still kept with these bytes. */
  private bySha(sha256: string): VersionRecord | undefined {
    for (const record of this.byLabel.values()) if (record.sha256 === sha256 && !record.removed) return record;
    return undefined;
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
    if (!bytes) throw new HotwasmError('not-loaded', `The bytes of ${this.module} ${what} are no longer kept (the version was deleted or evicted)`);
    if (verify) {
      const actual = await sha256Hex(bytes);
      if (actual !== sha256) {
        const refusal = { step: 'check', code: 'bytes-changed', detail: { version: what, expected: sha256, actual } } as const;
        throw refusedError(this.module, { subject: `${this.module} ${what}`, keeper: null, untouched: false, refusal }, { expected: sha256, actual });
      }
    }
    return this.buffers.copy(bytes);
  }

  /** The kept bytes of `version` (default: `serving`, the version serving), checked against their sha256. */
  download(version: string | undefined, serving: { sha256: string; version: string | null } | null): Promise<Uint8Array> {
    if (version === undefined) {
      if (!serving) return Promise.reject(new HotwasmError('not-loaded', `${this.module} is still loading`));
      return this.copyOf(serving.sha256, serving.version ?? '?', true);
    }
    try {
      const target = this.need(version);
      return this.copyOf(target.sha256, target.version, true);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The sha256 of the build a label was given to, if any (also of a removed version: its label stays taken). */
  owner(label: string): string | null {
    return this.byLabel.get(label)?.sha256 ?? null;
  }

  /**
   * The label of a staged build: `requested` if given, else the one its bytes had before, else
   * the next v<n>. A new label is recorded at once (it is never given again), with the bytes in
   * the same write; a requested label that belongs to other bytes is answered but not recorded
   * (the pipeline refuses it). A removed version whose bytes come again is kept again, under its
   * label. The bytes are kept under their sha256 either way.
   */
  label(info: VersionMeta, trigger: UpdateTrigger, requested: string | undefined, bytes: Uint8Array): string {
    if (requested !== undefined) {
      const owner = this.owner(requested);
      if (owner === null) this.add(requested, info, trigger, bytes);
      else if (owner === info.sha256 && this.byLabel.get(requested)!.removed) this.revive(requested, bytes);
      else this.keepBytes(info.sha256, bytes);
      return requested;
    }
    const known = this.bySha(info.sha256) ?? [...this.byLabel.values()].find((r) => r.sha256 === info.sha256);
    if (known) {
      if (known.removed) this.revive(known.label, bytes);
      else this.keepBytes(info.sha256, bytes);
      return known.label;
    }
    let label: string;
    do label = `v${++this.count}`;
    while (this.byLabel.has(label));
    this.add(label, info, trigger, bytes);
    return label;
  }

  /**
   * Keep `bytes` as version `label` without running them (registry.publish): a label kept for
   * other bytes is refused; the same bytes under it again are the same version (kept again if it
   * was removed). `saved` settles when the registry has written it.
   */
  publish(label: string, meta: VersionMeta, bytes: Uint8Array): { version: VersionInfo; saved: Promise<void> } {
    const owner = this.owner(label);
    if (owner !== null && owner !== meta.sha256) {
      throw new HotwasmError('update-refused', `${this.module} ${label} is kept for other bytes (sha256 ${owner.slice(0, 12)}…): a label is never given to other bytes`, {
        refusal: 'label-taken',
        module: this.module,
      });
    }
    let saved: Promise<void> = Promise.resolve();
    if (owner === null) saved = this.add(label, meta, 'publish', bytes);
    else if (this.byLabel.get(label)!.removed) saved = this.revive(label, bytes);
    return { version: info(this.byLabel.get(label)!), saved };
  }

  private add(label: string, info: VersionMeta, trigger: UpdateTrigger, bytes: Uint8Array): Promise<void> {
    const record: VersionRecord = {
      schema: VERSION_SCHEMA,
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
      tag: null,
      imports: info.imports.map((i) => `${i.module}.${i.name}`),
      exports: info.exports.map((e) => e.name),
      removed: null,
    };
    this.byLabel.set(label, record);
    return this.put(record, bytes);
  }

  private revive(label: string, bytes: Uint8Array): Promise<void> {
    const record = this.byLabel.get(label)!;
    record.removed = null;
    return this.put(record, bytes);
  }

  /** Write a version with its bytes, then remove what is now past keep_versions. */
  private put(record: VersionRecord, bytes: Uint8Array): Promise<void> {
    const saved = this.registry.putVersion({ ...record }, bytes);
    saved.catch((error: unknown) => this.onError(`version ${record.label}`, error));
    this.evict([record.label]);
    this.policy.changed();
    return saved;
  }

  /** The version labelled `label` went into service. */
  markServed(label: string): void {
    const record = this.byLabel.get(label);
    if (!record || record.removed) return;
    record.servedAt = this.clock.wallNow();
    if (!this.served.includes(label)) this.served.push(label);
    this.write(record);
    this.policy.changed();
  }

  private write(record: VersionRecord): void {
    this.registry.putVersion({ ...record }).catch((error: unknown) => this.onError(`version ${record.label}`, error));
  }

  /** Pin (never evicted) or unpin a version. */
  pin(version: string, pinned: boolean): VersionInfo {
    const record = this.byLabel.get(this.need(version).version)!;
    if (record.pinned !== pinned) {
      record.pinned = pinned;
      this.write(record);
      // Unpinning may leave more unpinned versions than are kept.
      if (!pinned) this.evict([]);
      this.policy.changed();
    }
    return info(record);
  }

  /** Give a version a name (shown beside its label; also accepted wherever a version is), or take it away with null. */
  tag(version: string, tag: string | null): VersionInfo {
    const record = this.byLabel.get(this.need(version).version)!;
    const text = tag === null ? null : tag.trim();
    if (text !== null) {
      if (text.length === 0 || text.length > MAX_TAG_LENGTH) throw new HotwasmError('bad-arguments', `A version's name is 1 to ${MAX_TAG_LENGTH} characters, not ${text.length}`);
      const other = this.list().find((v) => v.version !== record.label && (v.tag === text || v.version === text));
      if (other) throw new HotwasmError('bad-arguments', `${this.module} ${other.version} is already called "${text}"`);
    }
    if (record.tag !== text) {
      record.tag = text;
      this.write(record);
      this.policy.changed();
    }
    return info(record);
  }

  /**
   * Delete a version: its bytes go (unless another version kept has the same), its label stays
   * taken. The serving version and pinned ones are refused, with what to do instead.
   */
  delete(version: string): VersionInfo {
    const target = this.need(version);
    const use = this.policy.inUse().get(target.version);
    if (use) throw new HotwasmError('in-use', `${this.module} ${target.version} is ${use}: roll back to another version before deleting it`);
    if (target.pinned) throw new HotwasmError('in-use', `${this.module} ${target.version} is pinned: unpin it before deleting it`);
    this.remove(target.version, 'deleted');
    this.policy.changed();
    return target;
  }

  /**
   * Remove unpinned versions past `keep` (default the `keep_versions` setting), the ones used
   * least recently first (./eviction.ts); never one in use or in `protect`. Answers the labels removed.
   */
  evict(protect: readonly string[], keep = this.policy.keep()): string[] {
    const kept = [...this.byLabel.values()].filter((r) => !r.removed);
    const evicted = chooseEvictions(kept, keep, new Set([...protect, ...this.policy.inUse().keys()]));
    for (const record of evicted) this.remove(record.label, 'evicted');
    if (evicted.length) this.policy.changed();
    return evicted.map((r) => r.label);
  }

  private remove(label: string, why: VersionRemoval['why']): void {
    const record = this.byLabel.get(label)!;
    const removal = { at: this.clock.wallNow(), why };
    record.removed = removal;
    this.registry.removeVersion(this.module, label, removal).catch((error: unknown) => this.onError(`the removal of ${label}`, error));
  }

  /** The versions kept, oldest first. */
  list(): VersionInfo[] {
    return [...this.byLabel.values()].filter((r) => !r.removed).sort((a, b) => a.createdAt - b.createdAt).map(info);
  }

  /** A kept version by label, by its name, or by a sha256 prefix of at least 8 characters. */
  find(version: string): VersionInfo | null {
    const list = this.list();
    return list.find((v) => v.version === version) ?? list.find((v) => v.tag === version) ?? list.find((v) => version.length >= 8 && v.sha256.startsWith(version)) ?? null;
  }

  /** {@link find}, or a refusal that lists what is kept. */
  need(version: string): VersionInfo {
    const found = this.find(version);
    if (found) return found;
    const removed = this.byLabel.get(version)?.removed;
    if (removed) throw new HotwasmError('not-loaded', `${this.module} ${version} was ${removed.why} ${removed.why === 'evicted' ? '(more versions were kept than keep_versions allows)' : ''}`.trim());
    const known = this.list().map((v) => v.version).join(', ') || 'none';
    throw new HotwasmError('not-loaded', `${this.module} has no version "${version}" (kept: ${known})`);
  }

  /** The version still kept that first served before the one with this sha256. */
  before(sha256: string): VersionInfo | null {
    const served = this.served.map((label) => this.byLabel.get(label)!).filter((r) => !r.removed);
    const at = served.findIndex((r) => r.sha256 === sha256);
    return at > 0 ? info(served[at - 1]!) : null;
  }
}

function info(record: VersionRecord): VersionInfo {
  const { schema: _schema, module: _module, label: version, removed: _removed, ...rest } = record;
  return { version, ...rest, imports: rest.imports && [...rest.imports], exports: rest.exports && [...rest.exports] };
}
