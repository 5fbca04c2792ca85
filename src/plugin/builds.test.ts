/**
 * Build behaviour, with custom build commands (small Node scripts) in temp folders, against a
 * real dev server: failures keep their output and reach a page that connects late, a missing
 * toolchain says what to install, a hung build is killed with its process group, missing or bad
 * artifacts are reported, and bursts of saves build one at a time with the last state winning.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { StatusResponse } from '../shared/dev-api';
import type { SyncReply } from '../shared/dev-events';
import { connectPage } from './test-support/hmr-client';
import { startServer, tempDir, removeTempDirs, type TestServer } from './test-support/dev-server';
import { request } from './test-support/request';
import { WASM_WITH_JS, markerOf } from './test-support/wasm';

afterAll(removeTempDirs);

/** Builds out.wasm from src/input.txt; waits while the file `gate` exists; logs to ../builds.log. */
const BUILD_SCRIPT = `import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
${WASM_WITH_JS}
const log = (line) => appendFileSync('../builds.log', line + '\\n');
const input = readFileSync('src/input.txt', 'utf8');
log('start ' + input.length);
while (existsSync('../gate')) await new Promise((r) => setTimeout(r, 10));
writeFileSync('out.wasm', wasmWith(input));
log('end ' + input.length);
`;

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function project(command = 'node build.mjs') {
  const root = await tempDir();
  const dir = join(root, 'guest');
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'build.mjs'), BUILD_SCRIPT);
  await writeFile(join(dir, 'src', 'input.txt'), 'initial');
  return { root, dir, module: { path: dir, build: command, artifact: 'out.wasm', watch: ['src'] } };
}

async function serve(...args: Parameters<typeof startServer>) {
  const t = await startServer(...args);
  servers.push(t);
  return t;
}

/** The build script has read its input and waits at the gate (not just: a build was asked for). */
const buildRunning = (root: string) => waitFor(async () => expect(await readFile(join(root, 'builds.log'), 'utf8')).toMatch(/^start /));
const status = async (t: TestServer) => (await request(t.port, '/__hotwasm/status')).json<StatusResponse>().modules[0]!;
const waitFor = <T>(fn: () => T | Promise<T>) => vi.waitFor(fn, { timeout: 20_000, interval: 20 });

