/**
 * Which text the Source panel opens for a version: the text it was compiled from when it came
 * from the editor (kept with the version), else a bundled example's source when it builds these
 * very bytes (the site lists each example text with the sha256 of its build, so a pushed build of
 * another text never shows the wrong source), else the text wabt makes from the binary — unless the module is too large to
 * edit comfortably as text.
 */
import { formatBytes } from '../../shared/inspect';
import { messageOf } from '../../shared/errors';

/** Modules larger than this are too large to edit comfortably as text (a 1 MiB module is about 10 MB of it). */
export const MAX_TEXT_MODULE_BYTES = 1024 * 1024;
/**
 * Text made from a binary larger than this is made on request, not for each version that
 * serves: a 100 KiB module's text (about 1 MB) took ~350 ms of the page's main thread to open in
 * Monaco, at every update of a module someone builds with another toolchain.
 */
export const AUTO_TEXT_MODULE_BYTES = 64 * 1024;

/** The bundled examples' sources with the sha256 of their builds (vite.config.ts: exampleSources). */
export const EXAMPLE_SOURCES_URL = 'examples/sources.json';

export type SourceDoc =
  | { kind: 'kept' | 'example' | 'disassembly'; text: string; filename: string }
  | { kind: 'too large'; size: number }
  | { kind: 'unavailable'; message: string };

export interface SourceNeeds {
  /** The text the version was compiled from, if it came with one. */
  keptText(): Promise<string | null>;
  /** The version's bytes (checked against its sha256). */
  bytes(): Promise<Uint8Array>;
  toText(bytes: Uint8Array): Promise<{ ok: true; text: string } | { ok: false; message: string }>;
  fetchText(url: string): Promise<string | null>;
}

export interface VersionRef {
  module: string;
  version: string;
  sha256: string;
  size: number;
}

export async function sourceFor(version: VersionRef, needs: SourceNeeds, options: { large?: boolean } = {}): Promise<SourceDoc> {
  const filename = `${version.module}.wat`;
  try {
    const kept = await needs.keptText();
    if (kept !== null) return { kind: 'kept', text: kept, filename };
    const example = await matchingExample(version.sha256, needs);
    if (example) return { kind: 'example', text: example.text, filename: example.filename };
    if (version.size > AUTO_TEXT_MODULE_BYTES && !options.large) return { kind: 'too large', size: version.size };
    const text = await needs.toText(await needs.bytes());
    if (!text.ok) return { kind: 'unavailable', message: `${version.module} ${version.version} could not be shown as text: ${text.message}` };
    return { kind: 'disassembly', text: text.text, filename };
  } catch (error) {
    return { kind: 'unavailable', message: `${version.module} ${version.version} could not be shown as text: ${messageOf(error)}` };
  }
}

/** The example whose build has these very bytes, from the site's list of example sources. */
async function matchingExample(sha256: string, needs: SourceNeeds): Promise<{ text: string; filename: string } | null> {
  let list: unknown;
  try {
    list = JSON.parse((await needs.fetchText(EXAMPLE_SOURCES_URL)) ?? '[]');
  } catch {
    return null; // no list (an app of its own): no example sources
  }
  if (!Array.isArray(list)) return null;
  for (const entry of list as unknown[]) {
    const { url, sha256: built } = (entry ?? {}) as { url?: unknown; sha256?: unknown };
    if (built !== sha256 || typeof url !== 'string') continue;
    const text = await needs.fetchText(url);
    if (text !== null) return { text, filename: url.slice(url.lastIndexOf('/') + 1) };
  }
  return null;
}

/** The notice for a module whose text is not opened by itself. */
export function tooLargeText(module: string, size: number): string {
  if (size > MAX_TEXT_MODULE_BYTES) {
    return `${module} is ${formatBytes(size)}: as text it would be several times that, too large to edit comfortably here (the Source panel opens modules up to ${formatBytes(MAX_TEXT_MODULE_BYTES)}).`;
  }
  return `${module} is ${formatBytes(size)}: its text, made from the binary, is about ten times that, so it is made when you ask, not for each version that serves.`;
}
