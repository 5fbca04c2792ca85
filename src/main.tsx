/**
 * Boot: the engine, the store and the bridge between them; `window.hotwasm` for DevTools; the
 * first module (`?module=<url>`, else the example counter); then the React app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createEngine } from './core';
import { connectEngine, createAppStore } from './store';
import { App } from './ui/App';

// Relative URLs (DevTools loads, the URL form, ?module=) resolve against the page, so the site
// works from any sub-path.
const engine = createEngine({ baseUrl: document.baseURI });
const store = createAppStore();
connectEngine(engine, store);
window.hotwasm = engine;

// `?module=` is handed over as given: the engine resolves it (against baseUrl) inside the load,
// so even a malformed URL fails like any load, with its message in the page's alert.
const requested = new URLSearchParams(window.location.search).get('module');
const initial = requested || new URL('examples/counter.wasm', document.baseURI);
// A failed load reaches the alert through the bridge; nothing more to do here.
engine.load(initial).catch(() => undefined);

const root = document.getElementById('root');
if (!root) throw new Error('hotwasm: index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App engine={engine} store={store} />
  </StrictMode>,
);
