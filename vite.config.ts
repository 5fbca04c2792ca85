import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { defineConfig, type Plugin, runnerImport, type UserConfig } from 'vite';
import { watToWasm } from './scripts/wat.mjs';

/**
 * The bundled examples' WebAssembly text beside their builds, for the Source panel, and
 * `examples/sources.json`: each text's URL with the sha256 of its build, so that the page knows
 * which text builds the module it serves without compiling anything. A build writes them as files
 * of the site; the dev server reads and builds them from disk at every request, so that the page
 * finds the text a live push of the example was just built from.
 */
const EXAMPLE_SOURCES: Record<string, string> = { 'examples/counter.wat': 'examples/counter-wat/counter.wat' };

async function sourcesManifest(root: string): Promise<string> {
  const entries = [];
  for (const [url, file] of Object.entries(EXAMPLE_SOURCES)) {
    const bytes = await watToWasm(await readFile(join(root, file), 'utf8'), file).catch(() => null);
    if (bytes) entries.push({ url, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return JSON.stringify(entries);
}

function exampleSources(root: string): Plugin {
  const send = (res: ServerResponse, type: string, body: string) => {
    res.setHeader('content-type', `${type}; charset=utf-8`);
    res.setHeader('cache-control', 'no-store');
    res.end(body);
  };
  return {
    name: 'hotwasm-example-sources',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0]!.replace(/^\//, '');
        if (path === 'examples/sources.json') return void sourcesManifest(root).then((json) => send(res, 'application/json', json), next);
        const file = EXAMPLE_SOURCES[path];
        if (!file) return next();
        readFile(join(root, file), 'utf8').then((text) => send(res, 'text/plain', text), next);
      });
    },
    async generateBundle() {
      for (const [fileName, file] of Object.entries(EXAMPLE_SOURCES)) this.emitFile({ type: 'asset', fileName, source: readFileSync(join(root, file), 'utf8') });
      this.emitFile({ type: 'asset', fileName: 'examples/sources.json', source: await sourcesManifest(root) });
    },
  };
}

/**
 * Live push of the bundled examples for `npm run dev`: save examples/counter-wat/counter.wat and
 * the running counter is hot-swapped. `hotwasm dev <path>` brings its own module instead (it sets
 * VITE_HOTWASM_EXAMPLE=none, which also keeps the page from loading the example counter). The
 * plugin's TypeScript is loaded by Vite's module runner, and only for the dev server: a build
 * never loads it.
 */
async function examples(root: string): Promise<Plugin[]> {
  if (process.env.VITE_HOTWASM_EXAMPLE === 'none') return [];
  const load = <T,>(file: string) => runnerImport<T>(`${root}/src/plugin/${file}`, { configFile: false, logLevel: 'error' }).then((r) => r.module);
  const [{ hotwasm }, { exampleModules }] = await Promise.all([
    load<typeof import('./src/plugin/index')>('index.ts'),
    load<typeof import('./src/plugin/examples')>('examples.ts'),
  ]);
  const { modules, skipped, cargo, rustc } = exampleModules(root);
  for (const line of skipped) console.log(`hotwasm: live push of ${line.replace(/: /, ' skipped: ')}`);
  return [hotwasm({ modules, cargo, rustc })];
}

export default defineConfig(async ({ command }): Promise<UserConfig> => ({
  // Relative asset URLs: the built site works from any static host and any sub-path.
  base: './',
  plugins: [react(), exampleSources(import.meta.dirname), ...(command === 'serve' ? await examples(import.meta.dirname) : [])],
  worker: { format: 'es' },
  // The WASI shim and wabt (CommonJS, in the WAT compiler's worker) are imported only from
  // workers: without this, the dev server discovers them on first use and reloads the page.
  optimizeDeps: { include: ['@bjorn3/browser_wasi_shim', 'wabt'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // engine.html: the engine without the playground UI (src/engine-only.ts), for embedders and benchmarks.
    rollupOptions: { input: { main: 'index.html', engine: 'engine.html' } },
  },
}));
