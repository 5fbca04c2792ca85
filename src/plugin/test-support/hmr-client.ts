/**
 * A page, for Node tests: a minimal WebSocket client (RFC 6455: handshake, text frames, masked
 * sends) on Vite's HMR endpoint with its `vite-hmr` protocol. No Origin header, as a tool
 * connects; Vite then needs no token. Only what the tests use: JSON messages in and out.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

export interface HmrPage {
  /** Every custom event received, in order. */
  readonly events: { event: string; data: unknown }[];
  send(event: string, data?: unknown): void;
  close(): void;
}

function frame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const head =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : payload.length < 65536
        ? Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff])
        : (() => {
            const h = Buffer.alloc(10);
            h[0] = 0x81;
            h[1] = 0x80 | 127;
            h.writeBigUInt64BE(BigInt(payload.length), 2);
            return h;
          })();
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([head, mask, masked]);
}

/** Split complete server frames (unmasked) off `buffer`; returns text payloads and the rest. */
function readFrames(buffer: Buffer): { texts: string[]; rest: Buffer } {
  const texts: string[] = [];
  let at = 0;
  for (;;) {
    if (buffer.length - at < 2) break;
    const opcode = buffer[at]! & 0x0f;
    let length = buffer[at + 1]! & 0x7f;
    let start = at + 2;
    if (length === 126) {
      if (buffer.length - at < 4) break;
      length = buffer.readUInt16BE(at + 2);
      start = at + 4;
    } else if (length === 127) {
      if (buffer.length - at < 10) break;
      length = Number(buffer.readBigUInt64BE(at + 2));
      start = at + 10;
    }
    if (buffer.length < start + length) break;
    if (opcode === 1) texts.push(buffer.subarray(start, start + length).toString('utf8'));
    at = start + length;
  }
  return { texts, rest: buffer.subarray(at) };
}

export function connectPage(port: number): Promise<HmrPage> {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/',
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Protocol': 'vite-hmr' },
    });
    req.on('error', reject);
    req.on('response', (res) => reject(new Error(`no upgrade: HTTP ${res.statusCode}`)));
    req.on('upgrade', (res, socket: Socket, head: Buffer) => {
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      if (res.headers['sec-websocket-accept'] !== accept) {
        socket.destroy();
        reject(new Error('bad Sec-WebSocket-Accept'));
        return;
      }
      const events: HmrPage['events'] = [];
      let buffer = head;
      const onData = (chunk: Buffer) => {
        const { texts, rest } = readFrames(Buffer.concat([buffer, chunk]));
        buffer = rest;
        for (const text of texts) {
          const message = JSON.parse(text) as { type: string; event?: string; data?: unknown };
          if (message.type === 'custom' && message.event) events.push({ event: message.event, data: message.data });
        }
      };
      socket.on('data', onData);
      socket.on('error', () => undefined);
      if (head.length) onData(Buffer.alloc(0));
      resolve({
        events,
        send: (event, data) => socket.write(frame(JSON.stringify({ type: 'custom', event, data }))),
        close: () => socket.destroy(),
      });
    });
    req.end();
  });
}
