/**
 * Errors as values that survive the page↔worker boundary.
 *
 * Every failure hotwasm reports is a {@link HotwasmError} with a stable `code` (for programs)
 * and a `message` written for the person reading it. Errors are serialised with name, message,
 * stack, code and details, and revived on the other side as the same class.
 */

/** Stable machine-readable error codes. Add new codes at the end; never rename one. */
export type ErrorCode =
  | 'empty' // zero-byte input
  | 'not-wasm' // bytes are not a WebAssembly binary (we say what they look like)
  | 'component' // a component-model binary
  | 'too-large' // over the size cap, refused before reading
  | 'invalid-module' // the engine refused to compile it (its message)
  | 'unsupported' // valid wasm that hotwasm cannot host (e.g. memory64)
  | 'unknown-import' // imports outside wasi_snapshot_preview1
  | 'init-failed' // instantiation (segments), _initialize or the start function failed
  | 'api-version' // api_version is not semver
  | 'memory-budget' // initial memory over the budget
  | 'no-such-export'
  | 'not-a-function'
  | 'not-json-callable'
  | 'bad-arguments'
  | 'bad-result' // result pointer/length out of bounds, not UTF-8, not JSON
  | 'trap' // WebAssembly.RuntimeError during a call
  | 'stack-overflow'
  | 'timeout' // a call ran past call_timeout_ms; the worker was restarted
  | 'exit' // the guest called proc_exit
  | 'worker-died' // the worker crashed or was terminated under the call
  | 'not-loaded' // no module is loaded
  | 'fetch-failed' // loading from a URL failed
  | 'not-a-command' // run() on a module without _start
  | 'disposed' // the engine or module was shut down
  | 'update-refused' // a hot-swap update failed a pipeline step; the serving version stays
  | 'superseded' // a newer update of the same module replaced this one before its cutover
  | 'in-use' // a version serving or pinned cannot be deleted
  | 'not-saved' // the registry could not keep a version, a record or a checkpoint (e.g. storage full); what ran is unaffected
  | 'deploying' // a deployment of the module is running: loads, scaling and other deployments wait for its end
  | 'internal'
  | 'skipped' // an update pipeline step not run because an earlier one failed
  | 'stopped'; // stopped on request (stop()): the worker was stopped under it and restarted

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code: ErrorCode;
  details?: Record<string, unknown>;
}

export class HotwasmError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HotwasmError';
    this.code = code;
    this.details = details;
  }
}

/** Serialise any thrown value for postMessage. Non-HotwasmErrors become `internal` unless mapped by the caller. */
export function serializeError(error: unknown, fallback: ErrorCode = 'internal'): SerializedError {
  if (error instanceof HotwasmError) {
    return { name: error.name, message: error.message, stack: error.stack, code: error.code, details: error.details };
  }
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack, code: fallback };
  }
  return { name: 'Error', message: String(error), code: fallback };
}

/** Rebuild an error on the receiving side, keeping the remote name, message and stack. */
export function reviveError(data: SerializedError): HotwasmError {
  const error = new HotwasmError(data.code, data.message, data.details ?? {});
  if (data.name) error.name = data.name;
  if (data.stack) error.stack = data.stack;
  return error;
}

/** Text of any thrown value, for places that only show a message. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether a registry write failed for want of room: the IndexedDB registry's errors say "storage
 * full: …" (src/registry/write-error.ts); a QuotaExceededError as the browser throws it counts too.
 */
export function isStorageFull(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || messageOf(error).startsWith('storage full');
}
