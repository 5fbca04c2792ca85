/**
 * Boot: the registry (IndexedDB, else memory), the engine (with its settings storage), the
 * store and the bridge between them; `window.hotwasm` for DevTools; the React app; then what the
 * last visit kept, and the first module (`?module=<url>`, else the example counter when nothing
 * came back); then live push.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createEngine, MemoryRegistry } from './core';
import type { HotChannel } from './core/live-push';
import { openIndexedDbRegistry } from './registry/idb-registry';
import { connectEngine, createAppStore, localConfigStorage } from './store';
import { App } from './ui/App';

// Versions, their bytes, update records and checkpoints are kept in IndexedDB, so a page
// opened again comes back as it was; where the browser refuses storage, in memory (and the
// Status panel says so).
const opened = await openIndexedDbRegistry();
const registry = opened.ok ? opened.registry : new MemoryRegistry();

// Relative URLs (DevTools loads, the URL form, ?module=) resolve against the page, so the site
// works from any sub-path. Settings persist in localStorage ("hotwasm:config"), or in memory
// for the session when the browser refuses storage.
const engine = createEngine({ baseUrl: document.baseURI, storage: localConfigStorage(), registry });
const store = createAppStore();
store.getState().storage.set(opened.ok ? 'browser' : 'memory', opened.ok ? null : opened.reason);
// Apply engine events to the store once per frame (a hidden tab gets no frames: use a timer).
const nextFrame = (flush: () => void) => (document.hidden ? setTimeout(flush, 0) : requestAnimationFrame(flush));
connectEngine(engine, store, { schedule: nextFrame });
window.hotwasm = engine;

const root = document.getElementById('root');
if (!root) throw new Error('hotwasm: index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App engine={engine} store={store} />
  </StrictMode>,
);

// When the page was left, for "state from 12:04:31, 3 s before the reload".
const LEFT_AT_KEY = 'hotwasm:left-at';
const leftAt = readNumber(LEFT_AT_KEY);
window.addEventListener('pagehide', () => {
  writeNumber(LEFT_AT_KEY, Date.now());
  void engine.flush(); // registry writes wait a moment after an update: send them now
});
// What the last visit had comes back first (a module that cannot is reported as a failed load);
// `?module=` and live push then win over it, as loads and pushes of their own.
const restored = await engine.restore({ leftAt: leftAt ?? undefined }).catch((error: unknown) => {
  console.warn('hotwasm: what the last visit kept could not be read', error);
  return null;
});

// `?module=` is handed over as given: the engine resolves it (against baseUrl) inside the load,
// so even a malformed URL fails like any load, with its message in the page's alert.
const requested = new URLSearchParams(window.location.search).get('module');
// The dev server's HMR channel: import.meta.hot under `npm run dev` and `hotwasm dev` from these
// sources; the one `hotwasm dev` hands the built playground of an installed package
// (bin/lib/playground.mjs); none in a production build.
const hot: HotChannel | undefined = import.meta.hot ?? window.__hotwasmDevServer?.hot;
// `hotwasm dev <path>` serves the playground for the user's own module: no example then, nor
// when the last visit's modules came back — or failed to, so the alert saying why stays up
// (an example loaded under the same name would take its place).
const wantsExample = import.meta.env.VITE_HOTWASM_EXAMPLE !== 'none' && !window.__hotwasmDevServer && !restored?.restored.length && !restored?.failed.length;
const example = wantsExample ? new URL('examples/counter.wasm', document.baseURI) : null;
const initial = requested || example;
// A failed load reaches the alert through the bridge; nothing more to do here.
if (initial) engine.load(initial).catch(() => undefined);

// Live push from the dev server (`npm run dev`, `hotwasm dev`); its code is loaded only then.
if (hot) {
  store.getState().live.connecting();
  void import('./core/live-push').then(({ connectDevServer }) => connectDevServer(engine, hot, { onEvent: (event) => store.getState().live.apply(event) }));
}

function readNumber(key: string): number | null {
  try {
    const value = Number(localStorage.getItem(key));
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null; // storage refused: the status says only when the state is from
  }
}

function writeNumber(key: string, value: number): void {
  try {
    localStorage.setItem(key, String(value));
  } catch {
    // storage refused: nothing to remember
  }
}
