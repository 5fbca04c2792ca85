// Compile WebAssembly text to binary with the npm `wabt` package (no system toolchain needed).
// Debian's wat2wasm drops `(@custom ...)` annotations; the npm build keeps them, so every
// committed .wasm here is built through this one helper.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import createWabt from 'wabt';

let wabtPromise;

/** Compile WAT source text to a Uint8Array. Throws with wabt's message (file:line) on error. */
export async function watToWasm(text, filename = 'module.wat') {
  wabtPromise ??= createWabt();
  const wabt = await wabtPromise;
  const features = { annotations: true, bulk_memory: true, mutable_globals: true, sign_extension: true, sat_float_to_int: true, multi_value: true };
  // UTF-8 bytes, not the string: wabt.js copies a string one UTF-16 unit per byte ("é" became e9).
  const module = wabt.parseWat(filename, new TextEncoder().encode(text), features);
  try {
    module.resolveNames();
    module.validate(features);
    return new Uint8Array(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}

/** Compile one .wat file to one .wasm file, creating the output folder. */
export async function compileWatFile(input, output) {
  const bytes = await watToWasm(await readFile(input, 'utf8'), input);
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, bytes);
  return bytes;
}
