/**
 * RPC to one guest worker: ids, many calls in flight, a watchdog per call, nothing lost.
 *
 * - Every request gets an id and a pending entry; replies are matched by id, never by order.
 * - Requests made in the same task go out in one message (the worker answers them together),
 *   which is what makes pipelined calls cheap.
 * - The worker serves requests one at a time in order, so the oldest pending request is the one
 *   running. The watchdog times *that* request from when it could start (its send time or the
 *   previous reply, whichever is later), so a long queue of quick calls never looks like a hang.
 *   When it runs past its timeout, `onStall` is told; the owner decides (terminate, restart).
 * - When the worker dies or is closed, every pending request is rejected with a clear error,
 *   or handed back with {@link RpcClient.detach} so the owner can send it again elsewhere.
 */
import { HotwasmError, reviveError } from '../shared/errors';
import type { FromWorker, Op, OutputStream, Reply, Request, RequestOf, ResultOf, ToWorker } from '../shared/protocol';

/** The part of `Worker` the RPC client uses (tests pass a fake). */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer: Transferable[]): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
}

export interface PendingRequest {
  request: Request;
  timeoutMs: number;
  sentAt: number;
  transfer: Transferable[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface RpcOptions {
  /** Guest stdout/stderr text. */
  onOutput?: (stream: OutputStream, text: string) => void;
  /** The oldest pending request ran past its timeout. It is still pending. */
  onStall?: (entry: PendingRequest) => void;
  /** The worker reported an error event (a crash): all pending requests were already rejected. */
  onDeath?: (error: HotwasmError) => void;
  /** Clock in ms (injectable for tests). */
  now?: () => number;
  /** Watchdog period bounds, ms. */
  watchdogMs?: number;
}

export interface RequestOptions {
  timeoutMs: number;
  transfer?: Transferable[];
}

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private outbox: Request[] = [];
  private outboxTransfer: Transferable[] = [];
  private flushScheduled = false;
  private lastProgress = 0;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private closed: HotwasmError | null = null;
  private readonly now: () => number;

  constructor(
    private readonly worker: WorkerLike,
    private readonly options: RpcOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    worker.addEventListener('message', (event) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      // Not `instanceof ErrorEvent`: the core also runs where that global does not exist.
      const text = (event as { message?: unknown }).message;
      const detail = typeof text === 'string' && text ? `: ${text}` : '';
      const error = new HotwasmError('worker-died', `The module's worker crashed${detail}`);
      this.close(error);
      options.onDeath?.(error);
    });
    worker.addEventListener('messageerror', () => {
      // A reply that could not be deserialised: we cannot know which; fail them all loudly.
      const error = new HotwasmError('worker-died', 'A message from the worker could not be read');
      this.close(error);
      options.onDeath?.(error);
    });
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  get isClosed(): boolean {
    return this.closed !== null;
  }

  request<O extends Op>(body: RequestOf<O>, options: RequestOptions): Promise<ResultOf[O]> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    const request = { ...body, id } as Request;
    return new Promise<ResultOf[O]>((resolve, reject) => {
      this.enqueue({
        request,
        timeoutMs: options.timeoutMs,
        sentAt: this.now(),
        transfer: options.transfer ?? [],
        resolve: resolve as (v: unknown) => void,
        reject,
      });
    });
  }

  /** Take over requests detached from another client (a restarted worker), keeping their promises. */
  adopt(entries: PendingRequest[]): void {
    for (const entry of entries) {
      if (this.closed) entry.reject(this.closed);
      else this.enqueue({ ...entry, request: { ...entry.request, id: this.nextId++ }, sentAt: this.now() });
    }
  }

  private enqueue(entry: PendingRequest): void {
    if (this.pending.size === 0) this.lastProgress = entry.sentAt;
    this.pending.set(entry.request.id, entry);
    this.outbox.push(entry.request);
    if (entry.transfer.length) this.outboxTransfer.push(...entry.transfer);
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
    this.outbox = [];
    this.outboxTransfer = [];
    try {
      this.worker.postMessage({ type: 'requests', requests }, transfer);
    } catch (error) {
      // DataCloneError: an argument cannot be sent. Reject just those requests.
      for (const r of requests) {
        const entry = this.pending.get(r.id);
        this.pending.delete(r.id);
        entry?.reject(new HotwasmError('bad-arguments', `The request cannot be sent to the worker: ${error instanceof Error ? error.message : String(error)}`));
      }
    }
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'replies':
        this.lastProgress = this.now();
        for (const reply of message.replies) this.settle(reply);
        if (this.pending.size === 0) this.disarmWatchdog();
        return;
      case 'output':
        this.options.onOutput?.(message.stream, message.text);
        return;
      default: {
        const unknown: never = message;
        console.warn('hotwasm: dropped an unknown message from the worker', unknown);
      }
    }
  }

  private settle(reply: Reply): void {
    const entry = this.pending.get(reply.id);
    if (!entry) return; // already failed by the watchdog or closed: drop the late reply
    this.pending.delete(reply.id);
    if (reply.ok) entry.resolve(reply.value);
    else entry.reject(reviveError(reply.error));
  }

  /** Stop: reject every pending request with `error`. Later requests are rejected at once. */
  close(error: HotwasmError): void {
    if (this.closed) return;
    this.closed = error;
    this.disarmWatchdog();
    const entries = [...this.pending.values()];
    this.pending.clear();
    this.outbox = [];
    for (const entry of entries) entry.reject(error);
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

  private armWatchdog(): void {
    if (this.watchdog !== null) return;
    const period = this.options.watchdogMs ?? 25;
    this.watchdog = setInterval(() => this.check(), period);
  }

  private disarmWatchdog(): void {
    if (this.watchdog === null) return;
    clearInterval(this.watchdog);
    this.watchdog = null;
  }

  /** Run the watchdog once (called by the interval; tests call it directly). */
  check(): void {
    const head = this.head();
    if (!head) return this.disarmWatchdog();
    const startedAt = Math.max(head.sentAt, this.lastProgress);
    if (this.now() - startedAt > head.timeoutMs) this.options.onStall?.(head);
  }
}
