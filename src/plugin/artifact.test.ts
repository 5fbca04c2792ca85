/**
 * A .wasm that another tool writes, watched by a real dev server: never read half-written,
 * reported when deleted (the last build stays served) or when it is not a module or too large.
 */
import { createHash } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { StatusResponse } from '../shared/dev-api';
import { isTruncated } from './artifact';
import { startServer, tempDir, removeTempDirs, type TestServer } from './test-support/dev-server';
import { request } from './test-support/request';
import { wasmWith } from './test-support/wasm';

afterAll(removeTempDirs);

const waitFor = <T>(fn: () => T | Promise<T>) => vi.waitFor(fn, { timeout: 20_000, interval: 20 });
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let t: TestServer | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

async function watched(options: { maxBytes?: number } = {}) {
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
    // Cut at a section boundary it is a whole (smaller) module: only the size/mtime check can tell.
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
});
