/**
 * A .wasm that another tool writes, watched by a real dev server: never read half-written,
 * taken at once when it is whole and valid, reported when deleted (the last build stays served)
 * or when it is not a module or too large.
 */
import { createHash } from 'node:crypto';
import { appendFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { StatusResponse } from '../shared/dev-api';
import { isTruncated, readCompleteArtifact } from './artifact';
import { startServer, tempDir, removeTempDirs, type TestServer } from './test-support/dev-server';
import { request } from './test-support/request';
import { wasmWith } from './test-support/wasm';

afterAll(removeTempDirs);

const waitFor = <T>(fn: () => T | Promise<T>) => vi.waitFor(fn, { timeout: 20_000, interval: 20 });
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const nthBuild = (server: TestServer, n: number) => waitFor(() => server.sent('hotwasm:build')[n] ?? Promise.reject(new Error('not yet')));

/** Far longer than any of these tests may take to see a build: a build seen sooner did not wait for two looks. */
const LONG_POLL_MS = 5000;

let t: TestServer | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

async function watched(options: { maxBytes?: number; artifactPollMs?: number } = {}) {
  const dir = await tempDir();
  const file = join(dir, 'guest.wasm');
  // A long settle: only the writer finishing may end the wait in these tests, never the clock.
  t = await startServer({ ...options, artifactSettleMs: 60_000, modules: [{ path: file, debounceMs: 10 }] }, {}, dir);
  const server = t;
  // It does not exist yet: the first look says so.
  await waitFor(() => expect(server.sent('hotwasm:build-failed')[0]).toMatchObject({ code: 'artifact-missing' }));
  return { server, file };
}

describe('a .wasm written by another tool', { timeout: 60_000 }, () => {
  it('tells a module cut short from a whole one', () => {
    const whole = wasmWith('a marker long enough to cut');
    expect(isTruncated(whole)).toBe(false);
    for (const n of [0, 3, 9, 10, 20, whole.length - 1]) expect([n, isTruncated(whole.subarray(0, n))]).toEqual([n, true]);
    // Cut at a section boundary it is a whole (smaller) module: only a change of size/mtime can
    // tell, and a writer that pauses there gets it built (the whole one follows: see below).
    expect(isTruncated(whole.subarray(0, 8))).toBe(false);
    expect(isTruncated(new TextEncoder().encode('hello'))).toBe(false);
  });

  it('waits for a half-written module and builds only the whole one', async () => {
    const { server, file } = await watched();
    const whole = wasmWith('x'.repeat(3000));
    const half = whole.subarray(0, 1500);
    await writeFile(file, half);
    await waitFor(async () => {
      const m = (await request(server.port, '/__hotwasm/status')).json<StatusResponse>().modules[0]!;
      expect(m).toMatchObject({ state: 'building', waiting: expect.stringContaining('incomplete') });
    });
    await writeFile(file, whole);
    const build = await waitFor(() => server.sent('hotwasm:build')[0] ?? Promise.reject(new Error('not yet')));
    expect(build).toMatchObject({ sha256: sha(whole), size: whole.length });
    expect(server.sent('hotwasm:build').map((b) => b.sha256)).not.toContain(sha(half));
    expect(server.sent('hotwasm:build-failed')).toHaveLength(1); // only the first look, before it existed
  });

  it('reports a deletion, keeps serving the last build, and builds it again when it comes back', async () => {
    const { server, file } = await watched();
    await writeFile(file, wasmWith('one'));
    const first = await waitFor(() => server.sent('hotwasm:build')[0] ?? Promise.reject(new Error('not yet')));
    await rm(file);
    await waitFor(() => expect(server.sent('hotwasm:build-failed')[1]).toMatchObject({ code: 'artifact-missing', message: expect.stringContaining('gone') }));
    expect((await request(server.port, first.url)).status).toBe(200);
    await writeFile(file, wasmWith('back again'));
    const second = await waitFor(() => server.sent('hotwasm:build')[1] ?? Promise.reject(new Error('not yet')));
    expect(second.seq).toBeGreaterThan(first.seq);
    expect(second.sha256).toBe(sha(wasmWith('back again')));
  });

  it('reports at once a file that is not a module, and one over the cap without reading it', async () => {
    const { server, file } = await watched({ maxBytes: 2048 });
    await writeFile(file, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    await waitFor(() => expect(server.sent('hotwasm:build-failed')[1]).toMatchObject({ code: 'artifact-invalid', message: expect.stringContaining('PNG') }));
    await writeFile(file, wasmWith('y'.repeat(4000)));
    await waitFor(() => expect(server.sent('hotwasm:build-failed')[2]).toMatchObject({ code: 'artifact-too-large' }));
    expect(server.sent('hotwasm:build')).toEqual([]);
  });

  it('takes a whole module renamed into place at once, without waiting artifactPollMs', async () => {
    const { server, file } = await watched({ artifactPollMs: LONG_POLL_MS });
    const whole = wasmWith('z'.repeat(50_000));
    await writeFile(`${file}.tmp`, whole);
    const started = performance.now();
    await rename(`${file}.tmp`, file);
    const build = await nthBuild(server, 0);
    expect(performance.now() - started).toBeLessThan(LONG_POLL_MS);
    expect(build).toMatchObject({ sha256: sha(whole), size: whole.length });
  });

  it('builds a module that stopped at a section boundary, then the whole one when the writer goes on', async () => {
    const { server, file } = await watched({ artifactPollMs: LONG_POLL_MS });
    // A writer that pauses after the first custom section: what is on disk is a smaller, valid module.
    const start = wasmWith('the first sections');
    const rest = wasmWith('a trailing section, written later').subarray(8);
    const whole = new Uint8Array([...start, ...rest]);
    await writeFile(file, start);
    const short = await nthBuild(server, 0);
    expect(short.sha256).toBe(sha(start)); // the residual risk of the fast path: taken as a build
    await appendFile(file, rest);
    const complete = await nthBuild(server, 1);
    expect(complete).toMatchObject({ sha256: sha(whole), size: whole.length });
    expect(complete.seq).toBeGreaterThan(short.seq);
    // Once nothing more is under way, the newest build kept and served is the whole module.
    const newest = await waitFor(async () => {
      const m = (await request(server.port, '/__hotwasm/status')).json<StatusResponse>().modules[0]!;
      expect(m).toMatchObject({ state: 'idle', queued: false });
      return m.versions[0]!;
    });
    expect(newest.sha256).toBe(sha(whole));
    expect(server.sent('hotwasm:build').at(-1)!.sha256).toBe(sha(whole));
    const served = await request(server.port, newest.url);
    expect(served).toMatchObject({ status: 200 });
    expect(sha(served.body)).toBe(sha(whole));
  });
});

describe('readCompleteArtifact', { timeout: 60_000 }, () => {
  const options = { maxBytes: 1 << 20, settleMs: 60_000, timeoutMs: 60_000 };

  it('takes a whole module written in one go before the poll interval could have elapsed', async () => {
    const file = join(await tempDir(), 'guest.wasm');
    const whole = wasmWith('w'.repeat(100_000));
    await writeFile(file, whole);
    const started = performance.now();
    const bytes = await readCompleteArtifact(file, { ...options, pollMs: LONG_POLL_MS });
    expect(performance.now() - started).toBeLessThan(LONG_POLL_MS);
    expect(sha(bytes)).toBe(sha(whole));
  });

  it('never takes a module cut mid-section: it waits for the writer and takes the whole one', async () => {
    const file = join(await tempDir(), 'guest.wasm');
    const whole = wasmWith('h'.repeat(3000));
    await writeFile(file, whole.subarray(0, 1500));
    const reasons: (string | null)[] = [];
    const read = readCompleteArtifact(file, { ...options, pollMs: 10, onWaiting: (r) => void reasons.push(r) });
    await waitFor(() => expect(reasons).toContainEqual(expect.stringContaining('incomplete')));
    await writeFile(file, whole);
    expect(sha(await read)).toBe(sha(whole));
  });

  it('reports a module that stays cut mid-section, never taking it', async () => {
    const file = join(await tempDir(), 'guest.wasm');
    await writeFile(file, wasmWith('c'.repeat(3000)).subarray(0, 1500));
    await expect(readCompleteArtifact(file, { ...options, pollMs: 10, settleMs: 100 })).rejects.toMatchObject({
      code: 'artifact-invalid',
      message: expect.stringContaining('stayed cut short for 100 ms'),
    });
  });
});
