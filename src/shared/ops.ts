/**
 * Every operation a page asks of a guest worker, defined once: what it sends, what it answers,
 * what it gives up instead of copying, which setting bounds it, how it is named in messages,
 * and how its answer is checked on arrival. The RPC client (src/core/rpc.ts) and the worker's
 * handler map (src/worker/server.ts) are both typed from {@link OpTable}: an operation added
 * here but not handled there fails to compile, and so does one handled with the wrong result.
 */
import { type PackedBatch, type PackedTexts, isPackedBatch } from './batch';
import { type PackedLayout, isPackedLayout } from './packed-layout';
import type { GuestOptions, LoadedGuest, MeasureResult, RawValue, RunResult } from './protocol';

/**
 * A call made to be timed (ModuleHandle.callTimed): it answers with its timing, including how
 * long the worker spent serving it — the guest's own time, as opposed to the round trip the page
 * sees. The worker is asked for that in the message, not by this field (RequestOptions.guestTime),
 * and only when asked: most calls are nobody's to read, and two clock reads are a noticeable
 * share of a call served in the worker (~0.4 µs).
 */
export interface Timed {
  timed?: true;
}

/** Each operation's request fields (besides `op`) and result. */
export interface OpTable {
  /**
   * `data` is a Blob for dropped or picked files (the page never reads it), else the page's copy
   * of the bytes, moved to the worker. The worker caps, compiles, inspects and hashes it, and
   * hands the bytes back (`bytes`, moved): the engine keeps them as the version's bytes. The
   * layout travels packed (see packed-layout.ts), in both directions.
   */
  load: { request: { data: Uint8Array | Blob; options: GuestOptions }; result: Omit<LoadedGuest, 'layout'> & { layout: PackedLayout; bytes: Uint8Array } };
  instantiate: { request: { module: WebAssembly.Module; layout: PackedLayout; options: GuestOptions }; result: { instantiateMs: number } };
  call: { request: { fn: string; argJson: string } & Timed; result: unknown };
  callRaw: { request: { fn: string; args: RawValue[] } & Timed; result: RawValue | RawValue[] | undefined };
  /**
   * The arguments' JSON texts and the results' packed (see batch.ts); the page parses each result.
   * The arguments are copied, not moved: a batch queued behind a call that stops its worker is
   * sent again to the restarted one.
   */
  batch: { request: { fn: string; args: PackedTexts }; result: PackedBatch };
  run: { request: { args: string[]; env: string[] }; result: RunResult };
  measure: { request: { fn: string; argJson: string | null; iterations: number }; result: MeasureResult };
  ping: { request: object; result: null };
  /**
   * Lifecycle (hot swap). `state` is null when the module has no save_state, or when it was sent
   * `to` a port: with `to`, the state goes straight to another worker (see StateMessage).
   */
  saveState: { request: { to?: MessagePort }; result: { state: Uint8Array | null; ms: number } };
  /** `code` 0 = accepted. */
  restoreState: { request: { state: Uint8Array }; result: { code: number; ms: number } };
  // Update pipeline steps (`step: true` below): each runs only if no earlier step in this worker
  // failed or refused; otherwise it is answered with a `skipped` error, so steps can be sent
  // together with the load.
  /** Refuses when the loaded module's API major differs from `apiMajor` (both declared). */
  checkApi: { request: { apiMajor: number | null }; result: { compatible: boolean } };
  /** Runs benchmark_function when exported (null otherwise); refuses over `budgetMs`. */
  benchmark: { request: { argJson: string; budgetMs: number }; result: { ms: number } | null };
  /** Waits for state on `from`, then restore_state (null without the export or without state); refuses a non-zero code. */
  receiveState: { request: { from: MessagePort }; result: { code: number; ms: number; bytes: number } | null };
  /** health_check (null without the export); refuses an answer other than ok. */
  health: { request: object; result: { text: string; healthy: boolean } | null };
  /** Instantiate a spare, untouched instance of the module for `renew`. */
  prepare: { request: object; result: { instantiateMs: number } };
  /** Replace the current instance with a new, untouched one: the prepared one, else a new one. */
  renew: { request: object; result: { instantiateMs: number } };
}

export type Op = keyof OpTable;
export type RequestOf<O extends Op> = { op: O } & OpTable[O]['request'];
export type ResultOf<O extends Op> = OpTable[O]['result'];
/** Any request body. */
export type RequestBody = { [O in Op]: RequestOf<O> }[Op];
/** A request as sent: the body and the id the RPC client gave it. */
export type Request = RequestBody & { id: number };

/** What the engine says when no more WebAssembly memory can be reserved (a load can then be retried elsewhere). */
export const OUT_OF_MEMORY = /allocate (?:Wasm )?memory/i;

