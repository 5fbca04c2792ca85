/**
 * An AssemblyScript project: `asc --config asconfig.json --target <t>`, run with the project's
 * own assemblyscript (else the one installed beside hotwasm). The output file is read from
 * asconfig.json (the target's `outFile`, else the options', following `extends`), so the
 * artifact is where the project says it is; a project that names none gets
 * `--outFile build/<target>.wasm`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { messageOf } from '../../shared/errors';
import { readArtifact } from '../artifact';
import { runStep } from './run-step';
import { BuildError, type Builder } from './types';

export const ASC_INSTALL = 'npm install -D assemblyscript';

interface AsconfigFile {
  extends?: string;
  options?: Record<string, unknown>;
  targets?: Record<string, Record<string, unknown>>;
}

export interface AsconfigPlan {
  /** The target passed to --target, or null when the config has none. */
  target: string | null;
  /** Absolute path of the .wasm asc writes. */
  outFile: string;
  /** Whether asc must be told --outFile (the config names none). */
  passOutFile: boolean;
}

function readConfig(file: string): AsconfigFile {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as AsconfigFile;
  } catch (error) {
    throw new BuildError('config-invalid', `${file} could not be read: ${messageOf(error)}`);
  }
}

/** Which target to build and where its output goes, from asconfig.json and what it extends. */
export function planAsconfig(asconfig: string, preferred?: string): AsconfigPlan {
  const chain: { file: string; config: AsconfigFile }[] = [];
  const seen = new Set<string>();
  for (let file = resolve(asconfig); ; ) {
    if (seen.has(file) || chain.length > 16) break;
    seen.add(file);
    const config = readConfig(file);
    chain.push({ file, config });
    if (typeof config.extends !== 'string') break;
    file = resolve(dirname(file), config.extends);
  }
  const own = chain[0]!.config;
  const targets = Object.keys(own.targets ?? {});
  const target = preferred ?? (targets.includes('release') ? 'release' : (targets[0] ?? null));
  if (preferred && !targets.includes(preferred)) {
    throw new BuildError('config-invalid', `${asconfig} has no target "${preferred}" (it has ${targets.join(', ') || 'none'})`);
  }
  // asc's precedence: a target's options over the general options, a config over what it extends.
  for (const { file, config } of chain) {
    for (const options of [target ? config.targets?.[target] : undefined, config.options]) {
      const out = options?.outFile;
      if (typeof out === 'string' && out) return { target, outFile: resolve(dirname(file), out), passOutFile: false };
    }
  }
  return { target, outFile: join(dirname(resolve(asconfig)), 'build', `${target ?? 'module'}.wasm`), passOutFile: true };
}

/** bin/asc.js of the project's assemblyscript, else of the one beside hotwasm, else null. */
export function findAsc(projectDir: string): string | null {
  for (const from of [join(projectDir, 'package.json'), import.meta.url]) {
    try {
      return join(dirname(createRequire(from).resolve('assemblyscript/package.json')), 'bin', 'asc.js');
    } catch {
      // not installed there
    }
  }
  return null;
}

export function assemblyScriptBuilder(asconfig: string, options: { target?: string } = {}): Builder {
  const dir = dirname(resolve(asconfig));
  let artifact: string | null = null;
  try {
    artifact = planAsconfig(asconfig, options.target).outFile;
  } catch {
    // Reported by the first build.
  }
  return {
    kind: 'assemblyscript',
    get artifact() {
      return artifact;
    },
    async build(context) {
      const plan = planAsconfig(asconfig, options.target);
      artifact = plan.outFile;
      const asc = findAsc(dir);
      if (!asc) throw new BuildError('toolchain-missing', `AssemblyScript is not installed for ${dir}: ${ASC_INSTALL}`);
      // Relative to the folder it runs in: asc resolves an `extends` of a config given by an
      // absolute path against the wrong folder (the wasi-shim's library then goes missing).
      const args = [asc, '--config', basename(asconfig)];
      if (plan.target) args.push('--target', plan.target);
      if (plan.passOutFile) args.push('--outFile', plan.outFile);
      const what = `asc${plan.target ? ` (target ${plan.target})` : ''}`;
      const result = await runStep(process.execPath, args, { cwd: dir, what, install: ASC_INSTALL }, context);
      const bytes = await readArtifact(plan.outFile, context.maxBytes, `${what} succeeded but wrote no artifact`);
      return { bytes, output: result.output };
    },
  };
}
