import { describe, expect, it } from 'vitest';
import { parseWabtErrors, utf16Column } from './diagnostics';
import { WabtFailure, type Wabt, compileWat } from './wat-compile';

describe('parseWabtErrors', () => {
  it('ignores the garbage wabt.js prints after a file name, and uses the name it was given', () => {
    const output = 'parseWat failed:\ncounter.wat#\x01:2:3: error: unexpected token "x"\n  x\n  ^\n';
    expect(parseWabtErrors(output, '/tmp/hotwasm-live/counter.wat', '(module\n  x)')).toEqual({
      message: 'counter.wat:2:3: error: unexpected token "x"',
      diagnostics: [{ line: 2, column: 3, endLine: 2, endColumn: 4, message: 'unexpected token "x"' }],
    });
  });

  it('puts an error without a position at 1:1', () => {
    expect(parseWabtErrors('validate failed:\nerror: something global\n', 'a.wat', '')).toEqual({
      message: 'a.wat: error: something global',
      diagnostics: [{ line: 1, column: 1, endLine: 1, endColumn: 2, message: 'something global' }],
    });
  });

  it('turns output without an error line into one diagnostic at 1:1', () => {
    expect(parseWabtErrors('Aborted(OOM)', 'a.wat', '').diagnostics).toEqual([{ line: 1, column: 1, endLine: 1, endColumn: 2, message: 'Aborted(OOM)' }]);
  });
});

it('maps UTF-8 byte columns to UTF-16 columns', () => {
  expect(utf16Column('abc', 2)).toBe(2);
  expect(utf16Column('é😀x', 7)).toBe(4); // 2 + 4 bytes before x; 1 + 2 code units
  expect(utf16Column('ab', 6)).toBe(6); // past the end of the line
});

it('throws WabtFailure, not a diagnostic, when wabt itself fails', () => {
  const broken = { parseWat: () => { throw new WebAssembly.RuntimeError('Aborted(OOM)'); } } as unknown as Wabt;
  expect(() => compileWat(broken, '(module)', 'a.wat')).toThrow(WabtFailure);
});
