#!/usr/bin/env node
// The library as npm installs it (`npm pack` runs this): lib/index.js is the framework-free
// engine (`import { createEngine } from 'hotwasm'`), lib/worker.js its guest worker with the
// WASI shim inside, lib/vite.js the dev-server plugin (`import { hotwasm } from 'hotwasm/vite'`),
// lib/playground/ the playground, built, that `hotwasm dev` serves, and lib/types/ the
// declarations. The engine creates its worker with
// `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`, the form every
// bundler that understands workers (Vite, webpack 5, Parcel, esbuild with a plugin) resolves.
import { execFileSync } from 'node:child_process';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'lib');

await build({
  configFile: false,
  root,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  worker: { format: 'es' },
  build: {
    outDir: out,
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: { entry: { index: join(root, 'src/core/index.ts') }, formats: ['es'] },
  },
});

// Vite names the worker by its hash and builds its URL from a string it made: give the worker a
// stable name and the engine the plain form, so that the app's own bundler bundles it in turn.
const assets = join(out, 'assets');
const workers = (await readdir(assets)).filter((f) => /^worker-.*\.js$/.test(f));
if (workers.length !== 1) throw new Error(`build-lib: expected one worker chunk in lib/assets, found ${workers.length}`);
await rename(join(assets, workers[0]), join(out, 'worker.js'));
for (const extra of await readdir(assets)) if (extra.startsWith(workers[0])) await rename(join(assets, extra), join(out, extra.replace(workers[0], 'worker.js')));
await rm(assets, { recursive: true, force: true });
const workerPath = join(out, 'worker.js');
await writeFile(workerPath, (await readFile(workerPath, 'utf8')).replace(`sourceMappingURL=${workers[0]}.map`, 'sourceMappingURL=worker.js.map'));
const indexPath = join(out, 'index.js');
const index = await readFile(indexPath, 'utf8');
const chunk = String.raw`"[^"]*worker-[\w-]+\.js"`;
const pattern = new RegExp(String.raw`new Worker\(new URL\(\s*(?:/\*[^*]*\*/\s*)?(?:new URL\(${chunk}, import\.meta\.url\)\.href|${chunk}),\s*(?:"" \+ )?import\.meta\.url\s*\)`, 'g');
const found = index.match(pattern) ?? [];
if (found.length !== 1) throw new Error(`build-lib: expected the worker's URL once in lib/index.js, found ${found.length}`);
await writeFile(indexPath, index.replace(pattern, `new Worker(new URL("./worker.js", import.meta.url)`));

// The plugin, for Node: its own code and src/shared bundled; vite (a peer) and wabt (a
// dependency, for .wat builds) and Node's modules imported. Beside it lib/probe.js, what
// `hotwasm check` runs (bin/lib/engine.mjs): the worker's guest host and the static
// conformance, with the WASI shim (a dependency) imported, as the browser's worker uses it.
await build({
  configFile: false,
  root,
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: out,
    emptyOutDir: false,
    target: 'node20',
    ssr: true,
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: { vite: join(root, 'src/plugin/index.ts'), probe: join(root, 'src/worker/probe.ts') },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      external: [/^node:/, 'vite', 'wabt', '@bjorn3/browser_wasi_shim'],
    },
  },
});

// The playground that `hotwasm dev` serves from an installed package (no sources, no React to
// install): the site as `npm run build` makes it, which connects to the dev server's HMR
// channel when the page it is served in provides one (bin/lib/playground.mjs).
await build({ root, logLevel: 'warn', build: { outDir: join(out, 'playground'), emptyOutDir: true } });

// Declarations, from the sources as they are.
for (const project of ['tsconfig.lib.json', 'tsconfig.lib-plugin.json']) execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, project)], { stdio: 'inherit' });
console.log('lib/: index.js, worker.js, vite.js, probe.js, playground/, types/');
