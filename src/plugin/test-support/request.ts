/**
 * Real HTTP requests for Node tests, with every header under the test's control (Host, Origin,
 * Content-Length, chunked bodies): node:http, not fetch, which sets some of them itself.
 */
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body as JSON (throws if it is not). */
  json<T = unknown>(): T;
}

export interface RequestOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  /** Sent whole (with Content-Length unless headers say otherwise). */
  body?: Uint8Array | string;
  /** Sent as a chunked body, chunk by chunk, as long as the server reads. */
  chunks?: Iterable<Uint8Array>;
}

export function request(port: number, path: string, options: RequestOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A GET's body goes without a length unless told one (and would be read as the next request).
    const length = options.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(options.body)) } : {};
    const headers = { Host: `127.0.0.1:${port}`, ...length, ...options.headers };
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body.toString('utf8')) as T });
      });
      res.on('error', reject);
    });
    // A server that answers early and closes (413) may reset the rest of the upload: the answer counts.
    req.on('error', (error) => reject(error));
    if (options.chunks) {
      for (const chunk of options.chunks) if (!req.write(chunk)) break;
      req.end();
    } else {
      req.end(options.body);
    }
  });
}
