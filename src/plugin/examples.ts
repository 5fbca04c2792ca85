/**
 * The bundled examples as live-push modules, for this repository's own `npm run dev`: editing
 * examples/counter-wat/counter.wat hot-swaps the running counter; the AssemblyScript, C and Rust
 * counters likewise where their toolchains are installed (each one that is not is skipped, with
 * one line saying what to install).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findAsc, ASC_INSTALL } from './builders/assemblyscript';
import { RUST_INSTALL } from './builders/cargo';
import type { HotwasmModuleOptions } from './options';

const C_INSTALL = 'apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32 (Debian)';

const ok = (command: string, args: string[], cwd?: string) => {
  const r = spawnSync(command, args, { cwd, stdio: 'ignore' });
  return !r.error && r.status === 0;
};

/** A clang that compiles and links a wasm32-wasi reactor (probed with a tiny file). */
function wasiClang(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'hotwasm-clang-'));
  try {
    writeFileSync(join(dir, 'probe.c'), '#include <stdlib.h>\n__attribute__((export_name("f"))) void *f(int n) { return malloc(n); }\n');
    return ok('clang', ['--target=wasm32-wasi', '-mexec-model=reactor', '-O2', '-o', 'probe.wasm', 'probe.c'], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Debian's rustc and cargo with the wasm32-wasi standard library (rustup's on PATH often lack it). */
function debianRust(): { cargo: string; rustc: string } | null {
  const [cargo, rustc] = ['/usr/bin/cargo', '/usr/bin/rustc'];
  if (!existsSync(cargo) || !existsSync(rustc)) return null;
  const sysroot = spawnSync(rustc, ['--print', 'sysroot'], { encoding: 'utf8' });
  if (sysroot.status !== 0) return null;
  return ['wasm32-wasi', 'wasm32-wasip1'].some((t) => existsSync(join(sysroot.stdout.trim(), 'lib', 'rustlib', t))) ? { cargo, rustc } : null;
}

export interface ExampleModules {
  modules: HotwasmModuleOptions[];
  cargo?: string;
  rustc?: string;
  /** One line per example left out, saying what to install. */
  skipped: string[];
}

export function exampleModules(root: string): ExampleModules {
  const examples = join(root, 'examples');
  const out = join(root, 'node_modules', '.hotwasm', 'examples');
  const result: ExampleModules = { modules: [{ path: join(examples, 'counter-wat', 'counter.wat'), name: 'counter' }], skipped: [] };
  if (findAsc(join(examples, 'counter-as'))) result.modules.push({ path: join(examples, 'counter-as'), name: 'counter-as' });
  else result.skipped.push(`counter-as: ${ASC_INSTALL}`);
  if (wasiClang()) {
    mkdirSync(out, { recursive: true });
    const artifact = join(out, 'counter-c.wasm');
    result.modules.push({
      path: join(examples, 'counter-c'),
      name: 'counter-c',
      build: `clang --target=wasm32-wasi -mexec-model=reactor -O2 -Wl,--strip-debug -o '${artifact}' counter.c`,
      artifact,
      watch: [join(examples, 'counter-c', 'counter.c')],
    });
  } else result.skipped.push(`counter-c: ${C_INSTALL}`);
  const rust = debianRust();
  if (rust) {
    result.modules.push({ path: join(examples, 'counter-rust'), name: 'counter-rust' });
    Object.assign(result, rust);
  } else result.skipped.push(`counter-rust: ${RUST_INSTALL}`);
  return result;
}
