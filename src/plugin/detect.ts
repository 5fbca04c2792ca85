/**
 * What is `<path>`, and so how does it build? A folder with a hotwasm.json → what it says
 * (project-file.ts); Cargo.toml → cargo; asconfig.json → AssemblyScript; *.wat, or a folder
 * holding exactly one → wat (in-process); *.wasm → an artifact another tool writes; a folder with
 * a build command and an artifact → that command. Anything else is a clear error.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { MODULE_NAME_RE } from '../shared/dev-events';
import { artifactBuilder, type ArtifactTiming } from './builders/artifact';
import { assemblyScriptBuilder } from './builders/assemblyscript';
import { cargoBuilder, type CargoTools } from './builders/cargo';
import { commandBuilder } from './builders/command';
import type { Builder } from './builders/types';
import { watBuilder } from './builders/wat';
import { DEFAULTS, type HotwasmModuleOptions } from './options';
import { withProjectFile } from './project-file';

/** A module the plugin can build: what `hotwasm dev <path>` and each `modules` entry become. */
export interface ResolvedModule {
  name: string;
  builder: Builder;
  /** Absolute files, folders or globs whose change starts a build. */
  watch: string[];
  /** Absolute files, folders or globs never reacted to (build outputs). */
  ignore: string[];
  cwd: string;
  debounceMs: number;
  buildTimeoutMs: number;
}

/** A module option that cannot work; the message is for the person who wrote it. */
export class ModuleConfigError extends Error {
  override name = 'ModuleConfigError';
}

export interface DetectContext {
  /** Base for relative paths without a `cwd` (the Vite root, or the CLI's working folder). */
  root: string;
  tools?: CargoTools;
  timing?: ArtifactTiming;
}

/** A module name from a file or folder name: characters outside [A-Za-z0-9._-] become `-`. */
export function nameFrom(text: string): string {
  const cleaned = text.replace(/\.(wasm|wat)$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64);
  return cleaned || 'module';
}

/** Output folders a folder-wide watch never reacts to: a build writing there would rebuild forever. */
const OUTPUT_DIRS = ['target', 'build', 'dist', 'out', 'node_modules', '.git', 'zig-out', '.zig-cache', 'zig-cache'];

/** What asc may write beside the .wasm. */
const AS_OUTPUTS = ['.wasm', '.wat', '.js', '.d.ts', '.wasm.map'];

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

export function resolveModule(given: HotwasmModuleOptions, context: DetectContext): ResolvedModule {
  const base = resolve(context.root, given.cwd ?? '.');
  // Options given (CLI flags, the Vite config) win over the folder's hotwasm.json.
  const options = withProjectFile(given, base);
  const timing = { debounceMs: options.debounceMs ?? DEFAULTS.debounceMs, buildTimeoutMs: options.buildTimeoutMs ?? DEFAULTS.buildTimeoutMs };
  const finish = (name: string, builder: Builder, watch: string[], ignore: string[], cwd: string): ResolvedModule => {
    const chosen = options.name ?? name;
    if (!MODULE_NAME_RE.test(chosen)) {
      throw new ModuleConfigError(`${JSON.stringify(chosen)} is not a module name: use letters, digits, ".", "_" and "-" (at most 64), starting with a letter or digit`);
    }
    const own = options.watch?.map((w) => resolve(cwd, w));
    // Outputs stay ignored even under a watch given explicitly: reacting to them rebuilds forever.
    return { name: chosen, builder, watch: own ?? watch, ignore, cwd, ...timing };
  };
  const commandOrArtifact = (cwd: string, folder: string | null): ResolvedModule => {
    if (!options.artifact) {
      throw new ModuleConfigError(
        folder
          ? `${folder} has no hotwasm.json, Cargo.toml, asconfig.json or single .wat file: give --build "<command>" and --artifact <file.wasm> to build it with your own command (or write them in a hotwasm.json)`
          : 'A module needs a path (Cargo.toml, asconfig.json, .wat, .wasm or a folder) or an artifact',
      );
    }
    const artifact = resolve(cwd, options.artifact);
    if (options.build) {
      const watch = folder ? [folder] : [];
      if (!folder && !options.watch) throw new ModuleConfigError(`The module building ${artifact} needs watch: the files whose change starts a build`);
      const ignore = [artifact, ...OUTPUT_DIRS.map((d) => join(cwd, d))];
      return finish(nameFrom(basename(artifact)), commandBuilder(options.build, artifact, cwd), watch, ignore, cwd);
    }
    return finish(nameFrom(basename(artifact)), artifactBuilder(artifact, context.timing), [artifact], [], cwd);
  };

  if (options.path === undefined) return commandOrArtifact(base, null);
  const path = resolve(base, options.path);
  // A .wasm another tool writes may not be there yet: it is watched for.
  if (!existsSync(path) && extname(path).toLowerCase() !== '.wasm') throw new ModuleConfigError(`${path} does not exist`);
  const folder = isDir(path) ? path : null;
  const cwd = options.cwd ? base : (folder ?? dirname(path));
  const file = basename(path);

  // A command given explicitly wins over what the folder holds.
  if (folder && options.build) return commandOrArtifact(cwd, folder);
  const cargo = folder ? join(folder, 'Cargo.toml') : file === 'Cargo.toml' ? path : null;
  if (cargo && existsSync(cargo)) {
    const dir = dirname(cargo);
    const watch = ['src', 'Cargo.toml', 'Cargo.lock', 'build.rs'].map((f) => join(dir, f));
    return finish(nameFrom(basename(dir)), cargoBuilder(cargo, context.tools), watch, [join(dir, 'target')], cwd);
  }
  const asconfig = folder ? join(folder, 'asconfig.json') : file === 'asconfig.json' ? path : null;
  if (asconfig && existsSync(asconfig)) {
    const dir = dirname(asconfig);
    const builder = assemblyScriptBuilder(asconfig);
    const out = builder.artifact;
    // Everything the project holds but what asc writes (the .wasm and its .wat/.js/.d.ts/.map siblings).
    const stem = out ? out.slice(0, -extname(out).length) : null;
    const ignore = [...OUTPUT_DIRS.map((d) => join(dir, d)), ...(stem ? AS_OUTPUTS.map((ext) => stem + ext) : [])];
    return finish(nameFrom(basename(dir)), builder, [dir], ignore, cwd);
  }
  if (!folder && extname(file).toLowerCase() === '.wat') return finish(nameFrom(file), watBuilder(path), [path], [], cwd);
  // A folder holding one .wat (and nothing to say otherwise) builds it, as if it were given.
  const wats = folder && !options.artifact ? readdirSync(folder).filter((f) => extname(f).toLowerCase() === '.wat' && !isDir(join(folder, f))) : [];
  if (folder && wats.length === 1) {
    const wat = join(folder, wats[0]!);
    return finish(nameFrom(wats[0]!), watBuilder(wat), [wat], [], cwd);
  }
  if (!folder && extname(file).toLowerCase() === '.wasm') {
    if (options.build) throw new ModuleConfigError(`${file} is a .wasm file: to build it with a command, give the folder and --artifact ${file}`);
    return finish(nameFrom(file), artifactBuilder(path, context.timing), [path], [], cwd);
  }
  if (folder) return commandOrArtifact(cwd, folder);
  throw new ModuleConfigError(
    `${path} is not something hotwasm can build: give a Cargo.toml, an asconfig.json, a .wat or .wasm file, or a folder with --build "<command>" --artifact <file.wasm>`,
  );
}
