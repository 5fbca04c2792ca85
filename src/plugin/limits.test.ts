/**
 * What a client can send that must not hurt: bodies over the cap (refused before they are
 * buffered), malformed requests (a 4xx and a log line, never a crash), and pushed bytes that are
 * not a module (the checks a dropped file gets). Real dev server, real sockets.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, BuildResponse } from '../shared/dev-api';
import { TOKEN_HEADER } from '../shared/dev-api';
import { startServer, removeTempDirs, type TestServer } from './test-support/dev-server';
import { request, type Answer } from './test-support/request';
import { wasmWith } from './test-support/wasm';

afterAll(removeTempDirs);

const CAP = 4096;
const code = (a: Answer) => a.json<ApiError>().error.code;

/** Write raw bytes and read what comes back until it closes or `until` matches (null: hang up once written). */
function raw(port: number, text: string | Buffer, until: RegExp | null = /\r\n\r\n/): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d) => {
      got += d.toString('latin1');
      if (until?.test(got)) socket.destroy();
    });
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
    socket.write(text, () => {
      if (!until) socket.destroy();
    });
  });
}

describe('limits and malformed input', { timeout: 30_000 }, () => {
  let t: TestServer;
  let auth: Record<string, string>;
  const alive = async () => expect((await request(t.port, '/__hotwasm/status')).status).toBe(200);
  beforeAll(async () => {
    t = await startServer({ maxBytes: CAP });
    auth = { [TOKEN_HEADER]: await t.token(), 'Content-Type': 'application/wasm' };
  });
  afterAll(() => t.close());

  it('refuses a body over the cap from its Content-Length, before reading it', async () => {
    // Only the headers are sent: an answer proves nothing waited for the billion bytes announced.
    const reply = await raw(t.port, `POST /__hotwasm/push?name=big HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\n${TOKEN_HEADER}: ${auth[TOKEN_HEADER]}\r\nContent-Type: application/wasm\r\nContent-Length: 1000000000\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toContain('"too-large"');
    await alive();
  });

  it('stops reading a chunked body as soon as it passes the cap', async () => {
    const header = wasmWith('');
    function* chunks() {
      yield header;
      for (let i = 0; i < 64; i++) yield new Uint8Array(1024);
    }
    const a = await request(t.port, '/__hotwasm/push?name=big', { method: 'POST', headers: auth, chunks: chunks() }).catch((error: Error) => error);
    // The answer, or a reset if the server closed while the rest was still being written.
    if (!(a instanceof Error)) expect([a.status, code(a)]).toEqual([413, 'too-large']);
    else expect(a.message).toMatch(/ECONNRESET|EPIPE|socket hang up/);
    expect(t.warnings.some((w) => w.includes('413') && w.includes('while streaming'))).toBe(true);
    await alive();
  });

  it('accepts a module of exactly the cap', async () => {
    const padding = CAP - wasmWith('').length - 1; // the section's size takes a second LEB byte
    const bytes = wasmWith('x'.repeat(padding));
    expect(bytes.length).toBe(CAP);
    const a = await request(t.port, '/__hotwasm/push?name=exact', { method: 'POST', headers: auth, body: bytes });
    expect(a.status).toBe(200);
  });

  it('answers malformed requests with a 4xx and a log line, and keeps serving', async () => {
    const warnings = t.warnings.length;
    expect(await raw(t.port, 'GET /__hotwasm/status HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /); // no Host
    expect(await raw(t.port, `GET /__hotwasm/status HTTP/1.1\r\nHost: a b\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw(t.port, `GET /__hotwasm/status HTTP/1.1\r\nHost: [::zz]:1\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw(t.port, `POST /__hotwasm/push HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw(t.port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x01, 0, 0]))).toMatch(/^HTTP\/1\.1 400 /); // a TLS hello
    for (const path of ['/__hotwasm/push?name=%zz', '/__hotwasm/push?name=a&name=b', `/__hotwasm/push?name=${'x'.repeat(65)}`]) {
      const a = await request(t.port, path, { method: 'POST', headers: auth, body: wasmWith('q') });
      expect([path, a.status, code(a)]).toEqual([path, 400, 'bad-request']);
    }
    const unknown = await request(t.port, '/__hotwasm/nothing-here');
    expect([unknown.status, code(unknown)]).toEqual([404, 'not-found']);
    const notBuilt = await request(t.port, '/__hotwasm/trigger?name=nope', { method: 'POST', headers: { [TOKEN_HEADER]: auth[TOKEN_HEADER]! } });
    expect([notBuilt.status, code(notBuilt)]).toEqual([404, 'unknown-module']);
    expect(t.warnings.length).toBeGreaterThan(warnings + 3);
    expect(t.warnings.some((w) => w.includes('refused a malformed request (HPE_'))).toBe(true);
    await alive();
  });

  it('survives a client that goes away in the middle of a body', async () => {
    await raw(t.port, `POST /__hotwasm/push?name=gone HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\n${TOKEN_HEADER}: ${auth[TOKEN_HEADER]}\r\nContent-Type: application/wasm\r\nContent-Length: 100\r\n\r\n\0asm`, null);
    await alive();
  });

  it('puts pushed bytes through the checks a dropped file gets', async () => {
    const cases: [what: string, bytes: Uint8Array, message: RegExp][] = [
      ['empty', new Uint8Array(0), /empty/],
      ['a PNG', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), /PNG image/],
      ['text', new TextEncoder().encode('(module)'), /WebAssembly text/],
      ['a component', new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]), /component/],
      ['cut short', wasmWith('a long marker').subarray(0, 12), /not a valid WebAssembly module/],
      ['invalid code', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x0a, 0x01, 0x05]), /not a valid WebAssembly module/],
    ];
    for (const [what, bytes, message] of cases) {
      const a = await request(t.port, '/__hotwasm/push?name=checked', { method: 'POST', headers: auth, body: bytes });
      expect([what, a.status, code(a)]).toEqual([what, 422, 'invalid-module']);
      expect(a.json<ApiError>().error.message).toMatch(message);
    }
    expect(t.sent('hotwasm:build').filter((b) => b.name === 'checked')).toEqual([]);
  });

  it('keeps a bounded number of builds per module, and serves no other', async () => {
    const urls: string[] = [];
    for (let i = 0; i < 6; i++) {
      const a = await request(t.port, '/__hotwasm/push?name=kept', { method: 'POST', headers: auth, body: wasmWith(`build ${i}`) });
      urls.push(a.json<BuildResponse>().build.url);
    }
    const served = await Promise.all(urls.map(async (u) => (await request(t.port, u)).status));
    expect(served).toEqual([404, 200, 200, 200, 200, 200]); // keep: 5
  });

  it('keeps a good push, announces it, and serves it by sha256 as immutable application/wasm', async () => {
    const bytes = wasmWith('good');
    const a = await request(t.port, '/__hotwasm/push?name=served', { method: 'POST', headers: auth, body: bytes });
    const { build } = a.json<BuildResponse>();
    expect(build).toMatchObject({ name: 'served', size: bytes.length, source: 'push', url: `/__hotwasm/modules/${build.sha256}.wasm` });
    expect(t.sent('hotwasm:build')).toContainEqual(build);
    const got = await request(t.port, build.url);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/wasm');
    expect(got.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Buffer.compare(got.body, Buffer.from(bytes))).toBe(0);
    const head = await request(t.port, build.url, { method: 'HEAD' });
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, String(bytes.length), 0]);
    expect((await request(t.port, build.url, { headers: { 'If-None-Match': `"${build.sha256}"` } })).status).toBe(304);
  });
});
