/**
 * Time, injected: the engine reads the clock and sets timers only through a {@link Clock}, so
 * tests drive probation, debounce, checkpoints and watchdogs with a manual clock
 * (./manual-clock.ts) instead of sleeping.
 */

/** An opaque timer handle. */
export type Timer = unknown;

export interface Clock {
  /** Monotonic milliseconds, for durations. */
  now(): number;
  /** Milliseconds since the epoch, for timestamps people read and records that are kept. */
  wallNow(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  clearTimeout(timer: Timer): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as Timer,
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/** A promise that resolves after `ms` on `clock`. */
export function delay(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
