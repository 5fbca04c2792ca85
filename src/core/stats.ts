/** Call statistics: counts and latency percentiles over a ring of recent samples. */

const RING = 2048;

export interface CallStats {
  calls: number;
  errors: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export class LatencyStats {
  private readonly samples = new Float64Array(RING);
  private filled = 0;
  private next = 0;
  calls = 0;
  errors = 0;
  /** The last snapshot, until the next call: a status is asked for far more often than calls change. */
  private cached: CallStats | null = null;

  record(ms: number, ok: boolean): void {
    this.cached = null;
    this.calls++;
    if (!ok) this.errors++;
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % RING;
    if (this.filled < RING) this.filled++;
  }

  snapshot(): CallStats {
    if (this.cached) return this.cached;
    if (this.filled === 0) return (this.cached = { calls: this.calls, errors: this.errors, p50Ms: null, p99Ms: null });
    const sorted = this.samples.slice(0, this.filled).sort();
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return (this.cached = { calls: this.calls, errors: this.errors, p50Ms: at(0.5), p99Ms: at(0.99) });
  }
}
