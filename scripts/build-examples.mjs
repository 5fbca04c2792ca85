#!/usr/bin/env node
// Build the example guests in examples/ into public/examples/*.wasm.
//
//   node scripts/build-examples.mjs                 # every example whose toolchain is present
//   node scripts/build-examples.mjs counter-c ...   # only the named examples
//   node scripts/build-examples.mjs --list          # list the examples
//
// A missing toolchain is not an error: the example is skipped with one line saying what to
// install, and the committed .wasm stays as it is. The exit status is non-zero only when a
// build that was attempted fails (or an unknown example name is given).
//
// Toolchain overrides (all optional):
//   WASI_SDK_PATH   use $WASI_SDK_PATH/bin/clang (wasi-sdk) for the C examples
//   WASI_CLANG      the clang to use for the C examples
//   RUSTC, CARGO    the Rust toolchain for counter-rust (needs the wasm32-wasi(p1) target)

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileWatFile } from './wat.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const examplesDir = join(root, 'examples');
const outDir = join(root, 'public', 'examples');
const API_VERSION = '1.0.0';

/** Run a command; resolve to { ok, status, output } and never throw (ENOENT → ok: false). */
function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (result.error) return { ok: false, status: null, output: String(result.error.message) };
  return { ok: result.status === 0, status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

class Skip extends Error {}

// ---------------------------------------------------------------------------
// Toolchain discovery. Each returns what the build needs, or throws Skip(reason).
// ---------------------------------------------------------------------------

const C_INSTALL =
  'install clang lld wasi-libc libclang-rt-14-dev-wasm32 (Debian; match libclang-rt-N to your clang version), ' +
  'or the wasi-sdk and set WASI_SDK_PATH';

let clangProbe;
/** A clang that can compile and link a wasm32-wasi reactor (probed once with a tiny file). */
async function findWasiClang() {
  clangProbe ??= (async () => {
    const candidates = [];
    if (process.env.WASI_CLANG) candidates.push(process.env.WASI_CLANG);
    if (process.env.WASI_SDK_PATH) candidates.push(join(process.env.WASI_SDK_PATH, 'bin', 'clang'));
    candidates.push('clang');
    const dir = await mkdtemp(join(tmpdir(), 'hotwasm-clang-'));
    try {
      const src = join(dir, 'probe.c');
      await writeFile(src, '#include <stdlib.h>\n__attribute__((export_name("f"))) void *f(int n) { return malloc(n); }\n');
      for (const clang of candidates) {
        const r = run(clang, ['--target=wasm32-wasi', '-mexec-model=reactor', '-O2', '-o', join(dir, 'probe.wasm'), src]);
        if (r.ok) return { clang };
      }
      return null;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  const found = await clangProbe;
  if (!found) throw new Skip(C_INSTALL);
  return found;
}

/** A rustc/cargo pair whose sysroot has a wasm32 WASI standard library. */
function findRust() {
  const pairs = [];
  if (process.env.RUSTC) pairs.push({ rustc: process.env.RUSTC, cargo: process.env.CARGO ?? 'cargo' });
  // Debian's packaged toolchain first: it is what the committed .wasm was built with, and a
  // rustup rustc earlier on PATH often lacks the wasm target.
  if (existsSync('/usr/bin/rustc') && existsSync('/usr/bin/cargo')) pairs.push({ rustc: '/usr/bin/rustc', cargo: '/usr/bin/cargo' });
  pairs.push({ rustc: 'rustc', cargo: process.env.CARGO ?? 'cargo' });
  for (const { rustc, cargo } of pairs) {
    const sysroot = run(rustc, ['--print', 'sysroot']);
    if (!sysroot.ok) continue;
    // wasm32-wasi was renamed wasm32-wasip1 (and later removed) in newer Rust releases.
    for (const target of ['wasm32-wasi', 'wasm32-wasip1']) {
      if (existsSync(join(sysroot.output.trim(), 'lib', 'rustlib', target)) && run(cargo, ['--version']).ok) {
        return { rustc, cargo, target };
      }
    }
  }
  throw new Skip(
    'install rustc cargo libstd-rust-dev-wasm32 (Debian), or `rustup target add wasm32-wasip1`',
  );
}

function findAsc() {
  const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
  const shim = join(root, 'node_modules', '@assemblyscript', 'wasi-shim', 'asconfig.json');
  if (!existsSync(asc) || !existsSync(shim)) {
    throw new Skip('run `npm install` (devDependencies assemblyscript and @assemblyscript/wasi-shim)');
  }
  return { asc };
}

// ---------------------------------------------------------------------------
// Binary helpers
// ---------------------------------------------------------------------------

function leb128(n) {
  const bytes = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (n !== 0);
  return bytes;
}

/** Append a custom section (id 0, size, name length, name, payload) to a wasm binary. */
function appendCustomSection(wasm, name, payload) {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...leb128(nameBytes.length), ...nameBytes, ...payload];
  return new Uint8Array([...wasm, 0, ...leb128(body.length), ...body]);
}

/** Check what the ABI requires of a binary; throw with a clear message if it does not hold. */
function checkBinary(name, bytes, { guest }) {
  const module = new WebAssembly.Module(bytes);
  const foreign = WebAssembly.Module.imports(module).filter((i) => i.module !== 'wasi_snapshot_preview1' || i.kind !== 'function');
  if (foreign.length) {
    throw new Error(`${name}: imports other than wasi_snapshot_preview1 functions: ${foreign.map((i) => `${i.module}.${i.name}`).join(', ')}`);
  }
  if (!guest) return;
  const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  for (const required of ['memory', 'alloc', 'increment', 'get', 'process', 'save_state', 'restore_state', 'health_check']) {
    if (!exports.has(required)) throw new Error(`${name}: missing export ${required}`);
  }
  const sections = WebAssembly.Module.customSections(module, 'api_version');
  const version = sections.length === 1 ? new TextDecoder().decode(sections[0]) : null;
  if (version !== API_VERSION) throw new Error(`${name}: custom section api_version is ${JSON.stringify(version)}, want "${API_VERSION}"`);
}

// ---------------------------------------------------------------------------
// The examples
// ---------------------------------------------------------------------------

/** Each build writes into `tmp` (a scratch folder) and returns the bytes of the module. */
const EXAMPLES = [
  {
    name: 'counter-wat',
    output: 'counter.wasm',
    guest: true,
    toolchain: async () => ({}), // the npm `wabt` package is a devDependency
    async build(_tools, tmp) {
      return compileWatFile(join(examplesDir, 'counter-wat', 'counter.wat'), join(tmp, 'counter.wasm'));
    },
  },
  {
    name: 'counter-as',
    output: 'counter-as.wasm',
    guest: true,
    toolchain: async () => findAsc(),
    async build({ asc }, tmp) {
      const dir = join(examplesDir, 'counter-as');
      const out = join(tmp, 'counter-as.wasm');
      const r = run(process.execPath, [asc, '--config', 'asconfig.json', '--target', 'release', '--outFile', out], { cwd: dir });
      if (!r.ok) throw new Error(`asc failed:\n${r.output}`);
      const bytes = new Uint8Array(await readFile(out));
      // The kit's transform (kits/as/lib/transform.mjs) adds api_version; a project without it
      // gets the section appended here, since asc has no syntax for custom sections.
      if (WebAssembly.Module.customSections(new WebAssembly.Module(bytes), 'api_version').length) return bytes;
      return appendCustomSection(bytes, 'api_version', new TextEncoder().encode(API_VERSION));
    },
  },
  {
    name: 'counter-c',
    output: 'counter-c.wasm',
    guest: true,
    toolchain: findWasiClang,
    async build({ clang }, tmp) {
      const out = join(tmp, 'counter-c.wasm');
      const src = join(examplesDir, 'counter-c', 'counter.c');
      const r = run(clang, ['--target=wasm32-wasi', '-mexec-model=reactor', '-O2', '-Wall', '-Wextra', '-Wl,--strip-debug', '-o', out, src]);
      if (!r.ok) throw new Error(`clang failed:\n${r.output}`);
      return new Uint8Array(await readFile(out));
    },
  },
  {
    name: 'counter-rust',
    output: 'counter-rust.wasm',
    guest: true,
    toolchain: async () => findRust(),
    async build({ rustc, cargo, target }) {
      const dir = join(examplesDir, 'counter-rust');
      const r = run(cargo, ['build', '--offline', '--release', '--target', target], {
        cwd: dir,
        env: { ...process.env, RUSTC: rustc, CARGO_TARGET_DIR: join(dir, 'target') },
      });
      if (!r.ok) throw new Error(`cargo failed:\n${r.output}`);
      return new Uint8Array(await readFile(join(dir, 'target', target, 'release', 'counter_rust.wasm')));
    },
  },
  {
    name: 'hello-command',
    output: 'hello.wasm',
    guest: false,
    toolchain: findWasiClang,
    async build({ clang }, tmp) {
      const out = join(tmp, 'hello.wasm');
      const src = join(examplesDir, 'hello-command', 'hello.c');
      const r = run(clang, ['--target=wasm32-wasi', '-O2', '-Wall', '-Wextra', '-Wl,--strip-debug', '-o', out, src]);
      if (!r.ok) throw new Error(`clang failed:\n${r.output}`);
      return new Uint8Array(await readFile(out));
    },
  },
];

async function main(argv) {
  if (argv.includes('--help') || argv.includes('-h') || argv.includes('--list')) {
    console.log('usage: node scripts/build-examples.mjs [example ...]\nexamples:');
    for (const e of EXAMPLES) console.log(`  ${e.name.padEnd(14)} → public/examples/${e.output}`);
    return 0;
  }
  const unknown = argv.filter((name) => !EXAMPLES.some((e) => e.name === name));
  if (unknown.length) {
    console.error(`unknown example(s): ${unknown.join(', ')} (known: ${EXAMPLES.map((e) => e.name).join(', ')})`);
    return 2;
  }
  const selected = argv.length ? EXAMPLES.filter((e) => argv.includes(e.name)) : EXAMPLES;

  await mkdir(outDir, { recursive: true });
  const tmp = await mkdtemp(join(tmpdir(), 'hotwasm-examples-'));
  let failed = 0;
  try {
    for (const example of selected) {
      const target = join(outDir, example.output);
      let tools;
      try {
        tools = await example.toolchain();
      } catch (err) {
        if (!(err instanceof Skip)) throw err;
        const kept = existsSync(target) ? `keeping the committed ${relative(root, target)}` : `no ${relative(root, target)} yet`;
        console.log(`${example.name}: skipped — ${err.message} (${kept})`);
        continue;
      }
      try {
        const bytes = await example.build(tools, tmp);
        checkBinary(example.name, bytes, { guest: example.guest });
        // Write next to the target and rename, so a failure never leaves a half-written file.
        const staged = `${target}.tmp`;
        await writeFile(staged, bytes);
        await rename(staged, target);
        console.log(`${example.name}: built ${relative(root, target)} (${bytes.length} bytes)`);
      } catch (err) {
        failed++;
        console.error(`${example.name}: FAILED — ${err instanceof Error ? err.message : err}`);
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
