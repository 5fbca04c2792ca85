import { readFileSync } from 'node:fs';
import createWabt from 'wabt';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLayout } from '../shared/wasm-binary';
import { type Wabt, compileWat, wasmToText, watString } from './wat-compile';

const counter = readFileSync(new URL('../../examples/counter-wat/counter.wat', import.meta.url), 'utf8');
let wabt: Wabt;
beforeAll(async () => {
  wabt = await createWabt();
});

function compiled(text: string, filename = 'test.wat'): Uint8Array<ArrayBuffer> {
  const result = compileWat(wabt, text, filename);
  if (!result.ok) throw new Error(result.message);
  return result.bytes as Uint8Array<ArrayBuffer>;
}

const exportsOf = (bytes: Uint8Array<ArrayBuffer>) => WebAssembly.Module.exports(new WebAssembly.Module(bytes));
const sorted = (exports: WebAssembly.ModuleExportDescriptor[]) => exports.map(({ kind, name }) => `${kind} ${name}`).sort();

describe('compileWat', () => {
  it('compiles the example counter to valid bytes that keep the api_version section', () => {
    const bytes = compiled(counter, 'examples/counter-wat/counter.wat');
    expect(WebAssembly.validate(bytes)).toBe(true);
    const api = readLayout(bytes).customSections.find((section) => section.name === 'api_version');
    expect(new TextDecoder().decode(api?.payload)).toBe('1.0.0');
    // The result owns exactly its buffer: it is transferred to the page.
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
  });

  it('builds the same bytes as the committed example (built by scripts/wat.mjs)', () => {
    const committed = readFileSync(new URL('../../public/examples/counter.wasm', import.meta.url));
    expect(Buffer.from(compiled(counter)).equals(committed)).toBe(true);
  });

  it('reports every parse error with its line and column', () => {
    const result = compileWat(wabt, '(module\n  (func (this))\n  (func (that)))', 'src/counter.wat');
    expect(result).toEqual({
      ok: false,
      message: 'counter.wat:2:10: error: unexpected token "this", expected an instr.',
      diagnostics: [
        { line: 2, column: 10, endLine: 2, endColumn: 14, message: 'unexpected token "this", expected an instr.' },
        { line: 3, column: 10, endLine: 3, endColumn: 14, message: 'unexpected token "that", expected an instr.' },
      ],
    });
  });

  it('reports name resolution and validation errors', () => {
    const undefinedLocal = compileWat(wabt, '(module\n  (func (result i32)\n    (local.get $x)))', 'counter.wat');
    expect(undefinedLocal.ok || undefinedLocal.message).toBe('counter.wat:3:16: error: undefined local variable "$x"');
    expect(undefinedLocal.ok || undefinedLocal.diagnostics).toEqual([{ line: 3, column: 16, endLine: 3, endColumn: 18, message: 'undefined local variable "$x"' }]);

    const mismatch = compileWat(wabt, '(module\n  (func (result i32)\n    i64.const 1))', 'counter.wat');
    expect(mismatch.ok || mismatch.diagnostics).toEqual([
      { line: 3, column: 5, endLine: 3, endColumn: 14, message: 'type mismatch in implicit return, expected [i32] but got [i64]' },
    ]);
  });

  it('counts columns in UTF-16 code units as the editor does (wabt counts UTF-8 bytes)', () => {
    const result = compileWat(wabt, '(module (func (; é😀 ;) (nope)))', 'a.wat');
    // wabt says column 29: é is 2 bytes and 😀 4, but 1 and 2 code units.
    expect(result.ok || result.diagnostics[0]).toMatchObject({ line: 1, column: 26, endColumn: 30 });
  });

  it('does not mistake a quoted source line that says "error: " for an error', () => {
    const result = compileWat(wabt, '(module (func (nope))) ;; error: not this one', 'a.wat');
    expect(result.ok || result.diagnostics).toHaveLength(1);
  });

  it('compiles non-ASCII data strings as UTF-8', () => {
    const bytes = compiled('(module (memory 1) (data (i32.const 0) "é"))');
    expect(Buffer.from(bytes).toString('hex')).toMatch(/02c3a9$/);
  });
});

describe('wasmToText', () => {
  it('round-trips the counter: text → bytes → text → the same bytes, api_version kept', () => {
    const bytes = compiled(counter);
    const text = wasmToText(wabt, bytes);
    if (!text.ok) throw new Error(text.message);
    expect(text.text).toContain('(@custom "api_version" "1.0.0")');
    const again = compiled(text.text);
    // Inline exports are written with what they export, memory after the functions: same exports, another order.
    expect(sorted(exportsOf(again))).toEqual(sorted(exportsOf(bytes)));
    // From then on the text is a fixed point.
    const third = wasmToText(wabt, again);
    expect(third.ok && Buffer.from(compiled(third.text)).equals(Buffer.from(again))).toBe(true);
  });

  it('names things from the name section, and makes up readable names for the rest', () => {
    const source = '(module (func $add (param $a i32) (param i32) (result i32) local.get $a) (func (export "g") (drop (call $add (i32.const 1) (i32.const 2)))))';
    const parsed = wabt.parseWat('names.wat', source);
    parsed.resolveNames();
    const withNames = new Uint8Array(parsed.toBinary({ write_debug_names: true }).buffer);
    parsed.destroy();
    const result = wasmToText(wabt, withNames);
    if (!result.ok) throw new Error(result.message);
    expect(result.text).toContain('(func $add (type $t0) (param $a i32) (param $p1 i32) (result i32)');
    expect(result.text).toContain('call $add');
    expect(result.text).toContain('(func $g (export "g")');
    // Flat instructions, not folded expressions.
    expect(result.text).not.toContain('(call $add');
  });

  it('reads only the bytes of a view, not its whole buffer', () => {
    const bytes = compiled('(module (func (export "f")))');
    const padded = new Uint8Array(bytes.length + 16);
    padded.set(bytes, 8);
    const result = wasmToText(wabt, padded.subarray(8, 8 + bytes.length));
    expect(result.ok).toBe(true);
  });

  it('refuses bytes that are not WebAssembly with wabt’s reason', () => {
    const result = wasmToText(wabt, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(result.ok).toBe(false);
    expect(result.ok || result.message).toMatch(/^The bytes could not be read as a WebAssembly module: 0+\d: error: bad magic value/);
  });
});

it('writes any bytes as a WAT string', () => {
  expect(watString(new Uint8Array([0x41, 0x22, 0x5c, 0x00, 0xff, 0x7e]))).toBe('"A\\22\\5c\\00\\ff~"');
});
