/**
 * Say what a file that is not a WebAssembly module looks like, so the error can help:
 * "logo.wasm is not a WebAssembly module: it starts with 89 50 4E 47, a PNG image".
 */

interface Signature {
  magic: number[];
  what: string;
}

const SIGNATURES: Signature[] = [
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { magic: [0x52, 0x49, 0x46, 0x46], what: 'a RIFF file (WebP, WAV or AVI)' },
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { magic: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive' },
  { magic: [0x50, 0x4b, 0x05, 0x06], what: 'an empty ZIP archive' },
  { magic: [0x1f, 0x8b], what: 'a gzip-compressed file (decompress it first)' },
  { magic: [0x28, 0xb5, 0x2f, 0xfd], what: 'a Zstandard-compressed file (decompress it first)' },
  { magic: [0x42, 0x5a, 0x68], what: 'a bzip2-compressed file' },
  { magic: [0x7f, 0x45, 0x4c, 0x46], what: 'an ELF executable (a native binary, not WebAssembly)' },
  { magic: [0x4d, 0x5a], what: 'a Windows executable' },
  { magic: [0xcf, 0xfa, 0xed, 0xfe], what: 'a Mach-O executable (a native binary, not WebAssembly)' },
  { magic: [0x21, 0x3c, 0x61, 0x72, 0x63, 0x68, 0x3e], what: 'a static library archive (.a)' },
];

/** Upper-case hex of the first `n` bytes: "89 50 4E 47". */
export function hexHead(bytes: Uint8Array, n = 4): string {
  return Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

function looksLikeText(bytes: Uint8Array): string | null {
  const sample = bytes.subarray(0, 4096);
  let text: string;
  try {
    // A multi-byte character cut at the sample's end is fine: decode non-fatally there.
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample.length < bytes.length ? sample.subarray(0, trimUtf8Tail(sample)) : sample);
  } catch {
    return null;
  }
  // Text has few control characters other than tab, newline and carriage return.
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 13) control++;
  }
  return control > text.length / 100 ? null : text;
}

function trimUtf8Tail(bytes: Uint8Array): number {
  let end = bytes.length;
  // Step back over at most 3 continuation bytes and their lead byte if the sequence is cut.
  for (let i = 1; i <= 4 && end - i >= 0; i++) {
    const b = bytes[end - i]!;
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (need > i) end -= i;
    }
    break;
  }
  return end;
}

/** Describe bytes that are not a WebAssembly binary. */
export function describeNonWasm(bytes: Uint8Array): string {
  for (const sig of SIGNATURES) {
    if (sig.magic.every((b, i) => bytes[i] === b)) return sig.what;
  }
  const text = looksLikeText(bytes);
  if (text !== null) {
    const head = text.replace(/^\uFEFF/, '').trimStart();
    if (/^\(\s*module\b/.test(head) || /^;;/.test(head)) return 'WebAssembly text (.wat): compile it to a binary first, e.g. with wat2wasm';
    if (/^<!doctype html|^<html/i.test(head)) return 'an HTML page (a wrong URL or a server error page?)';
    if (/^[{[]/.test(head)) return 'JSON text';
    if (/^<\?xml|^<svg/i.test(head)) return 'an XML or SVG document';
    if (/^#!/.test(head)) return 'a script';
    return 'a text file';
  }
  return 'not any known file type (random or corrupted bytes?)';
}
