// The AssemblyScript kit (kits/as): a project made from its template builds with plain asc and
// answers through ABI v1, and the kit's JSON, state and memory hold up. asc runs for real here
// (a few seconds per build), from this repository's node_modules.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGuest } from '../test-support/guest';
import { newProject, repoRoot } from '../test-support/kit-project';

const tmp = mkdtempSync(join(tmpdir(), 'hotwasm-as-kit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function asc(dir: string, args: string[] = ['--config', 'asconfig.json', '--target', 'release']): void {
  execFileSync(process.execPath, [join(dir, 'node_modules', 'assemblyscript', 'bin', 'asc.js'), ...args], { cwd: dir, stdio: 'pipe' });
}

describe('a project from kits/as/template', () => {
  let wasm: Uint8Array;
  beforeAll(() => {
    const dir = newProject('as', join(tmp, 'my-guest'), 'my-guest');
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
    asc(dir);
    wasm = new Uint8Array(readFileSync(join(dir, 'build', 'my-guest.wasm')));
  }, 120_000);

  it('carries api_version and the ABI exports', () => {
    const g = loadGuest(wasm);
    expect(g.apiVersion).toBe('0.1.0');
    const names = WebAssembly.Module.exports(new WebAssembly.Module(wasm as BufferSource)).map((e) => e.name).sort();
    expect(names).toEqual(['_initialize', 'add', 'alloc', 'dealloc', 'greet', 'health_check', 'memory', 'restore_state', 'save_state']);
    expect(g.healthCheck()).toBe('ok');
  });

  it('answers JSON calls, and a bad argument with an error value', () => {
    const g = loadGuest(wasm);
    expect(g.call('add', 5)).toBe(5);
    expect(g.call('add', -2)).toBe(3);
    expect(g.call('add', 'x')).toEqual({ error: 'add takes an integer' });
    expect(g.call('add', 1.5)).toEqual({ error: 'add takes an integer' });
    expect(g.callRaw('add', '{')).toBe('{"error":"add takes an integer"}'); // not JSON: the same answer
    expect(g.call('greet', 'Ada')).toEqual({ hello: 'Ada', greeted: 1 });
    expect(g.call('greet', 'é😀"\n')).toEqual({ hello: 'é😀"\n', greeted: 2 });
    expect(g.call('greet', 5)).toEqual({ error: 'greet takes a string' });
    expect(g.call('add', 0)).toBe(3);
  });

  it('saves and restores its state into a new instance, and refuses bytes it cannot read', () => {
    const a = loadGuest(wasm);
    a.call('add', 40);
    a.call('greet', 'Ada');
    const bytes = a.saveState();
    expect([...bytes]).toEqual([1, 40, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]); // version 1, total i64, greeted i32

    const b = loadGuest(wasm);
    expect(b.restoreState(bytes)).toBe(0);
    expect(b.call('add', 2)).toBe(42);
    expect(b.call('greet', 'Bo')).toEqual({ hello: 'Bo', greeted: 2 });
    const kept = b.saveState();

    expect(b.restoreState(new Uint8Array([1, 2, 3]))).not.toBe(0); // too short
    expect(b.restoreState(new Uint8Array([2, ...bytes.slice(1)]))).toBe(2); // another version
    expect(b.restoreState(new Uint8Array([...bytes, 0]))).not.toBe(0); // too long
    expect(b.restoreState(new Uint8Array(0))).not.toBe(0);
    expect([...b.saveState()]).toEqual([...kept]);
    expect(b.call('add', 0)).toBe(42);
  });

  // Memory grows over the first calls, while the garbage collector settles on its threshold; a
  // leak would keep it growing.
  it('does not grow memory over 2,000 calls, whichever block the host frees first', () => {
    const g = loadGuest(wasm);
    for (let i = 0; i < 100; i++) {
      g.callRaw('add', '1');
      g.callRaw('greet', JSON.stringify('x'.repeat(i)));
    }
    const before = g.memory.buffer.byteLength;
    for (let i = 0; i < 2000; i++) {
      g.callRaw('add', String(i), { freeResultFirst: i % 2 === 0 });
      g.callRaw('add', '"bad"', { freeResultFirst: i % 3 === 0 });
      g.callRaw('greet', JSON.stringify('x'.repeat(i % 300)), { freeResultFirst: i % 5 === 0 });
    }
    expect(g.memory.buffer.byteLength).toBe(before);
  }, 30_000);
});

// A guest of the kit's own, with an export for each kind of argument.
const PROBE = `
import { apiVersion, json, json0, Value, healthCheck } from "../../kit/index";
export * from "../../kit/exports";
apiVersion("1.2.3");
healthCheck(() => "not yet");
export function echo(p: usize, n: usize): u64 { return json(p, n, (v: Value): Value => v); }
export function sum(p: usize, n: usize): u64 { return json(p, n, (a: i64[]): i64 => { let s: i64 = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; }); }
export function half(p: usize, n: usize): u64 { return json(p, n, (x: f64): f64 => x / 2); }
export function not(p: usize, n: usize): u64 { return json(p, n, (b: bool): bool => !b); }
export function byte(p: usize, n: usize): u64 { return json(p, n, (b: u8): u8 => b); }
export function upper(p: usize, n: usize): u64 { return json(p, n, (s: string): string => s.toUpperCase()); }
export function maybe(p: usize, n: usize): u64 { return json(p, n, (s: string | null): string[] => s === null ? [] : [s, s]); }
export function named(p: usize, n: usize): u64 { return json(p, n, (v: Value): string => { const x = v.get("name"); return x !== null && x.isString ? x.str : "?"; }, "named takes {name}"); }
export function none(p: usize, n: usize): u64 { return json0(p, n, (): Value | null => null); }
`;

/** A guest of the kit's own (source: its assembly/index.ts), built with asc: the module bytes. */
function buildProbe(name: string, source: string): Uint8Array {
  const dir = join(tmp, name);
  mkdirSync(join(dir, 'assembly'), { recursive: true });
  writeFileSync(join(dir, 'assembly', 'index.ts'), source);
  writeFileSync(join(dir, 'asconfig.json'), JSON.stringify({
    // Relative: asc resolves the shim's own paths wrongly from an absolute extends.
    extends: './node_modules/@assemblyscript/wasi-shim/asconfig.json',
    entries: ['assembly/index.ts'],
    targets: { release: { outFile: `build/${name}.wasm`, optimizeLevel: 3, shrinkLevel: 1 } },
    options: { exportStart: '_initialize', runtime: 'incremental', bindings: false, transform: [join(repoRoot, 'kits', 'as', 'lib', 'transform.mjs')] },
  }));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  asc(dir);
  return new Uint8Array(readFileSync(join(dir, 'build', `${name}.wasm`)));
}
beforeAll(() => symlinkSync(join(repoRoot, 'kits', 'as', 'lib'), join(tmp, 'kit')));

describe('the kit (kits/as/lib)', () => {
  let wasm: Uint8Array;
  beforeAll(() => {
    wasm = buildProbe('probe', PROBE);
  }, 120_000);

  it('takes api_version from apiVersion("…") and health_check from healthCheck', () => {
    const g = loadGuest(wasm);
    expect(g.apiVersion).toBe('1.2.3');
    expect(g.healthCheck()).toBe('not yet');
    expect(g.saveState().length).toBe(0); // no state declared: empty, and only empty is accepted
    expect(g.restoreState(new Uint8Array(0))).toBe(0);
    expect(g.restoreState(new Uint8Array(1))).not.toBe(0);
  });

  it('parses and writes JSON like JSON.parse and JSON.stringify', () => {
    const g = loadGuest(wasm);
    const texts = [
      'null', 'true', 'false', '0', '-0', '1', '-1', '9223372036854775808', '123456789012345678901234567890', '1.5', '-2.25e-3', '1e21', '1E+2', '0.1', '5e-324', '1e308',
      '""', '"plain"', '"é😀"', '"\\u00e9\\ud83d\\ude00"', '"\\"\\\\\\/\\b\\f\\n\\r\\t"', '"\\u0000\\u001f\\u007f"',
      '"\\ud800"', '"\\udc00x"', '"a\\ud83dz"', '[]', '{}', '[1,[2,[3,[]]]]', ' { "a" : [ 1 , "b" , null ] , "c" : { } } ',
      '{"a":1,"a":2}', '{"":0,"\\u0041":"\\u0042"}', JSON.stringify({ text: 'ü€'.repeat(3000), n: [1, 2.5, -3] }),
    ];
    for (const text of texts) {
      // A lone surrogate comes back escaped, as JSON.stringify writes it.
      expect(g.callRaw('echo', text), text).toBe(JSON.stringify(JSON.parse(text)));
    }
    // Unlike JSON.parse, integers are exact over the whole i64 range.
    for (const text of ['9223372036854775807', '-9223372036854775808', '[9007199254740993]']) expect(g.callRaw('echo', text)).toBe(text);
  });

  it('refuses what is not JSON, saying where', () => {
    const g = loadGuest(wasm);
    const bad = ['', ' ', '007', '01', '-', '1.', '.5', '1e', '+1', 'NaN', 'nul', 'truex', '[1,]', '{"a":1,}', '{a:1}', "'x'",
      '"x', '"\\x"', '"\\u12"', '"\t"', '[1 2]', '{"a" 1}', '1 2', '['.repeat(600) + ']'.repeat(600)];
    for (const text of bad) {
      const answer = JSON.parse(g.callRaw('echo', text)) as { error?: string };
      expect(answer.error, JSON.stringify(text)).toMatch(/^the argument is not JSON: .* at byte \d+$/);
    }
    expect(g.callRaw('echo', '[1,]')).toBe('{"error":"the argument is not JSON: unexpected character at byte 3"}');
  });

  it('converts typed arguments and results, refusing the wrong type', () => {
    const g = loadGuest(wasm);
    expect(g.call('sum', [1, 2, -3, 40])).toBe(40);
    expect(g.callRaw('sum', '[9223372036854775807,0]')).toBe('9223372036854775807');
    expect(g.call('sum', [1, 'x'])).toEqual({ error: 'the argument must be an integer' });
    expect(g.call('sum', 5)).toEqual({ error: 'the argument must be an array' });
    expect(g.call('half', 3)).toBe(1.5);
    expect(g.callRaw('half', '1e300')).toBe('5e+299');
    expect(g.call('half', 0)).toBe(0);
    expect(g.call('not', false)).toBe(true);
    expect(g.call('not', 0)).toEqual({ error: 'the argument must be a boolean' });
    expect(g.call('byte', 255)).toBe(255);
    expect(g.call('byte', 256)).toEqual({ error: 'the argument must be an integer in range' });
    expect(g.call('byte', -1)).toEqual({ error: 'the argument must be an integer in range' });
    expect(g.call('upper', 'abc')).toBe('ABC');
    expect(g.call('upper', null)).toEqual({ error: 'the argument must be a string' });
    expect(g.call('maybe', null)).toEqual([]);
    expect(g.call('maybe', 'a')).toEqual(['a', 'a']);
    expect(g.call('named', { name: 'n' })).toBe('n');
    expect(g.callRaw('named', '{')).toBe('{"error":"named takes {name}"}');
    expect(g.callRaw('none', 'anything, not even JSON')).toBe('null');
  });

  it('does not grow memory over 2,000 calls of a large argument', () => {
    const g = loadGuest(wasm);
    const big = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ i, s: 'é'.repeat(i % 7) })) });
    for (let i = 0; i < 100; i++) g.callRaw('echo', big);
    const before = g.memory.buffer.byteLength;
    for (let i = 0; i < 2000; i++) g.callRaw('echo', big, { freeResultFirst: i % 2 === 1 });
    expect(g.memory.buffer.byteLength).toBe(before);
  }, 30_000);
});

