/**
 * Warm-up for a spare worker: while it waits to be used, run the request paths an update takes
 * (load, the pipeline steps, a state hand-over through a MessagePort, calls) on a throwaway module
 * through throwaway request servers, so that the first real update does not pay for compiling
 * hotwasm's own code in this worker's fresh JavaScript engine.
 *
 * JavaScript functions are compiled to bytecode the first time they run, and optimised once they
 * have run for a while: a cold worker spent 0.3–0.5 ms of an update in its message handler alone
 * (traced in headless Chromium), and reading the layout of a 1 MiB module took 1.6 ms cold and
 * 0.3 ms warm. The module is therefore generated with a few thousand functions and exports, a
 * WASI import, a data segment and custom sections, so the binary reader's loops run long enough
 * to be optimised for the shapes real guests have.
 */
import type { FromWorker, GuestOptions, Request, RequestBody, ToWorker } from '../shared/protocol';
import { PATCH_ROOM } from '../shared/wasm-binary';
import { WorkerServer } from './server';

/**
 * Rounds of an update's requests, the first ones on a module of 3,000 functions (long loops),
 * the rest on one of 300 (many quick requests). Measured on the 2-core machine the benchmarks
 * run on, a 100 KiB update took 4.6–5.5 ms after 2 rounds, 2.8 ms after 4, 2.3–2.5 ms after 8
 * (4 large, 4 small: about 90 ms of one core in all, done long before a user's next edit). More
 * rounds made it worse when the next update came while the warm-up still ran.
 */
const ROUNDS = 8;
const LARGE_ROUNDS = 4;

/** Where the warm-up module keeps its state and the text "ok" (health_check's answer). */
const STATE_AT = 1024;
const OK_AT = 2048;

/** Bytes of a module under construction: LEB128 numbers, names, sections. */
class Bytes {
  bytes: number[] = [];
  u32(value: number): this {
    do {
      const byte = value & 0x7f;
      value >>>= 7;
      this.bytes.push(value === 0 ? byte : byte | 0x80);
    } while (value !== 0);
    return this;
  }
  /** Signed LEB128. */
  s64(value: bigint): this {
    for (;;) {
      const byte = Number(value & 0x7fn);
      value >>= 7n;
      const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
      this.bytes.push(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }
  raw(...bytes: number[]): this {
    for (const b of bytes) this.bytes.push(b);
    return this;
  }
  name(text: string): this {
    const utf8 = new TextEncoder().encode(text);
    this.u32(utf8.length);
    for (const b of utf8) this.bytes.push(b);
    return this;
  }
  section(id: number, body: Bytes): this {
    this.bytes.push(id);
    this.u32(body.bytes.length);
    for (const b of body.bytes) this.bytes.push(b);
    return this;
  }
}

/**
 * A reactor with the whole ABI: memory, alloc, an `echo` JSON call (also its benchmark_function),
 * save_state, restore_state and health_check; a WASI import; `functions` filler functions each
 * exported; a data segment and custom sections (api_version among them).
 */
export function warmUpModule(functions: number): Uint8Array {
  const I32 = 0x7f;
  const I64 = 0x7e;
  const types = new Bytes()
    .u32(5)
    .raw(0x60, 1, I32, 1, I32) // 0: (i32) -> i32: alloc and the fillers
    .raw(0x60, 2, I32, I32, 1, I64) // 1: (i32, i32) -> i64: echo
    .raw(0x60, 0, 1, I64) // 2: () -> i64: save_state, health_check
    .raw(0x60, 2, I32, I32, 1, I32) // 3: (i32, i32) -> i32: restore_state
    .raw(0x60, 4, I32, I32, I32, I32, 1, I32); // 4: fd_write
  const imports = new Bytes().u32(1).name('wasi_snapshot_preview1').name('fd_write').raw(0x00, 4);
  // Function 0 is the import; the module's own functions follow: alloc, echo, save_state,
  // restore_state, health_check, then the fillers.
  const own = [0, 1, 2, 3, 2];
  const first = 1 + own.length;
  const funcs = new Bytes().u32(own.length + functions).raw(...own);
  for (let i = 0; i < functions; i++) funcs.raw(0);
  const memory = new Bytes().u32(1).raw(0x00, 1); // one page, no maximum: the budget rewrite runs too
  const exports = new Bytes().u32(7 + functions);
  exports.name('memory').raw(0x02, 0);
  for (const [name, index] of [['alloc', 1], ['echo', 2], ['benchmark_function', 2], ['save_state', 3], ['restore_state', 4], ['health_check', 5]] as const) {
    exports.name(name).raw(0x00).u32(index);
  }
  for (let i = 0; i < functions; i++) exports.name(`f${i}`).raw(0x00).u32(i + first);
  const code = new Bytes().u32(own.length + functions);
  const body = (b: Bytes) => code.u32(b.bytes.length + 1).raw(0x00, ...b.bytes); // no locals
  const packed = (ptr: number, len: number) => new Bytes().raw(0x42).s64((BigInt(ptr) << 32n) | BigInt(len)).raw(0x0b);
  body(new Bytes().raw(0x41).s64(BigInt(STATE_AT + 16)).raw(0x0b)); // alloc: past the state
  // echo: the argument slice back, packed as (ptr << 32) | len
  body(new Bytes().raw(0x20, 0x00, 0xad, 0x42, 0x20, 0x86, 0x20, 0x01, 0xad, 0x84, 0x0b));
  body(packed(STATE_AT, 8)); // save_state: 8 bytes of state
  body(new Bytes().raw(0x41, 0x00, 0x0b)); // restore_state: accepted
  body(packed(OK_AT, 2)); // health_check: "ok"
  for (let i = 0; i < functions; i++) body(new Bytes().raw(0x20, 0x00, 0x41).u32(i & 0x3f).raw(0x6a, 0x0b)); // x + i
  const data = new Bytes().u32(1).raw(0x00, 0x41).s64(BigInt(OK_AT)).raw(0x0b).name('ok');
  const custom = (name: string, payload: string) => {
    const b = new Bytes().name(name);
    for (const byte of new TextEncoder().encode(payload)) b.raw(byte);
    return b;
  };
  const module = new Bytes()
    .raw(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)
    .section(1, types)
    .section(2, imports)
    .section(3, funcs)
    .section(5, memory)
    .section(7, exports)
    .section(10, code)
    .section(11, data)
    .section(0, custom('api_version', '1.0.0'))
    .section(0, custom('build', 'warm-up'));
  return new Uint8Array(module.bytes);
}

/** A copy of `bytes` as the page makes one (BufferPool): with room after it. */
function asThePageCopies(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new ArrayBuffer(bytes.length + PATCH_ROOM), 0, bytes.length);
  copy.set(bytes);
  return copy;
}

/** A request server that answers into a queue, for requests sent as the page sends them. */
class Throwaway {
  private readonly server: WorkerServer;
  private readonly waiting = new Map<number, () => void>();
  private nextId = 1;

