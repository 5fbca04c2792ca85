import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WatRequest } from './protocol';
import { createWatToolchain } from './wat-client';

/** A worker that records what it is sent and answers when the test says so. */
class FakeWorker extends EventTarget {
  readonly received: { message: WatRequest; transfer: Transferable[] }[] = [];
  terminated = false;
  postMessage(message: WatRequest, transfer: Transferable[] = []) {
    this.received.push({ message, transfer });
  }
  terminate() {
    this.terminated = true;
  }
  reply(data: unknown) {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
  crash(message: string) {
    const event = new Event('error') as Event & { message: string };
    event.message = message;
    this.dispatchEvent(event);
  }
}

function setUp(timeoutMs?: number) {
  const workers: FakeWorker[] = [];
  const toolchain = createWatToolchain({
    timeoutMs,
    workerFactory: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker as unknown as Worker;
    },
  });
  return { toolchain, workers };
}

const ok = (bytes = [0, 97, 115, 109]) => ({ ok: true, bytes: new Uint8Array(bytes), ms: 1 });

describe('createWatToolchain', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts no worker until it is used, then one for every call', async () => {
    const { toolchain, workers } = setUp();
    expect(workers).toHaveLength(0);
    void toolchain.compile('(module)', 'a.wat');
    void toolchain.toText(new Uint8Array([0, 97, 115, 109]));
    expect(workers).toHaveLength(1);
    expect(workers[0]?.received.map((r) => r.message.op)).toEqual(['compile', 'toText']);
  });

  it('matches replies to requests by id, whatever order they come in', async () => {
    const { toolchain, workers } = setUp();
    const first = toolchain.compile('(module)', 'a.wat');
    const second = toolchain.compile('(module (func))', 'b.wat');
    const [a, b] = workers[0]?.received.map((r) => r.message.id) ?? [];
    workers[0]?.reply({ op: 'compile', id: b, result: ok([2]) });
    workers[0]?.reply({ op: 'compile', id: a, result: ok([1]) });
    expect(await first).toEqual(ok([1]));
    expect(await second).toEqual(ok([2]));
  });

  it('sends toText a copy of the bytes, moved, so the caller keeps theirs', async () => {
    const { toolchain, workers } = setUp();
    const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    const answered = toolchain.toText(bytes.subarray(0, 8));
    const sent = workers[0]?.received[0];
    const sentBytes = sent?.message.op === 'toText' ? sent.message.bytes : null;
    expect(sentBytes).not.toBe(bytes);
    expect(sent?.transfer).toEqual([sentBytes?.buffer]);
    workers[0]?.reply({ op: 'toText', id: sent?.message.id, result: { ok: true, text: '(module)', ms: 1 } });
    expect(await answered).toEqual({ ok: true, text: '(module)', ms: 1 });
    expect([...bytes]).toEqual([0, 97, 115, 109, 1, 0, 0, 0]);
  });

  it('answers a reply of the wrong shape with ok: false instead of passing it on', async () => {
    const { toolchain, workers } = setUp();
    const answered = toolchain.compile('(module)', 'a.wat');
    workers[0]?.reply({ op: 'compile', id: workers[0].received[0]?.message.id, result: { ok: true } });
    expect(await answered).toEqual({ ok: false, message: 'The WAT compiler sent an answer of the wrong shape', diagnostics: [] });
  });

  it('stops a worker that does not answer in time and answers every pending request', async () => {
    const { toolchain, workers } = setUp();
    const running = toolchain.compile('(module)', 'a.wat');
    const waiting = toolchain.toText(new Uint8Array([0, 97, 115, 109]));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(workers[0]?.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(workers[0]?.terminated).toBe(true);
    const message = 'The WAT compiler did not answer within 10 s and was stopped';
    expect(await running).toEqual({ ok: false, message, diagnostics: [] });
    expect(await waiting).toEqual({ ok: false, message });
    // The next call gets a fresh worker.
    void toolchain.compile('(module)', 'a.wat');
    expect(workers).toHaveLength(2);
  });

  it('gives each request its own time, counted from when it starts running', async () => {
    const { toolchain, workers } = setUp(1_000);
    const first = toolchain.compile('(module)', 'a.wat');
    const second = toolchain.compile('(module)', 'b.wat');
    await vi.advanceTimersByTimeAsync(900);
    workers[0]?.reply({ op: 'compile', id: workers[0].received[0]?.message.id, result: ok() });
    expect(await first).toEqual(ok());
    // 900 ms after it was sent, the second only now runs: it has its full second.
    await vi.advanceTimersByTimeAsync(900);
    expect(workers[0]?.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(await second).toMatchObject({ ok: false, message: 'The WAT compiler did not answer within 1 s and was stopped' });
  });

  it('answers pending requests when the worker crashes, and starts a fresh one for the next', async () => {
    const { toolchain, workers } = setUp();
    const pending = toolchain.compile('(module)', 'a.wat');
    workers[0]?.crash('Uncaught RangeError: out of memory');
    expect(await pending).toEqual({ ok: false, message: 'The WAT compiler stopped: Uncaught RangeError: out of memory', diagnostics: [] });
    expect(workers[0]?.terminated).toBe(true);
    const next = toolchain.compile('(module)', 'a.wat');
    expect(workers).toHaveLength(2);
    // A late message from the old worker is not taken for the new one's answer.
    workers[0]?.reply({ op: 'compile', id: workers[1]?.received[0]?.message.id, result: ok([9]) });
    workers[1]?.reply({ op: 'compile', id: workers[1].received[0]?.message.id, result: ok([1]) });
    expect(await next).toEqual(ok([1]));
  });

  it('answers pending and later calls after dispose, and starts no worker again', async () => {
    const { toolchain, workers } = setUp();
    const pending = toolchain.toText(new Uint8Array([0, 97, 115, 109]));
    toolchain.dispose();
    expect(await pending).toEqual({ ok: false, message: 'The WAT toolchain was disposed' });
    expect(await toolchain.compile('(module)', 'a.wat')).toEqual({ ok: false, message: 'The WAT toolchain was disposed', diagnostics: [] });
    expect(workers).toHaveLength(1);
  });

  it('answers a request the worker cannot be sent', async () => {
    const { toolchain, workers } = setUp();
    void toolchain.compile('(module)', 'a.wat');
    (workers[0] as FakeWorker).postMessage = () => {
      throw new DOMException('could not be cloned', 'DataCloneError');
    };
    expect(await toolchain.compile('(module)', 'b.wat')).toEqual({ ok: false, message: 'The WAT compiler could not be asked: could not be cloned', diagnostics: [] });
  });
});
