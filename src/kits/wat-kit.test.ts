// The WAT kit (kits/wat): the block carried verbatim by the counter and the template, and a project
// made from the template compiled by wabt (as hotwasm compiles a .wat) and driven through ABI v1.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watToWasm } from '../../scripts/wat.mjs';
import { loadGuest } from '../test-support/guest';
import { newProject, repoRoot } from '../test-support/kit-project';

interface Check {
  MARKER: string;
  readKit(): string;
  checkKitBlock(text: string, kit?: string): string | null;
  updateKitBlock(text: string, kit?: string): string;
}
const checkUrl = new URL('../../kits/wat/lib/check.mjs', import.meta.url).href;
let check: Check;
beforeAll(async () => {
  check = (await import(/* @vite-ignore */ checkUrl)) as Check;
});

const tmp = mkdtempSync(join(tmpdir(), 'hotwasm-wat-kit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

describe('the kit block (kits/wat/lib/kit.wat)', () => {
  it.each(['examples/counter-wat/counter.wat', 'kits/wat/template/__NAME__.wat'])('is carried verbatim by %s', (path) => {
    expect(check.checkKitBlock(read(path))).toBeNull();
  });

  it('is reported when edited, missing or doubled, and put back by updateKitBlock', () => {
    const counter = read('examples/counter-wat/counter.wat');
    const edited = counter.replace('(i32.const 0x46524545)', '(i32.const 0)');
    expect(check.checkKitBlock(edited)).toMatch(/^the kit block differs from kit\.wat at its line \d+: .*0x46524545/);
    expect(check.checkKitBlock(counter.replace(check.MARKER, ''))).toMatch(/no hotwasm kit block/);
    expect(check.checkKitBlock(`${counter}\n  ${check.MARKER}`)).toMatch(/appears 2 times/);
    expect(check.updateKitBlock(edited)).toBe(counter);
    // What was added after the block (the editor bench types an export there) is kept.
    const added = counter.replace(/\)\n$/, '  (func (export "mark") (result i64) (i64.const 1))\n)\n');
    expect(check.checkKitBlock(added)).toBeNull();
    expect(check.updateKitBlock(added)).toBe(added);
  });
});

describe('a project from kits/wat/template', () => {
  let wasm: Uint8Array;
  beforeAll(async () => {
    const dir = newProject('wat', join(tmp, 'my-guest'), 'my-guest');
    expect(check.checkKitBlock(readFileSync(join(dir, 'my-guest.wat'), 'utf8'), readFileSync(join(dir, 'hotwasm-kit', 'kit.wat'), 'utf8'))).toBeNull();
    wasm = await watToWasm(readFileSync(join(dir, 'my-guest.wat'), 'utf8'), 'my-guest.wat');
  });

  it('carries api_version and the ABI exports, and imports nothing', () => {
    const g = loadGuest(wasm);
    expect(g.apiVersion).toBe('0.1.0');
    const module = new WebAssembly.Module(wasm as BufferSource);
    expect(WebAssembly.Module.imports(module)).toEqual([]);
    expect(WebAssembly.Module.exports(module).map((e) => e.name).sort()).toEqual(['add', 'alloc', 'dealloc', 'greet', 'health_check', 'memory', 'restore_state', 'save_state']);
    expect(g.healthCheck()).toBe('ok');
  });

  it('answers JSON calls, and a bad argument with an error value', () => {
    const g = loadGuest(wasm);
    expect(g.call('add', 5)).toBe(5);
    expect(g.callRaw('add', ' -2 ')).toBe('3');
    expect(g.call('add', 'x')).toEqual({ error: 'add takes an integer' });
    expect(g.call('add', 1.5)).toEqual({ error: 'add takes an integer' });
    expect(g.call('greet', 'Ada')).toEqual({ hello: 'Ada', greeted: 1 });
    expect(g.call('greet', 5)).toEqual({ error: 'greet takes a string' });
    for (const bad of ['"open', '"x" y', '"\\q"', '"\\u12"', '"a\u0001"']) expect(g.callRaw('greet', bad)).toBe('{"error":"greet takes a string"}');
  });

  it('unescapes string arguments and escapes string results as JSON does', () => {
    const g = loadGuest(wasm);
    for (const name of ['é😀', '"quoted" \\ back/slash', 'tab\there\nnew\r\b\f', '\u0000\u001f\u007f', 'ü€'.repeat(2000)]) {
      expect((g.call('greet', name) as { hello: string }).hello).toBe(name);
    }
    expect(g.callRaw('greet', '"\\u00e9\\ud83d\\ude00\\/"')).toMatch(/^\{"hello":"é😀\/",/);
    // A lone surrogate cannot be UTF-8: it becomes U+FFFD.
    expect(g.callRaw('greet', '"a\\ud800b\\udc00"')).toMatch(/^\{"hello":"a\ufffdb\ufffd",/);
  });

  it('saves and restores its versioned state into a new instance, and refuses bytes it cannot read', () => {
    const a = loadGuest(wasm);
    a.call('add', 40);
    a.call('greet', 'Ada');
    const bytes = a.saveState();
    expect([...bytes]).toEqual([1, 40, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);

    const b = loadGuest(wasm);
    expect(b.restoreState(bytes)).toBe(0);
    expect(b.call('add', 2)).toBe(42);
    expect(b.call('greet', 'Bo')).toEqual({ hello: 'Bo', greeted: 2 });
    const kept = b.saveState();
    expect(b.restoreState(new Uint8Array([1, 2, 3]))).toBe(1);
    expect(b.restoreState(new Uint8Array([...bytes, 0]))).toBe(1);
    expect(b.restoreState(new Uint8Array([2, ...bytes.slice(1)]))).toBe(2);
    expect(b.restoreState(new Uint8Array(0))).toBe(1);
    expect([...b.saveState()]).toEqual([...kept]);
  });

  it('does not grow memory over 2,000 calls, whichever block the host frees first', () => {
    const g = loadGuest(wasm);
    g.call('greet', 'warm-up');
    const before = g.memory.buffer.byteLength;
    for (let i = 0; i < 2000; i++) {
      g.callRaw('add', String(i), { freeResultFirst: i % 2 === 0 });
      g.callRaw('greet', JSON.stringify('x'.repeat(i % 300)), { freeResultFirst: i % 3 === 0 });
      g.saveState();
    }
    expect(g.memory.buffer.byteLength).toBe(before);
  });

  it('ignores a second free and pointers it never gave, and reuses freed blocks', () => {
    const g = loadGuest(wasm);
    const { alloc, dealloc } = g.exports as Record<string, (...a: number[]) => number>;
    const keep = alloc!(16); // never freed: the heap cannot start over
    const a = alloc!(100);
    dealloc!(a, 100);
    dealloc!(a, 100);
    dealloc!(12345, 1);
    dealloc!(0, 0);
    expect(alloc!(64)).toBe(a); // first fit on the free list
    const b = alloc!(8);
    expect(b).toBeGreaterThan(keep);
    // The result being the argument block itself: freed once, and the heap is sound.
    dealloc!(b, 8);
    dealloc!(a, 64);
    dealloc!(keep, 16);
    expect(g.call('add', 1)).toBe(1);
    expect(alloc!(16)).toBe(keep); // everything freed: the heap started over
  });
});
