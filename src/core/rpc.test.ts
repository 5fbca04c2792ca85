import { describe, expect, it } from 'vitest';
import { HotwasmError } from '../shared/errors';
import type { Request } from '../shared/ops';
import type { FromWorker, Reply, ToWorker } from '../shared/protocol';
import type { Clock } from './clock';
import { RpcClient, type PendingRequest, type WorkerLike } from './rpc';
import { BUSY_AFTER_MS } from '../shared/tuning';

/** A worker stand-in: records what was posted and lets the test answer. */
class FakeWorker implements WorkerLike {
  posted: ToWorker[] = [];
  transfers: Transferable[][] = [];
  terminated = false;
  private listeners = new Map<string, ((event: never) => void)[]>();
  postMessage(message: ToWorker, transfer: Transferable[] = []): void {
    this.posted.push(structuredClone(message));
    this.transfers.push(transfer);
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(type: string, listener: (event: never) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  removeEventListener(type: string, listener: (event: never) => void): void {
    this.listeners.set(type, (this.listeners.get(type) ?? []).filter((l) => l !== listener));
  }
  get listening(): number {
    return [...this.listeners.values()].reduce((n, l) => n + l.length, 0);
  }
  emit(type: string, event: unknown): void {
    for (const l of this.listeners.get(type) ?? []) l(event as never);
  }
  reply(...replies: Reply[]): void {
    this.emit('message', { data: { type: 'replies', replies } satisfies FromWorker });
  }
  get requests(): Request[] {
    return this.posted.flatMap((m) => (m.type === 'requests' ? m.requests : []));
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A clock the test moves by hand; its timers never fire (the tests run the watchdog themselves). */
function handClock() {
  let time = 0;
  const clock: Clock = { now: () => time, wallNow: () => time, setTimeout: () => 0, clearTimeout: () => undefined };
  return { clock, advance: (ms: number) => (time += ms) };
}

function setup(onStall?: (e: PendingRequest) => void, watchdogMs = 1_000_000) {
  const { clock, advance } = handClock();
  const worker = new FakeWorker();
  const rpc = new RpcClient(worker, { clock, onStall, watchdogMs });
  return { worker, rpc, advance };
}

describe('RpcClient', () => {
  it('coalesces requests made in one task into one message, with distinct ids', async () => {
    const { worker, rpc } = setup();
    const a = rpc.request({ op: 'call', fn: 'f', argJson: '1' }, { timeoutMs: 100 });
    const b = rpc.request({ op: 'call', fn: 'f', argJson: '2' }, { timeoutMs: 100 });
    await tick();
    expect(worker.posted).toHaveLength(1);
    const [ra, rb] = worker.requests;
    expect(ra!.id).not.toBe(rb!.id);
    // Replies are matched by id, not by order.
    worker.reply({ id: rb!.id, ok: true, value: 'B' }, { id: ra!.id, ok: true, value: 'A' });
    expect(await a).toBe('A');
    expect(await b).toBe('B');
  });

  it('revives errors with name, message, code and stack', async () => {
    const { worker, rpc } = setup();
    const p = rpc.request({ op: 'call', fn: 'f', argJson: '1' }, { timeoutMs: 100 });
    await tick();
    worker.reply({ id: worker.requests[0]!.id, ok: false, error: { name: 'HotwasmError', message: 'f trapped: unreachable', code: 'trap', stack: 'at f' } });
    const error = await p.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HotwasmError);
    expect(error).toMatchObject({ message: 'f trapped: unreachable', code: 'trap', stack: 'at f' });
  });

  it('times the oldest call from when it could start, not from when it was sent', async () => {
    const stalls: number[] = [];
    const { worker, rpc, advance } = setup((e) => stalls.push(e.request.id));
    void rpc.request({ op: 'call', fn: 'f', argJson: '1' }, { timeoutMs: 100 });
    void rpc.request({ op: 'call', fn: 'f', argJson: '2' }, { timeoutMs: 100 });
    await tick();
    const [first, second] = worker.requests;
    advance(90);
    rpc.check();
    worker.reply({ id: first!.id, ok: true, value: 1 }); // the second starts now
    advance(90); // 180 ms after it was sent, 90 ms after it could start
    rpc.check();
    expect(stalls).toEqual([]);
    advance(20);
    rpc.check();
    expect(stalls).toEqual([second!.id]);
  });

  it('rejects every pending call with a clear error when the worker crashes', async () => {
    const { worker, rpc } = setup();
    const calls = [1, 2, 3].map((n) => rpc.request({ op: 'call', fn: 'f', argJson: String(n) }, { timeoutMs: 100 }).catch((e: HotwasmError) => e));
    await tick();
    worker.emit('error', new Event('error'));
    for (const result of await Promise.all(calls)) {
      expect(result).toMatchObject({ code: 'worker-died', message: expect.stringMatching(/crashed/) });
    }
    // And later requests fail at once instead of hanging.
    await expect(rpc.request({ op: 'ping' }, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'worker-died' });
  });

  it('hands back pending requests on detach, so they can be re-sent elsewhere', async () => {
    const { worker, rpc } = setup();
    const p = rpc.request({ op: 'call', fn: 'f', argJson: '7' }, { timeoutMs: 100 });
    await tick();
    const entries = rpc.detach(new HotwasmError('worker-died', 'gone'));
    expect(entries).toHaveLength(1);
    const other = new FakeWorker();
    const rpc2 = new RpcClient(other, { watchdogMs: 1_000_000 });
    rpc2.adopt(entries);
    await tick();
    expect(other.requests[0]).toMatchObject({ op: 'call', argJson: '7' });
    other.reply({ id: other.requests[0]!.id, ok: true, value: 'again' });
    expect(await p).toBe('again');
    expect(worker.requests).toHaveLength(1);
  });

  it('drops late replies to calls that already failed', async () => {
    const { worker, rpc } = setup();
    const p = rpc.request({ op: 'call', fn: 'f', argJson: '1' }, { timeoutMs: 100 }).catch((e: Error) => e.message);
    await tick();
    const id = worker.requests[0]!.id;
    const [stalled] = rpc.detach(new HotwasmError('timeout', 'unused'));
    stalled!.reject(new Error('timed out'));
    worker.reply({ id, ok: true, value: 'late' });
    expect(await p).toBe('timed out');
  });

  it('rejects only the requests that cannot be cloned', async () => {
    const worker = new FakeWorker();
    worker.postMessage = () => {
      throw new DOMException('could not be cloned', 'DataCloneError');
    };
    const rpc = new RpcClient(worker, { watchdogMs: 1_000_000 });
    await expect(rpc.request({ op: 'ping' }, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'bad-arguments' });
    expect(rpc.pendingCount).toBe(0);
  });

  it('does not hold a stall of the page itself against the running request', async () => {
    const stalls: number[] = [];
    const { rpc, advance } = setup((e) => stalls.push(e.request.id), 25);
    void rpc.request({ op: 'call', fn: 'f', argJson: '1' }, { timeoutMs: 100 });
    await tick();
    advance(500); // a 500 ms long task on the page: the watchdog's tick comes that late
    rpc.check();
    expect(stalls).toEqual([]); // the reply may be waiting unread
    advance(30);
    rpc.check();
    expect(stalls).toEqual([]);
    advance(50); // 105 ms of the request's own time
    rpc.check();
    expect(stalls).toHaveLength(1);
  });

  it('refuses a reply of the wrong shape for its operation', async () => {
    const { worker, rpc } = setup();
    const p = rpc.request({ op: 'saveState' }, { timeoutMs: 100 });
    await tick();
    worker.reply({ id: worker.requests[0]!.id, ok: true, value: 'not a state' });
    await expect(p).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/save_state was answered with a value of the wrong shape/) });
  });

  it('on close, drops what was waiting to be sent, transferables included, and stops listening', async () => {
    const { worker, rpc } = setup();
    const state = new Uint8Array(8);
    const p = rpc.request({ op: 'restoreState', state }, { timeoutMs: 100, transfer: [state.buffer] }).catch((e: Error) => e.message);
    rpc.close(new HotwasmError('disposed', 'closed'));
    expect(await p).toBe('closed');
    await tick();
    expect(worker.posted).toEqual([]);
    expect(worker.listening).toBe(0);
    // A later request on a new client of the same worker carries only its own transferables.
    const rpc2 = new RpcClient(worker, { watchdogMs: 1_000_000 });
    void rpc2.request({ op: 'ping' }, { timeoutMs: 100 });
    await tick();
    expect(worker.transfers).toEqual([[]]);
  });

  it('times a timed request from the post of its message to its reply, with the time the worker reports', async () => {
    const { worker, rpc, advance } = setup();
    const timings: { guestMs: number | undefined; roundTripMs: number; by: RpcClient }[] = [];
    const timed = rpc.request({ op: 'call', fn: 'f', argJson: '1' }, { timeoutMs: 100, timed: (t, by) => timings.push({ ...t, by }), guestTime: true });
    const plain = rpc.request({ op: 'call', fn: 'f', argJson: '2' }, { timeoutMs: 100 });
    advance(5); // waiting for the message to go out does not count: the round trip starts at the post
    await tick();
    const [a, b] = worker.requests;
    // The worker is asked for its time in the message; both requests keep the shape of a call.
    expect(worker.posted).toEqual([{ type: 'requests', requests: [a, b], timed: [a!.id] }]);
    expect(Object.keys(a!)).toEqual(Object.keys(b!));
    advance(7);
    worker.reply({ id: a!.id, ok: true, value: 'A', ms: 0.25 }, { id: b!.id, ok: true, value: 'B', ms: 0.5 });
    expect(await timed).toBe('A');
    expect(await plain).toBe('B');
    expect(timings).toEqual([{ guestMs: 0.25, roundTripMs: 7, by: rpc }]);
  });

  it('times an adopted request from its new post, and leaves the guest time out when the worker gives none', async () => {
    const { worker, rpc, advance } = setup();
    const timings: number[] = [];
    const guest: (number | undefined)[] = [];
    const answer = rpc.request({ op: 'call', fn: 'f', argJson: '1' }, { timeoutMs: 100, timed: (t) => (timings.push(t.roundTripMs), guest.push(t.guestMs)) });
    await tick();
    advance(50);
    const next = setup();
    next.rpc.adopt(rpc.detach(new HotwasmError('worker-died', 'restarting')));
    await tick();
    next.advance(3);
    next.worker.reply({ id: next.worker.requests[0]!.id, ok: true, value: 'A' });
    expect(await answer).toBe('A');
    expect(timings).toEqual([3]);
    expect(guest).toEqual([undefined]);
    expect(worker.requests).toHaveLength(1);
  });

  it('tells once when the running request has kept the worker busy past BUSY_AFTER_MS, and again when it is answered', async () => {
    const { clock, advance } = handClock();
    const worker = new FakeWorker();
    let told = 0;
    const rpc = new RpcClient(worker, { clock, watchdogMs: 1_000_000, onBusyChange: () => told++ });
    const slow = rpc.request({ op: 'run', args: [], env: [] }, { timeoutMs: 60_000 });
    void rpc.request({ op: 'call', fn: 'f', argJson: '1' }, { timeoutMs: 60_000 });
    await tick();
    const [run, call] = worker.requests;
    advance(BUSY_AFTER_MS - 1);
    rpc.check();
    expect([told, rpc.busyWith()]).toEqual([0, null]);
    advance(2);
    rpc.check();
    rpc.check();
    expect(told).toBe(1);
    expect(rpc.busyWith()?.request.id).toBe(run!.id);
    worker.reply({ id: run!.id, ok: true, value: { exitCode: 0, stdout: '', stderr: '' } });
    await slow;
    expect([told, rpc.busyWith()]).toEqual([2, null]);
    // The next one is timed from when it could start: not busy yet.
    rpc.check();
    expect([told, rpc.busyWith()]).toEqual([2, null]);
    worker.reply({ id: call!.id, ok: true, value: 1 });
  });

  it('resolves idle() once every pending request is answered', async () => {
    const { worker, rpc } = setup();
    void rpc.request({ op: 'ping' }, { timeoutMs: 100 });
    let idle = false;
    void rpc.idle().then(() => (idle = true));
    await tick();
    expect(idle).toBe(false);
    worker.reply({ id: worker.requests[0]!.id, ok: true, value: null });
    await tick();
    expect(idle).toBe(true);
  });
});

