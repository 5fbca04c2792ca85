/**
 * A Cargo crate: `cargo build --release --target wasm32-wasi`. Where the artifact lands comes
 * from `cargo metadata --format-version 1 --no-deps` (the target directory, the crate's cdylib
 * target name with `-` → `_`), never from a guess, and is read again on every build because
 * Cargo.toml may have changed.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readArtifact } from '../artifact';
import { runStep } from './run-step';
import { BuildError, type BuildContext, type Builder } from './types';

export const RUST_INSTALL = 'apt-get install rustc cargo libstd-rust-dev-wasm32 (Debian), or with rustup: rustup target add wasm32-wasip1';
/** wasm32-wasi was renamed wasm32-wasip1 (and later removed) in newer Rust releases. */
const TARGETS = ['wasm32-wasi', 'wasm32-wasip1'];

export interface CargoTools {
  /** The cargo to run (default: $CARGO, else `cargo` on PATH). */
  cargo?: string;
  /** The rustc cargo uses (default: $RUSTC, else the rustc beside an absolute `cargo`, else `rustc`). */
  rustc?: string;
}

interface CargoMetadata {
  target_directory: string;
  packages: { name: string; manifest_path: string; targets: { name: string; kind: string[] }[] }[];
}

function resolveTools(tools: CargoTools): { cargo: string; rustc: string } {
  const cargo = tools.cargo ?? process.env.CARGO ?? 'cargo';
  const sibling = cargo.includes('/') ? join(dirname(cargo), 'rustc') : null;
  const rustc = tools.rustc ?? process.env.RUSTC ?? (sibling && existsSync(sibling) ? sibling : 'rustc');
  return { cargo, rustc };
}

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** The artifact's file name for the crate at `manifest`, from cargo metadata. */
export function artifactFileName(metadata: CargoMetadata, manifest: string): string {
  const pkg = metadata.packages.find((p) => real(p.manifest_path) === real(manifest));
  if (!pkg) throw new BuildError('config-invalid', `cargo metadata lists no package for ${manifest}`);
  const lib = pkg.targets.find((t) => t.kind.includes('cdylib'));
  if (lib) return `${lib.name.replace(/-/g, '_')}.wasm`;
  const bin = pkg.targets.find((t) => t.kind.includes('bin'));
  if (bin) return `${bin.name}.wasm`;
  throw new BuildError('config-invalid', `The crate ${pkg.name} has no cdylib or bin target: add [lib] crate-type = ["cdylib"] to ${manifest}`);
}

export function cargoBuilder(manifest: string, tools: CargoTools = {}): Builder {
  const dir = dirname(manifest);
  const { cargo, rustc } = resolveTools(tools);
  const env = { ...process.env, RUSTC: rustc, CARGO_TERM_COLOR: 'never' };
  let artifact: string | null = null;
  let target: string | null = null;

  /** The wasm target rustc's sysroot has, checked once: cargo's own error for a missing one is obscure. */
  const findTarget = async (context: BuildContext): Promise<string> => {
    if (target) return target;
    const sysroot = await runStep(rustc, ['--print', 'sysroot'], { cwd: dir, env, what: `${rustc} --print sysroot`, install: RUST_INSTALL, captureStdout: true }, context);
    const root = sysroot.stdout.trim();
    const found = TARGETS.find((t) => existsSync(join(root, 'lib', 'rustlib', t)));
    if (!found) throw new BuildError('toolchain-missing', `${rustc} (sysroot ${root}) has no wasm32-wasi standard library: ${RUST_INSTALL}`);
    target = found;
    return found;
  };

  return {
    kind: 'cargo',
    get artifact() {
      return artifact;
    },
    async build(context) {
      const triple = await findTarget(context);
      const meta = await runStep(cargo, ['metadata', '--format-version', '1', '--no-deps', '--manifest-path', manifest], { cwd: dir, env, what: 'cargo metadata', install: RUST_INSTALL, captureStdout: true }, context);
      let metadata: CargoMetadata;
      try {
        metadata = JSON.parse(meta.stdout) as CargoMetadata;
      } catch {
        throw new BuildError('config-invalid', `cargo metadata did not answer JSON for ${manifest}`, { output: meta.output });
      }
      artifact = join(metadata.target_directory, triple, 'release', artifactFileName(metadata, manifest));
      const result = await runStep(cargo, ['build', '--release', '--target', triple, '--manifest-path', manifest], { cwd: dir, env, what: 'cargo build', install: RUST_INSTALL }, context);
      const bytes = await readArtifact(artifact, context.maxBytes, 'cargo build succeeded but wrote no artifact');
      return { bytes, output: result.output };
    },
  };
}
