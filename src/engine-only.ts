/**
 * engine.html: the engine with no UI, as an app embedding `src/core` would run it. The example
 * counter is loaded (or `?module=<url>`); `window.hotwasm` is the engine.
 */
import { createEngine } from './core';

const engine = createEngine({ baseUrl: document.baseURI });
window.hotwasm = engine;
const status = document.getElementById('status');
const requested = new URLSearchParams(window.location.search).get('module');
engine.load(requested || new URL('examples/counter.wasm', document.baseURI)).then(
  (info) => status && (status.textContent = `${info.name} ${info.version} is running: try hotwasm.call('increment', 1) in the console.`),
  (error: unknown) => status && (status.textContent = `Loading failed: ${error instanceof Error ? error.message : String(error)}`),
);
