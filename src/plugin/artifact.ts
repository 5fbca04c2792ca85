/**
 * Reading a build's artifact, and checking module bytes before they are offered to pages.
 *
 * The checks are those a dropped file meets on the page before it is compiled (size, header,
 * the section walk, the api_version section: src/shared/inspect.ts), plus WebAssembly.validate.
 * What the page alone decides (imports it can host, its memory budget) stays on the page.
 *
 * An artifact written by another tool may be caught half-written. It is taken at once when a
 * read between two looks that agree (size and mtime unchanged across it, the bytes read of that
 * size) gives a whole module that validates — it parses to the end and WebAssembly.validate
 * accepts it — and otherwise only once its size and mtime hold still across two looks `pollMs`
 * apart. A module that is cut short (a section running past the end of the file) is taken for
 * one still being written, never for the new build.
 *
 * What the fast path risks: a writer that pauses exactly at a section boundary (or one that
 * rewrites the file in place and pauses) leaves a shorter module that may validate, and it is
 * taken as a build. The watcher fires again when the writer goes on, so the complete module is
 * built next and pushed with a newer seq: pages see the short build briefly, then the whole one.
 * The two looks `pollMs` apart had the same gap, for pauses longer than `pollMs`.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { HotwasmError, messageOf } from '../shared/errors';
import { describeLayout, formatBytes, readModuleLayout } from '../shared/inspect';
import { BuildError } from './builders/types';

export type ModuleCheck = { ok: true } | { ok: false; code: string; message: string; truncated: boolean };

const MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Is this a module that was cut short: a valid start whose last section runs past the end? */
export function isTruncated(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return bytes.every((b, i) => b === MAGIC[i]);
  if (!MAGIC.every((b, i) => bytes[i] === b)) return false;
  let at = 8;
  while (at < bytes.length) {
    at++; // section id
    let size = 0;
    let shift = 0;
    for (;;) {
      if (at >= bytes.length) return true; // the size itself is cut
      const b = bytes[at++]!;
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) break;
      if (shift > 35) return false;
    }
    if (at + size > bytes.length) return true;
    at += size;
  }
  return false;
}

/** The checks a dropped file gets before compiling, then a full validation. */
export function checkModuleBytes(bytes: Uint8Array, label: string): ModuleCheck {
  try {
    describeLayout(bytes, readModuleLayout(bytes, label), label);
  } catch (error) {
    if (error instanceof HotwasmError) return { ok: false, code: error.code, message: error.message, truncated: isTruncated(bytes) };
    return { ok: false, code: 'invalid-module', message: `${label}: ${messageOf(error)}`, truncated: isTruncated(bytes) };
  }
  if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) {
    let detail = '';
    try {
      new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    } catch (error) {
      detail = `: ${messageOf(error)}`;
    }
    return { ok: false, code: 'invalid-module', message: `${label} is not a valid WebAssembly module${detail}`, truncated: isTruncated(bytes) };
  }
  return { ok: true };
}

function missing(path: string, why: string): BuildError {
  return new BuildError('artifact-missing', `${why}: ${path} does not exist`);
}

/** Read an artifact the build has finished writing (checked by the caller). Refuses it from its size when over the cap. */
export async function readArtifact(path: string, maxBytes: number, why = 'No artifact'): Promise<Uint8Array> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw missing(path, why);
  }
  if (size > maxBytes) throw tooLarge(path, size, maxBytes);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch {
    throw missing(path, why);
  }
  if (bytes.length > maxBytes) throw tooLarge(path, bytes.length, maxBytes);
  return bytes;
}

function tooLarge(path: string, size: number, maxBytes: number): BuildError {
  return new BuildError('artifact-too-large', `${basename(path)} is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit (maxBytes); it was not read`);
}

