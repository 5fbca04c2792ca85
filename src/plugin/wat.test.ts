import { describe, expect, it } from 'vitest';
import { BuildError } from './builders/types';
import { compileWat } from './builders/wat';

describe('the .wat builder', () => {
  // wabt reads a file name past its end for some lengths: this one came out as "counter.wat#:1:16".
  it.each(['/tmp/hotwasm-live-RaNtIN/counter.wat', '/tmp/x/counter.wat'])('reports errors as file:line:column, from %s', async (file) => {
    const error = await compileWat('(module (func (this)))', file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).message).toBe('counter.wat did not compile: counter.wat:1:16: error: unexpected token "this", expected an instr.');
    expect((error as BuildError).details.output).toMatch(/^counter\.wat:1:16: error:/);
  });

  // wabt.js copies a string into its memory one UTF-16 unit per byte: "é" was the Latin-1 byte e9.
  it('compiles a non-ASCII data string as UTF-8', async () => {
    const bytes = await compileWat('(module (memory 1) (data (i32.const 0) "é"))', 'utf8.wat');
    expect(Buffer.from(bytes).toString('hex')).toMatch(/02c3a9$/);
  });
});
