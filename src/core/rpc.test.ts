import { describe, expect, it } from 'vitest';
import { HotwasmError } from '../shared/errors';
import type { FromWorker, Reply, Request, ToWorker } from '../shared/protocol';
import { RpcClient, type PendingRequest, type WorkerLike } from './rpc';

/** A worker stand-in: records what was posted and lets the test answer. */
class FakeWorker implements WorkerLike {
  posted: ToWorker[] = [];
  terminated = false;
  private listeners = new Map<string, ((event: never) => void)[]>();
  postMessage(message: ToWorker): void {
    this.posted.push(structuredClone(message));
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(type: string, listener: (event: never) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
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

function setup(onStall?: (e: PendingRequest) => void) {
  let clock = 0;
  const worker = new FakeWorker();
  const rpc = new RpcClient(worker, { now: () => clock, onStall, watchdogMs: 1_000_000 });
  return { worker, rpc, advance: (ms: number) => (clock += ms) };
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
});