// The state encoding's variable-length fields (the template's state is fixed-size).
const STATE_PROBE = `
import { json, state } from "../../kit/index";
export * from "../../kit/exports";
let names: string[] = [];
state(3, (w) => { w.strings(names); }, (r) => { names = r.strings(); });
export function push(p: usize, n: usize): u64 { return json(p, n, (s: string): i32 => names.push(s)); }
`;

describe('the kit\'s state encoding (kits/as/lib/state.ts)', () => {
  let wasm: Uint8Array;
  beforeAll(() => {
    wasm = buildProbe('state-probe', STATE_PROBE);
  }, 120_000);

  it('writes strings as a u32 count, then each as a u32 byte length and UTF-8, and reads them back', () => {
    const a = loadGuest(wasm);
    a.call('push', 'é');
    a.call('push', '');
    const bytes = a.saveState();
    expect([...bytes]).toEqual([3, 2, 0, 0, 0, 2, 0, 0, 0, 0xc3, 0xa9, 0, 0, 0, 0]);
    const b = loadGuest(wasm);
    expect(b.restoreState(bytes)).toBe(0);
    expect(b.call('push', 'x')).toBe(3);
  });

  it('refuses a count of four billion strings in a few bytes without looping over it, keeping its state', () => {
    const g = loadGuest(wasm);
    g.call('push', 'kept');
    const kept = g.saveState();
    expect(g.restoreState(new Uint8Array([3, 255, 255, 255, 255, 0, 0, 0, 0]))).toBe(1);
    expect(g.restoreState(new Uint8Array([3, 1, 0, 0, 0, 9, 0, 0, 0, 65]))).toBe(1); // a string past the end
    expect([...g.saveState()]).toEqual([...kept]);
  });
});
