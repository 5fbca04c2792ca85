/**
 * The security rules of the plugin's routes, each against a real Vite dev server on a real port,
 * with real HTTP requests whose Host and Origin the test sets (docs/live-push.md#security).
 */
import { createHash } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, BuildResponse, StatusResponse } from '../shared/dev-api';
import { TOKEN_HEADER } from '../shared/dev-api';
import { startServer, tempDir, removeTempDirs, type TestServer } from './test-support/dev-server';
import { request, type Answer } from './test-support/request';
import { wasmWith } from './test-support/wasm';

afterAll(removeTempDirs);

const WASM = { 'Content-Type': 'application/wasm' };
const ROUTES: [method: string, path: string][] = [
  ['GET', '/__hotwasm/status'],
  ['POST', '/__hotwasm/trigger?name=guest'],
  ['POST', '/__hotwasm/push?name=guest'],
  ['GET', `/__hotwasm/modules/${'0'.repeat(64)}.wasm`],
];
const code = (a: Answer) => a.json<ApiError>().error.code;
const corsHeaders = (a: Answer) => Object.keys(a.headers).filter((h) => h.startsWith('access-control-'));

describe('on a loopback dev server', { timeout: 30_000 }, () => {
  let t: TestServer;
  let token: string;
  let own: string;
  beforeAll(async () => {
    const root = await tempDir();
    await writeFile(join(root, 'guest.wat'), '(module (@custom "secret" "TOP-SECRET-SOURCE-TEXT"))');
    t = await startServer({ modules: [{ path: join(root, 'guest.wat') }] }, { server: { allowedHosts: ['dev.example.test'] } }, root);
    token = await t.token();
    own = `http://127.0.0.1:${t.port}`;
  });
  afterAll(() => t.close());

  it('binds loopback when no host is configured', async () => {
    const d = await startServer({}, { server: { host: undefined } });
    try {
      expect((d.server.httpServer!.address() as AddressInfo).address).toMatch(/^(127\.|::1$)/);
    } finally {
      await d.close();
    }
  });

  it('refuses a DNS-rebinding Host on every route, and allows loopback names and configured hosts', async () => {
    for (const [method, path] of ROUTES) {
      const a = await request(t.port, path, { method, headers: { Host: `evil.example.com:${t.port}`, [TOKEN_HEADER]: token, ...WASM }, body: wasmWith('x') });
      expect([path, a.status, code(a)]).toEqual([path, 403, 'forbidden-host']);
    }
    for (const host of ['localhost', 'app.localhost', '127.0.0.1', '[::1]', 'dev.example.test']) {
      const a = await request(t.port, '/__hotwasm/status', { headers: { Host: `${host}:${t.port}` } });
      expect([host, a.status]).toEqual([host, 200]);
    }
    expect(t.warnings.some((w) => w.includes('403') && w.includes('evil.example.com'))).toBe(true);
  });

  it('refuses browser requests from another origin on every route', async () => {
    for (const origin of ['http://evil.test', `http://localhost:${t.port + 1}`, 'null', `https://127.0.0.1:${t.port}`]) {
      for (const [method, path] of ROUTES) {
        const a = await request(t.port, path, { method, headers: { Origin: origin, [TOKEN_HEADER]: token, ...WASM }, body: wasmWith('x') });
        expect([origin, path, a.status, code(a)]).toEqual([origin, path, 403, 'forbidden-origin']);
      }
    }
    const site = await request(t.port, '/__hotwasm/status', { headers: { 'Sec-Fetch-Site': 'cross-site' } });
    expect(site.status).toBe(403);
  });

  it('lets a same-origin page push without the token, and tools only with it', async () => {
    expect((await request(t.port, '/__hotwasm/push?name=guest', { method: 'POST', headers: { Origin: own, ...WASM }, body: wasmWith('page') })).status).toBe(200);
    const none = await request(t.port, '/__hotwasm/push?name=guest', { method: 'POST', headers: WASM, body: wasmWith('tool') });
    expect([none.status, code(none)]).toEqual([401, 'unauthorized']);
    const wrong = await request(t.port, '/__hotwasm/push?name=guest', { method: 'POST', headers: { [TOKEN_HEADER]: 'f'.repeat(64), ...WASM }, body: wasmWith('tool') });
    expect([wrong.status, code(wrong)]).toEqual([401, 'unauthorized']);
    const short = await request(t.port, '/__hotwasm/trigger', { method: 'POST', headers: { [TOKEN_HEADER]: 'x' } });
    expect(short.status).toBe(401);
    const right = await request(t.port, '/__hotwasm/push?name=guest', { method: 'POST', headers: { [TOKEN_HEADER]: token, ...WASM }, body: wasmWith('tool') });
    expect(right.status).toBe(200);
    const rebuilt = await request(t.port, '/__hotwasm/trigger?name=guest', { method: 'POST', headers: { [TOKEN_HEADER]: token } });
    expect([rebuilt.status, rebuilt.json<BuildResponse>().build]).toEqual([200, expect.objectContaining({ name: 'guest', source: 'build' })]);
  });

  it('writes a random per-start token to a file only the user can read', async () => {
    expect(token).toMatch(/^[0-9a-f]{64}$/); // 256 bits
    expect((await stat(t.tokenFile)).mode & 0o777).toBe(0o600);
    const other = await startServer();
    try {
      expect(await other.token()).not.toBe(token);
    } finally {
      await other.close();
    }
  });

  it('takes POST only on mutating routes and GET/HEAD on the others, saying what is allowed', async () => {
    for (const path of ['/__hotwasm/push', '/__hotwasm/trigger']) {
      for (const method of ['GET', 'PUT', 'DELETE', 'OPTIONS']) {
        const a = await request(t.port, path, { method, headers: { [TOKEN_HEADER]: token } });
        expect([path, method, a.status, a.headers.allow]).toEqual([path, method, 405, 'POST']);
      }
    }
    const put = await request(t.port, '/__hotwasm/status', { method: 'PUT' });
    expect([put.status, put.headers.allow]).toEqual([405, 'GET, HEAD']);
  });

  it('takes only application/wasm or application/octet-stream bodies', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json']) {
      const a = await request(t.port, '/__hotwasm/push?name=guest', { method: 'POST', headers: { [TOKEN_HEADER]: token, 'Content-Type': type }, body: wasmWith('x') });
      expect([type, a.status, code(a)]).toEqual([type, 415, 'unsupported-media-type']);
    }
    const untyped = await request(t.port, '/__hotwasm/push?name=guest', { method: 'POST', headers: { [TOKEN_HEADER]: token }, body: wasmWith('x') });
    expect(untyped.status).toBe(415);
    const octets = await request(t.port, '/__hotwasm/push?name=guest', { method: 'POST', headers: { [TOKEN_HEADER]: token, 'Content-Type': 'application/octet-stream' }, body: wasmWith('o') });
    expect(octets.status).toBe(200);
  });

  it('sends no CORS header on any route, preflights included', async () => {
    const origin = `http://localhost:${t.port + 1}`; // one Vite's own CORS defaults would allow
    const preflight = { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': TOKEN_HEADER };
    for (const [method, path] of ROUTES) {
      for (const headers of [{}, { Origin: origin }, { Origin: own }]) {
        const a = await request(t.port, path, { method, headers: { ...headers, [TOKEN_HEADER]: token, ...WASM }, body: wasmWith('c') });
        expect([path, corsHeaders(a)]).toEqual([path, []]);
      }
      // A preflight from another origin is refused as any of its requests; from none, OPTIONS is not a method here.
      const p = await request(t.port, path, { method: 'OPTIONS', headers: preflight });
      expect([path, p.status, corsHeaders(p)]).toEqual([path, 403, []]);
      const bare = await request(t.port, path, { method: 'OPTIONS' });
      expect([path, bare.status, corsHeaders(bare)]).toEqual([path, 405, []]);
    }
  });

  it('never reads a file by a client-supplied path, and serves only bytes it built or received, by sha256', async () => {
    const onDisk = wasmWith('on disk, never built');
    await writeFile(join(t.dir, 'planted.wasm'), onDisk);
    const plantedSha = createHash('sha256').update(onDisk).digest('hex');
    expect((await request(t.port, `/__hotwasm/modules/${plantedSha}.wasm`)).status).toBe(404);
    for (const path of ['/__hotwasm/modules/..%2F..%2Fetc%2Fpasswd', `/__hotwasm/modules/${'A'.repeat(64)}.wasm`, '/__hotwasm/modules/planted.wasm', `/__hotwasm/modules/${plantedSha}`]) {
      const a = await request(t.port, path);
      expect([path, a.status, code(a)]).toEqual([path, 400, 'bad-request']);
    }
    expect((await request(t.port, '/__hotwasm/push?name=..%2Fx', { method: 'POST', headers: { [TOKEN_HEADER]: token, ...WASM }, body: onDisk })).status).toBe(400);
    const status = await request(t.port, '/__hotwasm/status');
    expect(status.body.toString()).not.toContain('TOP-SECRET-SOURCE-TEXT');
    expect(status.json<StatusResponse>().modules.map((m) => m.name)).toContain('guest');
  });
});