  constructor(failures: string[]) {
    this.server = new WorkerServer((message: FromWorker) => {
      if (message.type !== 'replies') return;
      for (const reply of message.replies) {
        if (!reply.ok) failures.push(reply.error.message);
        this.waiting.get(reply.id)?.();
      }
    });
  }

  /** Send requests in one message; resolves when all are answered (failures included). */
  send(bodies: RequestBody[]): Promise<void> {
    const requests = bodies.map((body) => ({ ...body, id: this.nextId++ }) as Request);
    const answered = requests.map((r) => new Promise<void>((resolve) => this.waiting.set(r.id, resolve)));
    this.server.receive({ type: 'requests', requests } satisfies ToWorker);
    return Promise.all(answered).then(() => undefined);
  }
}

/**
 * Run an update's requests on warm-up modules ({@link ROUNDS} times), unless `used` says real
 * work has arrived. Answers the messages of the requests that failed (for tests: a warm-up that fails
 * only means the first load is a little slower).
 */
export async function warmUp(used: () => boolean = () => false): Promise<string[]> {
  const failures: string[] = [];
  const options: GuestOptions = { label: 'warm-up', memoryBudgetBytes: 1 << 20, args: [], env: [] };
  const large = warmUpModule(3000);
  let small: Uint8Array | null = null;
  try {
    for (let i = 0; i < ROUNDS && !used(); i++) {
      // The version serving, then a candidate staged with every pipeline step, as an update does.
      const module = i < LARGE_ROUNDS ? large : (small ??= warmUpModule(300));
      const serving = new Throwaway(failures);
      await serving.send([{ op: 'load', data: asThePageCopies(module), options }, { op: 'call', fn: 'echo', argJson: '"warm"' }]);
      if (used()) break;
      const candidate = new Throwaway(failures);
      const channel = new MessageChannel();
      const snapshot = serving.send([{ op: 'saveState', to: channel.port1 }]);
      await candidate.send([
        { op: 'load', data: asThePageCopies(module), options },
        { op: 'checkApi', apiMajor: 1 },
        { op: 'benchmark', argJson: 'null', budgetMs: 1000 },
        { op: 'receiveState', from: channel.port2 },
        { op: 'health' },
      ]);
      await snapshot;
      if (used()) break;
      // The held cutover's requests, then calls and checkpoints on the new version.
      await candidate.send([{ op: 'prepare' }, { op: 'renew' }, { op: 'restoreState', state: new Uint8Array(8) }, { op: 'health' }]);
      await candidate.send([{ op: 'call', fn: 'echo', argJson: '{"warm":[1,2,3]}' }, { op: 'callRaw', fn: 'f7', args: [5] }, { op: 'saveState' }, { op: 'ping' }]);
    }
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  }
  return failures;
}
