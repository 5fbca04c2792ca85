/**
 * WebAssembly text (WAT) for Monaco: a Monarch tokenizer of our own and the language
 * configuration (brackets, comments, auto-closing), registered once as language id `wat`.
 *
 * Token classes (with Monaco's `.wat` postfix), chosen so the built-in themes colour them:
 * `keyword` (module fields: module, func, param…), `keyword.flow` (block, br_if, call…),
 * `keyword.instruction` (i32.add, local.get…), `type` (i32, funcref…), `variable` ($names),
 * `number` / `number.hex` / `number.float`, `string` / `string.escape` / `string.invalid`,
 * `comment`, `annotation` ((@custom, (@name), `delimiter.parenthesis`, `invalid`.
 */
import type * as Monaco from 'monaco-editor/editor/editor.api';

type MonacoApi = typeof import('monaco-editor/editor/editor.api');

export const WAT_LANGUAGE_ID = 'wat';

/** Module fields and the other reserved words that are not instructions. */
const keywords = [
  'module', 'type', 'func', 'param', 'result', 'local', 'global', 'memory', 'data', 'export', 'import', 'table', 'elem',
  'start', 'mut', 'offset', 'declare', 'item', 'ref', 'null', 'extern', 'any', 'eq', 'i31', 'struct', 'array', 'field',
  'rec', 'sub', 'final', 'tag', 'shared', 'pagesize', 'binary', 'quote', 'definition', 'instance', 'register', 'invoke',
  'get', 'assert_return', 'assert_trap', 'assert_exhaustion', 'assert_invalid', 'assert_malformed', 'assert_unlinkable',
  'assert_exception',
];
/** Blocks, branches and calls: what changes where execution goes. */
const flow = [
  'block', 'loop', 'if', 'then', 'else', 'end', 'br', 'br_if', 'br_table', 'br_on_null', 'br_on_non_null', 'br_on_cast',
  'br_on_cast_fail', 'return', 'return_call', 'return_call_indirect', 'return_call_ref', 'call', 'call_indirect',
  'call_ref', 'unreachable', 'nop', 'drop', 'select', 'try', 'try_table', 'catch', 'catch_ref', 'catch_all',
  'catch_all_ref', 'delegate', 'throw', 'throw_ref', 'rethrow',
];
const types = [
  'i32', 'i64', 'f32', 'f64', 'v128', 'i8', 'i16', 'funcref', 'externref', 'anyref', 'eqref', 'i31ref', 'structref',
  'arrayref', 'nullref', 'nullfuncref', 'nullexternref', 'exnref', 'noexn', 'nofunc', 'noextern', 'none', 'exn',
];

/** `<prefix>.<name>`: i32.add, f64x2.splat, local.get, memory.grow, ref.is_null, atomic.fence… */
const INSTRUCTION = '(?:[if](?:32|64)|v128|[if](?:8|16|32|64)x\\d+|local|global|memory|table|elem|data|ref|struct|array|any|extern|i31|atomic)\\.[\\w.]+';
/** The characters of a WAT id and of a keyword (the spec's idchar). */
const ID_CHARS = "[\\w!#$%&'*+\\-./:<=>?@\\\\^`|~]";

export const watTokens: Monaco.languages.IMonarchLanguage = {
  defaultToken: 'invalid',
  tokenPostfix: '.wat',
  // Each line ends with \n in the tokenizer, so a string that is not closed on its line (WAT
  // strings cannot hold a newline) stops there instead of colouring the rest of the file.
  includeLF: true,
  keywords,
  flow,
  types,
  idChars: new RegExp(ID_CHARS),
  digits: /\d(?:_?\d)*/,
  hexDigits: /[0-9a-fA-F](?:_?[0-9a-fA-F])*/,
  // A number ends where a token may start: whitespace, a parenthesis, a string, a comment.
  end: /(?=[\s()";]|$)/,
  escapes: /\\(?:[tnr"'\\]|[0-9a-fA-F]{2}|u\{[0-9a-fA-F](?:_?[0-9a-fA-F])*\})/,
  brackets: [{ open: '(', close: ')', token: 'delimiter.parenthesis' }],
  tokenizer: {
    root: [
      [/\s+/, ''],
      [/\(;/, 'comment', '@blockComment'],
      [/;;.*/, 'comment'],
      [/(\()(@@@idChars+)/, ['@brackets', 'annotation']],
      [/[()]/, '@brackets'],
      [/"/, 'string', '@string'],
      [/\$@idChars+/, 'variable'],
      { include: '@numbers' },
      [
        /[a-z]@idChars*/,
        {
          cases: {
            '@keywords': 'keyword',
            '@flow': 'keyword.flow',
            '@types': 'type',
            [`~${INSTRUCTION}`]: 'keyword.instruction',
            // Memory arguments: i32.load offset=8 align=4.
            '~(?:offset|align)=(?:\\d(?:_?\\d)*|0x[0-9a-fA-F](?:_?[0-9a-fA-F])*)': 'keyword',
            '@default': 'invalid',
          },
        },
      ],
      [/[^\s()";]+/, 'invalid'],
    ],
    numbers: [
      [/[+-]?(?:inf|nan(?::0x@hexDigits)?)@end/, 'number.float'],
      [/[+-]?0x@hexDigits(?:\.(?:@hexDigits)?(?:[pP][+-]?@digits)?|[pP][+-]?@digits)@end/, 'number.float'],
      [/[+-]?0x@hexDigits@end/, 'number.hex'],
      [/[+-]?@digits(?:\.(?:@digits)?(?:[eE][+-]?@digits)?|[eE][+-]?@digits)@end/, 'number.float'],
      [/[+-]?@digits@end/, 'number'],
    ],
    string: [
      [/[^\\"\n]+/, 'string'],
      [/@escapes/, 'string.escape'],
      [/\\./, 'string.invalid'],
      [/"/, 'string', '@pop'],
      [/\n/, 'string.invalid', '@pop'],
    ],
    blockComment: [
      [/[^(;]+/, 'comment'],
      [/\(;/, 'comment', '@push'],
      [/;\)/, 'comment', '@pop'],
      [/[(;]/, 'comment'],
    ],
  },
};

export const watConfiguration: Monaco.languages.LanguageConfiguration = {
  comments: { lineComment: ';;', blockComment: ['(;', ';)'] },
  brackets: [['(', ')']],
  autoClosingPairs: [
    { open: '(', close: ')' },
    { open: '"', close: '"', notIn: ['string', 'comment'] },
  ],
  surroundingPairs: [
    { open: '(', close: ')' },
    { open: '"', close: '"' },
  ],
  // A word is a $name, a keyword or an instruction (i32.add), or a number: double-click selects it whole.
  wordPattern: new RegExp(`[+-]?${ID_CHARS}+`),
};

const registered = new WeakSet<object>();

/** Register the `wat` language with this Monaco once; later calls do nothing. */
export function registerWat(monaco: MonacoApi): void {
  if (registered.has(monaco.languages)) return;
  registered.add(monaco.languages);
  monaco.languages.register({ id: WAT_LANGUAGE_ID, extensions: ['.wat', '.wast'], aliases: ['WebAssembly text', 'WAT'] });
  monaco.languages.setMonarchTokensProvider(WAT_LANGUAGE_ID, watTokens);
  monaco.languages.setLanguageConfiguration(WAT_LANGUAGE_ID, watConfiguration);
}
