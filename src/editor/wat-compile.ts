/**
 * The WAT toolchain's logic, given a loaded wabt: text → bytes with diagnostics, bytes → text.
 * No worker and no DOM here, so the unit tests run it in Node with the real wabt; the worker
 * (wat.worker.ts) only loads wabt and answers messages with these.
 *
 * Two wabt.js traps, measured on wabt 1.0.39:
 * - A string given to parseWat is copied into wabt's memory one UTF-16 code unit per byte
 *   (Emscripten's writeAsciiToMemory), so `(data "é")` compiled to the Latin-1 byte e9 instead
 *   of UTF-8 c3 a9. We hand it UTF-8 bytes.
 * - readWasm copies `bytes.buffer` whole, not the view: a subarray would bring its neighbours.
 *   We hand it a copy of exactly the bytes.
 */
import type createWabt from 'wabt';
import { messageOf } from '../shared/errors';
import { WAT_FEATURES } from '../shared/wat-features';
import { readLayout } from '../shared/wasm-binary';
import { baseName, parseWabtErrors } from './diagnostics';
import type { CompileResult, ToTextResult } from './protocol';

export type Wabt = Awaited<ReturnType<typeof createWabt>>;
type WabtModule = ReturnType<Wabt['parseWat']>;

/** wabt.js reports a refused text or binary with an Error that starts like this; anything else is wabt itself failing. */
const WABT_REFUSAL = /^(?:parseWat|validate|readWasm|toBinary|resolveNames|applyNames) failed/;

const encoder = new TextEncoder();
const now = () => performance.now();

/** An Error from wabt that is not a verdict on the input (an Emscripten abort, out of memory): the instance may be unusable. */
export class WabtFailure extends Error {
  override name = 'WabtFailure';
}

function refusalOf(error: unknown): string {
  const message = messageOf(error);
  if (error instanceof Error && WABT_REFUSAL.test(message)) return message;
  throw new WabtFailure(message, { cause: error });
}

/**
 * Compile WAT text to a WebAssembly binary, as the dev server's .wat builder does (same
 * features, no name section), so the same text has the same sha256 wherever it was built.
 * A syntax or validation error is a result with diagnostics; throws only {@link WabtFailure}.
 */
export function compileWat(wabt: Wabt, text: string, filename: string): CompileResult {
  const started = now();
  let module: WabtModule | null = null;
  try {
    module = wabt.parseWat(baseName(filename), encoder.encode(text), WAT_FEATURES);
    module.resolveNames();
    // wabt validates with the features it is given; its typings omit the parameter.
    (module as unknown as { validate(features: typeof WAT_FEATURES): void }).validate(WAT_FEATURES);
    const { buffer } = module.toBinary({ log: false, write_debug_names: false });
    // A fresh buffer of exactly the module's length: it is transferred to the page.
    return { ok: true, bytes: new Uint8Array(buffer), ms: now() - started };
  } catch (error) {
    const { diagnostics, message } = parseWabtErrors(refusalOf(error), filename, text);
    return { ok: false, message, diagnostics };
  } finally {
    module?.destroy();
  }
}

/**
 * A binary as WAT text: names from its name section where it has one, readable generated
 * names ($f3, $p0, $t1) for the rest, flat instructions, exports inline. wabt does not print
 * custom sections, so they are appended as `(@custom ...)` annotations (the name section
 * aside: it is the names in the text), and compiling the text back keeps the api_version.
 * Throws only {@link WabtFailure}.
 */
export function wasmToText(wabt: Wabt, bytes: Uint8Array): ToTextResult {
  const started = now();
  let module: WabtModule | null = null;
  try {
    module = wabt.readWasm(bytes.slice(), { readDebugNames: true, ...WAT_FEATURES });
    // generateNames names only what has no name yet, so the name section's names stay.
    module.generateNames();
    module.applyNames();
    const text = withCustomSections(module.toText({ foldExprs: false, inlineExport: true }), bytes);
    return { ok: true, text, ms: now() - started };
  } catch (error) {
    const reason = refusalOf(error).replace(/^\w+ failed[:.]?\n?/, '').split('\n').find((line) => line.trim() !== '') ?? '';
    return { ok: false, message: `The bytes could not be read as a WebAssembly module: ${reason.trim()}` };
  } finally {
    module?.destroy();
  }
}

function withCustomSections(text: string, bytes: Uint8Array): string {
  let sections: { name: string; payload: Uint8Array }[];
  try {
    sections = readLayout(bytes).customSections.filter((section) => section.name !== 'name');
  } catch {
    return text; // a section hotwasm's reader does not know (GC types, say): wabt's text as it is
  }
  const end = text.lastIndexOf(')');
  if (sections.length === 0 || end < 0) return text;
  // Without a placement wabt writes custom sections after all the others, where they were read from in a module it built.
  const lines = sections.map(({ name, payload }) => `\n  (@custom ${watString(encoder.encode(name))} ${watString(payload)})`);
  return `${text.slice(0, end)}${lines.join('')}${text.slice(end)}`;
}

/** A WAT string literal of arbitrary bytes: printable ASCII as it is, the rest as \hh. */
export function watString(bytes: Uint8Array): string {
  let out = '"';
  for (const byte of bytes) {
    out += byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c ? String.fromCharCode(byte) : `\\${byte.toString(16).padStart(2, '0')}`;
  }
  return `${out}"`;
}
