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
});
