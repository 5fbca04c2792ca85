/**
 * `<folder>/hotwasm.json`: how a folder builds, for a toolchain hotwasm does not detect (a C
 * project's `make`), so that `hotwasm dev <folder>` needs no flags:
 *
 *   { "build": "make", "artifact": "build/guest.wasm", "watch": ["src", "Makefile"], "name": "guest" }
 *
 * Paths are relative to the folder. Options given otherwise (CLI flags, a Vite config entry) win.
 * A file hotwasm cannot read is refused with what is wrong, never half-used.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { HotwasmModuleOptions } from './options';
import { ModuleConfigError } from './detect';

export const PROJECT_FILE = 'hotwasm.json';

export interface ProjectFile {
  build?: string;
  artifact?: string;
  watch?: string[];
  name?: string;
}

const KEYS: Record<keyof ProjectFile, 'string' | 'string[]'> = { build: 'string', artifact: 'string', watch: 'string[]', name: 'string' };

/** Parse and check a hotwasm.json's text; `file` names it in messages. */
export function parseProjectFile(text: string, file: string): ProjectFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModuleConfigError(`${file} is not JSON: ${error instanceof Error ? error.message : error}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ModuleConfigError(`${file} must hold a JSON object like { "build": "make", "artifact": "build/guest.wasm", "watch": ["src"] }`);
  const out: ProjectFile = {};
  for (const [key, v] of Object.entries(value)) {
    const kind = KEYS[key as keyof ProjectFile];
    if (!kind) throw new ModuleConfigError(`${file}: unknown key ${JSON.stringify(key)}; the keys are ${Object.keys(KEYS).join(', ')}`);
    const ok = kind === 'string' ? typeof v === 'string' && v.trim() !== '' : Array.isArray(v) && v.every((w) => typeof w === 'string' && w.trim() !== '');
    if (!ok) throw new ModuleConfigError(`${file}: "${key}" must be ${kind === 'string' ? 'a non-empty string' : 'a list of non-empty strings (paths or globs)'}, not ${JSON.stringify(v)}`);
    (out as Record<string, unknown>)[key] = v;
  }
  if (out.build && !out.artifact) throw new ModuleConfigError(`${file}: "build" needs "artifact", the .wasm the command writes`);
  return out;
}

/**
 * The options with the folder's hotwasm.json filled in under them. `path` may be the folder or
 * the hotwasm.json itself; `base` is what a relative `path` is relative to.
 */
export function withProjectFile(options: HotwasmModuleOptions, base: string): HotwasmModuleOptions {
  if (options.path === undefined) return options;
  const path = resolve(base, options.path);
  const isDir = existsSync(path) && statSync(path).isDirectory();
  const folder = isDir ? path : basename(path) === PROJECT_FILE ? dirname(path) : null;
  const file = folder && join(folder, PROJECT_FILE);
  if (!file || !existsSync(file)) return options;
  const project = parseProjectFile(readFileSync(file, 'utf8'), file);
  return {
    ...options,
    path: folder,
    name: options.name ?? project.name,
    build: options.build ?? project.build,
    artifact: options.artifact ?? (project.artifact && resolve(folder, project.artifact)),
    watch: options.watch ?? project.watch?.map((w) => resolve(folder, w)),
  };
}
