import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { HotwasmError } from './errors';
import { checkHostable, describeLayout, formatSignature, readModuleLayout, sha256Hex } from './inspect';
import { applyPatch, memoryCap } from './memory-cap';
import { readLayout } from './wasm-binary';

/** The module with every memory's maximum at most `maxPages`, as the worker compiles it. */
function withMemoryMaximum(bytes: Uint8Array, maxPages: number): Uint8Array {
  const cap = memoryCap(bytes, maxPages);
  if (cap.kind === 'unpatchable') throw new Error(cap.reason);
  return cap.kind === 'patch' ? applyPatch(bytes, cap.patch) : bytes;
}

const file = (path: string) => new Uint8Array(readFileSync(new URL(`../../${path}`, import.meta.url)));
const inspect = (bytes: Uint8Array, label = 'm.wasm') => describeLayout(bytes, readModuleLayout(bytes, label), label);
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof HotwasmError ? error.code : `not a HotwasmError: ${String(error)}`;
  }
  return 'no error';
};

describe('inspect on good modules', () => {
  for (const name of ['counter', 'counter-as', 'counter-c', 'counter-rust']) {
    it(`reads ${name}.wasm: signatures, ABI exports, api_version`, () => {
      const info = inspect(file(`public/examples/${name}.wasm`));
      const sig = (n: string) => info.exports.find((e) => e.name === n);
      expect(formatSignature(sig('increment')!.signature!)).toBe('(i32, i32) -> i64');
      expect(sig('increment')!.jsonCallable).toBe(true);
      expect(sig('alloc')!.lifecycle).toBe(true);
      expect(sig('alloc')!.jsonCallable).toBe(false);
      expect(sig('restore_state')!.signature).toEqual({ params: ['i32', 'i32'], results: ['i32'] });
      expect(sig('memory')!.kind).toBe('memory');
      expect(info.apiVersionSection).toBe('1.0.0');
      expect(info.jsonAbiProblem).toBeNull();
      expect(info.kind).toBe('reactor');
      expect(info.imports.every((i) => i.module === 'wasi_snapshot_preview1')).toBe(true);
    });
  }

  it('sees a command module', () => {
    expect(inspect(file('public/examples/hello.wasm')).kind).toBe('command');
  });

  it('reads raw signatures, globals and multi-value results', () => {
    const info = inspect(file('fixtures/bad-calls.wasm'));
    const e = (n: string) => info.exports.find((x) => x.name === n)!;
    expect(formatSignature(e('add64').signature!)).toBe('(i64, i64) -> i64');
    expect(formatSignature(e('pair').signature!)).toBe('() -> (i32, i32)');
    expect(e('add').rawCallable).toBe(true);
    expect(e('add').jsonCallable).toBe(false);
    expect(e('counter_global').kind).toBe('global');
    expect(info.imports.map((i) => `${i.module}.${i.name}`)).toEqual(['wasi_snapshot_preview1.fd_write', 'wasi_snapshot_preview1.proc_exit']);
    // Function indices count imported functions first.
    expect(formatSignature(e('echo').signature!)).toBe('(i32, i32) -> i64');
  });

  it('explains why JSON calls are impossible without alloc', () => {
    const info = inspect(file('fixtures/no-alloc.wasm'));
    expect(info.jsonAbiProblem).toMatch(/does not export alloc/);
    expect(info.exports.find((e) => e.name === 'f')!.jsonCallable).toBe(false);
  });

  it('hashes with sha256', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('inspect on bad bytes', () => {
  it.each([
    ['empty.wasm', 'empty', /empty \(0 bytes\)/],
    ['logo.wasm', 'not-wasm', /logo\.wasm is not a WebAssembly module: it starts with 89 50 4E 47, a PNG image/],
    ['archive.wasm', 'not-wasm', /50 4B 03 04, a ZIP archive/],
    ['notes.wasm', 'not-wasm', /a text file/],
    ['random.wasm', 'not-wasm', /random or corrupted/],
    ['component.wasm', 'component', /components are not supported; core modules only/],
    ['truncated.wasm', 'invalid-module', /not a valid WebAssembly module/],
  ])('%s → %s', (name, code, message) => {
    const bytes = file(`fixtures/${name}`);
    expect(codeOf(() => inspect(bytes, name))).toBe(code);
    expect(() => inspect(bytes, name)).toThrow(message);
  });

  it('recognises WebAssembly text', () => {
    expect(() => inspect(new TextEncoder().encode('(module)\n'), 'm.wasm')).toThrow(/WebAssembly text \(\.wat\)/);
  });

  it('never reads out of range on any truncation of a real module', () => {
    const counter = file('public/examples/counter-c.wasm');
    for (let n = 0; n < counter.length; n += 7) {
      const code = codeOf(() => inspect(counter.subarray(0, n)));
      expect(['empty', 'not-wasm', 'invalid-module', 'no error']).toContain(code);
    }
  });

  it('refuses a non-semver api_version', () => {
    expect(() => inspect(file('fixtures/bad-api-version.wasm'))).toThrow(/"banana", which is not a semantic version/);
  });
});

describe('types the reader does not know', () => {
  it('refuses a typed reference instead of misreading every type after it', () => {
    // (type (func (param (ref null func)))), valid in Chromium: 0x63 is followed by a heap type.
    const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x63, 0x70, 0x00]);
    expect(() => readModuleLayout(bytes, 'm.wasm')).toThrow('m.wasm is not a valid WebAssembly module: a typed reference type (0x63, function references or GC proposal) is not supported at byte 13');
  });
});

describe('hosting checks', () => {
  it('names every foreign import', () => {
    const info = inspect(file('fixtures/unknown-imports.wasm'), 'u.wasm');
    expect(() => checkHostable(info, 'u.wasm', 256 << 20)).toThrow(/env\.log, env\.now/);
  });

  it('refuses initial memory over the budget, naming both', () => {
    const info = inspect(file('fixtures/big-memory.wasm'), 'big.wasm');
    expect(() => checkHostable(info, 'big.wasm', 256 << 20)).toThrow(/needs 512 MiB of initial memory, over the memory budget of 256 MiB/);
  });

  it('caps memory growth by writing a maximum into the memory section', async () => {
    const bytes = file('public/examples/counter.wasm');
    const layout = readLayout(bytes);
    const capped = withMemoryMaximum(bytes, 40);
    const again = readLayout(capped);
    expect(again.memories[0]).toMatchObject({ initialPages: layout.memories[0]!.initialPages, maxPages: 40 });
    // Everything else is unchanged, and the engine accepts it.
    expect(again.exports).toEqual(layout.exports);
    const { instance } = await WebAssembly.instantiate(capped as Uint8Array<ArrayBuffer>, { wasi_snapshot_preview1: new Proxy({}, { get: () => () => 0 }) });
    const memory = instance.exports.memory as WebAssembly.Memory;
    expect(() => memory.grow(41)).toThrow(RangeError);
  });

  it('keeps a smaller maximum the module already declares', () => {
    const bytes = file('fixtures/no-alloc.wasm');
    const capped = withMemoryMaximum(withMemoryMaximum(bytes, 10), 100);
    expect(readLayout(capped).memories[0]!.maxPages).toBe(10);
  });
});

describe('sha256Hex', () => {
  it('says why when the page has no Web Crypto (not a secure context)', async () => {
    vi.stubGlobal('crypto', {});
    try {
      await expect(sha256Hex(new Uint8Array(1))).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/secure context.*https or from localhost/) });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
