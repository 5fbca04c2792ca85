/**
 * Builds that arrive by themselves (live push, a watcher): with auto reload on, a build is applied
 * at once unless another build of that module arrived less than `debounce_ms` before it; builds
 * that come that close together are coalesced into the last, applied once `debounce_ms` pass
 * with no newer one (a debounce on both edges: a single save never waits). With auto reload off,
 * the newest is kept for Reload. Pushes are applied in the order they were made, even when
 * reading one (a URL) takes longer than reading a later one.
 */
import type { Clock, Timer } from './clock';
import type { EngineConfig } from './config';
import type { ModuleInfo } from './instance';
import type { UpdateInput } from './pipeline/context';

export interface PushTarget {
  config(): EngineConfig;
  /** Apply a build now (the update pipeline, trigger `push`). */
  apply(name: string, input: UpdateInput): Promise<ModuleInfo>;
  /** Keep a build for Reload (auto reload is off). */
  keep(name: string, input: UpdateInput): void;
}

export class PushQueue {
  /** Builds waiting out debounce_ms, by module name: only the last one is applied. */
  private readonly waiting = new Map<string, { timer: Timer; settle: (result: Promise<ModuleInfo> | null) => void }>();
  /** The order of the newest push of each name. */
  private readonly newest = new Map<string, number>();
  /** When the last build of each name arrived (clock.now()). */
  private readonly arrived = new Map<string, number>();
  private count = 0;

  constructor(
    private readonly clock: Clock,
    private readonly target: PushTarget,
  ) {}

  /** `read` answers the build once read; resolves with the version serving after it, or null (coalesced or kept). */
  push(read: Promise<{ name: string; input: UpdateInput }>): Promise<ModuleInfo | null> {
    const order = ++this.count;
    return read.then(({ name, input }) => {
      if ((this.newest.get(name) ?? 0) > order) return null; // a newer build arrived first
      this.newest.set(name, order);
      const waiting = this.waiting.get(name);
      if (waiting) {
        this.clock.clearTimeout(waiting.timer);
        this.waiting.delete(name);
        waiting.settle(null); // coalesced into this one
      }
      if (!this.target.config().enabled) {
        this.target.keep(name, input);
        return null;
      }
      const now = this.clock.now();
      const previous = this.arrived.get(name);
      this.arrived.set(name, now);
      const { debounce_ms } = this.target.config();
      // Nothing waiting (checked above) and nothing arrived within debounce_ms: the leading edge.
      if (!waiting && (previous === undefined || now - previous >= debounce_ms)) return this.target.apply(name, input);
      return new Promise<ModuleInfo | null>((resolve, reject) => {
        const settle = (result: Promise<ModuleInfo> | null) => (result ? result.then(resolve, reject) : resolve(null));
        const timer = this.clock.setTimeout(() => {
          this.waiting.delete(name);
          if (this.target.config().enabled) return settle(this.target.apply(name, input));
          this.target.keep(name, input);
          settle(null);
        }, debounce_ms);
        this.waiting.set(name, { timer, settle });
      });
    });
  }

  dispose(): void {
    for (const { timer, settle } of this.waiting.values()) {
      this.clock.clearTimeout(timer);
      settle(null);
    }
    this.waiting.clear();
  }
}
