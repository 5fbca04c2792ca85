#!/usr/bin/env node
// Check the prebuilt examples in public/examples/ against guest ABI v1, in plain Node.
//
//   node examples/check-examples.mjs
//
// Each counter guest is instantiated with a minimal wasi_snapshot_preview1 (fd_write
// captures output, args/environ are real, every other function is a stub returning 0) and
// driven exactly the way the hotwasm host drives it: alloc + write the JSON argument, call,
// unpack the i64 result, read it, then dealloc argument and result. All four counters must
// give identical answers. hello.wasm is run as a WASI command with arguments.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'public', 'examples');
const COUNTERS = ['counter.wasm', 'counter-as.wasm', 'counter-c.wasm', 'counter-rust.wasm'];
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

class ProcExit extends Error {
  constructor(code) {
    super(`proc_exit(${code})`);
    this.code = code;
  }
}

/** A minimal WASI preview1: enough for the examples, with every other call stubbed. */
function makeWasi(args = []) {
  let memory;
  const out = { 1: [], 2: [] };
  const view = () => new DataView(memory.buffer);
  const argBytes = args.map((a) => encoder.encode(`${a}\0`));
  const real = {
    fd_write(fd, iovs, iovsLen, nwrittenPtr) {
      let written = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = view().getUint32(iovs + i * 8, true);
        const len = view().getUint32(iovs + i * 8 + 4, true);
        (out[fd] ??= []).push(new Uint8Array(memory.buffer, ptr, len).slice());
        written += len;
      }
      view().setUint32(nwrittenPtr, written, true);
      return 0;
    },
    args_sizes_get(countPtr, sizePtr) {
      view().setUint32(countPtr, argBytes.length, true);
      view().setUint32(sizePtr, argBytes.reduce((n, b) => n + b.length, 0), true);
      return 0;
    },
    args_get(argvPtr, bufPtr) {
      for (const [i, bytes] of argBytes.entries()) {
        view().setUint32(argvPtr + i * 4, bufPtr, true);
        new Uint8Array(memory.buffer, bufPtr, bytes.length).set(bytes);
        bufPtr += bytes.length;
      }
      return 0;
    },
    environ_sizes_get(countPtr, sizePtr) {
      view().setUint32(countPtr, 0, true);
      view().setUint32(sizePtr, 0, true);
      return 0;
    },
    environ_get() {
      return 0;
    },
    proc_exit(code) {
      throw new ProcExit(code);
    },
  };
  const imports = new Proxy(real, { get: (target, name) => target[name] ?? (() => 0) });
  const text = (fd) => {
    const chunks = out[fd] ?? [];
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) all.set(c, (at += c.length) - c.length);
    out[fd] = [];
    return decoder.decode(all);
  };
  return { imports, setMemory: (m) => (memory = m), stdout: () => text(1), stderr: () => text(2) };
}

/** Drive one guest through the ABI like the host does. */
async function loadGuest(file) {
  const bytes = await readFile(join(dir, file));
  const module = new WebAssembly.Module(bytes);

  for (const imp of WebAssembly.Module.imports(module)) {
    assert.equal(imp.module, 'wasi_snapshot_preview1', `${file}: import ${imp.module}.${imp.name}`);
    assert.equal(imp.kind, 'function', `${file}: import ${imp.name} is a ${imp.kind}`);
  }
  const version = WebAssembly.Module.customSections(module, 'api_version');
  assert.equal(version.length, 1, `${file}: one api_version custom section`);
  assert.equal(new TextDecoder().decode(version[0]), '1.0.0', `${file}: api_version`);

  const wasi = makeWasi([file]);
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi.imports });
  const ex = instance.exports;
  assert.ok(ex.memory instanceof WebAssembly.Memory, `${file}: exports memory`);
  wasi.setMemory(ex.memory);
  if (typeof ex._initialize === 'function') ex._initialize();
  assert.equal(typeof ex._start, 'undefined', `${file}: a reactor must not export _start`);

  const mem = () => new Uint8Array(ex.memory.buffer);
  const write = (data) => {
    const ptr = ex.alloc(data.length);
    mem().set(data, ptr);
    return ptr;
  };
  const unpack = (r) => {
    const u = BigInt.asUintN(64, r);
    return { ptr: Number(u >> 32n), len: Number(u & 0xffffffffn) };
  };
  const free = (ptr, len) => ex.dealloc?.(ptr, len);
  /** A packed result: read its bytes, then free it. */
  const take = (r) => {
    const { ptr, len } = unpack(r);
    const bytes = mem().slice(ptr, ptr + len);
    free(ptr, len);
    return bytes;
  };
  /** A JSON call with raw argument text; returns the raw result text. */
  const callRaw = (name, argText) => {
    const arg = encoder.encode(argText);
    const argPtr = write(arg);
    const r = ex[name](argPtr, arg.length);
    assert.equal(typeof r, 'bigint', `${file}: ${name} returns i64`);
    const { ptr, len } = unpack(r);
    const text = decoder.decode(mem().slice(ptr, ptr + len));
    free(argPtr, arg.length);
    if (ptr !== argPtr) free(ptr, len);
    return text;
  };
  const call = (name, arg) => JSON.parse(callRaw(name, JSON.stringify(arg === undefined ? null : arg)));
  const restore = (data) => {
    const ptr = write(data);
    const status = ex.restore_state(ptr, data.length);
    free(ptr, data.length);
    return status;
  };
  return { file, ex, wasi, call, callRaw, take, restore };
}

let failures = 0;
async function check(label, fn) {
  try {
    await fn();
    console.log(`ok   ${label}`);
  } catch (err) {
    failures++;
    console.log(`FAIL ${label}\n     ${String(err.message).split('\n').join('\n     ')}`);
  }
}

