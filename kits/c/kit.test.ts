// The C kit: the template scaffolded as `hotwasm new` does and built with its Makefile, a probe
// guest that exercises every part of kits/c/lib, and the prebuilt counter-c on the kit. The
// builds need a clang that targets wasm32-wasi; without one those tests skip with a notice.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiVersion, loadGuest } from './guest-harness';
import { jsonCases } from './json-cases';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const clang = process.env.WASI_CLANG ?? 'clang';
const WASI_FLAGS = ['--target=wasm32-wasi', '-mexec-model=reactor'];
const tmp = mkdtempSync(join(tmpdir(), 'hotwasm-c-kit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd = tmp) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}` };
}

const toolchain = (() => {
  writeFileSync(join(tmp, 'probe.c'), '#include <stdlib.h>\nvoid *f(int n) { return malloc(n); }\n');
  return run(clang, [...WASI_FLAGS, '-o', join(tmp, 'probe.wasm'), join(tmp, 'probe.c')]).ok && run('make', ['--version']).ok;
})();
if (!toolchain) {
  console.log(`kits/c: build tests skipped — ${clang} cannot target wasm32-wasi (or make is missing); install clang lld wasi-libc libclang-rt-14-dev-wasm32`);
}

/** What `hotwasm new <dir> --lang c --name <name>` does: template with placeholders, kit in hotwasm-kit/. */
function scaffold(dir: string, name: string) {
  const fill = (s: string) => s.replaceAll('__NAME_SNAKE__', name.replace(/-/g, '_')).replaceAll('__NAME__', name);
  const copy = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from)) {
      const source = join(from, entry);
      const target = join(to, entry === 'gitignore' ? '.gitignore' : fill(entry));
      if (statSync(source).isDirectory()) copy(source, target);
      else writeFileSync(target, fill(readFileSync(source, 'utf8')));
    }
  };
  copy(join(here, 'template'), dir);
  cpSync(join(here, 'lib'), join(dir, 'hotwasm-kit'), { recursive: true });
}

describe.skipIf(!toolchain)('the C template, scaffolded and built with make', () => {
  const dir = join(tmp, 'my-guest');
  let built: { ok: boolean; output: string };
  // About a second; the timeout is for a machine under load.
  beforeAll(() => {
    scaffold(dir, 'my-guest');
    built = run('make', [], dir);
  }, 60_000);
  const build = () => built;

  it('scaffolds the files the plan lists and builds build/my-guest.wasm with make', () => {
    expect(build().output).not.toMatch(/warning|error/);
    expect(built.ok).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'Makefile', 'README.md', 'build', 'hotwasm-kit', 'hotwasm.json', 'src']);
    expect(JSON.parse(readFileSync(join(dir, 'hotwasm.json'), 'utf8'))).toEqual({ build: 'make', artifact: 'build/my-guest.wasm', watch: ['src', 'Makefile'] });
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('build/\n');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/npx hotwasm dev \.[\s\S]*\bmake\b/);
    expect(readdirSync(join(dir, 'src'))).toEqual(['my-guest.c']);
  });

  it('answers JSON calls, keeps its state across instances and refuses state it cannot read', () => {
    expect(build().ok).toBe(true);
    const module = new WebAssembly.Module(readFileSync(join(dir, 'build', 'my-guest.wasm')));
    expect(apiVersion(module)).toBe('0.1.0');
    expect(WebAssembly.Module.imports(module).every((i) => i.module === 'wasi_snapshot_preview1')).toBe(true);
    const names = WebAssembly.Module.exports(module).map((e) => e.name);
    for (const name of ['memory', 'alloc', 'dealloc', 'add', 'greet', 'save_state', 'restore_state', 'health_check', '_initialize']) expect(names).toContain(name);
    expect(names).not.toContain('_start');

    const g = loadGuest(module);
    expect(g.call('add', 2)).toBe(2);
    expect(g.call('add', -1)).toBe(1);
    for (const bad of ['"x"', 'null', '1.5', '{"n":1}', '{']) expect(g.callRaw('add', bad), bad).toBe('{"error":"add takes an integer"}');
    expect(g.call('greet', 'Ada')).toEqual({ hello: 'Ada', greeted: 1 });
    expect(g.callRaw('greet', '"a\\u0000\\"b"')).toBe('{"hello":"a\\u0000\\"b","greeted":2}'); // an escaped NUL is kept
    expect(g.call('greet', 5)).toEqual({ error: 'greet takes a string' });
    expect(new TextDecoder().decode(g.take('health_check'))).toBe('ok');

    // Version 1, then the packed struct: total (i64), greeted (i32), little-endian.
    const saved = g.take('save_state');
    expect([...saved]).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0]);
    const fresh = loadGuest(module);
    expect(fresh.restore(saved)).toBe(0);
    expect(fresh.call('greet', 'Bo')).toEqual({ hello: 'Bo', greeted: 3 });
    expect(fresh.call('add', 0)).toBe(1);
    const kept = fresh.take('save_state');

    const otherVersion = kept.slice();
    otherVersion[0] = 2;
    expect(fresh.restore(otherVersion)).toBe(2);
    expect(fresh.restore(kept.subarray(0, 12))).toBe(1);
    expect(fresh.restore(new Uint8Array(0))).not.toBe(0);
    expect(fresh.restore(new Uint8Array(64).fill(1))).not.toBe(0);
    expect([...fresh.take('save_state')]).toEqual([...kept]); // refused restores left the state alone
  });

  it('does not grow memory over 2,000 JSON calls, freeing result and argument in either order', () => {
    expect(build().ok).toBe(true);
    const g = loadGuest(join(dir, 'build', 'my-guest.wasm'));
    const call = (i: number) => g.callRaw(i % 2 ? 'greet' : 'add', i % 2 ? JSON.stringify('x'.repeat(i % 300)) : '1', { resultFirst: i % 3 === 0 });
    for (let i = 0; i < 50; i++) call(i);
    const before = g.memoryBytes();
    for (let i = 0; i < 2000; i++) call(i);
    expect(g.memoryBytes()).toBe(before);
  });

  it('explains a compiler that cannot target wasm32-wasi', () => {
    expect(build().ok).toBe(true);
    const r = run('make', ['-B', 'CC=/nonexistent/clang'], dir);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/cannot build for wasm32-wasi\. On Debian\/Ubuntu: apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32/);
  });
});

