#!/usr/bin/env node
// Prove the Rust kit end to end, in plain Node:
//
//   node kits/rust/check-kit.mjs
//
// 1. The template builds the way `hotwasm new` lays it out (placeholders substituted,
//    `gitignore` → `.gitignore`, kits/rust/lib copied to hotwasm-kit/) with
//    `cargo build --offline --release --target wasm32-wasi`; the artifact then answers JSON
//    calls and takes its own state back (and refuses state it cannot read) in a new instance.
// 2. 2,000 JSON calls with large arguments do not grow memory, freeing argument and result in
//    both orders — on the template's module and on public/examples/counter-rust.wasm.
//
// Without a Rust toolchain that has the wasm32-wasi standard library, part 1 is skipped with
// one line (part 2 still runs on the committed counter-rust.wasm). CARGO and RUSTC choose the
// toolchain (default: Debian's /usr/bin/cargo and /usr/bin/rustc when present).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A guest instance driven like the host drives it (WASI: fd_write swallows the output and
 *  reports it written, every other call returns 0). */
function instantiate(module) {
  let ex;
  const fd_write = (_fd, iovs, count, nwritten) => {
    const view = new DataView(ex.memory.buffer);
    let n = 0;
    for (let i = 0; i < count; i++) n += view.getUint32(iovs + i * 8 + 4, true);
    view.setUint32(nwritten, n, true);
    return 0;
  };
  const wasi = new Proxy({ fd_write }, { get: (t, name) => t[name] ?? (() => 0) });
  ex = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi }).exports;
  if (typeof ex._initialize === 'function') ex._initialize();
  const mem = () => new Uint8Array(ex.memory.buffer);
  const write = (bytes) => {
    const ptr = ex.alloc(bytes.length);
    mem().set(bytes, ptr);
    return ptr;
  };
  const unpack = (r) => {
    const u = BigInt.asUintN(64, r);
    return [Number(u >> 32n), Number(u & 0xffffffffn)];
  };
  const take = (r) => {
    const [ptr, len] = unpack(r);
    const bytes = mem().slice(ptr, ptr + len);
    ex.dealloc(ptr, len);
    return bytes;
  };
  /** Raw argument text in, raw answer text out; `resultFirst` frees the result first. */
  const callRaw = (name, text, resultFirst = false) => {
    const arg = encoder.encode(text);
    const argPtr = write(arg);
    const [ptr, len] = unpack(ex[name](argPtr, arg.length));
    const answer = decoder.decode(mem().slice(ptr, ptr + len));
    const frees = [() => ex.dealloc(argPtr, arg.length), () => ptr !== argPtr && ex.dealloc(ptr, len)];
    for (const free of resultFirst ? frees.reverse() : frees) free();
    return answer;
  };
  const call = (name, arg) => JSON.parse(callRaw(name, JSON.stringify(arg ?? null)));
  const restore = (bytes) => {
    const ptr = write(bytes);
    const status = ex.restore_state(ptr, bytes.length);
    ex.dealloc(ptr, bytes.length);
    return status;
  };
  return { ex, call, callRaw, take, restore, pages: () => ex.memory.buffer.byteLength / 65536 };
}

/** Run `calls` (each gets its index) 2,000 times after a warm-up; memory must not grow. */
function assertNoGrowth(label, guest, calls) {
  for (let i = 0; i < 50; i++) calls(i);
  const before = guest.pages();
  for (let i = 0; i < 2000; i++) calls(i);
  assert.equal(guest.pages(), before, `${label}: memory grew from ${before} pages over 2,000 calls`);
  console.log(`ok   ${label}: 2,000 JSON calls, memory stays ${before} pages`);
}

function findRust() {
  const cargo = process.env.CARGO ?? (existsSync('/usr/bin/cargo') ? '/usr/bin/cargo' : 'cargo');
  const rustc = process.env.RUSTC ?? (existsSync('/usr/bin/rustc') ? '/usr/bin/rustc' : 'rustc');
  const sysroot = spawnSync(rustc, ['--print', 'sysroot'], { encoding: 'utf8' });
  if (sysroot.status !== 0) return null;
  for (const target of ['wasm32-wasi', 'wasm32-wasip1']) {
    if (existsSync(join(sysroot.stdout.trim(), 'lib', 'rustlib', target))) return { cargo, rustc, target };
  }
  return null;
}

/** Lay the template out like `hotwasm new <dir> --lang rust --name <name>`. */
async function newProject(dir, name) {
  const snake = name.replace(/-/g, '_');
  const fill = (s) => s.replaceAll('__NAME_SNAKE__', snake).replaceAll('__NAME__', name);
  await cp(join(here, 'template'), dir, { recursive: true });
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    await writeFile(file, fill(await readFile(file, 'utf8')));
    const renamed = entry.name === 'gitignore' ? '.gitignore' : fill(entry.name);
    if (renamed !== entry.name) await rename(file, join(dirname(file), renamed));
  }
  const skip = new Set(['target', 'Cargo.lock']);
  await cp(join(here, 'lib'), join(dir, 'hotwasm-kit'), { recursive: true, filter: (src) => !skip.has(src.split(/[\\/]/).pop()) });
}

