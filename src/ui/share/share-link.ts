/**
 * Share links: a URL that reopens the playground on the same module and call. The module goes
 * in as the URL it was loaded from (`module`, as `?module=` always did) or, for one edited in the
 * Source panel or dropped from a file, as its WebAssembly text, deflated and base64url-encoded
 * (`wat`, under `name`); the call as `fn` and `arg` (the argument's text, as typed).
 */

/** What a share link asks for. */
export interface ShareRequest {
  /** A module URL, resolved against the page as `?module=` is. */
  module?: string;
  /** WebAssembly text to compile and load (from `wat`). */
  wat?: string;
  /** The module name to load `wat` under. */
  name?: string;
  fn?: string;
  /** The argument's text, as the Call panel shows it. */
  arg?: string;
}

/** The longest `wat` parameter a link carries (base64url characters): links past this are refused by some places they are pasted in. */
export const MAX_WAT_PARAM = 96 * 1024;

const MAX_WAT_TEXT = 4 * 1024 * 1024;

export type Encoded = { ok: true; search: string } | { ok: false; message: string };

/** The query string (with its "?") for `request`. */
export async function encodeShare(request: ShareRequest): Promise<Encoded> {
  const params = new URLSearchParams();
  if (request.module !== undefined) params.set('module', request.module);
  if (request.wat !== undefined) {
    const packed = toBase64Url(await deflate(new TextEncoder().encode(request.wat)));
    if (packed.length > MAX_WAT_PARAM) return { ok: false, message: `its text is ${Math.round(packed.length / 1024)} KiB even compressed, too long for a link (at most ${MAX_WAT_PARAM / 1024} KiB)` };
    params.set('wat', packed);
    if (request.name !== undefined) params.set('name', request.name);
  }
  if (request.fn !== undefined) params.set('fn', request.fn);
  if (request.arg !== undefined) params.set('arg', request.arg);
  return { ok: true, search: `?${params}` };
}

export type Decoded = { ok: true; request: ShareRequest } | { ok: false; message: string };

/** What `search` (a location's query string) asks for; a `wat` that cannot be read is an error with why. */
export async function decodeShare(search: string): Promise<Decoded> {
  const params = new URLSearchParams(search);
  const request: ShareRequest = {};
  const module = params.get('module');
  if (module) request.module = module;
  const fn = params.get('fn');
  if (fn) request.fn = fn;
  const arg = params.get('arg');
  if (arg !== null) request.arg = arg;
  const packed = params.get('wat');
  if (packed !== null) {
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(await inflate(fromBase64Url(packed), MAX_WAT_TEXT));
      request.wat = text;
    } catch (error) {
      return { ok: false, message: `The link's WebAssembly text could not be read: ${error instanceof Error ? error.message : String(error)}. Was the link cut short?` };
    }
    request.name = params.get('name') || 'shared';
  }
  return { ok: true, request };
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflate, refusing output past `max` bytes (a link is small; what it unpacks to need not be). */
async function inflate(bytes: Uint8Array, max: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel();
      throw new Error(`it unpacks to over ${max / (1024 * 1024)} MiB`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('it is not base64url text');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
