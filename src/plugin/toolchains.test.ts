/**
 * Real toolchains in temp folders: a .wat file (npm wabt, always here), an AssemblyScript project
 * (the assemblyscript devDependency) and, where /usr/bin/cargo can build wasm32-wasi, a Cargo
 * crate. Each builds on start and again on a save, announced to pages with a new sha256.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { StatusResponse } from '../shared/dev-api';
import type { BuildNotice } from '../shared/dev-events';
import { startServer, tempDir, removeTempDirs, type TestServer } from './test-support/dev-server';
import { request } from './test-support/request';

afterAll(removeTempDirs);

const waitFor = <T>(fn: () => T | Promise<T>, timeout = 30_000) => vi.waitFor(fn, { timeout, interval: 25 });
let t: TestServer | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

/** Wait for build number `n` (1-based) of the server's only module. */
const nthBuild = (server: TestServer, n: number, timeout?: number) =>
  waitFor(() => server.sent('hotwasm:build')[n - 1] ?? Promise.reject(new Error(`build ${n} not yet; failures: ${JSON.stringify(server.sent('hotwasm:build-failed'))}`)), timeout);

/** Rewrite a file, refusing an edit a watcher could miss (same size), as Vite's playground does. */
async function edit(file: string, change: (text: string) => string) {
  const before = await readFile(file, 'utf8');
  const after = change(before);
  if (Buffer.byteLength(after) === Buffer.byteLength(before)) throw new Error(`edit of ${file} keeps its size: a watcher could miss it`);
  await writeFile(file, after);
}

describe('real toolchains', { timeout: 120_000 }, () => {
  it('compiles a .wat file in-process, reports a syntax error, and rebuilds on save', async () => {
    const dir = await tempDir();
    const file = join(dir, 'guest.wat');
    await writeFile(file, '(module (func (export "answer") (result i32) i32.const 1) (@custom "api_version" "1.0.0"))');
    t = await startServer({ modules: [{ path: file, debounceMs: 10 }] }, {}, dir);
    const first = await nthBuild(t, 1);
    expect(first).toMatchObject({ name: 'guest', seq: 1, source: 'build' });
    await edit(file, (s) => s.replace('i32.const 1)', 'i32.const 123456)'));
    const second = await nthBuild(t, 2);
    expect(second.sha256).not.toBe(first.sha256);
    await edit(file, (s) => s.replace('(result i32)', '(result i32'));
    const server = t;
    await waitFor(() => expect(server.sent('hotwasm:build-failed')[0]).toMatchObject({ code: 'build-failed', output: expect.stringMatching(/guest\.wat:1/) }));
    // The plugin's own files never make Vite reload the page.
    const hook = t.plugin.hotUpdate as (this: unknown, ctx: { file: string }) => unknown;
    expect(hook.call({}, { file })).toEqual([]);
    expect(hook.call({}, { file: join(dir, 'other.ts') })).toBeUndefined();
  });

  it('builds an AssemblyScript project with asc, reading its output from asconfig.json', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'assembly'));
    await writeFile(join(dir, 'assembly', 'index.ts'), 'export function answer(): i32 { return 1; }\n');
    await writeFile(
      join(dir, 'asconfig.json'),
      JSON.stringify({ entries: ['assembly/index.ts'], targets: { release: { outFile: 'build/guest.wasm', optimizeLevel: 1 } }, options: { runtime: 'stub', use: ['abort='] } }),
    );
    t = await startServer({ modules: [{ path: dir, name: 'as-guest', debounceMs: 10 }] }, {}, dir);
    const first = await nthBuild(t, 1, 60_000);
    const status = (await request(t.port, '/__hotwasm/status')).json<StatusResponse>().modules[0]!;
    expect(status).toMatchObject({ kind: 'assemblyscript', artifact: join(dir, 'build', 'guest.wasm') });
    await edit(join(dir, 'assembly', 'index.ts'), (s) => `${s}export function more(x: i32): i32 { return x * 3 + 1; }\n`);
    const second = await nthBuild(t, 2, 60_000);
    expect(second.sha256).not.toBe(first.sha256);
    expect(t.sent('hotwasm:build')).toHaveLength(2); // its own output (build/) started no build
  });

  it('builds a Cargo crate for wasm32-wasi where the toolchain can', async () => {
    const cargo = '/usr/bin/cargo';
    const sysroot = existsSync('/usr/bin/rustc') ? spawnSync('/usr/bin/rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).stdout.trim() : '';
    if (!existsSync(cargo) || !['wasm32-wasi', 'wasm32-wasip1'].some((t) => existsSync(join(sysroot, 'lib', 'rustlib', t)))) {
      console.log('cargo test not run: /usr/bin/cargo with a wasm32-wasi target is not installed (apt-get install rustc cargo libstd-rust-dev-wasm32)');
      return;
    }
    const dir = await tempDir();
    const crate = join(dir, 'crate');
    await cp(fileURLToPath(new URL('../../examples/counter-rust', import.meta.url)), crate, { recursive: true, filter: (src) => !src.includes('/target') });
    // The example refers to the Rust kit relatively (../../kits/rust/lib): from the copy, it is this repository's.
    const kit = fileURLToPath(new URL('../../kits/rust/lib', import.meta.url));
    await edit(join(crate, 'Cargo.toml'), (s) => {
      expect(s).toContain('path = "../../kits/rust/lib"');
      return s.replace('path = "../../kits/rust/lib"', `path = ${JSON.stringify(kit)}`);
    });
    t = await startServer({ cargo, modules: [{ path: crate, debounceMs: 10 }] }, {}, dir);
    const first: BuildNotice = await nthBuild(t, 1, 110_000);
    expect(first.name).toBe('crate');
    const status = (await request(t.port, '/__hotwasm/status')).json<StatusResponse>().modules[0]!;
    expect(status.artifact).toMatch(/\/crate\/target\/wasm32-wasip?1?\/release\/counter_rust\.wasm$/);
    await edit(join(crate, 'src', 'lib.rs'), (s) => `${s}\n#[no_mangle]\npub extern "C" fn added_by_the_test() -> i32 { 42 }\n`);
    const second = await nthBuild(t, 2, 110_000);
    expect(second.sha256).not.toBe(first.sha256);
  });
});
