/**
 * The one message protocol between the page (src/core) and a guest worker (src/worker).
 *
 * Requests carry ids; the worker answers every request exactly once, in the order it received
 * them (it is single-threaded and serves requests one after another). The page sends everything
 * asked for in one task as one message; the worker sends each reply before it starts the next
 * request, so the page always knows which request is running.
 */
import type { SerializedError } from './errors';
import type { ModuleLayoutInfo } from './inspect';

/** Numeric wasm values as JS sees them: i64 as BigInt. */
export type RawValue = number | bigint;

export interface GuestOptions {
  /** Label used in messages (the module's name or file name). */
  label: string;
  /** Hard cap on linear memory growth. */
  memoryBudgetBytes: number;
  /** WASI argv (argv[0] included). */
  args: string[];
  /** WASI environment as `KEY=value` strings. */
  env: string[];
}

/** What the worker learned while loading; the page adds name, version and timing. */
export interface LoadedGuest {
  layout: ModuleLayoutInfo;
  sha256: string;
  apiVersion: string | null;
  apiVersionSource: 'section' | 'export' | null;
  compileMs: number;
  instantiateMs: number;
  /** The compiled module, kept by the page to re-instantiate after a restart without recompiling. */
  module: WebAssembly.Module;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

export interface MeasureResult {
  iterations: number;
  totalMs: number;
  nsPerCall: number;
}

/** Every request, by operation. `id` is added by the RPC client. */
export type RequestBody =
  /**
   * `data` is a Blob for dropped or picked files (the page never reads it), else the page's copy
   * of the bytes, moved to the worker. The worker caps, compiles, inspects and hashes it.
   */
  | { op: 'load'; data: Uint8Array | Blob; options: GuestOptions }
  | { op: 'instantiate'; module: WebAssembly.Module; layout: ModuleLayoutInfo; options: GuestOptions }
  | { op: 'call'; fn: string; argJson: string }
  | { op: 'callRaw'; fn: string; args: RawValue[] }
  | { op: 'batch'; fn: string; argsJson: string[] }
  | { op: 'run'; args: string[]; env: string[] }
  | { op: 'measure'; fn: string; argJson: string | null; iterations: number }
  | { op: 'ping' }
  // Lifecycle (hot swap). State bytes travel as transferables, not copies. With `to`, the saved
  // state goes straight to another worker through a MessagePort (see StateMessage) instead of
  // coming back to the page.
  | { op: 'saveState'; to?: MessagePort }
  | { op: 'restoreState'; state: Uint8Array }
  // Update pipeline steps. Each runs only if no earlier step in this worker failed or refused;
  // otherwise it is answered with a `skipped` error (so requests can be sent together).
  /** Refuses when the loaded module's API major differs from `apiMajor` (both declared). */
  | { op: 'checkApi'; apiMajor: number | null }
  /** Runs benchmark_function when exported (null otherwise); refuses over `budgetMs`. */
  | { op: 'benchmark'; argJson: string; budgetMs: number }
  /** Waits for state on `from`, then restore_state (null without the export); refuses a non-zero code. */
  | { op: 'receiveState'; from: MessagePort }
  /** health_check (null without the export); refuses an answer other than ok. */
  | { op: 'health' }
  /** Instantiate a spare, untouched instance of the module for `renew`. */
  | { op: 'prepare' }
  /** Replace the current instance with a new, untouched one: the prepared one, else a new one. */
  | { op: 'renew' };

/** What a worker's `saveState { to }` posts on the port. */
export type StateMessage = { state: Uint8Array | null } | { error: SerializedError };

/** The ops that are update pipeline steps (see RequestBody). */
export const PIPELINE_OPS: ReadonlySet<Op> = new Set<Op>(['checkApi', 'benchmark', 'receiveState', 'health', 'prepare', 'renew']);

/** What a request gives up to the worker instead of copying: state bytes and ports. */
export function transferablesOf(body: RequestBody): Transferable[] {
  switch (body.op) {
    case 'restoreState':
      return [body.state.buffer as ArrayBuffer];
    case 'saveState':
      return body.to ? [body.to] : [];
    case 'receiveState':
      return [body.from];
    default:
      return [];
  }
}

export type Op = RequestBody['op'];

/** The value each operation answers with. */
export interface ResultOf {
  /** `buffer`: the one the bytes came in, handed back for the next load's copy (see BufferPool). */
  load: LoadedGuest & { buffer: ArrayBuffer | null };
  instantiate: { instantiateMs: number };
  call: unknown;
  callRaw: RawValue | RawValue[] | undefined;
  batch: Settled<unknown>[];
  run: RunResult;
  measure: MeasureResult;
  ping: null;
  /** `state` null when the module does not export save_state, or when it was sent `to` a port. */
  saveState: { state: Uint8Array | null; ms: number };
  /** `code` 0 = accepted. */
  restoreState: { code: number; ms: number };
  checkApi: { compatible: boolean };
  /** null when the module does not export benchmark_function. */
  benchmark: { ms: number } | null;
  /** null when the module does not export restore_state or no state came. */
  receiveState: { code: number; ms: number; bytes: number } | null;
  /** null when the module does not export health_check. */
  health: { text: string; healthy: boolean } | null;
  prepare: { instantiateMs: number };
  renew: { instantiateMs: number };
}

export type Request = RequestBody & { id: number };
export type RequestOf<O extends Op> = Extract<RequestBody, { op: O }>;

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

export type OutputStream = 'stdout' | 'stderr';

export type ToWorker =
  | { type: 'requests'; requests: Request[] }
  /** A load is coming: wake up (and stop warming up) while the page prepares it. */
  | { type: 'wake' };

export type FromWorker =
  | { type: 'replies'; replies: Reply[] }
  /** Guest output, decoded as UTF-8 in a streaming way (a character split across writes is kept whole). */
  | { type: 'output'; stream: OutputStream; text: string };
