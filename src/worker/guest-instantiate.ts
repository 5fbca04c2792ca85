/**
 * Making a guest's instance: compiling its bytes (with the memory cap patched in), its WASI object,
 * instantiating, and turning the engine's refusals into messages that name the module. Used by
 * the Guest (./guest.ts).
 */
import { ConsoleStdout, File, OpenFile, PreopenDirectory, WASI, WASIProcExit } from '@bjorn3/browser_wasi_shim';
import { HotwasmError, messageOf } from '../shared/errors';
import { type SectionPatch, applyPatch, memoryCap } from '../shared/memory-cap';
import type { GuestOutput } from './output';
import { guestFailure } from './traps';

/** Compile, turning the engine's refusal into a message that names the input. */
export async function compile(bytes: Uint8Array, label: string): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (error) {
    throw new HotwasmError('invalid-module', `${label} is not a valid WebAssembly module: ${messageOf(error)}`);
  }
}

/**
 * Compile `bytes` with `patch` applied (the memory cap), leaving `bytes` as they were. The
 * engine copies what it is given before compiling, so when the buffer has room the patch is
 * applied in place for that moment and undone: copying a 10 MiB module into a new buffer cost
 * 5 ms, moving its tail within the buffer well under 1 ms. (The page leaves room: BufferPool.)
 */
function compilePatched(bytes: Uint8Array, patch: SectionPatch, label: string): Promise<WebAssembly.Module> {
  const { start, end, section } = patch;
  const length = bytes.length - (end - start) + section.length;
  if (bytes.byteOffset + Math.max(length, bytes.length) > bytes.buffer.byteLength) return compile(applyPatch(bytes, patch), label);
  const whole = new Uint8Array(bytes.buffer, bytes.byteOffset, Math.max(length, bytes.length));
  const original = bytes.slice(start, end);
  whole.copyWithin(start + section.length, end, bytes.length);
  whole.set(section, start);
  const compiled = compile(whole.subarray(0, length), label);
  whole.copyWithin(end, start + section.length, length);
  whole.set(original, start);
  return compiled;
}

/**
 * Compile `bytes` with memory growth capped at `maxPages`. A memory section that cannot be
 * rewritten exactly is not rewritten: the engine is given the bytes as they are, so that what it
 * refuses is refused in its own words; bytes it accepts are refused here, since they would run
 * without the budget.
 */
export function compileCapped(bytes: Uint8Array, maxPages: number, label: string): Promise<WebAssembly.Module> {
  const cap = memoryCap(bytes, maxPages);
  if (cap.kind === 'as-is') return compile(bytes, label);
  if (cap.kind === 'patch') return compilePatched(bytes, cap.patch, label);
  return compile(bytes, label).then(() => {
    throw new HotwasmError('unsupported', `${label} was not run: hotwasm cannot write the memory budget into its memory section (${cap.reason})`);
  });
}

export function makeWasi(args: string[], env: string[], output: GuestOutput): WASI {
  const fds = [
    new OpenFile(new File(new Uint8Array(0), { readonly: true })), // stdin: empty
    new ConsoleStdout((bytes) => output.write('stdout', bytes)),
    new ConsoleStdout((bytes) => output.write('stderr', bytes)),
    new PreopenDirectory('/', new Map()), // an in-memory scratch directory
  ];
  return new WASI(args, env, fds, { debug: false });
}

/**
 * Instantiate synchronously: the module is compiled already, and a worker may block (the async
 * form only adds a task turn, which showed up in the swap pause).
 */
export function instantiate(module: WebAssembly.Module, wasi: WASI, label: string, hasStartSection: boolean): WebAssembly.Instance {
  try {
    return new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi.wasiImport });
  } catch (error) {
    if (error instanceof WebAssembly.LinkError) {
      throw new HotwasmError('unknown-import', `${label} cannot be linked: ${error.message}`);
    }
    throw instantiationFailure(error, label, hasStartSection);
  }
}

/** How V8 begins the errors of instantiation itself (memory, tables, segments), never a trap's. */
const INSTANCE_PREFIX = 'WebAssembly.Instance(): ';

/**
 * What failed when instantiation threw: the engine initialises memories, tables and the data and
 * element segments, then runs the start function. Without a start section it was the former.
 * With one, a trap in the start function has a wasm frame on its stack and carries no
 * `WebAssembly.Instance()` prefix; an error that shows neither sign could have come from either.
 */
function instantiationFailure(error: unknown, label: string, hasStartSection: boolean): HotwasmError {
  const ranGuestCode = error instanceof WASIProcExit || (error instanceof Error && /wasm-function\[/.test(error.stack ?? ''));
  const text = messageOf(error);
  const engineText = text.startsWith(INSTANCE_PREFIX) ? text.slice(INSTANCE_PREFIX.length) : text;
  if (hasStartSection && ranGuestCode) return new HotwasmError('init-failed', `${label}: the start function failed: ${guestFailure(error, 'start').message}`);
  if (!hasStartSection || text.startsWith(INSTANCE_PREFIX)) return new HotwasmError('init-failed', `${label} could not be instantiated: ${engineText}`);
  return new HotwasmError('init-failed', `${label} could not be instantiated: its segments or its start function failed: ${text}`);
}

