/**
 * Talking to a running dev server: find it through the token file its hotwasm plugin wrote
 * (node_modules/.hotwasm/token.json, from the current folder upwards, then beside this CLI),
 * and make authenticated requests with the token in x-hotwasm-token.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT } from './errors.mjs';

export const TOKEN_HEADER = 'x-hotwasm-token';
/** This package's folder: `hotwasm dev` runs its playground, whose token file is here. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOKEN_PATH = join('node_modules', '.hotwasm', 'token.json');

/**
 * @typedef {{ url: string, token: string | null, source: string, pid: number | null }} Server
 * @typedef {{ 'token-file'?: string, url?: string }} ServerFlags
 */

/** Where the token file is: --token-file, $HOTWASM_TOKEN_FILE, upwards from cwd, then this package. */
export function findTokenFile(flag = process.env.HOTWASM_TOKEN_FILE) {
  if (flag) return resolve(flag);
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const candidate = join(dir, TOKEN_PATH);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  const own = join(PACKAGE_ROOT, TOKEN_PATH);
  return existsSync(own) ? own : null;
}

/**
 * The server to talk to and its token. $HOTWASM_TOKEN (a token configured on the server) wins
 * over the file's; --url over the file's URL.
 * @param {ServerFlags} flags
 * @returns {Server}
 */
export function findServer(flags) {
  const file = findTokenFile(flags['token-file']);
  const envToken = process.env.HOTWASM_TOKEN || null;
  if (!file || !existsSync(file)) {
    if (flags.url) return { url: flags.url, token: envToken, source: '--url', pid: null };
    const where = flags['token-file'] ?? process.env.HOTWASM_TOKEN_FILE;
    throw new CliError(
      where
        ? `No dev server: the token file ${where} does not exist. Start one with \`hotwasm dev <path>\`.`
        : `No hotwasm dev server found (no ${TOKEN_PATH} from ${process.cwd()} upwards, nor in ${PACKAGE_ROOT}). Start one with \`hotwasm dev <path>\`.`,
      EXIT.noServer,
    );
  }
  /** @type {any} */
  let content;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`The token file ${file} could not be read (${error instanceof Error ? error.message : error}): restart the dev server`, EXIT.noServer);
  }
  if (content?.schema !== 1 || typeof content.url !== 'string' || typeof content.token !== 'string') {
    throw new CliError(`The token file ${file} is not one this hotwasm understands: restart the dev server`, EXIT.noServer);
  }
  return { url: flags.url ?? content.url, token: envToken ?? content.token, source: file, pid: typeof content.pid === 'number' ? content.pid : null };
}

/** @param {number | null} pid */
function running(pid) {
  if (pid === null) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * A request to the dev server. Resolves with the status and the JSON answer; turns "nobody
 * there" and "wrong token" into CliErrors that say what to do.
 * @param {Server} server
 * @param {string} method
 * @param {string} path
 * @param {{ body?: Uint8Array }} [options]
 * @returns {Promise<{ status: number, json: any }>}
 */
export async function call(server, method, path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (server.token) headers[TOKEN_HEADER] = server.token;
  if (options.body) headers['content-type'] = 'application/wasm';
  let response;
  try {
    response = await fetch(new URL(path, server.url), { method, headers, body: options.body });
  } catch (error) {
    const stale = running(server.pid) ? '' : ` The token file (${server.source}) is left from process ${server.pid}, which is no longer running.`;
    const reason = /** @type {{ cause?: { code?: string, message?: string } }} */ (error).cause;
    const cause = reason?.code ?? reason?.message ?? (error instanceof Error ? error.message : String(error));
    throw new CliError(`No dev server answers at ${server.url} (${cause}).${stale} Start one with \`hotwasm dev <path>\`.`, EXIT.noServer);
  }
  const text = await response.text();
  /** @type {any} */
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${server.url} answered ${response.status} with something other than JSON: is it a hotwasm dev server?`, EXIT.noServer);
  }
  if (response.status === 401) {
    const hint = server.token ? 'the token does not match: the token file may be from an older start of the server, or another server' : 'no token was found';
    throw new CliError(`The dev server refused the request (${hint}): ${json?.error?.message ?? ''}`.trim(), EXIT.auth);
  }
  return { status: response.status, json };
}

/** The message of an `{ error: { code, message } }` answer. */
export function errorText(/** @type {any} */ json, /** @type {number} */ status) {
  return json?.error ? `${json.error.message} (${json.error.code}, HTTP ${status})` : `HTTP ${status}`;
}
