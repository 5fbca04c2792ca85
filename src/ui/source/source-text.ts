/**
 * Which text the Source panel opens for a version: the text it was compiled from when it came
 * from the editor (kept with the version), else a bundled example's source when it builds these
 * very bytes (compiled and compared by sha256, so a pushed build of another text never shows the
 * wrong source), else the text wabt makes from the binary — unless the module is too large to
 * edit comfortably as text.
 */
import { formatBytes, sha256Hex } from '../../shared/inspect';
import { messageOf } from '../../shared/errors';
import type { CompileOutcome } from './edit-loop';

/** Modules larger than this open with a notice instead of their text (a 1 MiB module is about 10 MB of text). */
export const MAX_TEXT_MODULE_BYTES = 1024 * 1024;

/** The bundled examples' sources, served beside their builds (vite.config.ts: exampleSources). */
export const EXAMPLE_SOURCES = ['examples/counter.wat'] as const;

export type SourceDoc =
  | { kind: 'kept' | 'example' | 'disassembly'; text: string; filename: string }
  | { kind: 'too large'; size: number }
  | { kind: 'unavailable'; message: string };

export interface SourceNeeds {
  /** The text the version was compiled from, if it came with one. */
  keptText(): Promise<string | null>;
  /** The version's bytes (checked against its sha256). */
  bytes(): Promise<Uint8Array>;
  compile(text: string, filename: string): Promise<CompileOutcome>;
  toText(bytes: Uint8Array): Promise<{ ok: true; text: string } | { ok: false; message: string }>;
  fetchText(url: string): Promise<string | null>;
}

export interface VersionRef {
  module: string;
  version: string;
  sha256: string;
  size: number;
}

/** sha256 of each example's build, once per page (the examples do not change under a built page; a dev server's do). */
const exampleBuilds = new Map<string, { text: string; sha256: string }>();

export async function sourceFor(version: VersionRef, needs: SourceNeeds, options: { large?: boolean } = {}): Promise<SourceDoc> {
  const filename = `${version.module}.wat`;
  try {
    const kept = await needs.keptText();
    if (kept !== null) return { kind: 'kept', text: kept, filename };
    const example = await matchingExample(version.sha256, needs);
    if (example) return { kind: 'example', text: example.text, filename: example.filename };
    if (version.size > MAX_TEXT_MODULE_BYTES && !options.large) return { kind: 'too large', size: version.size };
    const text = await needs.toText(await needs.bytes());
    if (!text.ok) return { kind: 'unavailable', message: `${version.module} ${version.version} could not be shown as text: ${text.message}` };
    return { kind: 'disassembly', text: text.text, filename };
  } catch (error) {
    return { kind: 'unavailable', message: `${version.module} ${version.version} could not be shown as text: ${messageOf(error)}` };
  }
}

async function matchingExample(sha256: string, needs: SourceNeeds): Promise<{ text: string; filename: string } | null> {
  for (const url of EXAMPLE_SOURCES) {
    const text = await needs.fetchText(url);
    if (text === null) continue;
    const filename = url.slice(url.lastIndexOf('/') + 1);
    let known = exampleBuilds.get(url);
    if (!known || known.text !== text) {
      const built = await needs.compile(text, filename);
      if (!built.ok) continue;
      known = { text, sha256: await sha256Hex(built.bytes) };
      exampleBuilds.set(url, known);
    }
    if (known.sha256 === sha256) return { text, filename };
  }
  return null;
}

/** The notice for a module too large to open as text. */
export function tooLargeText(module: string, size: number): string {
  return `${module} is ${formatBytes(size)}: as text it would be several times that, too large to edit comfortably here (the Source panel opens modules up to ${formatBytes(MAX_TEXT_MODULE_BYTES)}).`;
}
