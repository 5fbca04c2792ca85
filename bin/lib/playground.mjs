/**
 * The built playground (lib/playground, made by scripts/build-lib.mjs) served by a Vite dev
 * server: how `hotwasm dev` runs from an installed package, which has no sources to transform.
 *
 * The built page has no `import.meta.hot`. Its index.html gets one inline module script, run
 * before the app's, that takes a hot context from Vite's own client (`/@vite/client`, the module
 * every transformed file imports) and hands it over as `window.__hotwasmDevServer`; the page
 * then connects live push exactly as in development (src/main.tsx).
 *
 * Files are listed once, at start: a request is looked up in that list, never turned into a path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The script that gives the built page the dev server's HMR channel. */
export const HOT_BOOTSTRAP =
  '<script type="module">import { createHotContext } from "/@vite/client"; window.__hotwasmDevServer = { hot: createHotContext("/@hotwasm/playground") };</script>';

/**
 * Every file under `dir`, by the URL path it is served at.
 * @param {string} dir
 */
function listFiles(dir) {
  /** @type {Map<string, string>} */
  const files = new Map();
  const walk = (/** @type {string} */ at) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.set(`/${relative(dir, path).split(sep).join('/')}`, path);
    }
  };
  walk(dir);
  return files;
}

/**
 * A Vite plugin that serves `dir` (a built playground) at `/`, with the HMR bootstrap in its
 * HTML pages. Everything else (`/@vite/client`, the hotwasm routes) goes on to Vite.
 * @param {string} dir
 * @returns {import('vite').Plugin}
 */
export function prebuiltPlayground(dir) {
  const files = listFiles(dir);
  if (!files.has('/index.html')) throw new Error(`${dir} has no index.html: run npm run build:lib`);
  return {
    name: 'hotwasm:prebuilt-playground',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.method !== 'GET' && req.method !== 'HEAD') return next();
        let pathname;
        try {
          pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
        } catch {
          return next();
        }
        const file = files.get(pathname === '/' ? '/index.html' : pathname);
        if (!file) return next();
        const type = TYPES[/** @type {keyof TYPES} */ (extname(file))] ?? 'application/octet-stream';
        let body = readFileSync(file);
        if (type.startsWith('text/html')) body = Buffer.from(body.toString('utf8').replace('<head>', `<head>\n    ${HOT_BOOTSTRAP}`));
        res.statusCode = 200;
        res.setHeader('Content-Type', type);
        res.setHeader('Content-Length', body.length);
        // Hashed assets never change; the pages and examples are looked at again.
        res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.end(req.method === 'HEAD' ? undefined : body);
      });
    },
  };
}
