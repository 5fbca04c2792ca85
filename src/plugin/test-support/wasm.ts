/**
 * Small valid modules for tests: an empty module with a custom section, so every distinct text
 * gives distinct bytes (and sha256) — and the same encoder as JavaScript source, for build
 * commands written into temp folders.
 */

/** JavaScript of `wasmWith(text)`, for a build script: defines `function wasmWith(text)` returning a Uint8Array. */
export const WASM_WITH_JS = `function wasmWith(text) {
  const leb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
  const name = [...new TextEncoder().encode('marker')];
  const payload = [...new TextEncoder().encode(text)];
  const body = [...leb(name.length), ...name, ...payload];
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, ...leb(body.length), ...body]);
}`;

export const wasmWith = new Function(`${WASM_WITH_JS}; return wasmWith;`)() as (text: string) => Uint8Array;

/** The text of the `marker` custom section of a module made by {@link wasmWith}. */
export function markerOf(bytes: Uint8Array): string {
  const sections = WebAssembly.Module.customSections(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), 'marker');
  return sections.length ? new TextDecoder().decode(sections[0]) : '';
}