describe.skipIf(!toolchain)('the C kit, through a probe guest', () => {
  let probe: WebAssembly.Module;
  // Compiled and linked in two steps, as the template's Makefile does: with -O at the link, clang
  // would run the slow JavaScript wasm-opt that node_modules/.bin puts on PATH.
  beforeAll(() => {
    const object = join(tmp, 'kit-probe.o');
    const out = join(tmp, 'kit-probe.wasm');
    const compiled = run(clang, ['--target=wasm32-wasi', '-O2', '-Wall', '-Wextra', '-Wpedantic', '-std=c11', '-c', '-o', object, join(here, 'test', 'kit-probe.c')]);
    expect(compiled.output).toBe('');
    expect(run(clang, [...WASI_FLAGS, '-o', out, object]).output).toBe('');
    probe = new WebAssembly.Module(readFileSync(out));
  }, 60_000);
  const guest = () => loadGuest(probe);

  it('parses JSON and writes it back: values, escapes, surrogate pairs, numbers, nesting', () => {
    const g = guest();
    for (const text of jsonCases.valid) {
      const echoed = g.callRaw('echo', text);
      expect(JSON.parse(echoed), text).toEqual(JSON.parse(text));
      // Strings and (safe) integers are written exactly as JSON.stringify writes them.
      const numbers = text.replace(/"(\\.|[^"\\])*"/g, '').match(/-?\d[-+.\deE]*/g) ?? [];
      if (numbers.every((n) => /^-?\d+$/.test(n) && Number.isSafeInteger(Number(n)))) expect(echoed, text).toBe(JSON.stringify(JSON.parse(text)));
    }
  });

  it('refuses what is not JSON with an error value, and never accepts ill-formed UTF-8', () => {
    const g = guest();
    for (const text of jsonCases.invalid) {
      const answer = JSON.parse(g.callRaw('echo', text));
      expect(answer, JSON.stringify(text)).toEqual({ error: expect.any(String) });
    }
    for (const bytes of jsonCases.illFormedUtf8) {
      expect(JSON.parse(g.callRaw('echo', new Uint8Array(bytes))), String(bytes)).toEqual({ error: 'invalid UTF-8 in a string' });
    }
    expect(JSON.parse(g.callRaw('echo', '[1,]'))).toEqual({ error: 'expected a value' });
    expect(JSON.parse(g.callRaw('echo', '007'))).toEqual({ error: 'invalid number (leading zero)' });
    expect(JSON.parse(g.callRaw('echo', '1 2'))).toEqual({ error: 'unexpected text after the value' });
    expect(JSON.parse(g.callRaw('echo', '[]'.padStart(130, '[').padEnd(258, ']')))).toEqual({ error: 'nested too deeply' });
    expect(JSON.parse(g.callRaw('echo', '[]'.padStart(129, '[').padEnd(256, ']')))).toEqual(JSON.parse('[]'.padStart(129, '[').padEnd(256, ']')));
  });

  it('turns lone surrogate escapes into U+FFFD', () => {
    const g = guest();
    expect(JSON.parse(g.callRaw('echo', '"\\ud800"'))).toBe('\ufffd');
    expect(JSON.parse(g.callRaw('echo', '"\\udc00x"'))).toBe('\ufffdx');
    expect(JSON.parse(g.callRaw('echo', '"\\ud83d\\u0041"'))).toBe('\ufffdA');
    expect(JSON.parse(g.callRaw('echo', '"\\ud83d\\ude00"'))).toBe('😀');
  });

  it('reads integers, doubles, lengths, elements and members with typed getters', () => {
    const g = guest();
    const inspect = (text: string) => g.callRaw('inspect', text);
    expect(inspect('9223372036854775807')).toMatch(/^\{"int":9223372036854775807,"wrapping":9223372036854775807,"double":9.22337203685477\d*e\+18,/);
    expect(inspect('-9223372036854775808')).toMatch(/^\{"int":-9223372036854775808,"wrapping":-9223372036854775808,/);
    expect(inspect('9223372036854775808')).toMatch(/^\{"int":null,"wrapping":-9223372036854775808,/);
    expect(inspect('18446744073709551621')).toMatch(/^\{"int":null,"wrapping":5,/);
    expect(JSON.parse(inspect('1.0'))).toMatchObject({ int: null, wrapping: null, double: 1 });
    expect(JSON.parse(inspect('-2.5e-3'))).toMatchObject({ int: null, double: -0.0025 });
    expect(JSON.parse(inspect(' -0 '))).toMatchObject({ int: 0, double: -0 });
    expect(JSON.parse(inspect('"7"'))).toMatchObject({ int: null, double: null, string_len: 1 });
    expect(JSON.parse(inspect('"h\\u00e9llo\\u0000"'))).toMatchObject({ string_len: 7 });
    expect(JSON.parse(inspect('[1,[2,3],4]'))).toMatchObject({ len: 3, at1: [2, 3], get_x: { error: null } });
    expect(JSON.parse(inspect('{"x":{"y":1},"z":2,"x":3}'))).toMatchObject({ len: 3, at1: 2, get_x: 3 });
    expect(JSON.parse(inspect('[{"a":{"b":5}}]'))).toMatchObject({ deep: 5 });
    expect(JSON.parse(inspect('[]'))).toMatchObject({ len: 0, at1: { error: null }, deep: { error: null } });
  });

  it('writes doubles, raw JSON, nested containers, and replaces ill-formed UTF-8', () => {
    const g = guest();
    expect(g.callRaw('writer_cases', 'null')).toBe('["a\ufffd\ufffd\ufffdb\ufffd\ufffd",0.1,0.3333333333333333,null,-0,-9223372036854775808,{"raw":true},[],{}]');
    expect(g.callRaw('nothing-at-all', 'null')).toBe('null');
  });

  it('prints to stdout and stderr without stdio, declares its api_version, and overrides health_check', () => {
    const g = guest();
    expect(apiVersion(probe)).toBe('2.3.4');
    g.output();
    expect(g.call('print')).toBeNull();
    expect(g.output()).toEqual({ stdout: '-42 7 4000000000 beef str abc Z % -9223372036854775808 18446744073709551615 12 -5|', stderr: 'to stderr (null)\n' });
    const health = () => new TextDecoder().decode(g.take('health_check'));
    expect(health()).toBe('ok');
    expect(g.call('set_unhealthy', true)).toBe(true);
    expect(health()).toBe('probe is unhealthy');
    g.call('set_unhealthy', false);
    expect(health()).toBe('ok');
  });

  it('saves its state with the version byte first and refuses another version or length', () => {
    const g = guest();
    expect(g.call('get_state')).toEqual([1, -2]); // the initialiser given to HOTWASM_STATE
    const saved = g.take('save_state');
    expect(saved.length).toBe(17); // version + struct { int32_t; int64_t } (4 bytes of padding)
    expect(saved[0]).toBe(7);
    const view = new DataView(saved.buffer);
    view.setInt32(1, 40, true);
    view.setBigInt64(9, 41n, true);
    const fresh = guest();
    expect(fresh.restore(saved)).toBe(0);
    expect(fresh.call('get_state')).toEqual([40, 41]);
    const other = saved.slice();
    other[0] = 8;
    expect(fresh.restore(other)).toBe(2);
    expect(fresh.restore(saved.subarray(0, 16))).toBe(1);
    expect(fresh.restore(new Uint8Array(0))).toBe(1);
    expect(fresh.call('get_state')).toEqual([40, 41]);
  });

  it('does not grow memory over 2,000 calls with nested arguments', () => {
    const g = guest();
    const arg = JSON.stringify({ list: Array.from({ length: 200 }, (_, i) => ({ i, s: `é${i}` })) });
    for (let i = 0; i < 20; i++) g.callRaw('echo', arg);
    const before = g.memoryBytes();
    for (let i = 0; i < 2000; i++) g.callRaw('echo', arg, { resultFirst: i % 2 === 0 });
    expect(g.memoryBytes()).toBe(before);
  });
});

describe('counter-c on the kit (prebuilt public/examples/counter-c.wasm)', () => {
  it('does not grow memory over 2,000 JSON calls, freeing result and argument in either order', () => {
    const g = loadGuest(join(root, 'public', 'examples', 'counter-c.wasm'));
    for (let i = 0; i < 50; i++) g.callRaw('increment', '1');
    const before = g.memoryBytes();
    let expected = 50;
    for (let i = 0; i < 2000; i++) {
      const name = i % 3 === 0 ? 'increment' : i % 3 === 1 ? 'get' : 'process';
      const arg = i % 5 ? '1' : '"x"'; // "x" is refused by increment
      if (name === 'increment' && arg === '1') expected++;
      g.callRaw(name, arg, { resultFirst: i % 2 === 0 });
    }
    expect(g.memoryBytes()).toBe(before);
    expect(g.call('get')).toBe(expected);
  });
});
