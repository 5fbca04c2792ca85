/**
 * Which files belong to which module. Vite's watcher (chokidar, with globbing turned off) is
 * given plain paths: a file, a folder (watched deeply) or the fixed folder a glob starts in;
 * events are then matched here against the module's files, folders and globs, minus what it
 * ignores (its outputs).
 */
import { sep } from 'node:path';
import { createFilter } from 'vite';

const GLOB_CHARS = /[*?[\]{}!]/;

export interface PathMatcher {
  /** Plain paths for the watcher: files, folders, and the fixed folder each glob starts in. */
  readonly roots: string[];
  /** Included and not excluded: a change that starts a build. */
  matches(file: string): boolean;
  /** Under what is watched, excluded or not: the plugin's, never a reason for Vite to reload. */
  covers(file: string): boolean;
}

/** Split an absolute pattern into the folder before its first glob segment and the rest. */
export function globBase(pattern: string): { base: string; rest: string } | null {
  const parts = pattern.split('/');
  const at = parts.findIndex((p) => GLOB_CHARS.test(p));
  if (at < 0) return null;
  return { base: parts.slice(0, at).join('/') || '/', rest: parts.slice(at).join('/') };
}

function one(pattern: string): { root: string; test: (file: string) => boolean } {
  const glob = globBase(pattern);
  if (glob) {
    // createFilter escapes the folder it resolves against, so a path holding "(" or "[" still works.
    const filter = createFilter(glob.rest, null, { resolve: glob.base });
    return { root: glob.base, test: (file) => filter(file) };
  }
  const prefix = pattern.endsWith(sep) ? pattern : pattern + sep;
  return { root: pattern, test: (file) => file === pattern || file.startsWith(prefix) };
}

/** Match absolute files against absolute `include` paths/globs, minus `exclude`. */
export function pathMatcher(include: string[], exclude: string[]): PathMatcher {
  const inc = include.map(one);
  const exc = exclude.map(one);
  return {
    roots: [...new Set(inc.map((i) => i.root))],
    matches: (file) => inc.some((i) => i.test(file)) && !exc.some((e) => e.test(file)),
    covers: (file) => inc.some((i) => i.test(file)) || exc.some((e) => e.test(file)),
  };
}
