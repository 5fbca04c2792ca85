/**
 * The WAT compiler's worker: loads wabt on its first request (an Emscripten build with its
 * wasm inlined, so nothing is fetched) and answers each request with one reply of the same id.
 * It never lets an error out of the handler: what goes wrong becomes an `ok: false` result.
 * Requests are answered in the order they came (wabt is synchronous once loaded), which the
 * client's watchdog relies on.
 */
import createWabt from 'wabt';
import { messageOf } from '../shared/errors';
import { type WatOp, type WatReplyOf, type WatRequest, failedReply, replyTransferables } from './protocol';
import { WabtFailure, type Wabt, compileWat, wasmToText } from './wat-compile';

declare const self: DedicatedWorkerGlobalScope;

let wabt: Promise<Wabt> | null = null;

function loadWabt(): Promise<Wabt> {
  wabt ??= createWabt().catch((error: unknown) => {
    wabt = null; // the next request tries again
    throw new Error(`The WAT compiler (wabt) could not be loaded: ${messageOf(error)}`);
  });
  return wabt;
}

async function answer(request: WatRequest): Promise<WatReplyOf<WatOp>> {
  try {
    const loaded = await loadWabt();
    switch (request.op) {
      case 'compile':
        return { op: request.op, id: request.id, result: compileWat(loaded, request.text, request.filename) };
      case 'toText':
        return { op: request.op, id: request.id, result: wasmToText(loaded, request.bytes) };
      default: {
        const check: never = request;
        throw new Error(`unknown operation ${JSON.stringify((check as { op: unknown }).op)}`);
      }
    }
  } catch (error) {
    // An Emscripten abort leaves the instance unusable: load a fresh one for the next request.
    if (error instanceof WabtFailure) wabt = null;
    return failedReply(request, error instanceof WabtFailure ? `The WAT compiler failed: ${error.message}` : messageOf(error));
  }
}

self.addEventListener('message', (event: MessageEvent<WatRequest>) => {
  void answer(event.data).then((reply) => {
    try {
      self.postMessage(reply, replyTransferables(reply));
    } catch (error) {
      self.postMessage(failedReply(reply, `The WAT compiler could not send its answer: ${messageOf(error)}`));
    }
  });
});
