import { describe, expect, it } from 'vitest';
import { nameFromPath, readSource } from './sources';

const noFetch = (() => Promise.reject(new Error('no network in this test'))) as typeof fetch;

describe('module sources', () => {
  it('names a module after its file, without .wasm', () => {
    expect(nameFromPath('/examples/counter.wasm')).toBe('counter');
    expect(nameFromPath('https://x.test/a/My%20Mod.WASM')).toBe('My Mod');
    expect(nameFromPath('')).toBe('module');
  });

  it('refuses a file over the cap from its size, before reading it', async () => {
    let read = false;
    const file = new File([new Uint8Array(100)], 'big.wasm');
    file.arrayBuffer = () => {
      read = true;
      return Promise.resolve(new ArrayBuffer(100));
    };
    await expect(readSource(file, 99, noFetch)).rejects.toThrow(/big\.wasm is 100 bytes, over the 99 bytes module size limit; it was not read/);
    expect(read).toBe(false);
  });

  it('refuses a URL whose Content-Length is over the cap without reading the body', async () => {
    let pulled = 0;
    const body = new ReadableStream({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(10));
      },
    });
    const fetchImpl = (async () => new Response(body, { headers: { 'content-length': '1000' } })) as typeof fetch;
    await expect(readSource('http://x.test/m.wasm', 100, fetchImpl)).rejects.toMatchObject({ code: 'too-large' });
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('hands over a body of a known length within the cap as a Blob, for the worker to read', async () => {
    const fetchImpl = (async () => new Response(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), { headers: { 'content-length': '8' } })) as typeof fetch;
    const read = await readSource('http://x.test/dir/m.wasm', 100, fetchImpl);
    expect(read).toMatchObject({ label: 'm.wasm', name: 'm' });
    expect(read.data).toBeInstanceOf(Blob);
    expect(new Uint8Array(await (read.data as Blob).arrayBuffer())).toEqual(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  });

  it('stops a download without a length once it passes the cap', async () => {
    let chunks = 0;
    const body = new ReadableStream({
      pull(controller) {
        chunks++;
        controller.enqueue(new Uint8Array(40));
      },
    });
    const fetchImpl = (async () => new Response(body)) as typeof fetch;
    await expect(readSource('http://x.test/m.wasm', 100, fetchImpl)).rejects.toThrow(/download was stopped/);
    expect(chunks).toBeLessThan(6);
  });

  it('names a malformed URL', async () => {
    await expect(readSource('http://[x', 100, noFetch)).rejects.toMatchObject({ code: 'fetch-failed', message: '"http://[x" is not a valid URL' });
  });

  it('names a URL as it was typed, not percent-encoded', async () => {
    const fetchImpl = (async () => new Response('nope', { status: 404, statusText: 'Not Found' })) as typeof fetch;
    await expect(readSource('http://x.test/my modules/Zähler.wasm', 100, fetchImpl)).rejects.toMatchObject({
      code: 'fetch-failed',
      message: 'Could not fetch http://x.test/my modules/Zähler.wasm: the server answered 404 Not Found',
    });
    await expect(readSource('http://nowhere.test/ü.wasm', 100, noFetch)).rejects.toThrow('Could not fetch http://nowhere.test/ü.wasm: no network in this test');
    // What decodes to another URL stays encoded, and what does not decode is shown as it is.
    await expect(readSource('http://x.test/a%2Fb%ZZ.wasm', 100, fetchImpl)).rejects.toThrow('Could not fetch http://x.test/a%2Fb%ZZ.wasm:');
  });

  it('reports HTTP errors', async () => {
    const fetchImpl = (async () => new Response('nope', { status: 404, statusText: 'Not Found' })) as typeof fetch;
    await expect(readSource('http://x.test/m.wasm', 100, fetchImpl)).rejects.toThrow(/answered 404 Not Found/);
  });
});
