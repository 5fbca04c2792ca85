/**
 * Read a request body under a size cap: refused from Content-Length before anything is read,
 * and stopped as soon as the bytes streamed in pass the cap (a chunked body has no length).
 */
import type { IncomingMessage } from 'node:http';
import { formatBytes } from '../shared/inspect';

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/** What Content-Length announces, or null without one; throws on a malformed or over-cap one. */
export function declaredLength(req: IncomingMessage, maxBytes: number): number | null {
  const header = req.headers['content-length'];
  if (header === undefined) return null;
  if (!/^\d{1,16}$/.test(header)) throw new BodyError(400, `Content-Length ${JSON.stringify(header.slice(0, 40))} is not a number of bytes`);
  const length = Number(header);
  if (length > maxBytes) throw new BodyError(413, `The body is ${formatBytes(length)}, over the ${formatBytes(maxBytes)} limit (maxBytes); it was not read`);
  return length;
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let declared: number | null;
    try {
      declared = declaredLength(req, maxBytes);
    } catch (error) {
      reject(error);
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      fn();
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        // Stop reading; the caller answers 413 and the connection is closed after it.
        req.pause();
        finish(() => reject(new BodyError(413, `The body passed the ${formatBytes(maxBytes)} limit (maxBytes) while streaming; reading stopped`)));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      finish(() => {
        if (declared !== null && total !== declared) reject(new BodyError(400, `The body is ${total} bytes, not the ${declared} Content-Length announced`));
        else resolve(new Uint8Array(Buffer.concat(chunks, total)));
      });
    });
    req.once('error', (error) => finish(() => reject(new BodyError(400, `The request failed while its body was read: ${error.message}`))));
    req.once('aborted', () => finish(() => reject(new BodyError(400, 'The client went away while sending the body'))));
  });
}