describe('RpcClient after its worker stops', () => {
  it('does not send again a request whose transferables went with the stopped worker; the others go, in order', async () => {
    const { worker, rpc } = setup();
    const state = new Uint8Array(8);
    const calls = rpc.request({ op: 'call', fn: 'spin', argJson: '' }, { timeoutMs: 1000 });
    const snapshot = rpc.request({ op: 'restoreState', state }, { timeoutMs: 1000, transfer: [state.buffer] }).catch((e: unknown) => e);
    const after = rpc.request({ op: 'call', fn: 'get', argJson: '' }, { timeoutMs: 1000 });
    await tick();
    expect(worker.requests.map((r) => r.op)).toEqual(['call', 'restoreState', 'call']);
    const entries = rpc.detach(new HotwasmError('worker-died', 'stopped'));
    const next = setup();
    next.rpc.adopt(entries);
    await tick();
    expect(String(await snapshot)).toMatch(/was lost with its worker: what it carried went to that worker/);
    expect(next.worker.requests.map((r) => r.op)).toEqual(['call', 'call']);
    next.worker.reply({ id: next.worker.requests[0]!.id, ok: true, value: 1 }, { id: next.worker.requests[1]!.id, ok: true, value: 2 });
    expect(await calls).toBe(1);
    expect(await after).toBe(2);
  });

  it('a message that cannot be posted refuses only the request that cannot go', async () => {
    const { worker, rpc } = setup();
    const real = worker.postMessage.bind(worker);
    worker.postMessage = (message, transfer = []) => {
      if (message.type === 'requests' && message.requests.some((r) => r.op === 'saveState')) throw new DOMException('Port at index 0 is already neutered', 'DataCloneError');
      real(message, transfer);
    };
    const first = rpc.request({ op: 'ping' }, { timeoutMs: 1000 });
    const port = new MessageChannel().port1;
    const bad = rpc.request({ op: 'saveState', to: port }, { timeoutMs: 1000, transfer: [port] }).catch((e: unknown) => e);
    await tick();
    expect(String(await bad)).toContain('The request cannot be sent to the worker: Port at index 0 is already neutered');
    expect(worker.requests.map((r) => r.op)).toEqual(['ping']);
    worker.reply({ id: worker.requests[0]!.id, ok: true, value: null });
    expect(await first).toBeNull();
  });
});
