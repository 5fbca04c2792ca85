/**
 * The one message protocol between the page (src/core) and a guest worker (src/worker).
 *
 * The operations themselves are defined in ./ops.ts. Requests carry ids; the worker answers every
 * request exactly once, in the order it received them (it is single-threaded and serves requests one after another). The page sends everything
 * asked for in one task as one message; the worker sends each reply before it starts the next
 * request, so the page always knows which request is running.
 */
import type { SerializedError } from './errors';
import type { ModuleLayoutInfo } from './inspect';
import type { Request } from './ops';

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

/** What a worker's `saveState { to }` posts on the port. */
export type StateMessage = { state: Uint8Array | null } | { error: SerializedError };

/**
 * The answer to one request. Its value is checked against the op's result on arrival (OPS[op].check).
 * `ms`, for a request that asked for it (its id in the message's `timed`), is how long the worker spent serving it.
 */
export type Reply = { id: number; ok: true; value: unknown; ms?: number } | { id: number; ok: false; error: SerializedError };

export type OutputStream = 'stdout' | 'stderr';

export type ToWorker =
  /** `timed`: ids of the requests (calls) whose reply should say how long the worker spent serving them (Reply.ms). */
  | { type: 'requests'; requests: Request[]; timed?: number[] }
  /** A load is coming: wake up (and stop warming up) while the page prepares it. */
  | { type: 'wake' }
  /** A spare with time to spare: warm up until real work arrives, then say `ready` (src/worker/warm-up.ts). */
  | { type: 'warm-up' }
  /**
   * Forget the guest: the worker becomes a spare for another module's load. Sent only to an idle
   * worker (every request answered), so it is served before whatever is sent after it.
   */
  | { type: 'reset' };

export type FromWorker =
  | { type: 'replies'; replies: Reply[] }
  /** Guest output, decoded as UTF-8 in a streaming way (a character split across writes is kept whole). */
  | { type: 'output'; stream: OutputStream; text: string }
  /** A fresh worker finished (or stopped) the warm-up it was asked for: spares that sent it are preferred. */
  | { type: 'ready' };
