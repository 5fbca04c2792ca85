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
 * requests and stops as soon as `used()` says a request (or a wake-up) has arrived. One full
 * update is replayed, then lighter rounds that make no new instance (see `light`).
 */
import { packTexts } from '../shared/batch';
import type { Request, RequestBody } from '../shared/ops';
import type { FromWorker, GuestOptions, ToWorker } from '../shared/protocol';
import { WARM_UP_ROUNDS } from '../shared/tuning';
import { PREPARE, finalStateSteps, snapshotRequest, stagingSteps } from '../shared/update-plan';
import { describeLayout, readModuleLayout, sha256Hex } from '../shared/inspect';
import { packLayout } from '../shared/packed-layout';
import { PATCH_ROOM, memoryCap } from '../shared/memory-cap';
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
 * Answers the candidate's server (its guest stays alive for the lighter rounds), or null when
 * real work arrived meanwhile.
 */
async function update(module: Uint8Array, options: GuestOptions, failures: string[], used: () => boolean): Promise<Throwaway | null> {
  const serving = new Throwaway(failures, used);
  if (!(await serving.send([{ op: 'load', data: asThePageCopies(module), options }, { op: 'call', fn: 'echo', argJson: '"warm"' }]))) return null;
  const candidate = new Throwaway(failures, used);
  const shadow = new MessageChannel();
  const steps = stagingSteps({ apiMajor: 1, benchmarkBudgetMs: 1000, from: shadow.port2 });
  const staged = candidate.send([{ op: 'load', data: asThePageCopies(module), options }, steps.checkApi, steps.benchmark, steps.receiveState!, steps.health]);
  const snapshot = serving.send([snapshotRequest(shadow.port1)]);
  if (!(await staged) || !(await snapshot)) return null;
  const final = new MessageChannel();
  if (!(await candidate.send([PREPARE]))) return null;
  const cutover = candidate.send(finalStateSteps(final.port2));
  const saved = serving.send([snapshotRequest(final.port1)]);
  return (await cutover) && (await saved) ? candidate : null;
}

/**
 * A lighter round on the candidate's guest: the requests an update and the calls after it send
 * that make no new instance, and the load's own reading of the bytes. Every instance holds a
 * WebAssembly memory, which an idle worker would keep until its garbage collector runs (see
 * SparePool): the warm-up makes WARM_UP_INSTANCES (three) in all, in the first round.
 */
async function light(candidate: Throwaway, module: Uint8Array, failures: string[]): Promise<boolean> {
  const steps = stagingSteps({ apiMajor: 1, benchmarkBudgetMs: 1000, from: null });
  const sent = await candidate.send([
    steps.checkApi,
    steps.benchmark,
    steps.health,
    { op: 'call', fn: 'echo', argJson: '{"warm":[1,2,3]}' },
    { op: 'callRaw', fn: 'f7', args: [5] },
    { op: 'batch', fn: 'echo', args: packTexts(['1', '2']) },
    { op: 'saveState' },
    { op: 'restoreState', state: new Uint8Array(8) },
    { op: 'ping' },
  ]);
  if (!sent) return false;
  try {
    const layout = describeLayout(module, readModuleLayout(module, 'warm-up'), 'warm-up');
    packLayout(layout);
    memoryCap(module, 16);
    await sha256Hex(module);
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  }
  return true;
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
    const candidate = await update(module, options, failures, used);
    for (let i = 1; candidate && i < WARM_UP_ROUNDS; i++) if (!(await light(candidate, module, failures))) break;
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  }
  return failures;
}
