/**
 * `hotwasm push`, `hotwasm trigger`, `hotwasm status`: talk to a running dev server.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { call, errorText, findServer } from './client.mjs';
import { CliError, EXIT } from './errors.mjs';
import { describeBuild, describeStatus, tail } from './format.mjs';

const SERVER_OPTIONS = {
  url: { type: 'string' },
  'token-file': { type: 'string' },
  json: { type: 'boolean' },
};
const SERVER_HELP = `  --url <url>          the dev server (default: the URL in the token file)
  --token-file <file>  the token file (default: node_modules/.hotwasm/token.json from here upwards,
                       then this package's; or $HOTWASM_TOKEN_FILE). $HOTWASM_TOKEN overrides its token.
  --json               print the server's JSON answer
  -h, --help           this help`;

/** A module name from a file name, as the plugin makes them. */
export function nameFrom(/** @type {string} */ file) {
  return basename(file).replace(/\.wasm$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64) || 'module';
}

/**
 * @param {boolean | undefined} json
 * @param {unknown} answer
 * @param {string} human
 */
function print(json, answer, human) {
  console.log(json ? JSON.stringify(answer, null, 2) : human);
}

/** @param {any} json @param {number} status */
function failedBuild(json, status) {
  const f = json?.failure;
  const output = f?.output?.trim() ? `\n${tail(f.output)}` : '';
  return new CliError(`${f ? `${f.name}: build #${f.seq} failed (${f.code}): ${f.message}` : errorText(json, status)}${output}`, EXIT.failed);
}

export const push = {
  summary: 'push a .wasm file to the running dev server (it is checked, kept and announced to pages)',
  usage: `hotwasm push <file.wasm> [--name <name>] [--json]

  --name <name>        the module name pages load it under (default: the file name without .wasm)
${SERVER_HELP}`,
  options: { name: { type: 'string' }, ...SERVER_OPTIONS },
  /** @param {any} values @param {string[]} positionals */
  async run(values, positionals) {
    if (positionals.length !== 1) throw new CliError('hotwasm push takes one .wasm file', EXIT.usage);
    const file = resolve(positionals[0] ?? '');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new CliError(`${file} is not a file`, EXIT.usage);
    const server = findServer(values);
    const name = values.name ?? nameFrom(file);
    const bytes = new Uint8Array(await readFile(file));
    const { status, json } = await call(server, 'POST', `/__hotwasm/push?name=${encodeURIComponent(name)}`, { body: bytes });
    if (status !== 200) throw new CliError(`${basename(file)} was refused: ${errorText(json, status)}`, EXIT.failed);
    print(values.json, json, `Pushed ${describeBuild(json.build)} to ${server.url}`);
  },
};

export const trigger = {
  summary: 'rebuild a module now and push it to pages; waits for the build',
  usage: `hotwasm trigger [--name <name>] [--json]

  --name <name>        which module (needed when the server watches several)
${SERVER_HELP}`,
  options: { name: { type: 'string' }, ...SERVER_OPTIONS },
  /** @param {any} values @param {string[]} positionals */
  async run(values, positionals) {
    if (positionals.length) throw new CliError('hotwasm trigger takes no file: use --name', EXIT.usage);
    const server = findServer(values);
    const query = values.name ? `?name=${encodeURIComponent(values.name)}` : '';
    const { status, json } = await call(server, 'POST', `/__hotwasm/trigger${query}`);
    if (status === 422 && json?.failure) {
      if (values.json) console.log(JSON.stringify(json, null, 2));
      throw failedBuild(json, status);
    }
    if (status !== 200) throw new CliError(errorText(json, status), EXIT.failed);
    print(values.json, json, `Built ${describeBuild(json.build)}`);
  },
};

export const status = {
  summary: 'show what the running dev server watches, its builds and pages',
  usage: `hotwasm status [--json]

${SERVER_HELP}`,
  options: SERVER_OPTIONS,
  /** @param {any} values @param {string[]} positionals */
  async run(values, positionals) {
    if (positionals.length) throw new CliError('hotwasm status takes no arguments', EXIT.usage);
    const server = findServer(values);
    const { status: code, json } = await call(server, 'GET', '/__hotwasm/status');
    if (code !== 200) throw new CliError(errorText(json, code), EXIT.failed);
    print(values.json, json, describeStatus(json, server.url));
  },
};
