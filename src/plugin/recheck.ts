/**
 * Vite's watcher (chokidar 3) drops a `change` of a file within 50 ms of the previous one, and
 * may report a save from its first half (the truncate) — so the last save of a quick pair can go
 * unreported and never be built. After each event the file is looked at again once that window
 * has passed; if it changed since the event's own look, the change is reported after all.
 */
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';

/** chokidar's change throttle (50 ms), plus a margin. */
export const RECHECK_MS = 80;
/**
 * And once more, later: a write soon after a file appeared was seen missed with no event at all
 * (chokidar watching the new file only after it was written again: 1 run in 4 of the artifact
 * test "stopped at a section boundary"). One stat a second after each event.
 */
export const RECHECK_LATE_MS = 1000;

interface Seen {
  size: number;
  mtimeMs: number;
}

export class Rechecker {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Checks scheduled or running, each settled once it has run (or was replaced or cancelled). */
  private readonly pending = new Map<string, () => void>();
  private readonly settled = new Set<Promise<void>>();

  constructor(private readonly onMissed: (file: string) => void) {}

  /** A change of `file` was reported, with what the watcher saw (if it says). */
  saw(file: string, stats?: Stats): void {
    this.cancel(file);
    const seen: Promise<Seen | null> = stats ? Promise.resolve({ size: stats.size, mtimeMs: stats.mtimeMs }) : look(file);
    let settle!: () => void;
    const done = new Promise<void>((r) => (settle = r));
    this.settled.add(done);
    void done.then(() => this.settled.delete(done));
    this.pending.set(file, settle);
    const check = (after: number, last: boolean) =>
      this.timers.set(
        file,
        setTimeout(() => {
          this.timers.delete(file);
          void Promise.all([seen, look(file)]).then(([a, b]) => {
            if (b && (!a || a.size !== b.size || a.mtimeMs !== b.mtimeMs)) {
              this.pending.delete(file);
              settle();
              this.onMissed(file);
            } else if (last || this.pending.get(file) !== settle) {
              if (this.pending.get(file) === settle) this.pending.delete(file);
              settle();
            } else check(RECHECK_LATE_MS - RECHECK_MS, true);
          }, settle);
        }, after),
      );
    check(RECHECK_MS, false);
  }

  /** Resolves once every check asked for so far has run: for tests, which must not sleep. */
  async idle(): Promise<void> {
    while (this.settled.size) await Promise.all(this.settled);
  }

  dispose(): void {
    for (const file of [...this.timers.keys()]) this.cancel(file);
  }

  private cancel(file: string): void {
    const timer = this.timers.get(file);
    if (timer) clearTimeout(timer);
    this.timers.delete(file);
    this.pending.get(file)?.();
    this.pending.delete(file);
  }
}

async function look(file: string): Promise<Seen | null> {
  try {
    const s = await stat(file);
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return null;
  }
}
