/**
 * RPC to one guest worker: ids, many calls in flight, a watchdog per call, nothing lost.
 *
 * - Every request gets an id and a pending entry; replies are matched by id, never by order,
 *   and checked against their operation's result shape (OPS[op].check) before they resolve.
 * - Requests made in the same task go out in one message (the worker answers them together),
 *   which is what makes pipelined calls cheap.
 * - The worker serves requests one at a time in order, so the oldest pending request is the one
 *   running. The watchdog times *that* request from when it could start (its send time or the
 *   previous reply, whichever is later), so a long queue of quick calls never looks like a hang;
 *   time the page itself was stalled (a long task on its main thread, when the reply may be
 *   waiting unread) is not held against it. When it runs past its timeout, `onStall` is told;
 *   the owner decides (terminate, restart).
 * - When the worker dies or the client is closed, every pending request is rejected with a clear
 *   error, or handed back with {@link RpcClient.detach} so the owner can send it again elsewhere.
 */
import { HotwasmError, reviveError } from '../shared/errors';
import { OPS, type Op, type Request, type RequestOf, type ResultOf, describeRequest } from '../shared/ops';
import type { FromWorker, OutputStream, Reply, ToWorker } from '../shared/protocol';
import { BUSY_AFTER_MS, WATCHDOG_MS } from '../shared/tuning';
import { type Clock, type Timer, systemClock } from './clock';

/** The part of `Worker` the RPC client uses (tests pass a fake). */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer: Transferable[]): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent<FromWorker>) => void): void;
  removeEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
}

export interface PendingRequest {
  request: Request;
  timeoutMs: number;
  sentAt: number;
  transfer: Transferable[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** Told how long the request took, just before it resolves (see RequestOptions.timed). */
  timed?: (timing: ReplyTiming, by: RpcClient) => void;
  /** When the message carrying the request was posted (only for timed requests). */
  postedAt?: number;
  /** The worker is asked how long it spent serving it (ReplyTiming.guestMs). */
  guestTime?: true;
  /**
   * Its transferables (state bytes, a port) went with a posted message: they now belong to that
   * worker, so the request cannot be sent again elsewhere (see {@link RpcClient.adopt}).
   */
  gave?: true;
}

/** How long one request took. */
export interface ReplyTiming {
  /** What the worker says it spent serving the request (when asked: RequestOptions.guestTime), ms; undefined when it did not say. */
  guestMs: number | undefined;
  /**
   * From posting the message that carried the request to reading its reply, ms: the worker's
   * time, waiting behind earlier requests, both hops, and any stall of the page's own thread
   * before the reply was read — not what the page does with the answer afterwards.
   */
  roundTripMs: number;
}

export interface RpcOptions {
  /** Guest stdout/stderr text. */
  onOutput?: (stream: OutputStream, text: string) => void;
  /** The oldest pending request ran past its timeout. It is still pending. */
  onStall?: (entry: PendingRequest) => void;
  /** The worker reported an error event (a crash): all pending requests were already rejected. */
  onDeath?: (error: HotwasmError) => void;
  /** The running request has run past BUSY_AFTER_MS, or such a request was answered (see {@link RpcClient.busyWith}). */
  onBusyChange?: () => void;
  clock?: Clock;
  /** Watchdog period, ms. */
  watchdogMs?: number;
}

export interface RequestOptions {
  timeoutMs: number;
  transfer?: Transferable[];
  /** Told the request's timing (and which client answered: a detached request may be adopted by another) before it resolves. */
  timed?: (timing: ReplyTiming, by: RpcClient) => void;
  /**
   * Ask the worker for the time it spent serving the request (a call): its id goes in the
   * message's `timed` list, so the request itself keeps the shape of every other call (a field
   * added to some calls' bodies made every function that reads them slower: +9 % task time per
   * call during a canary).
   */
  guestTime?: boolean;
}

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private outbox: Request[] = [];
  private outboxTransfer: Transferable[] = [];
  /** The timed requests in the outbox: they learn when their message was posted. */
  private outboxTimed: PendingRequest[] = [];
  /** Ids of the requests in the outbox that ask for the worker's time. */
  private outboxGuestTime: number[] = [];
  private flushScheduled = false;
  private lastProgress = 0;
  /** Page stalls seen since the running request could start (not held against it). */
  private stalledMs = 0;
  private lastTick = 0;
  private watchdog: Timer | null = null;
  private closed: HotwasmError | null = null;
  /** The running request, once it has run past BUSY_AFTER_MS. */
  private busy: PendingRequest | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly clock: Clock;
  private readonly period: number;
  private readonly onMessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
  private readonly onError = (event: Event) => {
    // Not `instanceof ErrorEvent`: the core also runs where that global does not exist.
    const text = (event as { message?: unknown }).message;
    const detail = typeof text === 'string' && text ? `: ${text}` : '';
    this.die(new HotwasmError('worker-died', `The module's worker crashed${detail}`));
  };
  // A reply that could not be deserialised: we cannot know which; fail them all loudly.
  private readonly onMessageError = () => this.die(new HotwasmError('worker-died', 'A message from the worker could not be read'));

