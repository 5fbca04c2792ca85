/**
 * The CLI (bin/hotwasm.mjs), spawned as a user runs it, against real dev servers started by the
 * test — and `hotwasm dev` itself, end to end: start, build, edit, rebuild, stop.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StatusResponse } from '../shared/dev-api';
import { startServer, tempDir, removeTempDirs, type TestServer } from './test-support/dev-server';
import { wasmWith } from './test-support/wasm';
import { CLI, type Run, cli as run } from './test-support/cli';

afterAll(removeTempDirs);

/** The environment of the test run without its HOTWASM_ variables, as test-support/cli gives the CLI. */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HOTWASM_')));
const cli = (args: string[], cwd?: string) => run(args, { cwd });

/** A port nothing listens on: one the OS just handed out and took back. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const noStack = (r: Run) => expect(r.stderr).not.toMatch(/\n\s+at /);

describe('hotwasm push, trigger, status', { timeout: 60_000 }, () => {
  let t: TestServer;
  let dir: string;
  let tf: string[];
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'fail.mjs'), "console.error('error: expected `;` at guest.c:7'); process.exit(1);\n");
    t = await startServer({ modules: [{ path: dir, name: 'broken', build: 'node fail.mjs', artifact: 'out.wasm', watch: ['src'] }] }, {}, dir);
    await t.token();
    tf = ['--token-file', t.tokenFile];
  });
  afterAll(() => t.close());

  it('pushes a file, named after it, and says so (or answers JSON)', async () => {
    await writeFile(join(dir, 'my guest.wasm'), wasmWith('from the cli'));
    const human = await cli(['push', join(dir, 'my guest.wasm'), ...tf]);
    expect([human.code, human.stderr]).toEqual([0, '']);
    expect(human.stdout).toMatch(/^Pushed my-guest #1 in \d+ ms \(\d+ bytes, sha256 [0-9a-f]{12}\) to http:\/\/127\.0\.0\.1:\d+\n$/);
    const machine = await cli(['push', join(dir, 'my guest.wasm'), '--name', 'other', '--json', ...tf]);
    expect(machine.code).toBe(0);
    const { build } = JSON.parse(machine.stdout);
    expect(build).toMatchObject({ name: 'other', source: 'push' });
    expect(t.sent('hotwasm:build')).toContainEqual(build);
  });

  it('reports a refused module, a failed build with its output, and status', async () => {
    await writeFile(join(dir, 'image.wasm'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const refused = await cli(['push', join(dir, 'image.wasm'), ...tf]);
    expect([refused.code, refused.stdout]).toEqual([1, '']);
    expect(refused.stderr).toMatch(/^hotwasm: image\.wasm was refused: .*a PNG image \(invalid-module, HTTP 422\)\n$/);
    const failed = await cli(['trigger', '--name', 'broken', ...tf]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('broken: build #');
    expect(failed.stderr).toContain('expected `;` at guest.c:7');
    noStack(failed);
    const status = await cli(['status', '--json', ...tf]);
    expect(status.code).toBe(0);
    const answer = JSON.parse(status.stdout) as StatusResponse;
    expect(answer.modules.map((m) => m.name).sort()).toEqual(['broken', 'my-guest', 'other']);
    const human = await cli(['status', ...tf]);
    expect(human.stdout).toMatch(/broken \(command\): idle\n.*\n\s+last build #\d+ FAILED \(build-failed\)/);
  });

  it('says clearly when no dev server runs, or the token is wrong', async () => {
    const file = join(dir, 'some.wasm');
    await writeFile(file, wasmWith('some'));
    const nowhere = await cli(['push', file, '--token-file', join(dir, 'none.json')]);
    expect([nowhere.code, nowhere.stdout]).toEqual([3, '']);
    expect(nowhere.stderr).toMatch(/No dev server: the token file .*none\.json does not exist\. Start one with `hotwasm dev <path>`/);
    // A token file left by a server that is gone.
    const stale = join(dir, 'stale.json');
    const port = await closedPort();
    await writeFile(stale, JSON.stringify({ schema: 1, url: `http://127.0.0.1:${port}`, port, token: 'a'.repeat(64), pid: 2 ** 22 + 7, startedAt: 0 }));
    const gone = await cli(['status', '--token-file', stale]);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toMatch(new RegExp(`No dev server answers at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\. The token file .* no longer running`));
    const wrong = join(dir, 'wrong.json');
    await writeFile(wrong, JSON.stringify({ ...JSON.parse(await readFile(t.tokenFile, 'utf8')), token: 'b'.repeat(64) }));
    const refused = await cli(['push', file, '--token-file', wrong]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/refused the request \(the token does not match: the token file may be from an older start/);
    for (const r of [nowhere, gone, refused]) noStack(r);
  });

  it('has --help on every command, and refuses wrong arguments without a stack trace', async () => {
    for (const command of ['new', 'dev', 'check', 'push', 'trigger', 'status']) {
      const help = await cli([command, '--help']);
      expect([command, help.code, help.stdout.startsWith(`usage: hotwasm ${command}`)]).toEqual([command, 0, true]);
    }
    expect((await cli(['--help'])).stdout).toContain('hotwasm <command> --help');
    for (const args of [['push', '--bogus'], ['push'], ['frobnicate'], ['dev'], ['dev', dir, '--port', 'x'], []]) {
      const r = await cli(args);
      expect([args, r.code, r.stdout]).toEqual([args, 2, '']);
      expect(r.stderr).toMatch(/^hotwasm/);
      noStack(r);
    }
    const unbuildable = await cli(['dev', join(dir, 'fail.mjs')]);
    expect(unbuildable.code).toBe(2);
    expect(unbuildable.stderr).toMatch(/is not something hotwasm can build: give a Cargo\.toml, an asconfig\.json, a \.wat or \.wasm file, or a folder/);
  });
});

describe('hotwasm dev', { timeout: 90_000 }, () => {
  it('starts the playground on loopback, builds, rebuilds and pushes on every save, and stops cleanly', async () => {
    const dir = await tempDir();
    const file = join(dir, 'guest.wat');
    await writeFile(file, '(module (func (export "answer") (result i32) i32.const 1))');
    const tokenFile = join(dir, 'token.json');
    const child = spawn(process.execPath, [CLI, 'dev', file, '--port', '0', '--json', '--token-file', tokenFile], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: { type: string; url?: string; data?: { seq: number; sha256: string } }[] = [];
    let stderr = '';
    let buffer = '';
    child.stdout.on('data', (d) => {
      buffer += d;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const p of parts) lines.push(JSON.parse(p));
    });
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const waitFor = <T>(fn: () => T) => vi.waitFor(fn, { timeout: 60_000, interval: 50 });
      const listening = await waitFor(() => lines.find((l) => l.type === 'listening') ?? Promise.reject(new Error(`not listening yet: ${stderr}`)));
      expect(listening.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const first = await waitFor(() => lines.find((l) => l.type === 'hotwasm:build') ?? Promise.reject(new Error('no build yet')));
      await writeFile(file, '(module (func (export "answer") (result i32) i32.const 4242))');
      const second = await waitFor(() => lines.filter((l) => l.type === 'hotwasm:build')[1] ?? Promise.reject(new Error('no rebuild yet')));
      expect(second.data!.seq).toBeGreaterThan(first.data!.seq);
      expect(second.data!.sha256).not.toBe(first.data!.sha256);
      const status = await cli(['status', '--json', '--token-file', tokenFile]);
      expect(JSON.parse(status.stdout).modules[0]).toMatchObject({ name: 'guest', kind: 'wat', state: 'idle' });
      // The playground itself is served.
      const page = await fetch(listening.url!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(143); // Vite closes the server on SIGTERM, then exits 128 + 15
    expect(existsSync(tokenFile)).toBe(false);
  });
});
