/**
 * Registry writes, a moment later: a version's bytes are cloned into IndexedDB on this thread
 * (about 1 ms per MiB), and written as the update stages they held its next steps back
 * (measured: a 10 MiB update in the playground 75 → 88 ms). Versions, bytes and what a name
 * serves wait {@link SETTLE_MS} after the first one of a burst, then go in the order they were
 * asked for; records and checkpoints (small, made after an update settles) send what waits and
 * go at once; a read first sends what waits, so it always sees it. `flush()` sends everything
 * now (the page is being left).
 */
import { SETTLE_MS } from '../shared/tuning';
import type { Clock, Timer } from './clock';
import type { UpdateRecord } from './history';
import type { CheckpointRecord, ModuleRecord, Registry, VersionRecord } from './registry';

export class WriteBehindRegistry implements Registry {
  private waiting: { write: () => Promise<void>; settle: (outcome: Promise<void>) => void }[] = [];
  /** Writes sent and not settled yet: `flush()` waits for them too. */
  private readonly inflight = new Set<Promise<unknown>>();
  private timer: Timer | null = null;

  constructor(
    private readonly inner: Registry,
    private readonly clock: Clock,
  ) {}

  private later(write: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ write, settle: (outcome) => outcome.then(resolve, reject) });
      this.timer ??= this.clock.setTimeout(() => void this.flush(), SETTLE_MS);
    });
  }

  private send(write: () => Promise<void>): Promise<void> {
    let outcome: Promise<void>;
    try {
      outcome = write();
    } catch (error) {
      outcome = Promise.reject(error);
    }
    const settled = outcome.catch(() => undefined);
    this.inflight.add(settled);
    void settled.then(() => this.inflight.delete(settled));
    return outcome;
  }

  /** Send every waiting write now, in order; resolves when every write sent so far has settled. */
  flush(): Promise<void> {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    for (const { write, settle } of this.waiting.splice(0)) settle(this.send(write));
    return Promise.all([...this.inflight]).then(() => undefined);
  }

  private now(write: () => Promise<void>): Promise<void> {
    if (this.waiting.length) void this.flush();
    return this.send(write);
  }

  private async read<T>(read: () => Promise<T>): Promise<T> {
    if (this.waiting.length) await this.flush();
    return read();
  }

  putBytes(sha256: string, bytes: Uint8Array): Promise<void> {
    return this.later(() => this.inner.putBytes(sha256, bytes));
  }
  putVersion(version: VersionRecord, bytes?: Uint8Array): Promise<void> {
    return this.later(() => this.inner.putVersion(version, bytes));
  }
  // Records and checkpoints are small, and made after an update has settled: they go at once
  // (what waits goes first, in order), so a page left right after a call keeps its state.
  putRecord(record: UpdateRecord): Promise<void> {
    return this.now(() => this.inner.putRecord(record));
  }
  putCheckpoint(checkpoint: CheckpointRecord): Promise<void> {
    return this.now(() => this.inner.putCheckpoint(checkpoint));
  }
  putModule(record: ModuleRecord): Promise<void> {
    return this.later(() => this.inner.putModule(record));
  }
  getBytes(sha256: string): Promise<Uint8Array | null> {
    return this.read(() => this.inner.getBytes(sha256));
  }
  listVersions(module?: string): Promise<VersionRecord[]> {
    return this.read(() => this.inner.listVersions(module));
  }
  listRecords(module?: string): Promise<UpdateRecord[]> {
    return this.read(() => this.inner.listRecords(module));
  }
  latestCheckpoint(module: string): Promise<CheckpointRecord | null> {
    return this.read(() => this.inner.latestCheckpoint(module));
  }
  listModules(): Promise<ModuleRecord[]> {
    return this.read(() => this.inner.listModules());
  }
}