const ERROR = { error: 'increment takes null or an integer' };
const results = {};

for (const file of COUNTERS) {
  await check(`${file}: guest ABI v1 counter`, async () => {
    const g = await loadGuest(file);
    const { ex, wasi, call, callRaw, take, restore } = g;

    assert.equal(call('increment', null), 1, 'increment(null)');
    assert.equal(call('increment', 5), 6, 'increment(5)');
    assert.equal(call('increment', -2), 4, 'increment(-2)');
    assert.deepEqual(call('increment', 'x'), ERROR, 'increment("x")');
    assert.equal(call('get'), 4, 'get()');

    assert.equal(callRaw('process', JSON.stringify('héllo')), '{"input":"héllo","bytes":8}', 'process("héllo")');
    assert.equal(wasi.stdout(), 'processed 8 bytes\n', 'process stdout');

    const state = take(ex.save_state());
    assert.deepEqual([...state], [4, 0, 0, 0, 0, 0, 0, 0], 'save_state bytes');

    const s41 = new Uint8Array(8);
    new DataView(s41.buffer).setBigInt64(0, 41n, true);
    assert.equal(restore(s41), 0, 'restore_state(8 bytes)');
    assert.equal(call('get'), 41, 'get() after restore');
    assert.notEqual(restore(new Uint8Array([1, 2, 3])), 0, 'restore_state(3 bytes) refused');
    assert.equal(call('get'), 41, 'get() after refused restore');
    assert.notEqual(restore(new Uint8Array(0)), 0, 'restore_state(0 bytes) refused');
    assert.notEqual(restore(new Uint8Array(9)), 0, 'restore_state(9 bytes) refused');
    assert.equal(call('get'), 41, 'get() after refused restores');

    assert.equal(decoder.decode(take(ex.health_check())), 'ok', 'health_check');

    // Edge cases: recorded and compared across languages below.
    const edge = [];
    for (const raw of [' 7 ', '\n-0\t', 'null ', '  null', '1.5', '"5"', '-', '', '5x', '[1]', 'nul', '007', '-9223372036854775808']) {
      edge.push([raw, callRaw('increment', raw)]);
    }
    const neg = new Uint8Array(8);
    new DataView(neg.buffer).setBigInt64(0, -123456789012345n, true);
    assert.equal(restore(neg), 0);
    edge.push(['get after restore(-123456789012345)', callRaw('get', 'null')]);
    edge.push(['save_state', [...take(ex.save_state())].join(',')]);
    // A large argument: alloc must grow memory, and the bytes come back untouched.
    const big = JSON.stringify({ text: 'ü€'.repeat(50000) });
    const bigResult = callRaw('process', big);
    assert.equal(bigResult, `{"input":${big},"bytes":${encoder.encode(big).length}}`, 'process(large)');
    assert.equal(wasi.stdout(), `processed ${encoder.encode(big).length} bytes\n`);
    // Many calls in a row must not exhaust memory (results are freed through dealloc).
    for (let i = 0; i < 20000; i++) callRaw('get', 'null');
    results[file] = edge;
  });
}

await check('all counters agree on edge cases', () => {
  const [first, ...rest] = COUNTERS.filter((f) => results[f]);
  assert.equal(rest.length, COUNTERS.length - 1, 'every counter ran');
  for (const f of rest) assert.deepEqual(results[f], results[first], `${f} vs ${first}`);
  // Spot-check the shared answers against the spec.
  const r = Object.fromEntries(results[first]);
  assert.equal(r[' 7 '], '48'); // 41 + 7
  assert.equal(r['\n-0\t'], '48');
  assert.equal(r['null '], '49');
  assert.equal(r['  null'], '50');
  for (const bad of ['1.5', '"5"', '-', '', '5x', '[1]', 'nul']) assert.deepEqual(JSON.parse(r[bad]), ERROR, bad);
  assert.equal(r['007'], '57');
  assert.equal(r['-9223372036854775808'], '-9223372036854775751'); // wraps
});

async function runCommand(args) {
  const module = new WebAssembly.Module(await readFile(join(dir, 'hello.wasm')));
  for (const imp of WebAssembly.Module.imports(module)) assert.equal(imp.module, 'wasi_snapshot_preview1');
  const wasi = makeWasi(['hello.wasm', ...args]);
  const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi.imports });
  wasi.setMemory(instance.exports.memory);
  let code = 0;
  try {
    instance.exports._start();
  } catch (err) {
    if (!(err instanceof ProcExit)) throw err;
    code = err.code;
  }
  return { code, stdout: wasi.stdout(), stderr: wasi.stderr() };
}

await check('hello.wasm: WASI command with arguments', async () => {
  const r = await runCommand(['one', 'two words']);
  assert.equal(r.stdout, 'hello from a WASI command\narg[1] = one\narg[2] = two words\nbye');
  assert.equal(r.stderr, 'this line goes to stderr\n');
  assert.equal(r.code, 0);
});

await check('hello.wasm: --fail exits with 3', async () => {
  const r = await runCommand(['--fail']);
  assert.equal(r.stdout, 'hello from a WASI command\narg[1] = --fail\nbye');
  assert.equal(r.stderr, 'this line goes to stderr\n');
  assert.equal(r.code, 3);
});

await check('hello.wasm: no arguments', async () => {
  const r = await runCommand([]);
  assert.equal(r.stdout, 'hello from a WASI command\nbye');
  assert.equal(r.code, 0);
});

console.log(failures ? `\n${failures} check(s) failed` : '\nall checks passed');
process.exitCode = failures ? 1 : 0;