describe('builds', { timeout: 60_000 }, () => {
  it('keeps a failed build’s output and tells a page that connects later', async () => {
    const p = await project(`node -e "console.log('compiling guest'); console.error('error[E0308]: mismatched types at src/lib.rs:3'); process.exit(3)"`);
    const t = await serve({ modules: [{ ...p.module, name: 'guest' }] });
    const failure = await waitFor(() => t.sent('hotwasm:build-failed')[0] ?? Promise.reject(new Error('no failure yet')));
    expect(failure).toMatchObject({ name: 'guest', seq: 1, code: 'build-failed', exitCode: 3, signal: null, message: expect.stringContaining('exited with code 3') });
    expect(failure.output).toContain('compiling guest');
    expect(failure.output).toContain('mismatched types');
    expect((await status(t)).lastBuild).toMatchObject({ status: 'failed', code: 'build-failed', exitCode: 3, outputTail: expect.stringContaining('mismatched types') });

    const page = await connectPage(t.port);
    try {
      page.send('hotwasm:sync', {});
      const states = await waitFor(() => {
        const s = page.events.filter((e) => e.event === 'hotwasm:state');
        if (s.length < 2) throw new Error('waiting for the state on connect and the answer to sync');
        return s.map((e) => e.data as SyncReply);
      });
      for (const state of states) expect(state.modules).toEqual([{ name: 'guest', building: null, lastBuild: null, lastError: failure }]);
      await waitFor(async () => expect((await request(t.port, '/__hotwasm/status')).json<StatusResponse>().pages).toBe(1));
    } finally {
      page.close();
    }
  });

  it('says what to install when the compiler is missing', async () => {
    const p = await project('definitely-not-a-hotwasm-compiler --release');
    const root = await tempDir();
    await writeFile(join(root, 'Cargo.toml'), '[package]\nname = "g"\nversion = "0.1.0"\n[lib]\ncrate-type = ["cdylib"]\n');
    const t = await serve({ modules: [{ ...p.module, name: 'shell' }, { path: root, name: 'crate' }], cargo: '/nonexistent/bin/cargo' });
    const failures = await waitFor(() => {
      const f = t.sent('hotwasm:build-failed');
      if (f.length < 2) throw new Error('waiting for both failures');
      return new Map(f.map((x) => [x.name, x]));
    });
    expect(failures.get('shell')).toMatchObject({ code: 'toolchain-missing', exitCode: 127, message: expect.stringContaining('definitely-not-a-hotwasm-compiler') });
    expect(failures.get('crate')).toMatchObject({ code: 'toolchain-missing', message: expect.stringContaining('apt-get install rustc cargo libstd-rust-dev-wasm32') });
  });

  it('kills a build that runs past its limit, with everything it started', async () => {
    const p = await project(`node -e "setInterval(() => {}, 1000)" & echo $! > ../child.pid; wait`);
    const t = await serve({ modules: [{ ...p.module, buildTimeoutMs: 1000 }] });
    const failure = await waitFor(() => t.sent('hotwasm:build-failed')[0] ?? Promise.reject(new Error('still running')));
    expect(failure).toMatchObject({ code: 'timeout', signal: 'SIGTERM', message: expect.stringContaining('buildTimeoutMs') });
    const pid = Number(await readFile(join(p.root, 'child.pid'), 'utf8'));
    await waitFor(() => expect(() => process.kill(pid, 0)).toThrow());
    expect((await status(t)).state).toBe('idle');
  });

  it('reports a "successful" build that wrote no artifact, or a bad one', async () => {
    const none = await project('node -e "0"');
    const text = await project(`node -e "require('fs').writeFileSync('out.wasm', 'not a module')"`);
    const big = await project(`node -e "require('fs').writeFileSync('out.wasm', Buffer.concat([Buffer.from([0,97,115,109,1,0,0,0]), Buffer.alloc(5000)]))"`);
    const t = await serve({ maxBytes: 4096, modules: [{ ...none.module, name: 'none' }, { ...text.module, name: 'text' }, { ...big.module, name: 'big' }] });
    const failures = await waitFor(() => {
      const f = t.sent('hotwasm:build-failed');
      if (f.length < 3) throw new Error('waiting');
      return new Map(f.map((x) => [x.name, x]));
    });
    expect(failures.get('none')).toMatchObject({ code: 'artifact-missing', message: expect.stringContaining('out.wasm does not exist') });
    expect(failures.get('text')).toMatchObject({ code: 'artifact-invalid', message: expect.stringContaining('a text file') });
    expect(failures.get('big')).toMatchObject({ code: 'artifact-too-large', message: expect.stringContaining('it was not read') });
    expect(t.sent('hotwasm:build')).toEqual([]);
  });

  it('builds a burst of 20 saves one at a time: one running, one queued, the last state wins', async () => {
    const p = await project();
    await writeFile(join(p.root, 'gate'), '');
    const t = await serve({ modules: [{ ...p.module, name: 'guest', debounceMs: 10 }] });
    await buildRunning(p.root);
    const started = Date.now();
    for (let i = 1; i <= 20; i++) await writeFile(join(p.dir, 'src', 'input.txt'), 'v'.repeat(i)); // each a new size
    expect(Date.now() - started).toBeLessThan(1000);
    await waitFor(async () => expect(await status(t)).toMatchObject({ state: 'building', queued: true }));
    await rm(join(p.root, 'gate'));

    const last = await waitFor(async () => {
      const s = await status(t);
      const build = t.sent('hotwasm:build').at(-1);
      if (s.state !== 'idle' || s.queued || !build || build.size === 0) throw new Error('still building');
      const bytes = (await request(t.port, build.url)).body;
      if (markerOf(bytes) !== 'v'.repeat(20)) throw new Error('not the last state yet');
      return build;
    });
    const log = (await readFile(join(p.root, 'builds.log'), 'utf8')).trim().split('\n');
    // Never two at once: starts and ends alternate.
    log.forEach((line, i) => expect(line.startsWith(i % 2 ? 'end' : 'start')).toBe(true));
    const starts = log.filter((l) => l.startsWith('start'));
    expect(starts[0]).toBe('start 7'); // the first build, of "initial"
    // What queued during it built once, from the last save; no intermediate state was ever built.
    expect(starts.slice(1).every((l) => l === 'start 20')).toBe(true);
    expect(starts.length).toBeLessThanOrEqual(3);
    expect(last.seq).toBe(starts.length);
  });

  it('follows a save made during a build with one more build', async () => {
    const p = await project();
    await writeFile(join(p.root, 'gate'), '');
    const t = await serve({ modules: [{ ...p.module, name: 'guest', debounceMs: 10 }] });
    await buildRunning(p.root);
    await writeFile(join(p.dir, 'src', 'input.txt'), 'saved during the build');
    await waitFor(async () => expect((await status(t)).queued).toBe(true));
    await rm(join(p.root, 'gate'));
    const builds = await waitFor(() => {
      const b = t.sent('hotwasm:build');
      if (b.length < 2) throw new Error('waiting for the second build');
      return b;
    });
    expect(markerOf((await request(t.port, builds[0]!.url)).body)).toBe('initial');
    expect(markerOf((await request(t.port, builds[1]!.url)).body)).toBe('saved during the build');
    expect(builds.map((b) => b.seq)).toEqual([1, 2]);
    expect(existsSync(join(p.dir, 'out.wasm'))).toBe(true);
  });
});
