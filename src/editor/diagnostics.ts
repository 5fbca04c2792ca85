/**
 * wabt's error output, read back as editor diagnostics. wabt prints each error as
 *
 *     counter.wat:3:16: error: undefined local variable "$x"
 *         (local.get $x))
 *                    ^^
 *
 * with the line and column in UTF-8 bytes (Monaco counts UTF-16 code units) and the carets
 * under the range. wabt.js also reads the file name one byte past its end at times
 * ("counter.wat#:192:76": its copy of the name has no room for the terminating NUL), so the
 * name it prints is never trusted: messages are rebuilt with the name the caller gave.
 */
import type { WatDiagnostic } from './protocol';

const HEADER = /^.*?:(\d+):(\d+): error: (.*)$/;
const POSITIONLESS = /^(?:.*?: )?error: (.*)$/;
const CARETS = /^\s*(\^+)\s*$/;
const encoder = new TextEncoder();

/** The file's base name, as messages show it (no node:path here: this runs in a browser). */
export function baseName(filename: string): string {
  return filename.split(/[\\/]/).pop() || filename;
}

/** The UTF-16 column (1-based) of a UTF-8 byte column (1-based) on `line`; past its end, counted as ASCII. */
export function utf16Column(line: string, byteColumn: number): number {
  let bytes = 0;
  let units = 0;
  for (const char of line) {
    if (bytes >= byteColumn - 1) return units + 1;
    bytes += encoder.encode(char).length;
    units += char.length;
  }
  return units + 1 + Math.max(0, byteColumn - 1 - bytes);
}

export interface ParsedErrors {
  diagnostics: WatDiagnostic[];
  /** The first error, in one line, as a compiler prints it: "counter.wat:3:16: error: …". */
  message: string;
}

/**
 * Every error in wabt's `output` for `text`. An error without a position is put at 1:1; output
 * with no error line at all (wabt aborting, say) becomes one diagnostic at 1:1 with its first line.
 */
export function parseWabtErrors(output: string, filename: string, text: string): ParsedErrors {
  const name = baseName(filename);
  const source = text.split('\n');
  // "parseWat failed:" / "validate failed:" head wabt.js's message; it says nothing to a person.
  const lines = output.replace(/^\w+ failed[:.]?\n?/, '').split('\n');
  const diagnostics: WatDiagnostic[] = [];
  const summaries: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const header = HEADER.exec(line);
    if (header) {
      const [, lineText = '1', byteText = '1', message = ''] = header;
      const lineNo = Math.max(1, Number(lineText));
      const byteColumn = Math.max(1, Number(byteText));
      // The carets follow the quoted source line; wabt shortens a long source line, never the carets.
      const caretLine = CARETS.exec(lines[i + 2] ?? '');
      const carets = caretLine?.[1]?.length ?? 1;
      const sourceLine = (source[lineNo - 1] ?? '').replace(/\r$/, '');
      const column = utf16Column(sourceLine, byteColumn);
      diagnostics.push({ line: lineNo, column, endLine: lineNo, endColumn: Math.max(column + 1, utf16Column(sourceLine, byteColumn + carets)), message });
      summaries.push(`${name}:${lineNo}:${column}: error: ${message}`);
      // Skip the quoted source line and the carets: a comment there may well say "error: ".
      if (caretLine) i += 2;
      continue;
    }
    const positionless = POSITIONLESS.exec(line);
    if (positionless) {
      const message = positionless[1] ?? '';
      diagnostics.push({ line: 1, column: 1, endLine: 1, endColumn: 2, message });
      summaries.push(`${name}: error: ${message}`);
    }
  }
  if (diagnostics.length === 0) {
    const message = lines.find((line) => line.trim() !== '')?.trim() || 'wabt refused the text without saying why';
    return { diagnostics: [{ line: 1, column: 1, endLine: 1, endColumn: 2, message }], message: `${name}: error: ${message}` };
  }
  return { diagnostics, message: summaries[0] ?? '' };
}
