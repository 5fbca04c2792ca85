/**
 * A module's status as its listeners see it: built from the serving instance, the latest notice
 * (an update, a rollback, an incident) and the update step running, and reported as a `status`
 * event — at once for news, at most every STATUS_THROTTLE_MS for call statistics.
 */
import { STATUS_THROTTLE_MS } from '../shared/tuning';
import type { Checkpoints } from './checkpoints';
import type { Clock, Timer } from './clock';
import type { ModuleStatus } from './events';
import type { UpdateStep } from './history';
import type { InstancePool } from './pool';

export class StatusReporter {
  private notice: { text: string; at: number } | null = null;
  private updating: UpdateStep | null = null;
  private timer: Timer | null = null;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly clock: Clock,
    private readonly source: { pool(): InstancePool | null; checkpoints: Checkpoints },
    private readonly report: (status: ModuleStatus) => void,
  ) {}

  /** A notice in words: the newest of these and the serving instance's incidents is the message. */
  say(text: string): void {
    this.notice = { text, at: this.clock.wallNow() };
    this.now();
  }

  /** The update step running now (null: none). */
  step(step: UpdateStep | null): void {
    if (this.updating === step) return;
    this.updating = step;
    this.now();
  }

  status(): ModuleStatus {
    const pool = this.source.pool();
    const serving = pool?.primary ?? null;
    const stats = serving?.stats.snapshot() ?? { calls: 0, errors: 0, p50Ms: null, p99Ms: null };
    const incident = serving?.notice ? { text: serving.notice, at: serving.noticeAt } : null;
    const newest = [this.notice, incident].filter((n) => n !== null).sort((a, b) => b.at - a.at)[0] ?? null;
    const busy = serving?.busyWith() ?? null;
    return {
      name: this.name,
      state: serving ? serving.state : 'loading',
      version: serving?.info.version ?? null,
      apiVersion: serving?.info.apiVersion ?? null,
      sha256: serving?.info.sha256 ?? null,
      lastUpdate: serving?.info.loadedAt ?? null,
      message: newest?.text ?? null,
      messageAt: newest?.at ?? null,
      checkpointAt: this.source.checkpoints.latest()?.at ?? null,
      updating: this.updating,
      instances: pool?.all.length ?? 0,
      busy: busy?.what ?? null,
      busySince: busy?.since ?? null,
      ...stats,
    };
  }

  /** Report the status now. */
  now(): void {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.stopped) this.report(this.status());
  }

  /** Report it in a moment (call statistics change with every call). */
  soon(): void {
    if (this.timer !== null || this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.now();
    }, STATUS_THROTTLE_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
  }
}