/** The setting that bounds an operation, named in timeout messages. */
export type TimeoutSetting = 'call_timeout_ms' | 'load_timeout_ms' | 'validation_timeout_ms';

export interface OpSpec<O extends Op> {
  timeout: TimeoutSetting;
  /** The operation in words, as the start of a sentence: "The call to increment". */
  describe(request: RequestOf<O>): string;
  /** What the request gives up to the worker instead of copying: state bytes and ports. */
  transfer?(request: RequestOf<O>): Transferable[];
  /** An update pipeline step (see OpTable). */
  step?: true;
  /** Leaves the guest's state as it was (a cutover may use a snapshot taken before it). */
  keepsState?: true;
  /** Asked for by a user (a call, a run): what stop() stops. Lifecycle requests are the engine's own, bounded by their timeouts. */
  asked?: true;
  /** Is an answer of the right shape? Checked on arrival: the worker runs guest code. */
  check(value: unknown): boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const num = (v: unknown, key: string) => isObject(v) && typeof v[key] === 'number';
const orNull = (check: (v: unknown) => boolean) => (v: unknown) => v === null || check(v);
const isRaw = (v: unknown) => typeof v === 'number' || typeof v === 'bigint';
const instantiated = (v: unknown) => num(v, 'instantiateMs');
const callOf = ({ fn }: { fn: string }) => `The call to ${fn}`;

export const OPS: { readonly [O in Op]: OpSpec<O> } = {
  load: {
    timeout: 'load_timeout_ms',
    describe: () => 'Instantiating the module',
    check: (v) => isObject(v) && typeof v.sha256 === 'string' && v.bytes instanceof Uint8Array && isPackedLayout(v.layout) && v.module instanceof WebAssembly.Module,
  },
  instantiate: { timeout: 'load_timeout_ms', describe: () => 'Instantiating the module', check: instantiated },
  call: { timeout: 'call_timeout_ms', describe: callOf, asked: true, check: () => true },
  callRaw: { timeout: 'call_timeout_ms', describe: callOf, asked: true, check: (v) => v === undefined || isRaw(v) || (Array.isArray(v) && v.every(isRaw)) },
  batch: { timeout: 'call_timeout_ms', describe: ({ fn }) => `The batch of calls to ${fn}`, asked: true, check: isPackedBatch },
  run: { timeout: 'call_timeout_ms', describe: () => 'The command run', asked: true, check: (v) => num(v, 'exitCode') },
  measure: { timeout: 'call_timeout_ms', describe: callOf, asked: true, check: (v) => num(v, 'nsPerCall') },
  ping: { timeout: 'validation_timeout_ms', describe: () => 'The ping', keepsState: true, check: (v) => v === null },
  saveState: {
    timeout: 'validation_timeout_ms',
    describe: () => 'save_state',
    transfer: ({ to }) => (to ? [to] : []),
    keepsState: true,
    check: (v) => num(v, 'ms') && ((v as { state: unknown }).state === null || (v as { state: unknown }).state instanceof Uint8Array),
  },
  restoreState: {
    timeout: 'validation_timeout_ms',
    describe: () => 'restore_state',
    transfer: ({ state }) => [state.buffer as ArrayBuffer],
    check: (v) => num(v, 'code'),
  },
  checkApi: { timeout: 'validation_timeout_ms', describe: () => 'Checking the API version', step: true, check: (v) => isObject(v) && typeof v.compatible === 'boolean' },
  benchmark: { timeout: 'validation_timeout_ms', describe: () => 'benchmark_function', step: true, check: orNull((v) => num(v, 'ms')) },
  receiveState: { timeout: 'validation_timeout_ms', describe: () => 'restore_state', transfer: ({ from }) => [from], step: true, check: orNull((v) => num(v, 'code')) },
  health: { timeout: 'validation_timeout_ms', describe: () => 'health_check', step: true, check: orNull((v) => isObject(v) && typeof v.healthy === 'boolean') },
  prepare: { timeout: 'validation_timeout_ms', describe: () => 'Instantiating the module', step: true, check: instantiated },
  renew: { timeout: 'validation_timeout_ms', describe: () => 'Instantiating the module', step: true, check: instantiated },
};

/** The spec of a request's operation (one cast here instead of one per caller). */
export function specOf<O extends Op>(request: RequestOf<O>): OpSpec<O> {
  return OPS[request.op] as OpSpec<O>;
}

export function transferablesOf<O extends Op>(request: RequestOf<O>): Transferable[] {
  return specOf(request).transfer?.(request) ?? [];
}

export function describeRequest<O extends Op>(request: RequestOf<O>): string {
  return specOf(request).describe(request);
}
