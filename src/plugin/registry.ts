/**
 * What the plugin knows about each module: its builds kept in memory by sha256 (a bounded number
 * per module, so /__hotwasm/modules/<sha256>.wasm can serve them), the build under way, the last
 * build and the last error — everything a page that connects late needs, and what status shows.
 */
import { randomBytes } from 'node:crypto';
import type { BuildFailure, BuildingNotice, BuildNotice, ModuleSnapshot, SyncReply } from '../shared/dev-events';
import { moduleUrl } from '../shared/dev-events';
import type { LastBuildInfo, ModuleStatus, VersionInfo } from '../shared/dev-api';
import { OutputTail } from './process';

/** The output kept for status: the compiler's last lines are what matter. */
const STATUS_TAIL_CHARS = 8 * 1024;

interface ModuleRecord {
  name: string;
  kind: string;
  watch: string[];
  artifact: () => string | null;
  seq: number;
  /** Newest first, at most `keep`. */
  versions: VersionInfo[];
  building: BuildingNotice | null;
  queued: boolean;
  waiting: string | null;
  lastBuild: BuildNotice | null;
  lastError: BuildFailure | null;
  lastAttempt: LastBuildInfo | null;
}

export interface ModuleDescription {
  name: string;
  kind: string;
  watch: string[];
  artifact: () => string | null;
}

export class Registry {
  /** Random per start: pages learn from it that seq numbers started again. */
  readonly session = randomBytes(8).toString('hex');
  private readonly modules = new Map<string, ModuleRecord>();
  /** Bytes by sha256, with how many kept versions (of any module) point at them. */
  private readonly blobs = new Map<string, { bytes: Uint8Array; refs: number }>();

  constructor(private readonly keep: number) {}

  /** Register a module (a configured one, or a name first seen in a push). */
  add(module: ModuleDescription): void {
    if (this.modules.has(module.name)) return;
    this.modules.set(module.name, { ...module, seq: 0, versions: [], building: null, queued: false, waiting: null, lastBuild: null, lastError: null, lastAttempt: null });
  }

  has(name: string): boolean {
    return this.modules.has(name);
  }

  names(): string[] {
    return [...this.modules.keys()];
  }

  private get(name: string): ModuleRecord {
    const record = this.modules.get(name);
    if (!record) throw new Error(`hotwasm: no module ${name}`);
    return record;
  }

  /** A build of `name` begins: it is under way, with the next seq. */
  begin(name: string, startedAt: number): BuildingNotice {
    const notice = this.claim(name, startedAt);
    this.get(name).building = notice;
    return notice;
  }

  /** The next seq of `name` for something that is not a build under way (a push). */
  claim(name: string, startedAt: number): BuildingNotice {
    return { name, seq: ++this.get(name).seq, startedAt };
  }

  setQueued(name: string, queued: boolean): void {
    this.get(name).queued = queued;
  }

  setWaiting(name: string, reason: string | null): void {
    this.get(name).waiting = reason;
  }

  succeeded(begun: BuildingNotice, bytes: Uint8Array, sha256: string, source: BuildNotice['source'], output: string): BuildNotice {
    const record = this.get(begun.name);
    const builtAt = Date.now();
    const notice: BuildNotice = { name: begun.name, seq: begun.seq, sha256, size: bytes.length, url: moduleUrl(sha256), builtAt, durationMs: builtAt - begun.startedAt, source };
    const blob = this.blobs.get(sha256);
    if (blob) blob.refs++;
    else this.blobs.set(sha256, { bytes, refs: 1 });
    record.versions.unshift({ seq: notice.seq, sha256, size: notice.size, url: notice.url, builtAt, source });
    for (const dropped of record.versions.splice(this.keep)) this.release(dropped.sha256);
    // A push may overtake a build under way: what late pages are told only moves forward.
    if (!record.lastBuild || record.lastBuild.seq < notice.seq) record.lastBuild = notice;
    if (record.lastError && record.lastError.seq < notice.seq) record.lastError = null;
    record.lastAttempt = attempt(begun, notice.durationMs, output, null);
    if (record.building?.seq === begun.seq) record.building = null;
    return notice;
  }

  failed(begun: BuildingNotice, failure: Omit<BuildFailure, 'name' | 'seq' | 'durationMs'>): BuildFailure {
    const record = this.get(begun.name);
    const full: BuildFailure = { name: begun.name, seq: begun.seq, durationMs: Date.now() - begun.startedAt, ...failure };
    if (!record.lastBuild || record.lastBuild.seq < full.seq) record.lastError = full;
    record.lastAttempt = attempt(begun, full.durationMs, full.output, full);
    if (record.building?.seq === begun.seq) record.building = null;
    return full;
  }

  private release(sha256: string): void {
    const blob = this.blobs.get(sha256);
    if (blob && --blob.refs <= 0) this.blobs.delete(sha256);
  }

  /** Bytes of a kept build, by sha256 only. */
  bytes(sha256: string): Uint8Array | undefined {
    return this.blobs.get(sha256)?.bytes;
  }

  snapshot(names?: string[]): SyncReply {
    const modules: ModuleSnapshot[] = [];
    for (const r of this.modules.values()) {
      if (names && !names.includes(r.name)) continue;
      modules.push({ name: r.name, building: r.building, lastBuild: r.lastBuild, lastError: r.lastError });
    }
    return { session: this.session, modules };
  }

  status(): ModuleStatus[] {
    return [...this.modules.values()].map((r) => ({
      name: r.name,
      kind: r.kind,
      watch: r.watch,
      artifact: r.artifact(),
      state: r.building ? 'building' : 'idle',
      queued: r.queued,
      waiting: r.waiting,
      versions: r.versions.map((v) => ({ ...v })),
      lastBuild: r.lastAttempt,
    }));
  }
}

function attempt(begun: BuildingNotice, durationMs: number, output: string, failure: BuildFailure | null): LastBuildInfo {
  const tail = new OutputTail(STATUS_TAIL_CHARS);
  tail.push(output);
  return {
    seq: begun.seq,
    status: failure ? 'failed' : 'ok',
    code: failure?.code ?? null,
    message: failure?.message ?? null,
    startedAt: begun.startedAt,
    durationMs,
    exitCode: failure?.exitCode ?? null,
    signal: failure?.signal ?? null,
    outputTail: tail.toString(),
  };
}
