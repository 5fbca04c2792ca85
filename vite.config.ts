import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineConfig, type Plugin, runnerImport, type UserConfig } from 'vite';

/**
 * The bundled examples' WebAssembly text beside their builds, for the Source panel: a build
 * writes each as a file of the site; the dev server reads it from disk at every request, so that
 * the page sees the text a live push of the example was just built from.
 */
const EXAMPLE_SOURCES: Record<string, string> = { 'examples/counter.wat': 'examples/counter-wat/counter.wat' };

function exampleSources(root: string): Plugin {
  return {
    name: 'hotwasm-example-sources',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = EXAMPLE_SOURCES[(req.url ?? '').split('?')[0]!.replace(/^\//, '')];
        if (!file) return next();
        readFile(join(root, file), 'utf8').then((text) => {
          res.setHeader('content-type', 'text/plain; charset=utf-8');
          res.setHeader('cache-control', 'no-store');
          res.end(text);
        }, next);
      });
    },
    generateBundle() {
      for (const [fileName, file] of Object.entries(EXAMPLE_SOURCES)) this.emitFile({ type: 'asset', fileName, source: readFileSync(join(root, file), 'utf8') });
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
