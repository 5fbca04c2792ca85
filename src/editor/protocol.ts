/**
 * The page↔WAT-compiler-worker protocol, defined once: each operation's request, its result,
 * what crosses without a copy, and the answer the page gives when the worker cannot (a timeout,
 * a crash, a disposed toolchain). The client (wat-client.ts) and the worker (wat.worker.ts) are
 * both typed from {@link WatOpTable}: an operation added here but not handled there fails to
 * compile.
 *
 * Results are values: a WAT syntax or validation error is an `ok: false` result with its
 * diagnostics, never a thrown error.
 */

/**
 * One error wabt reported, as an editor marks it. Lines and columns are 1-based and count
 * UTF-16 code units, like Monaco's; `endColumn` is exclusive (the column just past the range),
 * as in Monaco's `IMarkerData`.
 */
export interface WatDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export type CompileResult =
  | { ok: true; bytes: Uint8Array; ms: number }
  /** `message`: the first error in one line, as a compiler prints it ("counter.wat:12:5: error: …"). */
  | { ok: false; message: string; diagnostics: WatDiagnostic[] };

export type ToTextResult = { ok: true; text: string; ms: number } | { ok: false; message: string };

/** Each operation's request fields (besides `op` and `id`) and result. */
export interface WatOpTable {
  /** `filename` names the text in messages ("counter.wat:3:5: error: …"); only its base name is shown. */
  compile: { request: { text: string; filename: string }; result: CompileResult };
  /** `bytes` is moved to the worker: the client sends a copy, so the caller keeps theirs. */
  toText: { request: { bytes: Uint8Array }; result: ToTextResult };
}

export type WatOp = keyof WatOpTable;
export type WatRequestOf<O extends WatOp> = { op: O; id: number } & WatOpTable[O]['request'];
export type WatResultOf<O extends WatOp> = WatOpTable[O]['result'];
/** A reply as the worker sends it: one per request, with the request's op and id. */
export type WatReplyOf<O extends WatOp> = { op: O; id: number; result: WatResultOf<O> };
/** A request as the page sends it. */
export type WatRequest = { [O in WatOp]: WatRequestOf<O> }[WatOp];

export interface WatOpSpec<O extends WatOp> {
  /** What the request gives up to the worker instead of copying. */
  transferRequest(request: WatRequestOf<O>): Transferable[];
  /** What the result gives up to the page instead of copying. */
  transferResult(result: WatResultOf<O>): Transferable[];
  /** The result that stands for a failure outside the WAT text: a timeout, a crash, wabt not loading. */
  failure(message: string): WatResultOf<O>;
  /** Is an answer of the right shape? Checked on arrival, as every message crossing a boundary is. */
  check(value: unknown): value is WatResultOf<O>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isDiagnostic = (v: unknown) =>
  isObject(v) && typeof v.message === 'string' && ['line', 'column', 'endLine', 'endColumn'].every((key) => Number.isInteger(v[key]));
const failed = (v: Record<string, unknown>) => v.ok === false && typeof v.message === 'string';

export const WAT_OPS = {
  compile: {
    transferRequest: () => [],
    transferResult: (result) => (result.ok ? [result.bytes.buffer as ArrayBuffer] : []),
    failure: (message) => ({ ok: false, message, diagnostics: [] }),
    check: (v): v is CompileResult =>
      isObject(v) &&
      (v.ok === true ? v.bytes instanceof Uint8Array && typeof v.ms === 'number' : failed(v) && Array.isArray(v.diagnostics) && v.diagnostics.every(isDiagnostic)),
  },
  toText: {
    transferRequest: (request) => [request.bytes.buffer as ArrayBuffer],
    transferResult: () => [],
    failure: (message) => ({ ok: false, message }),
    check: (v): v is ToTextResult => isObject(v) && (v.ok === true ? typeof v.text === 'string' && typeof v.ms === 'number' : failed(v)),
  },
} satisfies { readonly [O in WatOp]: WatOpSpec<O> };

/** The spec of an operation (one cast here instead of one per caller: TypeScript does not correlate `O` across a union). */
export function watSpecOf<O extends WatOp>(op: O): WatOpSpec<O> {
  return WAT_OPS[op] as unknown as WatOpSpec<O>;
}

/** The reply that answers `request` with a failure outside the WAT text (also for an operation this protocol does not have). */
export function failedReply<O extends WatOp>(request: { op: O; id: number }, message: string): WatReplyOf<O> {
  const spec = Object.hasOwn(WAT_OPS, request.op) ? watSpecOf(request.op) : undefined;
  return { op: request.op, id: request.id, result: spec ? spec.failure(message) : ({ ok: false, message } as WatResultOf<O>) };
}

export function requestTransferables<O extends WatOp>(request: WatRequestOf<O>): Transferable[] {
  return watSpecOf(request.op).transferRequest(request);
}

export function replyTransferables<O extends WatOp>(reply: WatReplyOf<O>): Transferable[] {
  return watSpecOf(reply.op).transferResult(reply.result);
}
