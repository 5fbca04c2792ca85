/**
 * Where module bytes come from: bytes, a File/Blob (drop, picker), or a URL. Inputs over the size
 * cap are refused from their declared size before they are read; a URL without a length is read
 * as a stream and abandoned as soon as it passes the cap.
 */
import { HotwasmError, messageOf } from '../shared/errors';
import { formatBytes } from '../shared/inspect';

export type ModuleSource = Uint8Array | ArrayBuffer | Blob | string | URL;

export interface SourceBytes {
  /**
   * The module: bytes, or a Blob (a dropped or picked file) that the worker reads itself, so the
   * page never reads or copies it.
   */
  data: Uint8Array | Blob;
  /** What to call the input in messages: a file name or URL. */
  label: string;
  /** Default module name: the file name without `.wasm`. */
  name: string;
  /** The bytes are the engine's own (fetched): they can be moved to a worker without a copy. */
  owned?: boolean;
}

/** The default module name of a source, before it is read: the file name without `.wasm`. */
export function nameOfSource(source: ModuleSource): string {
  if (typeof Blob !== 'undefined' && source instanceof Blob) return nameFromPath('name' in source && typeof source.name === 'string' ? source.name : '');
  if (typeof source === 'string' || source instanceof URL) {
    try {
      return nameFromPath(new URL(String(source), 'http://x/').pathname);
    } catch {
      return nameFromPath(String(source));
    }
  }
  return 'module';
}

export function nameFromPath(path: string): string {
  const last = path.split(/[/\\]/).filter(Boolean).pop() ?? 'module';
  const decoded = (() => {
    try {
      return decodeURIComponent(last);
    } catch {
      return last;
    }
  })();
  return decoded.replace(/\.wasm$/i, '') || 'module';
}

function tooLarge(label: string, size: number, cap: number): HotwasmError {
  return new HotwasmError('too-large', `${label} is ${formatBytes(size)}, over the ${formatBytes(cap)} module size limit; it was not read`, {
    size,
    cap,
  });
}

export async function readSource(source: ModuleSource, maxBytes: number, fetchImpl: typeof fetch, baseUrl?: string): Promise<SourceBytes> {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    if (bytes.length > maxBytes) throw tooLarge('The module', bytes.length, maxBytes);
    return { data: bytes, label: 'The module', name: 'module' };
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const fileName = 'name' in source && typeof source.name === 'string' && source.name ? source.name : 'module.wasm';
    if (source.size > maxBytes) throw tooLarge(fileName, source.size, maxBytes);
    if (source.size === 0) throw new HotwasmError('empty', `${fileName} is empty (0 bytes), not a WebAssembly module`);
    return { data: source, label: fileName, name: nameFromPath(fileName) };
  }
  if (typeof source === 'string' || source instanceof URL) {
    let url: URL;
    try {
      url = new URL(String(source), baseUrl);
    } catch {
      throw new HotwasmError('fetch-failed', `${JSON.stringify(String(source))} is not a valid URL`);
    }
    return fetchModule(url, maxBytes, fetchImpl);
  }
  throw new HotwasmError('bad-arguments', 'load() takes bytes (Uint8Array or ArrayBuffer), a File or Blob, or a URL');
}

/**
 * A URL as a person wrote it: spaces and letters beyond ASCII as they are, not percent-encoded
 * (`decodeURI` leaves the characters that would change what it names, like %2F, encoded). A
 * sequence that does not decode (a lone %) is shown as it is.
 */
function readableUrl(text: string): string {
  try {
    return decodeURI(text);
  } catch {
    return text;
  }
}

async function fetchModule(url: URL, maxBytes: number, fetchImpl: typeof fetch): Promise<SourceBytes> {
  const label = readableUrl(url.pathname.split('/').pop() || url.href);
  const shown = readableUrl(url.href);
  let response: Response;
  try {
    response = await fetchImpl(url.href);
  } catch (error) {
    throw new HotwasmError('fetch-failed', `Could not fetch ${shown}: ${messageOf(error)}`);
  }
  if (!response.ok) throw new HotwasmError('fetch-failed', `Could not fetch ${shown}: the server answered ${response.status} ${response.statusText}`.trim());
  const declared = Number(response.headers.get('content-length'));
  // Content-Length of a compressed response is the compressed size: only trust it to refuse early.
  const trusted = declared > 0 && !response.headers.get('content-encoding');
  if (trusted && declared > maxBytes) {
    void response.body?.cancel();
    throw tooLarge(label, declared, maxBytes);
  }
  // A body whose size is known to be within the cap is taken as a Blob, which the worker reads
  // (as a dropped file is): reading 10 MiB through JavaScript here kept the page's main thread
  // busy for 35–50 ms in one task (headless Chromium, 2-core VM).
  if (trusted) return { data: await response.blob(), label, name: nameFromPath(url.pathname) };
  const reader = response.body?.getReader();
  if (!reader) return { data: new Uint8Array(await response.arrayBuffer()), label, name: nameFromPath(url.pathname), owned: true };
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      void reader.cancel();
      throw new HotwasmError('too-large', `${label} is over the ${formatBytes(maxBytes)} module size limit; the download was stopped at ${formatBytes(total)}`, {
        cap: maxBytes,
      });
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { data: bytes, label, name: nameFromPath(url.pathname), owned: true };
}
