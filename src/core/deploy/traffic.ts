/**
 * Calls per second, per version, over the last minute: what the Deploy panel's chart draws, so a
 * canary going wrong shows at a glance. Recording is on every call's path: a few additions, and
 * at most {@link SAMPLES} latencies kept per second and version for its p99.
 */
import type { TrafficPoint } from './types';

const SECONDS = 60;
const SAMPLES = 256;

interface Bucket {
  calls: number;
  errors: number;
  ms: number[];
}

export class TrafficSeries {
  /** Second (ms since epoch / 1000, floored) → version → bucket; the newest SECONDS seconds. */
  private readonly seconds = new Map<number, Map<string, Bucket>>();

  record(version: string, ms: number, ok: boolean, at: number): void {
    const second = Math.floor(at / 1000);
    let versions = this.seconds.get(second);
    if (!versions) {
      versions = new Map();
      this.seconds.set(second, versions);
      for (const s of this.seconds.keys()) if (s <= second - SECONDS) this.seconds.delete(s);
    }
    let bucket = versions.get(version);
    if (!bucket) versions.set(version, (bucket = { calls: 0, errors: 0, ms: [] }));
    bucket.calls++;
    if (!ok) bucket.errors++;
    if (bucket.ms.length < SAMPLES) bucket.ms.push(ms);
  }

  /** The points of the last minute before `now`, oldest first. */
  points(now: number): TrafficPoint[] {
    const from = Math.floor(now / 1000) - SECONDS;
    const out: TrafficPoint[] = [];
    for (const [second, versions] of [...this.seconds].sort((a, b) => a[0] - b[0])) {
      if (second <= from) continue;
      for (const [version, b] of versions) {
        const sorted = Float64Array.from(b.ms).sort();
        const p99Ms = sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]! : null;
        out.push({ at: second * 1000, version, calls: b.calls, errors: b.errors, p99Ms });
      }
    }
    return out;
  }
}
