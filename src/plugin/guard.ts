/**
 * Who may use the plugin's routes. Every route: the Host must be allowed (a DNS-rebinding Host
 * is refused), and a browser request (one with an Origin) must come from the dev server's own
 * origin. Mutating routes (push, trigger) also need the token (tools), or a same-origin browser
 * request on a loopback server; beyond loopback they are off unless a token is configured.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { ApiErrorCode } from '../shared/dev-api';
import { TOKEN_HEADER } from '../shared/dev-api';

export interface Refusal {
  status: number;
  code: ApiErrorCode;
  message: string;
}

export interface GuardConfig {
  /** Hostnames allowed besides loopback ones (Vite's `server.allowedHosts`; `.example.com` allows subdomains). */
  allowedHosts: readonly string[];
  https: boolean;
  /** Random per start, written to the token file. */
  startToken: string;
  /** Configured with the plugin's `token` option. */
  token?: string;
  /** Whether the server listens beyond loopback, and on what (for messages). */
  exposure(): { exposed: boolean; address: string };
}

const refuse = (status: number, code: ApiErrorCode, message: string): Refusal => ({ status, code, message });

/** The hostname of a Host header (`name`, `name:port`, `[v6]:port`), lower-case; null if malformed. */
export function hostnameOf(host: string): string | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(host.trim());
  if (!m) return null;
  if (m[1] !== undefined) return isIP(m[1]) === 6 ? `[${m[1].toLowerCase()}]` : null;
  return m[2]!.toLowerCase();
}

/** Loopback names, IP literals (a page cannot be served from an IP it does not own: no rebinding), and configured hosts. */
export function isAllowedHost(hostname: string, allowedHosts: readonly string[]): boolean {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (isIP(hostname) === 4 || (hostname.startsWith('[') && isIP(hostname.slice(1, -1)) === 6)) return true;
  return allowedHosts.some((allowed) => {
    const a = allowed.toLowerCase();
    return a === hostname || (a.startsWith('.') && (hostname === a.slice(1) || hostname.endsWith(a)));
  });
}

/** Host allow-list, then same origin for browser requests. Applied to every route. */
export function checkRequest(req: IncomingMessage, config: GuardConfig): Refusal | null {
  const host = req.headers.host;
  if (!host) return refuse(400, 'bad-request', 'The request has no Host header');
  const hostname = hostnameOf(host);
  if (!hostname) return refuse(400, 'bad-request', `The Host header ${JSON.stringify(host.slice(0, 100))} is malformed`);
  if (!isAllowedHost(hostname, config.allowedHosts)) {
    return refuse(403, 'forbidden-host', `The host ${JSON.stringify(hostname)} is not allowed (only loopback names and server.allowedHosts): a DNS-rebinding request?`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const own = `${config.https ? 'https' : 'http'}://${host.trim().toLowerCase()}`;
    if (origin.toLowerCase() !== own) return refuse(403, 'forbidden-origin', `Requests from ${JSON.stringify(origin.slice(0, 200))} are refused: only pages of ${own} may use this route`);
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return refuse(403, 'forbidden-origin', `A ${site} browser request is refused: only pages of this dev server may use this route`);
  }
  return null;
}

const digest = (text: string) => createHash('sha256').update(text).digest();
/** Constant-time comparison; hashing first makes both sides the same length. */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Whether push and trigger can be used at all, and why not. */
export function mutationsState(config: GuardConfig): { enabled: boolean; reason: string | null } {
  const { exposed, address } = config.exposure();
  if (exposed && !config.token) {
    return {
      enabled: false,
      reason: `the dev server listens on ${address}, beyond loopback, and no token is configured: set the hotwasm plugin's token option (HOTWASM_TOKEN for hotwasm dev) to use push and trigger`,
    };
  }
  return { enabled: true, reason: null };
}

/** Push and trigger: the token, or a same-origin browser request on a loopback server. Call after {@link checkRequest}. */
export function checkMutation(req: IncomingMessage, config: GuardConfig): Refusal | null {
  const state = mutationsState(config);
  if (!state.enabled) return refuse(403, 'push-disabled', `Push and trigger are off: ${state.reason}`);
  const given = req.headers[TOKEN_HEADER];
  if (given !== undefined) {
    const text = Array.isArray(given) ? given.join(',') : given;
    const ok = sameToken(text, config.startToken) || (config.token !== undefined && sameToken(text, config.token));
    return ok ? null : refuse(401, 'unauthorized', `The ${TOKEN_HEADER} header does not hold this dev server's token (it changes at every start: is the token file from an older one?)`);
  }
  if (config.exposure().exposed) return refuse(401, 'unauthorized', `Beyond loopback, push and trigger need the configured token in ${TOKEN_HEADER}`);
  if (req.headers.origin !== undefined) return null; // same origin, checked by checkRequest
  return refuse(401, 'unauthorized', `Send the token in ${TOKEN_HEADER} (the hotwasm CLI reads it from the token file the dev server writes)`);
}
