/**
 * The plugin's HTTP routes, as one connect middleware put first in Vite's stack (before Vite's
 * CORS middleware, so no route ever carries a CORS header):
 *
 *   GET  /__hotwasm/status                 modules, versions, last builds, pages
 *   POST /__hotwasm/trigger?name=          build now; answers with the build (or its failure)
 *   POST /__hotwasm/push?name=             module bytes as the body; checked, kept, announced
 *   GET  /__hotwasm/modules/<sha256>.wasm  bytes of a build made or received here, by sha256 only
 *
 * Every answer is JSON (`{ error: { code, message } }` for errors) except module bytes. A refused
 * or malformed request gets a 4xx and a log line; nothing a client sends can throw past here.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError, ApiErrorCode, BuildResponse, StatusResponse } from '../shared/dev-api';
import { ROUTES } from '../shared/dev-api';
import { DEV_ROUTE_PREFIX, MODULE_NAME_RE, SHA256_RE, devEvent, type DevEvent } from '../shared/dev-events';
import { messageOf } from '../shared/errors';
import { checkModuleBytes } from './artifact';
import { BodyError, readBody } from './body';
import { checkMutation, checkRequest, mutationsState, type GuardConfig, type Refusal } from './guard';
import type { Registry } from './registry';
import type { Logger, ModuleScheduler } from './scheduler';

export interface ApiDeps {
  registry: Registry;
  schedulers: ReadonlyMap<string, ModuleScheduler>;
  guard: GuardConfig;
  maxBytes: number;
  notify(event: DevEvent): void;
  pages(): number;
  logger: Logger & { error(message: string): void };
}

type Next = (error?: unknown) => void;
const WASM_TYPES = ['application/wasm', 'application/octet-stream'];

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: Partial<ApiError> & { headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

function allow(req: IncomingMessage, methods: string[]): void {
  if (!methods.includes(req.method ?? '')) {
    throw new HttpError(405, 'method-not-allowed', `${req.method} is not allowed here; use ${methods.join(' or ')}`, { headers: { Allow: methods.join(', ') } });
  }
}

function mediaType(req: IncomingMessage): string | null {
  const header = req.headers['content-type'];
  return header ? (header.split(';')[0] ?? '').trim().toLowerCase() : null;
}

export function createApi(deps: ApiDeps) {
  const { registry, schedulers, guard, maxBytes } = deps;

  const refused = (r: Refusal) => new HttpError(r.status, r.code, r.message);

  /** `?name=`, or the only module there is. */
  const moduleName = (url: URL, known: string[]): string => {
    const given = url.searchParams.getAll('name');
    if (given.length > 1) throw new HttpError(400, 'bad-request', 'Give name once');
    if (given.length === 1) {
      if (!MODULE_NAME_RE.test(given[0]!)) throw new HttpError(400, 'bad-request', `${JSON.stringify(given[0]!.slice(0, 80))} is not a module name`);
      return given[0]!;
    }
    if (known.length === 1) return known[0]!;
    throw new HttpError(400, 'name-required', known.length ? `Say which module: ?name= one of ${known.join(', ')}` : 'Say which module: ?name=');
  };

  const authorize = (req: IncomingMessage) => {
    const refusal = checkMutation(req, guard);
    if (refusal) throw refused(refusal);
    const type = mediaType(req);
    if (type !== null && !WASM_TYPES.includes(type)) {
      throw new HttpError(415, 'unsupported-media-type', `The body must be application/wasm or application/octet-stream, not ${JSON.stringify(type.slice(0, 80))}`);
    }
  };

  const status = (): StatusResponse => ({
    schema: 1,
    session: registry.session,
    pages: deps.pages(),
    mutations: mutationsState(guard),
    maxBytes,
    modules: registry.status(),
  });

  const trigger = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    authorize(req);
    await readBody(req, maxBytes); // trigger takes no body: read (capped) what was sent and drop it
    const name = moduleName(url, [...schedulers.keys()]);
    const scheduler = schedulers.get(name);
    if (!scheduler) {
      const why = registry.has(name) ? `${name} was pushed, not built here: there is nothing to rebuild` : `There is no module ${name}; watched: ${[...schedulers.keys()].join(', ') || 'none'}`;
      throw new HttpError(404, 'unknown-module', why);
    }
    const outcome = await scheduler.request();
    if (outcome.ok) send(res, 200, { build: outcome.notice } satisfies BuildResponse);
    else send(res, 422, { error: { code: 'build-failed', message: outcome.failure.message }, failure: outcome.failure } satisfies ApiError);
  };

  const push = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const startedAt = Date.now();
    authorize(req);
    if (mediaType(req) === null) throw new HttpError(415, 'unsupported-media-type', 'Say what the body is: Content-Type: application/wasm');
    const name = moduleName(url, registry.names());
    const bytes = await readBody(req, maxBytes);
    // The checks a dropped file gets on the page before compiling; the page runs the rest.
    const check = checkModuleBytes(bytes, `The pushed module (${name})`);
    if (!check.ok) throw new HttpError(422, 'invalid-module', check.message);
    registry.add({ name, kind: 'pushed', watch: [], artifact: () => null });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const notice = registry.succeeded(registry.claim(name, startedAt), bytes, sha256, 'push', '');
    deps.notify(devEvent('hotwasm:build', notice));
    deps.logger.info(`${name}: received push #${notice.seq} (${bytes.length} bytes, sha256 ${sha256.slice(0, 12)})`);
    send(res, 200, { build: notice } satisfies BuildResponse);
  };

  const moduleBytes = (req: IncomingMessage, res: ServerResponse, file: string) => {
    const m = /^([0-9a-f]{64})\.wasm$/.exec(file);
    if (!m || !SHA256_RE.test(m[1]!)) throw new HttpError(400, 'bad-request', 'Module URLs are /__hotwasm/modules/<sha256, 64 lower-case hex digits>.wasm');
    const sha256 = m[1]!;
    const bytes = registry.bytes(sha256);
    if (!bytes) throw new HttpError(404, 'not-found', `No kept build has sha256 ${sha256}`);
    const etag = `"${sha256}"`;
    const headers = {
      'Content-Type': 'application/wasm',
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(bytes.length) });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const refusal = checkRequest(req, guard);
    if (refusal) throw refused(refusal);
    const path = url.pathname;
    if (path === ROUTES.status) {
      allow(req, ['GET', 'HEAD']);
      send(res, 200, status());
    } else if (path === ROUTES.trigger) {
      allow(req, ['POST']);
      await trigger(req, res, url);
    } else if (path === ROUTES.push) {
      allow(req, ['POST']);
      await push(req, res, url);
    } else if (path.startsWith(ROUTES.modules)) {
      allow(req, ['GET', 'HEAD']);
      moduleBytes(req, res, path.slice(ROUTES.modules.length));
    } else {
      throw new HttpError(404, 'not-found', `No route ${path}; see docs/live-push.md`);
    }
  };

  return function hotwasmApi(req: IncomingMessage, res: ServerResponse, next: Next): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://hotwasm.invalid');
    } catch {
      next();
      return;
    }
    if (url.pathname !== DEV_ROUTE_PREFIX.slice(0, -1) && !url.pathname.startsWith(DEV_ROUTE_PREFIX)) {
      next();
      return;
    }
    handle(req, res, url).catch((error: unknown) => {
      const known =
        error instanceof HttpError
          ? error
          : error instanceof BodyError
            ? new HttpError(error.status, error.status === 413 ? 'too-large' : 'bad-request', error.message, { headers: { Connection: 'close' } })
            : null;
      if (!known) deps.logger.error(`${req.method} ${url.pathname}: ${error instanceof Error ? (error.stack ?? error.message) : messageOf(error)}`);
      else deps.logger.warn(`${known.status} ${req.method} ${url.pathname}: ${known.message}`);
      const answer = known ?? new HttpError(500, 'internal', `Internal error: ${messageOf(error)}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const { headers = {}, ...extra } = answer.extra;
      send(res, answer.status, { ...extra, error: { code: answer.code, message: answer.message } } satisfies ApiError, headers);
      // A body left unread (over the cap) is not drained: close once the answer is out.
      if (headers.Connection === 'close') res.once('finish', () => req.destroy());
    });
  };
}
