/**
 * The State panel's views of state bytes, and the parsing of what a user types to replace them.
 * Pure functions: tested on their own (state-bytes.test.ts).
 */

/** Bytes the hex view shows before "Show more": 4 KiB, 256 rows of 16. */
export const HEX_SHOWN = 4096;
const ROW = 16;

export interface HexRow {
  /** The row's first byte, as 8 hex digits. */
  offset: string;
  /** Its bytes as hex pairs, 16 to a row. */
  hex: string;
  /** Its bytes as printable ASCII, a dot for any other. */
  ascii: string;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** The first `limit` bytes as rows of 16: offset, hex, ASCII. */
export function hexRows(bytes: Uint8Array, limit = HEX_SHOWN): HexRow[] {
  const rows: HexRow[] = [];
  const end = Math.min(bytes.length, limit);
  for (let at = 0; at < end; at += ROW) {
    const row = bytes.subarray(at, Math.min(at + ROW, end));
    rows.push({
      offset: at.toString(16).padStart(8, '0'),
      hex: Array.from(row, hex2).join(' '),
      ascii: Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join(''),
    });
  }
  return rows;
}

/** All the bytes as one run of hex pairs (what the editor's hex mode starts from). */
export const toHex = (bytes: Uint8Array): string => Array.from(bytes, hex2).join(' ');

/** The bytes as UTF-8 text, and whether they are valid UTF-8 (invalid sequences show as U+FFFD). */
export function utf8View(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), valid: true };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), valid: false };
  }
}

/** The bytes as pretty JSON, or null when they are not UTF-8 JSON. */
export function jsonView(bytes: Uint8Array): string | null {
  const { text, valid } = utf8View(bytes);
  if (!valid || text.trim() === '') return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

export type Parsed = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/**
 * Hex typed by a user: pairs of hex digits, spaces, newlines and `0x` prefixes allowed between
 * them. Anything else, or an odd number of digits, is refused with where and why.
 */
export function parseHex(text: string): Parsed {
  const digits = text.replace(/0x/gi, '').replace(/[\s,]+/g, '');
  const bad = /[^0-9a-f]/i.exec(digits);
  if (bad) return { ok: false, error: `"${bad[0]}" is not a hex digit: type pairs of 0–9 and a–f, spaces allowed between them` };
  if (digits.length % 2 !== 0) return { ok: false, error: `${digits.length} hex digits is an odd number: each byte takes two (e.g. 0a, not a)` };
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return { ok: true, bytes };
}

/** JSON typed by a user: its UTF-8 bytes, once it parses; else where it does not. */
export function parseJson(text: string): Parsed {
  if (text.trim() === '') return { ok: false, error: 'Nothing to apply: type the state as JSON' };
  try {
    JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${(error as Error).message}` };
  }
  return { ok: true, bytes: new TextEncoder().encode(text) };
}
