/**
 * Registry writes, a moment later: a version's bytes are cloned into IndexedDB on this thread
 * (about 1 ms per MiB), and written as the update stages they held its next steps back
 * (measured: a 10 MiB update in the playground 75 → 88 ms). Versions, bytes and what a name
 * serves wait {@link SETTLE_MS} after the first one of a burst, then go in the order they were
 * asked for; records and checkpoints (small, made after an update settles) send what waits and
 * go at once; a read first sends what waits, so it always sees it. `flush()` sends everything
 * now (the page is being left).
 *
 * A write refused for want of room (storage full) is kept, with what it would write, and sent
 * again, in the order they were asked for: by `retryUnsaved()` (a prune made room), and on its
 * own after a wait that doubles each time it is refused again ({@link ROOM_RETRY_FIRST_MS}):
 * the browser may give the room of deleted data back only later. One that a newer write replaces
 * (what a name serves, a module's checkpoint) is dropped instead: the newer one says more. When
 * nothing waits for room any more, `onSaved` is told.
 */
import { isStorageFull, messageOf } from '../shared/errors';
import { ROOM_RETRY_FIRST_MS, ROOM_RETRY_MAX_MS, SETTLE_MS } from '../shared/tuning';
import type { Clock, Timer } from './clock';
import type { UpdateRecord } from './history';
import type { CheckpointRecord, ModuleRecord, Registry, VersionRecord, VersionRemoval } from './registry';

/**
 * A write: what it does, the key of what it replaces whole (null: it adds to what is kept), and
 * the key of the thing whose earlier writes it needs (a version's record needs its first write,
 * with the bytes), or null.
 */
interface Write {
  run: () => Promise<void>;
  replaces: string | null;
  needs?: string;
}

export class WriteBehindRegistry implements Registry {
  private waiting: { write: Write; settle: (outcome: Promise<void>) => void }[] = [];
  /** Writes refused because storage was full, oldest first. */
  private unsaved: Write[] = [];
  /** Writes sent and not settled yet: `flush()` waits for them too. */
  private readonly inflight = new Set<Promise<unknown>>();
  private timer: Timer | null = null;
  /** The next retry of the unsaved writes, and how long it waits. */
  private retryTimer: Timer | null = null;
  private retryWait = ROOM_RETRY_FIRST_MS;
  /** Retries run one after another: a prune's waits for the one under way. */
  private retries: Promise<unknown> = Promise.resolve();
  /** After {@link close}: nothing is retried any more. */
  private closed = false;

  constructor(
    private readonly inner: Registry,
    private readonly clock: Clock,
    /** Everything refused for want of room has been saved. */
    private readonly onSaved: () => void = () => undefined,
  ) {}

  private later(write: Write): Promise<void> {
    this.dropReplaced(write);
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ write, settle: (outcome) => outcome.then(resolve, reject) });
      this.timer ??= this.clock.setTimeout(() => void this.flush(), SETTLE_MS);
    });
  }

  /** An unsaved write that `write` replaces is not sent again. */
  private dropReplaced(write: Write): void {
    if (write.replaces !== null) this.unsaved = this.unsaved.filter((w) => w.replaces !== write.replaces);
  }

  private send(write: Write): Promise<void> {
    let outcome: Promise<void>;
    try {
      outcome = write.run();
    } catch (error) {
      outcome = Promise.reject(error);
    }
    outcome = outcome.catch((error: unknown) => {
      if (isStorageFull(error)) this.keepForRoom(write);
      else if (write.needs !== undefined && this.unsaved.some((w) => w.needs === write.needs)) {
        // Refused because an earlier write of the same version was refused for want of room:
        // it waits with that one, and says why.
        this.keepForRoom(write);
        throw new Error(`storage full: ${messageOf(error)}, because its first write waits for room`, { cause: error });
      }
      throw error;
    });
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

  private now(write: Write): Promise<void> {
    this.dropReplaced(write);
    if (this.waiting.length) void this.flush();
    return this.send(write);
  }

  /** How many writes were refused for want of room and wait for {@link retryUnsaved}. */
  get unsavedCount(): number {
    return this.unsaved.length;
  }

  private keepForRoom(write: Write): void {
    this.unsaved.push(write);
    if (this.closed) return;
    this.retryTimer ??= this.clock.setTimeout(() => {
      this.retryTimer = null;
      void this.retry(Math.min(this.retryWait * 2, ROOM_RETRY_MAX_MS));
    }, this.retryWait);
  }

  /**
   * Send again, in order, the writes refused for want of room (room was made: the waits start
   * again from the first). Resolves with how many are still unsaved (refused again; they wait
   * for the next retry).
   */
  retryUnsaved(): Promise<number> {
    return this.retry(ROOM_RETRY_FIRST_MS);
  }

  /**
   * The engine goes away: what waits is written now, and what storage refused for want of room
   * is no longer retried (no timer outlives the engine).
   */
  close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    return this.flush();
  }

  /** A retry, after the one under way; `wait` is how long the next one waits if this one fails. */
  private retry(wait: number): Promise<number> {
    const run = this.retries.then(async () => {
      if (this.closed) return this.unsaved.length;
      if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.retryWait = wait;
      await this.flush();
      const again = this.unsaved.splice(0);
      // In order: a version's later writes (served, pinned) need its first one (with the bytes).
      for (const write of again) await this.send(write).catch(() => undefined);
      if (this.unsaved.length === 0) {
        this.retryWait = ROOM_RETRY_FIRST_MS;
        if (again.length > 0) this.onSaved();
      }
      return this.unsaved.length;
    });
    this.retries = run.catch(() => undefined);
    return run;
  }

  private async read<T>(read: () => Promise<T>): Promise<T> {
    if (this.waiting.length) await this.flush();
    return read();
  }

  putBytes(sha256: string, bytes: Uint8Array): Promise<void> {
    return this.later({ run: () => this.inner.putBytes(sha256, bytes), replaces: null });
  }
  putVersion(version: VersionRecord, bytes?: Uint8Array): Promise<void> {
    return this.later({ run: () => this.inner.putVersion(version, bytes), replaces: null, needs: `${version.module}/${version.label}` });
  }
  removeVersion(module: string, label: string, removal: VersionRemoval): Promise<void> {
    return this.later({ run: () => this.inner.removeVersion(module, label, removal), replaces: null, needs: `${module}/${label}` });
  }
  // Records and checkpoints are small, and made after an update has settled: they go at once
  // (what waits goes first, in order), so a page left right after a call keeps its state.
  putRecord(record: UpdateRecord): Promise<void> {
    return this.now({ run: () => this.inner.putRecord(record), replaces: null });
  }
  putCheckpoint(checkpoint: CheckpointRecord): Promise<void> {
    return this.now({ run: () => this.inner.putCheckpoint(checkpoint), replaces: `checkpoint ${checkpoint.module}` });
  }
  putModule(record: ModuleRecord): Promise<void> {
    return this.later({ run: () => this.inner.putModule(record), replaces: `module ${record.name}` });
  }
  putText(module: string, sha256: string, text: string): Promise<void> {
    const inner = this.inner;
    if (!inner.putText) return Promise.resolve();
    return this.later({ run: () => inner.putText!(module, sha256, text), replaces: `text ${module} ${sha256}` });
  }
  getText(module: string, sha256: string): Promise<string | null> {
    const inner = this.inner;
    if (!inner.getText) return Promise.resolve(null);
    return this.read(() => inner.getText!(module, sha256));
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
