// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import * as monaco from 'monaco-editor/editor/editor.api';
import counter from '../../../examples/counter-wat/counter.wat?raw';
import { WAT_LANGUAGE_ID, registerWat } from './wat-language';

registerWat(monaco);

/** Each token of one line as [text, class], whitespace left out. */
function tokens(line: string): [string, string][] {
  const [row = []] = monaco.editor.tokenize(line, WAT_LANGUAGE_ID);
  return row
    .map((token, i): [string, string] => [line.slice(token.offset, row[i + 1]?.offset ?? line.length), token.type.replace(/\.wat$/, '')])
    .filter(([text]) => text.trim() !== '');
}

describe('the WAT tokenizer', () => {
  it('tells keywords, types, instructions, control words and $names apart', () => {
    expect(tokens('(func $add (param $a i32) (result i32) local.get $a i32.const 1 i32.add br_if $l call $f)')).toEqual([
      ['(', 'delimiter.parenthesis'], ['func', 'keyword'], ['$add', 'variable'],
      ['(', 'delimiter.parenthesis'], ['param', 'keyword'], ['$a', 'variable'], ['i32', 'type'], [')', 'delimiter.parenthesis'],
      ['(', 'delimiter.parenthesis'], ['result', 'keyword'], ['i32', 'type'], [')', 'delimiter.parenthesis'],
      ['local.get', 'keyword.instruction'], ['$a', 'variable'], ['i32.const', 'keyword.instruction'], ['1', 'number'],
      ['i32.add', 'keyword.instruction'], ['br_if', 'keyword.flow'], ['$l', 'variable'], ['call', 'keyword.flow'], ['$f', 'variable'],
      [')', 'delimiter.parenthesis'],
    ]);
  });

  it.each([
    ['0', 'number'], ['-1_000', 'number'], ['0xff_ff', 'number.hex'], ['-0x80000000', 'number.hex'],
    ['1.5', 'number.float'], ['1.', 'number.float'], ['6.02e23', 'number.float'], ['-1E-3', 'number.float'],
    ['0x1p-4', 'number.float'], ['0x1.8p3', 'number.float'], ['inf', 'number.float'], ['-inf', 'number.float'],
    ['nan', 'number.float'], ['+nan:0x7f_ffff', 'number.float'], ['1abc', 'invalid'],
  ])('reads %s as %s', (text, kind) => {
    expect(tokens(`f64.const ${text}`).slice(1)).toEqual([[text, kind]]);
  });

  it('reads strings with their escapes, and ends an unclosed one at the end of its line', () => {
    // Monaco merges neighbouring tokens of one class: the three escapes come out as one.
    expect(tokens('(data (i32.const 0) "a\\"b\\n\\ff\\u{1F600}\\q")').slice(6)).toEqual([
      ['"a', 'string'], ['\\"', 'string.escape'], ['b', 'string'], ['\\n\\ff\\u{1F600}', 'string.escape'], ['\\q', 'string.invalid'],
      ['"', 'string'], [')', 'delimiter.parenthesis'],
    ]);
    const [, second = []] = monaco.editor.tokenize('(data "open\n(func)', WAT_LANGUAGE_ID);
    expect(second.map((token) => token.type)).toEqual(['delimiter.parenthesis.wat', 'keyword.wat', 'delimiter.parenthesis.wat']);
  });

  it('reads line comments and nested block comments across lines', () => {
    expect(tokens('i32.add ;; (func) "no string"')).toEqual([['i32.add', 'keyword.instruction'], [';; (func) "no string"', 'comment']]);
    const lines = monaco.editor.tokenize('(; outer (; inner ;) still\ncomment ;) nop', WAT_LANGUAGE_ID);
    expect(lines[0]?.every((token) => token.type === 'comment.wat')).toBe(true);
    const last = lines[1] ?? [];
    expect(last.at(-1)).toMatchObject({ type: 'keyword.flow.wat' });
    expect(last[0]).toMatchObject({ type: 'comment.wat' });
  });

  it('reads annotations and memory arguments', () => {
    expect(tokens('(@custom "api_version" "1.0.0")').slice(0, 2)).toEqual([['(', 'delimiter.parenthesis'], ['@custom', 'annotation']]);
    expect(tokens('(@name "f")')[1]).toEqual(['@name', 'annotation']);
    expect(tokens('i64.load offset=8 align=4').map(([, kind]) => kind)).toEqual(['keyword.instruction', 'keyword', 'keyword']);
  });

  it('reads the example counter without an invalid token', () => {
    const lines = counter.split('\n');
    const invalid = monaco.editor
      .tokenize(counter, WAT_LANGUAGE_ID)
      .flatMap((row, n) => row.map((token, i) => ({ type: token.type, text: lines[n]?.slice(token.offset, row[i + 1]?.offset) })))
      .filter((token) => token.type === 'invalid.wat');
    expect(invalid).toEqual([]);
  });

  it('registers once', () => {
    registerWat(monaco);
    expect(monaco.languages.getLanguages().filter((language) => language.id === WAT_LANGUAGE_ID)).toHaveLength(1);
  });
});
