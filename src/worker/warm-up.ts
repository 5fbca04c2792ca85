/**
 * Warm-up for a fresh spare worker: while it waits to be used, replay the requests an update
 * sends (src/shared/update-plan.ts: load, the staging steps, a state hand-over through a
 * MessagePort, the held cutover, calls and checkpoints) on a throwaway guest
 * (fixtures/warm-up/warm-up.wat) through throwaway request servers, so that the first real update
 * does not pay for compiling hotwasm's own code in this worker's fresh JavaScript engine.
 *
 * JavaScript functions are compiled to bytecode the first time they run, and optimised once they
 * have run for a while: a cold worker spent 0.3–0.5 ms of an update in its message handler alone
 * (traced in headless Chromium), and reading the layout of a 1 MiB module took 1.6 ms cold and
 * 0.3 ms warm. The guest has a few thousand exported functions, a WASI import, a data segment and
 * custom sections, so the binary reader's loops run long enough to be optimised.
 *
 * Real work always wins: the warm-up yields to the worker's event loop between every two
 * requests and stops as soon as `used()` says a request (or a wake-up) has arrived.
 */
import type { Request, RequestBody } from '../shared/ops';
import type { FromWorker, GuestOptions, ToWorker } from '../shared/protocol';
import { WARM_UP_ROUNDS } from '../shared/tuning';
import { PREPARE, finalStateSteps, snapshotRequest, stagingSteps } from '../shared/update-plan';
import { PATCH_ROOM } from '../shared/wasm-binary';
import { WorkerServer } from './server';
import { WARM_UP_WASM_BASE64 } from './warm-up-module';

/** The warm-up guest's bytes. */
export function warmUpModule(): Uint8Array {
  const text = atob(WARM_UP_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** A copy of `bytes` as the page makes one (BufferPool): with room after it. */
function asThePageCopies(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(new ArrayBuffer(bytes.length + PATCH_ROOM), 0, bytes.length);
  copy.set(bytes);
  return copy;
}

/** Let the worker's event loop run: a real request waiting behind the warm-up goes first. */
const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A request server that answers into a queue, for requests sent as the page sends them. */
class Throwaway {
  private readonly server: WorkerServer;
  private readonly waiting = new Map<number, () => void>();
  private nextId = 1;

  constructor(
    failures: string[],
    private readonly used: () => boolean,
  ) {
    this.server = new WorkerServer((message: FromWorker) => {
      if (message.type !== 'replies') return;
      for (const reply of message.replies) {
        if (!reply.ok) failures.push(reply.error.message);
        this.waiting.get(reply.id)?.();
      }
    });
  }

  /**
   * Send requests in one message; resolves when all are answered (failures included), with
   * false instead when real work has arrived meanwhile (nothing is sent then).
   */
  async send(bodies: RequestBody[]): Promise<boolean> {
    await yieldToEvents();
    if (this.used()) return false;
    const requests = bodies.map((body) => ({ ...body, id: this.nextId++ }) as Request);
    const answered = requests.map((r) => new Promise<void>((resolve) => this.waiting.set(r.id, resolve)));
    this.server.receive({ type: 'requests', requests } satisfies ToWorker);
    await Promise.all(answered);
    return true;
  }
}

/**
 * One update's requests, as the pipeline sends them: a serving version, a candidate staged with
 * every step and the serving version's state, the held cutover, then calls and a checkpoint.
 */
async function round(module: Uint8Array, options: GuestOptions, failures: string[], used: () => boolean): Promise<boolean> {
  const serving = new Throwaway(failures, used);
  if (!(await serving.send([{ op: 'load', data: asThePageCopies(module), options }, { op: 'call', fn: 'echo', argJson: '"warm"' }]))) return false;
  const candidate = new Throwaway(failures, used);
  const shadow = new MessageChannel();
  const steps = stagingSteps({ apiMajor: 1, benchmarkBudgetMs: 1000, from: shadow.port2 });
  const staged = candidate.send([{ op: 'load', data: asThePageCopies(module), options }, steps.checkApi, steps.benchmark, steps.receiveState!, steps.health]);
  const snapshot = serving.send([snapshotRequest(shadow.port1)]);
  if (!(await staged) || !(await snapshot)) return false;
  const final = new MessageChannel();
  if (!(await candidate.send([PREPARE]))) return false;
  const cutover = candidate.send(finalStateSteps(final.port2));
  const saved = serving.send([snapshotRequest(final.port1)]);
  if (!(await cutover) || !(await saved)) return false;
  if (!(await candidate.send([{ op: 'call', fn: 'echo', argJson: '{"warm":[1,2,3]}' }, { op: 'callRaw', fn: 'f7', args: [5] }, { op: 'saveState' }, { op: 'ping' }]))) return false;
  return candidate.send([{ op: 'restoreState', state: new Uint8Array(8) }, { op: 'batch', fn: 'echo', argsJson: ['1', '2'] }]);
}

/**
 * Run {@link WARM_UP_ROUNDS} rounds, unless `used` says real work has arrived. Answers the
 * messages of the requests that failed (for tests: a warm-up that fails only means the first
 * load is a little slower).
 */
export async function warmUp(used: () => boolean = () => false): Promise<string[]> {
  const failures: string[] = [];
  const options: GuestOptions = { label: 'warm-up', memoryBudgetBytes: 1 << 20, args: [], env: [] };
  const module = warmUpModule();
  try {
    for (let i = 0; i < WARM_UP_ROUNDS; i++) if (!(await round(module, options, failures, used))) break;
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  }
  return failures;
}
