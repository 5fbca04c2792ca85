/**
 * Work a cutover leaves behind (retiring the displaced instance, the new version's first
 * checkpoint): it waits {@link SETTLE_MS}, so that it does not compete with the new version's
 * first calls for the cores, or runs at once when the next update starts, so that it does not
 * land in that update's cutover (measured: +0.4–0.6 ms of swap pause when updates follow each
 * other closely).
 */
import { SETTLE_MS } from '../shared/tuning';
import type { Clock, Timer } from './clock';

interface Work {
  run: () => void;
  /** Instead of `run`, when the module is disposed first. */
  cancel?: () => void;
}

export class Leftovers {
  private readonly waiting = new Map<Timer, Work>();

  constructor(private readonly clock: Clock) {}

  /** Run `work` in a moment; `cancel` runs instead if the module is disposed first. */
  later(run: () => void, cancel?: () => void): void {
    const timer = this.clock.setTimeout(() => {
      this.waiting.delete(timer);
      run();
    }, SETTLE_MS);
    this.waiting.set(timer, { run, cancel });
  }

  /** Run everything waiting now, in the order it was left. */
  now(): void {
    const pending = [...this.waiting];
    this.waiting.clear();
    for (const [timer, work] of pending) {
      this.clock.clearTimeout(timer);
      work.run();
    }
  }

  /** Drop everything waiting, running its cancel instead. */
  dispose(): void {
    const pending = [...this.waiting];
    this.waiting.clear();
    for (const [timer, work] of pending) {
      this.clock.clearTimeout(timer);
      work.cancel?.();
    }
  }
}
