/**
 * Boot: the engine (with its settings storage), the store and the bridge between them;
 * `window.hotwasm` for DevTools; the first module (`?module=<url>`, else the example counter);
 * then the React app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createEngine } from './core';
import type { HotChannel } from './core/live-push';
import { connectEngine, createAppStore, localConfigStorage } from './store';
import { App } from './ui/App';

// Relative URLs (DevTools loads, the URL form, ?module=) resolve against the page, so the site
// works from any sub-path. Settings persist in localStorage ("hotwasm:config"), or in memory
// for the session when the browser refuses storage.
const engine = createEngine({ baseUrl: document.baseURI, storage: localConfigStorage() });
const store = createAppStore();
// Apply engine events to the store once per frame (a hidden tab gets no frames: use a timer).
const nextFrame = (flush: () => void) => (document.hidden ? setTimeout(flush, 0) : requestAnimationFrame(flush));
connectEngine(engine, store, { schedule: nextFrame });
window.hotwasm = engine;

// `?module=` is handed over as given: the engine resolves it (against baseUrl) inside the load,
// so even a malformed URL fails like any load, with its message in the page's alert.
const requested = new URLSearchParams(window.location.search).get('module');
// The dev server's HMR channel: import.meta.hot under `npm run dev` and `hotwasm dev` from these
// sources; the one `hotwasm dev` hands the built playground of an installed package
// (bin/lib/playground.mjs); none in a production build.
const hot: HotChannel | undefined = import.meta.hot ?? window.__hotwasmDevServer?.hot;
// `hotwasm dev <path>` serves the playground for the user's own module: no example then.
const example = import.meta.env.VITE_HOTWASM_EXAMPLE === 'none' || window.__hotwasmDevServer ? null : new URL('examples/counter.wasm', document.baseURI);
const initial = requested || example;
// A failed load reaches the alert through the bridge; nothing more to do here.
if (initial) engine.load(initial).catch(() => undefined);

// Live push from the dev server (`npm run dev`, `hotwasm dev`); its code is loaded only then.
if (hot) {
  store.getState().live.connecting();
  void import('./core/live-push').then(({ connectDevServer }) => connectDevServer(engine, hot, { onEvent: (event) => store.getState().live.apply(event) }));
}

const root = document.getElementById('root');
if (!root) throw new Error('hotwasm: index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App engine={engine} store={store} />
  </StrictMode>,
);
