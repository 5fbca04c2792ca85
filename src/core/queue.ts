/**
 * The queue a module's loads, updates and rollbacks wait in: one at a time, in the order they
 * were asked for. Each waits with a ticket; work queued later supersedes every ticket whose
 * cutover has not begun (its candidate is stopped, and it never serves).
 */
import type { Ticket } from './pipeline/context';

export class UpdateQueue {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly tickets = new Set<Ticket>();

  constructor(private readonly drained: () => void) {}

  /** Work asked for and not finished. */
  get size(): number {
    return this.tickets.size;
  }

  /**
   * Queue `work` behind everything asked for before; it supersedes what has not begun its
   * cutover (unless not `superseding`: state given to a module is not a newer build). A
   * `lasting` one (a first load: nothing serves yet; a state edit) is never superseded.
   */
  schedule<T>(work: (ticket: Ticket) => Promise<T>, lasting = false, superseding = true): Promise<T> {
    if (superseding) this.supersede('superseded by a newer update');
    const ticket: Ticket = { superseded: false, inCutover: lasting, candidate: null };
    this.tickets.add(ticket);
    const run = this.chain.then(() => work(ticket));
    this.chain = run
      .catch(() => undefined)
      .finally(() => {
        this.tickets.delete(ticket);
        if (this.tickets.size === 0) this.drained();
      });
    return run;
  }

  /** Mark every ticket not yet in its cutover superseded, stopping its candidate. */
  supersede(reason: string, all = false): void {
    for (const t of this.tickets) {
      if (all || !t.inCutover) {
        t.superseded = true;
        t.candidate?.dispose(reason);
      }
    }
  }
}
