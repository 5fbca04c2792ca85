/**
 * A single .wat file, compiled in-process with the npm `wabt` package: no toolchain to install.
 * The feature flags are shared with the in-browser WAT toolchain (src/editor), so a text has the
 * same bytes whichever of the two built it: `annotations` keeps `(@custom ...)` sections (the
 * api_version), which Debian's wat2wasm drops.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { messageOf } from '../../shared/errors';
import { formatBytes } from '../../shared/inspect';
import { WAT_FEATURES as FEATURES } from '../../shared/wat-features';
import { BuildError, type Builder } from './types';

type Wabt = Awaited<ReturnType<typeof import('wabt')>>;
let wabtPromise: Promise<Wabt> | null = null;

async function loadWabt(): Promise<Wabt> {
  // require, not import(): the CLI loads this file through Vite's module runner, which is closed
  // by the time a build runs, and a dynamic import() would go through it.
  wabtPromise ??= Promise.resolve().then(() => (createRequire(import.meta.url)('wabt') as typeof import('wabt'))());
  try {
    return await wabtPromise;
  } catch (error) {
    wabtPromise = null;
    throw new BuildError('toolchain-missing', `The npm package wabt could not be loaded (${messageOf(error)}): npm install -D wabt`);
  }
}

/** Compile WAT text; a syntax or validation error becomes a build failure with wabt's message. */
export async function compileWat(text: string, filename: string): Promise<Uint8Array> {
  const wabt = await loadWabt();
  let module: ReturnType<Wabt['parseWat']> | null = null;
  try {
    // UTF-8 bytes, not the string: wabt.js copies a string one UTF-16 unit per byte, so a
    // data string "é" came out as the Latin-1 byte e9.
    module = wabt.parseWat(filename, new TextEncoder().encode(text), FEATURES);
    module.resolveNames();
    // wabt validates with the features it is given; its typings omit the parameter.
    (module as unknown as { validate(features: typeof FEATURES): void }).validate(FEATURES);
    return new Uint8Array(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } catch (error) {
    // wabt reads the file name past its end for some lengths ("counter.wat#:192:76") and starts
    // with "parseWat failed:": give people file:line:column as a compiler writes it.
    const name = basename(filename);
    const at = new RegExp(`${filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^:\n]*:(\\d+):(\\d+)`, 'g');
    const output = messageOf(error).replace(at, `${name}:$1:$2`).replace(/^\w+ failed:\n/, '');
    const first = output.split('\n').find((line) => /:\d+:\d+: error:/.test(line)) ?? output.split('\n')[0];
    throw new BuildError('build-failed', `${name} did not compile: ${first}`, { output });
  } finally {
    module?.destroy();
  }
}

export function watBuilder(file: string): Builder {
  return {
    kind: 'wat',
    artifact: null,
    async build(context) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        throw new BuildError('artifact-missing', `${file} does not exist`);
      }
      const bytes = await compileWat(text, file);
      if (bytes.length > context.maxBytes) {
        throw new BuildError('artifact-too-large', `${basename(file)} compiles to ${formatBytes(bytes.length)}, over the ${formatBytes(context.maxBytes)} limit (maxBytes)`);
      }
      return { bytes, output: '' };
    },
  };
}