describe('on a dev server exposed beyond loopback', { timeout: 30_000 }, () => {
  it('turns push and trigger off without a configured token, and says so at startup', async () => {
    const t = await startServer({}, { server: { host: '0.0.0.0' } });
    try {
      const token = await t.token();
      for (const path of ['/__hotwasm/push?name=x', '/__hotwasm/trigger?name=x']) {
        const a = await request(t.port, path, { method: 'POST', headers: { [TOKEN_HEADER]: token, ...WASM }, body: wasmWith('x') });
        expect([path, a.status, code(a)]).toEqual([path, 403, 'push-disabled']);
      }
      const status = (await request(t.port, '/__hotwasm/status')).json<StatusResponse>();
      expect(status.mutations).toEqual({ enabled: false, reason: expect.stringContaining('beyond loopback') });
      expect(t.warnings.some((w) => w.includes('push and trigger are OFF'))).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('accepts the configured token, and a same-origin page only with it', async () => {
    const configured = 'a-configured-secret-of-some-length';
    const t = await startServer({ token: configured }, { server: { host: '0.0.0.0' } });
    try {
      const own = `http://127.0.0.1:${t.port}`;
      const page = await request(t.port, '/__hotwasm/push?name=x', { method: 'POST', headers: { Origin: own, ...WASM }, body: wasmWith('p') });
      expect([page.status, code(page)]).toEqual([401, 'unauthorized']);
      const tool = await request(t.port, '/__hotwasm/push?name=x', { method: 'POST', headers: { [TOKEN_HEADER]: configured, ...WASM }, body: wasmWith('t') });
      expect(tool.status).toBe(200);
      expect((await request(t.port, '/__hotwasm/status')).json<StatusResponse>().mutations.enabled).toBe(true);
    } finally {
      await t.close();
    }
  });
});
