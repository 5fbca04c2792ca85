/**
 * The engine code `hotwasm check` runs in Node (src/worker/probe.ts: the browser's guest host and
 * its WASI shim, and the static conformance of src/shared). The CLI is plain JavaScript, so the
 * TypeScript comes, like `hotwasm dev`'s plugin, from Vite's module runner in this repository,
 * and from lib/probe.js (scripts/build-lib.mjs) in an installed package, which has no sources.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from './client.mjs';
import { CliError, EXIT } from './errors.mjs';

/** @returns {Promise<any>} the module src/worker/probe.ts (its types need the WebWorker lib, which bin is not checked with) */
export async function loadProbe() {
  const sources = join(PACKAGE_ROOT, 'src', 'worker', 'probe.ts');
  if (existsSync(sources)) {
    const vite = await import('vite');
    // The runner closes once the import is done: probe.ts and what it imports import statically.
    const { module } = await vite.runnerImport(sources, { configFile: false, logLevel: 'error' });
    return /** @type {any} */ (module);
  }
  const built = join(PACKAGE_ROOT, 'lib', 'probe.js');
  if (!existsSync(built)) throw new CliError(`This hotwasm package has no ${built}: reinstall it, or run npm run build:lib in its sources`, EXIT.failed);
  return import(pathToFileURL(built).href);
}
