// The Rust kit: its own cargo tests (with and without the serde feature, serde from Debian's
// crate sources, offline), and kits/rust/check-kit.mjs — the template built the way `hotwasm new`
// lays it out, answering in Node, refusing state it cannot read, and 2,000 calls without memory
// growth. They need Debian's /usr/bin/cargo (rustup's cargo on PATH may lack the wasm32 target);
// without it they skip with a notice.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const CARGO = process.env.CARGO ?? '/usr/bin/cargo';
const RUSTC = process.env.RUSTC ?? '/usr/bin/rustc';
const DEBIAN_CRATES = '/usr/share/cargo/registry';
const haveCargo = existsSync(CARGO) && existsSync(RUSTC);
const haveSerde = existsSync(DEBIAN_CRATES) && spawnSync('sh', ['-c', `ls -d ${DEBIAN_CRATES}/serde_json-*`]).status === 0;
if (!haveCargo) console.log(`kits/rust: tests skipped — no ${CARGO}; install rustc cargo libstd-rust-dev-wasm32 (Debian)`);
else if (!haveSerde) console.log('kits/rust: serde tests skipped — install librust-serde-json-dev (Debian) for its crate sources');

function cargoTest(features: string[]) {
  const args = ['test', '--offline', '--quiet', ...features, '--config', 'source.crates-io.replace-with="debian"', '--config', `source.debian.directory="${DEBIAN_CRATES}"`];
  const r = spawnSync(CARGO, args, { cwd: join(here, 'lib'), encoding: 'utf8', env: { ...process.env, RUSTC, RUSTDOC: RUSTC.replace(/rustc$/, 'rustdoc') } });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

describe.runIf(haveCargo)('the Rust kit', () => {
  it('passes its own tests without serde', { timeout: 120_000 }, () => {
    const r = cargoTest([]);
    expect(r.output).toMatch(/test result: ok/);
    expect(r.status, r.output).toBe(0);
  });

  it.runIf(haveSerde)('passes its own tests with the serde feature', { timeout: 180_000 }, () => {
    const r = cargoTest(['--features', 'serde']);
    expect(r.output).toMatch(/test result: ok/);
    expect(r.status, r.output).toBe(0);
  });

  it('builds its template offline; the module answers, keeps its state and does not leak', { timeout: 180_000 }, () => {
    const r = spawnSync(process.execPath, [join(here, 'check-kit.mjs')], { encoding: 'utf8' });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    expect(output).not.toMatch(/skipped/i);
    expect(r.status, output).toBe(0);
  });
});
