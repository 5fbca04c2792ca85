/**
 * Split a command line into arguments as a POSIX shell would, without expanding anything:
 * whitespace separates words; single quotes keep everything up to the next single quote as it
 * is; double quotes too, except that a backslash in them escapes `"`, `\`, `$` and `` ` ``
 * (before any other character it stays); outside quotes a backslash escapes any character.
 * Quoted parts join the word they touch (`a"b c"d` is `ab cd`), and `""` is an empty argument.
 */

export type ShellWords = { ok: true; args: string[] } | { ok: false; message: string };

const SPACE = /\s/;
/** What a backslash escapes inside double quotes (POSIX); before anything else it is kept. */
const ESCAPED_IN_DOUBLE = new Set(['"', '\\', '$', '`']);

export function splitShellWords(text: string): ShellWords {
  const args: string[] = [];
  let word = '';
  /** Whether a word has begun: `""` begins one that stays empty. */
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (SPACE.test(c)) {
      if (inWord) args.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { ok: false, message: 'The backslash at the end escapes nothing: remove it, or write \\\\ for a backslash itself.' };
      word += text[i + 1];
      inWord = true;
      i += 2;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { ok: false, message: `The single quote (') at character ${i + 1} is never closed: close it, or write \\' for a quote itself.` };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      const opened = i;
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < text.length && ESCAPED_IN_DOUBLE.has(text[i + 1]!)) {
          word += text[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      if (!closed) return { ok: false, message: `The double quote (") at character ${opened + 1} is never closed: close it, or write \\" for a quote itself.` };
      inWord = true;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) args.push(word);
  return { ok: true, args };
}
