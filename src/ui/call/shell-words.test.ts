import { describe, expect, it } from 'vitest';
import { splitShellWords } from './shell-words';

const args = (text: string) => {
  const result = splitShellWords(text);
  if (!result.ok) throw new Error(`refused: ${result.message}`);
  return result.args;
};

describe('splitShellWords', () => {
  it('splits on runs of whitespace, and nothing is no argument', () => {
    expect(args('a b\t c\n')).toEqual(['a', 'b', 'c']);
    expect(args('   ')).toEqual([]);
    expect(args('')).toEqual([]);
  });

  it('groups quoted words into one argument', () => {
    expect(args('a b "c d"')).toEqual(['a', 'b', 'c d']);
    expect(args("--name 'two  spaces'")).toEqual(['--name', 'two  spaces']);
  });

  it('joins quoted parts to the word they touch', () => {
    expect(args('a"b c"d')).toEqual(['ab cd']);
    expect(args(`--msg="it's"`)).toEqual(["--msg=it's"]);
  });

  it('keeps empty quoted arguments', () => {
    expect(args('"" x \'\'')).toEqual(['', 'x', '']);
    expect(args('a ""')).toEqual(['a', '']);
  });

  it('takes everything in single quotes as it is, backslashes included', () => {
    expect(args("'a\\b \"c\"'")).toEqual(['a\\b "c"']);
  });

  it('escapes with a backslash outside quotes, and only " \\ $ ` inside double quotes', () => {
    expect(args('a\\ b \\"q\\" \\\\')).toEqual(['a b', '"q"', '\\']);
    expect(args('"say \\"hi\\" \\\\ \\$HOME \\n"')).toEqual(['say "hi" \\ $HOME \\n']);
  });

  it('refuses an unterminated quote, naming where it opened', () => {
    expect(splitShellWords('a "b c')).toEqual({ ok: false, message: 'The double quote (") at character 3 is never closed: close it, or write \\" for a quote itself.' });
    expect(splitShellWords("it's")).toEqual({ ok: false, message: "The single quote (') at character 3 is never closed: close it, or write \\' for a quote itself." });
    expect(splitShellWords('"a \\"')).toMatchObject({ ok: false, message: expect.stringContaining('character 1 is never closed') });
  });

  it('refuses a backslash at the end', () => {
    expect(splitShellWords('a \\')).toEqual({ ok: false, message: 'The backslash at the end escapes nothing: remove it, or write \\\\ for a backslash itself.' });
  });
});
