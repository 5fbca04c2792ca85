/**
 * A module's recent calls, across its versions (each version's own statistics start afresh at
 * its cutover): when each answered, how long it took as the engine saw it, and which version
 * answered. For a picture of latency around updates (the Status panel's sparkline).
 */

/** One call, as `recentCalls()` gives it. */
export interface CallSample {
  /** When it answered (ms since epoch). */
  at: number;
  /** From the request sent to its answer, on the page (ms). */
  ms: number;
  ok: boolean;
  /** The version that answered. */
  version: string;
}

/** Calls kept per module. */
export const CALL_TRACE_SIZE = 120;

export class CallTrace {
  private readonly ring: CallSample[] = [];

  record(sample: CallSample): void {
    this.ring.push(sample);
    if (this.ring.length > CALL_TRACE_SIZE) this.ring.shift();
  }

  /** Oldest first (copies). */
  list(): CallSample[] {
    return this.ring.map((s) => ({ ...s }));
  }
}
