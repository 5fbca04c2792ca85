/**
 * The one message protocol between the page (src/core) and a guest worker (src/worker).
 *
 * Requests carry ids; the worker answers every request exactly once, in the order it received
 * them (it is single-threaded and serves requests one after another). Several requests and
 * replies travel in one message: the page coalesces everything sent in one task, and the worker
 * answers a message's requests together (flushing early during long work so progress is visible).
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
  /** `data` is a Blob for dropped or picked files: the worker reads it, the page never does. */
  | { op: 'load'; data: Uint8Array | Blob; options: GuestOptions }
  | { op: 'instantiate'; module: WebAssembly.Module; layout: ModuleLayoutInfo; options: GuestOptions }
  | { op: 'call'; fn: string; argJson: string }
  | { op: 'callRaw'; fn: string; args: RawValue[] }
  | { op: 'batch'; fn: string; argsJson: string[] }
  | { op: 'run'; args: string[]; env: string[] }
  | { op: 'measure'; fn: string; argJson: string | null; iterations: number }
  | { op: 'ping' }
  // Lifecycle (hot swap). State bytes travel as transferables, not copies.
  | { op: 'saveState' }
  | { op: 'restoreState'; state: Uint8Array }
  | { op: 'health' }
  | { op: 'benchmark'; argJson: string }
  /** Instantiate a second, untouched instance of the loaded module, made current by `useFresh`. */
  | { op: 'prepareFresh' }
  | { op: 'useFresh' };

export type Op = RequestBody['op'];

/** The value each operation answers with. */
export interface ResultOf {
  load: Omit<LoadedGuest, never>;
  instantiate: { instantiateMs: number };
  call: unknown;
  callRaw: RawValue | RawValue[] | undefined;
  batch: Settled<unknown>[];
  run: RunResult;
  measure: MeasureResult;
  ping: null;
  /** null when the module does not export save_state. */
  saveState: { state: Uint8Array | null; ms: number };
  /** `code` 0 = accepted. */
  restoreState: { code: number; ms: number };
  /** null when the module does not export health_check. */
  health: { text: string; healthy: boolean } | null;
  benchmark: { ms: number };
  prepareFresh: { instantiateMs: number };
  useFresh: null;
}

export type Request = RequestBody & { id: number };
export type RequestOf<O extends Op> = Extract<RequestBody, { op: O }>;

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

export type OutputStream = 'stdout' | 'stderr';

export type ToWorker = { type: 'requests'; requests: Request[] };

export type FromWorker =
  | { type: 'replies'; replies: Reply[] }
  /** Guest output, decoded as UTF-8 in a streaming way (a character split across writes is kept whole). */
  | { type: 'output'; stream: OutputStream; text: string };