async function checkTemplate(rust) {
  const dir = await mkdtemp(join(tmpdir(), 'hotwasm-rust-kit-'));
  try {
    await newProject(dir, 'kit-probe');
    assert.ok(existsSync(join(dir, '.gitignore')) && existsSync(join(dir, 'hotwasm-kit', 'Cargo.toml')));
    const started = Date.now();
    const r = spawnSync(rust.cargo, ['build', '--offline', '--release', '--target', rust.target], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, RUSTC: rust.rustc, CARGO_TARGET_DIR: join(dir, 'target') },
    });
    assert.equal(r.status, 0, `cargo build failed:\n${r.stdout}${r.stderr}`);
    const wasm = join(dir, 'target', rust.target, 'release', 'kit_probe.wasm');
    const bytes = await readFile(wasm);
    console.log(`ok   template builds (${((Date.now() - started) / 1000).toFixed(1)} s, ${bytes.length} bytes)`);

    const module = new WebAssembly.Module(bytes);
    const version = WebAssembly.Module.customSections(module, 'api_version').map((s) => new TextDecoder().decode(s));
    assert.deepEqual(version, ['0.1.0']);
    for (const i of WebAssembly.Module.imports(module)) assert.equal(i.module, 'wasi_snapshot_preview1');
    // (__data_end and __heap_base are the linker's globals every Rust cdylib exports.)
    const names = WebAssembly.Module.exports(module).map((e) => e.name).filter((n) => !n.startsWith('__')).sort();
    assert.deepEqual(names, ['add', 'alloc', 'dealloc', 'greet', 'health_check', 'memory', 'restore_state', 'save_state']);

    const a = instantiate(module);
    assert.equal(decoder.decode(a.take(a.ex.health_check())), 'ok');
    assert.equal(a.call('add', 2), 2);
    assert.equal(a.call('add', 3), 5);
    assert.deepEqual(a.call('add', 'x'), { error: 'add takes an integer' });
    assert.deepEqual(a.call('add', 1.5), { error: 'add takes an integer' });
    assert.equal(a.callRaw('greet', '"héllo ✓"'), '{"hello":"héllo ✓","greeted":1}');
    assert.deepEqual(a.call('greet', 5), { error: 'greet takes a string' });
    assert.equal(a.callRaw('greet', '"\\"quoted\\""'), '{"hello":"\\"quoted\\"","greeted":2}');
    const state = a.take(a.ex.save_state());
    // Version 1, then total (i64) and greeted (i32), little-endian: the other templates' bytes.
    assert.deepEqual([...state], [1, 5, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0]);
    console.log(`ok   template answers JSON calls; save_state is ${state.length} bytes`);

    const b = instantiate(module);
    assert.notEqual(b.restore(Uint8Array.of(2, ...state.slice(1))), 0, 'another version is refused');
    assert.notEqual(b.restore(state.slice(0, -1)), 0, 'short bytes are refused');
    assert.notEqual(b.restore(Uint8Array.of(...state, 0)), 0, 'long bytes are refused');
    assert.notEqual(b.restore(new Uint8Array(0)), 0, 'no bytes are refused');
    assert.equal(b.call('add', 0), 0, 'a refusal keeps the fresh state');
    assert.equal(b.restore(state), 0, 'its own state is accepted');
    assert.deepEqual([...b.take(b.ex.save_state())], [...state], 'the same bytes back');
    assert.equal(b.call('add', 0), 5);
    assert.deepEqual(b.call('greet', 'Bo'), { hello: 'Bo', greeted: 3 });
    console.log('ok   template state: round trip in a new instance, refusals keep the state');

    const big = JSON.stringify(Array.from({ length: 4000 }, (_, i) => i)); // parses to a tree, then refused
    assertNoGrowth('template', b, (i) => {
      assert.deepEqual(JSON.parse(b.callRaw('add', big, i % 2 === 1)), { error: 'add takes an integer' });
      assert.equal(JSON.parse(b.callRaw('greet', JSON.stringify('ü'.repeat(i % 300)), i % 2 === 0)).hello.length, i % 300);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function checkCounter() {
  return readFile(join(root, 'public', 'examples', 'counter-rust.wasm')).then((bytes) => {
    const g = instantiate(new WebAssembly.Module(bytes));
    const big = JSON.stringify({ text: 'ü€'.repeat(20000) });
    assertNoGrowth('counter-rust.wasm', g, (i) => {
      g.callRaw('increment', i % 3 === 0 ? '"x"' : String(i), i % 2 === 1);
      g.callRaw('process', big, i % 2 === 0);
      g.callRaw('get', 'null');
    });
  });
}

const rust = findRust();
if (rust) await checkTemplate(rust);
else console.log('skip template build: no rustc with the wasm32-wasi standard library (install rustc cargo libstd-rust-dev-wasm32, or set CARGO/RUSTC)');
await checkCounter();
console.log('\nall kit checks passed');