export interface WaitOptions {
  maxBytes: number;
  /** Between two looks at size and mtime. */
  pollMs: number;
  /** How long a cut-short module may stay as it is before it is reported as broken. */
  settleMs: number;
  /** Give up (a file that never stops changing) after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Told why the wait goes on (shown in status), or null when it is over. */
  onWaiting?: (reason: string | null) => void;
}

const delay = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

interface Look {
  size: number;
  mtimeMs: number;
}
const look = async (path: string): Promise<Look | null> => {
  try {
    const s = await stat(path);
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return null;
  }
};
const same = (a: Look | null, b: Look | null) => !!a && !!b && a.size === b.size && a.mtimeMs === b.mtimeMs;

/** The file's bytes, if they were read between two looks that agree (`before` and one after) and have that size; else null. */
async function readBetweenLooks(path: string, before: Look): Promise<Uint8Array | null> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch {
    return null; // replaced or deleted while reading
  }
  if (bytes.length !== before.size || !same(before, await look(path))) return null;
  return bytes;
}

/**
 * Read an artifact another tool writes, once it is complete: at once when the bytes read between
 * two looks that agree are a whole module that validates; otherwise once size and mtime are
 * unchanged across two looks `pollMs` apart and the bytes read then match that size. A module cut
 * short waits for the writer for up to `settleMs`; anything else wrong is reported once the file
 * holds still (a file caught mid-write is not yet wrong). While a file keeps changing it is read
 * once per look, so at most once every `pollMs`.
 */
export async function readCompleteArtifact(path: string, options: WaitOptions): Promise<Uint8Array> {
  const deadline = performance.now() + options.timeoutMs;
  const name = basename(path);
  let truncatedSince: number | null = null;
  // The size and mtime of a cut-short module already read: not read again until it changes.
  let readCutShort: Look | null = null;
  let cutShortMessage = '';
  try {
    for (;;) {
      if (options.signal?.aborted) throw new BuildError('internal', 'The dev server stopped');
      if (performance.now() > deadline) {
        throw new BuildError('timeout', `${name} was still being written after ${Math.round(options.timeoutMs / 1000)} s (buildTimeoutMs)`);
      }
      const first = await look(path);
      if (!first) throw missing(path, 'The artifact is gone');
      if (first.size > options.maxBytes) throw tooLarge(path, first.size, options.maxBytes);
      // The fast path: a whole, valid module that did not change while it was read is taken now.
      // What fails here is only judged once the file holds still.
      let early: { bytes: Uint8Array; check: ModuleCheck } | null = null;
      if (!same(first, readCutShort)) {
        const bytes = await readBetweenLooks(path, first);
        if (bytes) {
          const check = checkModuleBytes(bytes, name);
          if (check.ok) return bytes;
          early = { bytes, check };
        }
      }
      await delay(options.pollMs, options.signal);
      const second = await look(path);
      if (!same(first, second)) {
        options.onWaiting?.(`${name} is being written`);
        continue;
      }
      if (same(second, readCutShort)) {
        if (performance.now() - truncatedSince! > options.settleMs) {
          throw new BuildError('artifact-invalid', `${name} stayed cut short for ${options.settleMs} ms: ${cutShortMessage}`);
        }
        continue;
      }
      // Unchanged since the first look: the bytes read then (if they were) are the file's bytes now.
      let bytes: Uint8Array;
      let check: ModuleCheck;
      if (early) ({ bytes, check } = early);
      else {
        const read = await readBetweenLooks(path, second!);
        if (!read) continue;
        bytes = read;
        check = checkModuleBytes(bytes, name);
      }
      if (check.ok) return bytes;
      if (!check.truncated) throw new BuildError('artifact-invalid', check.message);
      truncatedSince = performance.now();
      readCutShort = second;
      cutShortMessage = check.message;
      options.onWaiting?.(`${name} is incomplete (${formatBytes(bytes.length)} so far): waiting for the writer`);
    }
  } finally {
    options.onWaiting?.(null);
  }
}
