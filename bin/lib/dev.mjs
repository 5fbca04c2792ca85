/**
 * `hotwasm dev <path>`: the playground (this package's vite.config.ts and index.html) with the
 * hotwasm plugin watching <path>, on a loopback port. Builds once, then on every save, and
 * pushes each build to the pages that are open.
 *
 * The plugin is TypeScript (src/plugin); Vite's own module runner loads it, so a fresh clone
 * needs nothing but `npm install`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from './client.mjs';
import { CliError, EXIT } from './errors.mjs';

/**
 * The plugin, and the Vite config of the playground it runs in. In this repository: the
 * sources (src/plugin through Vite's module runner, the playground through vite.config.ts, with
 * the UI's own hot reload). In an installed package: lib/vite.js and the built playground.
 * @param {typeof import('vite')} vite
 * @returns {Promise<{ plugin: any, playground: import('vite').InlineConfig }>}
 */
async function loadPlayground(vite) {
  const sources = join(PACKAGE_ROOT, 'src', 'plugin', 'index.ts');
  if (existsSync(sources)) {
    try {
      const { module: plugin } = await vite.runnerImport(sources, { configFile: false, logLevel: 'error' });
      return { plugin, playground: { configFile: join(PACKAGE_ROOT, 'vite.config.ts'), root: PACKAGE_ROOT } };
    } catch (error) {
      throw new CliError(`Could not load the hotwasm plugin from ${sources}: ${error instanceof Error ? error.message : error}`, EXIT.failed);
    }
  }
  const built = join(PACKAGE_ROOT, 'lib', 'playground');
  if (!existsSync(join(built, 'index.html'))) throw new CliError(`This hotwasm package has no playground (${built}): reinstall it, or run npm run build:lib in its sources`, EXIT.failed);
  const [plugin, { prebuiltPlayground }] = await Promise.all([import(pathToFileURL(join(PACKAGE_ROOT, 'lib', 'vite.js')).href), import('./playground.mjs')]);
  return {
    plugin,
    playground: {
      configFile: false,
      root: built,
      // Nothing to transform or pre-bundle: the built files are served as they are.
      appType: 'custom',
      optimizeDeps: { noDiscovery: true, include: [] },
      plugins: [prebuiltPlayground(built)],
    },
  };
}

export const dev = {
  summary: 'start the playground with live push: build <path> now and on every save',
  usage: `hotwasm dev <path> [--port <n>] [--host <host>] [--open] [--name <name>]
                  [--build "<command>" --artifact <file.wasm>] [--watch <path>]... [--json]

  <path>               a Cargo.toml, an asconfig.json, a .wat or .wasm file, or a folder
                       (with a hotwasm.json, a Cargo.toml, an asconfig.json or one .wat file,
                       or with --build and --artifact); the flags below win over a hotwasm.json
  --port <n>           the port (default 5173, the next free one if taken; 0: any)
  --host <host>        listen address (default 127.0.0.1). Beyond loopback, push and trigger
                       are off unless $HOTWASM_TOKEN is set (then tools must send it)
  --open               open the playground in a browser
  --name <name>        the module name pages load it under (default: from <path>)
  --build "<command>"  a shell command that builds the module (run in <path>)
  --artifact <file>    the .wasm that command writes (relative to <path>)
  --watch <path>       what to watch instead of the default (repeatable; globs allowed)
  --token-file <file>  where to write the token file (default node_modules/.hotwasm/token.json)
  --json               print one JSON object per line (listening, then every event) instead of logs
  -h, --help           this help`,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    open: { type: 'boolean' },
    name: { type: 'string' },
    build: { type: 'string' },
    artifact: { type: 'string' },
    watch: { type: 'string', multiple: true },
    'token-file': { type: 'string' },
    json: { type: 'boolean' },
  },
  /** @param {any} values @param {string[]} positionals */
  async run(values, positionals) {
    if (positionals.length !== 1) throw new CliError('hotwasm dev takes one path: what to build', EXIT.usage);
    const port = values.port === undefined ? 5173 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port ${values.port} is not a port number`, EXIT.usage);
    if (values.artifact && !values.build && !/\.wasm$/i.test(positionals[0] ?? '')) {
      // A folder and an artifact alone: another tool writes it. Fine, but say so.
      console.error(`hotwasm: no --build given: watching ${values.artifact} for another tool to write`);
    }
    const cwd = process.cwd();
    const vite = await import('vite');
    const { plugin, playground } = await loadPlayground(vite);
    const module = {
      path: resolve(cwd, positionals[0] ?? ''),
      name: values.name,
      build: values.build,
      artifact: values.artifact,
      watch: values.watch?.map((/** @type {string} */ w) => resolve(cwd, w)),
    };
    try {
      plugin.resolveModule(module, { root: cwd }); // refuse a path it cannot build before starting anything
    } catch (error) {
      if (error instanceof Error && error.name === 'ModuleConfigError') throw new CliError(error.message, EXIT.usage);
      throw error;
    }
    const json = !!values.json;
    /** @param {object} line */
    const emit = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
    // The playground serves the user's module: not the bundled examples, nor the example counter.
    process.env.VITE_HOTWASM_EXAMPLE = 'none';
    const tokenFile = resolve(cwd, values['token-file'] ?? join(PACKAGE_ROOT, 'node_modules', '.hotwasm', 'token.json'));
    const live = plugin.hotwasm({
      modules: [module],
      token: process.env.HOTWASM_TOKEN || undefined,
      tokenFile,
      onEvent: json ? (/** @type {{ event: string, data: unknown }} */ e) => emit({ type: e.event, data: e.data }) : undefined,
    });
    const server = await vite.createServer({
      ...playground,
      logLevel: json ? 'silent' : 'info',
      server: { host: values.host ?? '127.0.0.1', port, strictPort: values.port !== undefined, open: !!values.open },
      plugins: [live, ...(playground.plugins ?? [])],
    });
    // Ctrl-C: close the server (its token file goes too). Vite itself does the same on SIGTERM, exiting 143.
    process.once('SIGINT', async () => {
      await server.close();
      process.exit(0);
    });
    await server.listen();
    const address = server.httpServer?.address();
    const url = address && typeof address === 'object' ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/` : null;
    if (json) emit({ type: 'listening', url, tokenFile });
    else {
      console.log(`\n  hotwasm dev: live push of ${module.path}; save to rebuild, or run hotwasm trigger / push / status\n`);
      server.printUrls();
      server.bindCLIShortcuts({ print: true });
    }
  },
};