  constructor(
    private readonly worker: WorkerLike,
    private readonly options: RpcOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.period = options.watchdogMs ?? WATCHDOG_MS;
    worker.addEventListener('message', this.onMessage);
    worker.addEventListener('error', this.onError);
    worker.addEventListener('messageerror', this.onMessageError);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  get isClosed(): boolean {
    return this.closed !== null;
  }

  request<O extends Op>(body: RequestOf<O>, options: RequestOptions): Promise<ResultOf<O>> {
    if (this.closed) return Promise.reject(this.closed);
    const request = { ...body, id: this.nextId++ } as Request;
    return new Promise<ResultOf<O>>((resolve, reject) => {
      const entry: PendingRequest = { request, timeoutMs: options.timeoutMs, sentAt: this.clock.now(), transfer: options.transfer ?? [], resolve: resolve as (v: unknown) => void, reject };
      if (options.timed) entry.timed = options.timed;
      if (options.guestTime) entry.guestTime = true;
      this.enqueue(entry);
    });
  }

  /** Take over requests detached from another client (a restarted worker), keeping their promises. */
  adopt(entries: PendingRequest[]): void {
    for (const entry of entries) {
      if (this.closed) entry.reject(this.closed);
      // What it carried went to the stopped worker (a snapshot's port, state bytes): sent again,
      // it would fail to post and take the requests posted with it down too.
      else if (entry.gave) entry.reject(new HotwasmError('worker-died', `${describeRequest(entry.request)} was lost with its worker: what it carried went to that worker, so it cannot be sent again`));
      else this.enqueue({ ...entry, request: { ...entry.request, id: this.nextId++ }, sentAt: this.clock.now() });
    }
  }

  /** Resolves once no request is pending (at once when none is). */
  idle(): Promise<void> {
    if (this.pending.size === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(entry: PendingRequest): void {
    if (this.pending.size === 0) {
      this.lastProgress = entry.sentAt;
      this.stalledMs = 0;
    }
    this.pending.set(entry.request.id, entry);
    this.outbox.push(entry.request);
    if (entry.transfer.length) this.outboxTransfer.push(...entry.transfer);
    if (entry.timed) this.outboxTimed.push(entry);
    if (entry.guestTime) this.outboxGuestTime.push(entry.request.id);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
    this.armWatchdog();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.closed || this.outbox.length === 0) return;
    const requests = this.outbox;
    const transfer = this.outboxTransfer;
    const timed = this.outboxGuestTime;
    this.outbox = [];
    this.outboxTransfer = [];
    this.outboxGuestTime = [];
    if (this.outboxTimed.length > 0) {
      const postedAt = this.clock.now();
      for (const entry of this.outboxTimed) entry.postedAt = postedAt;
      this.outboxTimed = [];
    }
    try {
      this.worker.postMessage(timed.length > 0 ? { type: 'requests', requests, timed } : { type: 'requests', requests }, transfer);
      if (transfer.length > 0) for (const r of requests) this.gaveAway(r);
    } catch (error) {
      // DataCloneError (an argument cannot be sent), or a transferable already given away: send
      // them one by one, so that only the requests that cannot go are refused.
      if (requests.length === 1) this.refuse(requests[0]!, error);
      else for (const r of requests) this.postAlone(r);
      this.checkIdle();
    }
  }

  private gaveAway(r: Request): void {
    const entry = this.pending.get(r.id);
    if (entry && entry.transfer.length > 0) entry.gave = true;
  }

  private postAlone(r: Request): void {
    const entry = this.pending.get(r.id);
    if (!entry) return;
    try {
      this.worker.postMessage(entry.guestTime ? { type: 'requests', requests: [r], timed: [r.id] } : { type: 'requests', requests: [r] }, entry.transfer);
      this.gaveAway(r);
    } catch (error) {
      this.refuse(r, error);
    }
  }

  private refuse(r: Request, error: unknown): void {
    const entry = this.pending.get(r.id);
    this.pending.delete(r.id);
    entry?.reject(new HotwasmError('bad-arguments', `The request cannot be sent to the worker: ${error instanceof Error ? error.message : String(error)}`));
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'replies':
        this.lastProgress = this.clock.now();
        this.stalledMs = 0;
        for (const reply of message.replies) this.settle(reply, this.lastProgress);
        if (this.busy !== null && this.head() !== this.busy) {
          this.busy = null;
          this.options.onBusyChange?.();
        }
        this.checkIdle();
        return;
      case 'output':
        this.options.onOutput?.(message.stream, message.text);
        return;
      case 'ready':
        return; // a fresh worker's warm-up ended: only spares listen for it
      default: {
        const unknown: never = message;
        console.warn('hotwasm: dropped an unknown message from the worker', unknown);
      }
    }
  }

  private settle(reply: Reply, receivedAt: number): void {
    const entry = this.pending.get(reply.id);
    if (!entry) return; // already failed by the watchdog or closed: drop the late reply
    this.pending.delete(reply.id);
    if (!reply.ok) return entry.reject(reviveError(reply.error));
    if (!OPS[entry.request.op].check(reply.value)) {
      return entry.reject(new HotwasmError('internal', `${describeRequest(entry.request)} was answered with a value of the wrong shape (${typeof reply.value})`));
    }
    if (entry.timed) {
      const guestMs = typeof reply.ms === 'number' && reply.ms >= 0 ? reply.ms : undefined;
      entry.timed({ guestMs, roundTripMs: receivedAt - (entry.postedAt ?? entry.sentAt) }, this);
    }
    entry.resolve(reply.value);
  }

  private checkIdle(): void {
    if (this.pending.size > 0) return;
    this.disarmWatchdog();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private die(error: HotwasmError): void {
    this.close(error);
    this.options.onDeath?.(error);
  }

  /** Stop: reject every pending request with `error`. Later requests are rejected at once. */
  close(error: HotwasmError): void {
    if (this.closed) return;
    this.closed = error;
    this.disarmWatchdog();
    this.worker.removeEventListener('message', this.onMessage);
    this.worker.removeEventListener('error', this.onError);
    this.worker.removeEventListener('messageerror', this.onMessageError);
    const entries = [...this.pending.values()];
    this.pending.clear();
    this.outbox = [];
    this.outboxTransfer = [];
    this.outboxTimed = [];
    for (const entry of entries) entry.reject(error);
    this.checkIdle();
  }

  /** Stop and hand back the pending requests, oldest first, unrejected. */
  detach(error: HotwasmError): PendingRequest[] {
    const entries = [...this.pending.values()];
    this.pending.clear();
    this.close(error);
    return entries;
  }

  /** The oldest pending request: the one the worker is running. */
  head(): PendingRequest | undefined {
    for (const entry of this.pending.values()) return entry;
    return undefined;
  }

  /** The oldest pending request that `match` accepts. */
  find(match: (entry: PendingRequest) => boolean): PendingRequest | undefined {
    for (const entry of this.pending.values()) if (match(entry)) return entry;
    return undefined;
  }

  /** The running request, when it has run past BUSY_AFTER_MS and is still running; else null. */
  busyWith(): PendingRequest | null {
    return this.busy !== null && this.head() === this.busy ? this.busy : null;
  }

  /** When the running request ({@link head}) could start: its send time or the previous reply, whichever is later. */
  headStartedAt(): number | null {
    const head = this.head();
    return head ? Math.max(head.sentAt, this.lastProgress) : null;
  }

  private armWatchdog(): void {
    if (this.watchdog !== null) return;
    this.lastTick = this.clock.now();
    this.watchdog = this.clock.setTimeout(() => {
      this.watchdog = null;
      this.check();
      if (this.pending.size > 0 && !this.closed) this.armWatchdog();
    }, this.period);
  }

  private disarmWatchdog(): void {
    if (this.watchdog === null) return;
    this.clock.clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  /** Run the watchdog once (its timer calls it; tests may call it directly). */
  check(): void {
    const now = this.clock.now();
    // A tick far later than its period means this thread was busy: a reply may have been
    // waiting unread all along, so that time does not count against the request.
    const late = now - this.lastTick - this.period;
    if (late > this.period) this.stalledMs += late;
    this.lastTick = now;
    const head = this.head();
    if (!head) return this.disarmWatchdog();
    const ran = now - this.headStartedAt()! - this.stalledMs;
    if (ran > BUSY_AFTER_MS && this.busy !== head) {
      this.busy = head;
      this.options.onBusyChange?.();
    }
    if (ran > head.timeoutMs) this.options.onStall?.(head);
  }
}
