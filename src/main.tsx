/**
 * Boot: the registry (IndexedDB, else memory), the engine (with its settings storage), the
 * store and the bridge between them; `window.hotwasm` for DevTools; the React app; then what the
 * last visit kept, and the first module (`?module=<url>`, else the example counter when nothing
 * came back); then live push.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createEngine, MemoryRegistry, openingRegistry } from './core';
import type { HotChannel } from './core/live-push';
import { openIndexedDbRegistry } from './registry/idb-registry';
import { connectEngine, createAppStore, localConfigStorage } from './store';
import { App } from './ui/App';
import { nextFrame } from './ui/common/frame';
import { startLoad } from './ui/common/load';
import { decodeShare } from './ui/share/share-link';
import { watToolchain } from './ui/source/useSourceSession';

// The app's start, for the benchmarks (bench/registry.mjs).
performance.mark('hotwasm:start');

// Versions, their bytes, update records and checkpoints are kept in IndexedDB, so a page
// opened again comes back as it was; where the browser refuses storage, in memory (and the
// Status panel says so). index.html began opening it while this script loaded; nothing here
// waits for it to be open: the engine, its spare worker and the first render start meanwhile,
// and what uses the registry waits for it instead.
const opening = openIndexedDbRegistry({ early: window.__hotwasmEarlyRegistry });
const registry = openingRegistry(opening.then((opened) => (opened.ok ? opened.registry : new MemoryRegistry())));

// Relative URLs (DevTools loads, the URL form, ?module=) resolve against the page, so the site
// works from any sub-path. Settings persist in localStorage ("hotwasm:config"), or in memory
// for the session when the browser refuses storage.
const engine = createEngine({ baseUrl: document.baseURI, storage: localConfigStorage(), registry });
const store = createAppStore();
void opening.then((opened) => store.getState().storage.set(opened.ok ? 'browser' : 'memory', opened.ok ? null : opened.reason));
// Apply engine events to the store once per frame (a hidden tab gets no frames: a timer then).
connectEngine(engine, store, { schedule: nextFrame });
window.hotwasm = engine;
// Another tab of the site wrote to the registry: take its records, and its versions of the
// modules running here (a label it gave is then never given here).
// Notices come a few per write: they are taken together, a moment later.
void opening.then((opened) => {
  if (!opened.ok) return;
  const touched = new Set<string | undefined>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  opened.registry.onChange((notice) => {
    if (notice.store !== 'versions' && notice.store !== 'records') return;
    touched.add(notice.store === 'versions' ? notice.module : undefined);
    timer ??= setTimeout(() => {
      timer = null;
      const names = [...touched];
      touched.clear();
      for (const name of names.length > 1 ? names.filter((n) => n !== undefined) : names) void engine.sync(name).catch(() => undefined);
    }, 100);
  });
});

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
// The module the user worked with comes back first, and is the active one again.
const ACTIVE_KEY = 'hotwasm:active';
const wasActive = readText(ACTIVE_KEY);
const restored = await engine.restore({ leftAt: leftAt ?? undefined, first: wasActive ?? undefined }).catch((error: unknown) => {
  console.warn('hotwasm: what the last visit kept could not be read', error);
  return null;
});

if (wasActive && restored?.restored.some((r) => r.name === wasActive)) engine.use(wasActive);
// Stored records that fail their check are skipped by everything that reads; the panels list them.
void opening.then((opened) => {
  if (!opened.ok) return;
  opened.registry.unreadable({ bytes: false }).then(
    (found) => store.getState().storage.setUnreadable(found),
    (error: unknown) => console.warn('hotwasm: the registry could not be checked', error),
  );
});
engine.subscribe((event) => event.type === 'active' && writeText(ACTIVE_KEY, event.module));

// `?module=` is handed over as given: the engine resolves it (against baseUrl) inside the load,
// so even a malformed URL fails like any load, with its message in the page's alert. A share
// link (src/ui/share/share-link.ts) may carry the module as WebAssembly text instead (`wat`),
// and a call to set up in the Call panel (`fn`, `arg`).
const query = new URLSearchParams(window.location.search);
const requested = query.get('module');
const sharedText = query.has('wat');
// The dev server's HMR channel: import.meta.hot under `npm run dev` and `hotwasm dev` from these
// sources; the one `hotwasm dev` hands the built playground of an installed package
// (bin/lib/playground.mjs); none in a production build.
const hot: HotChannel | undefined = import.meta.hot ?? window.__hotwasmDevServer?.hot;
// `hotwasm dev <path>` serves the playground for the user's own module: no example then, nor
// when the last visit's modules came back — or failed to, so the alert saying why stays up
// (an example loaded under the same name would take its place).
const wantsExample = import.meta.env.VITE_HOTWASM_EXAMPLE !== 'none' && !window.__hotwasmDevServer && !restored?.restored.length && !restored?.failed.length && !sharedText;
// Relative, as a share link names it: the engine resolves it against the page.
const example = wantsExample ? 'examples/counter.wasm' : null;
const initial = requested || example;
void openShared();

/** Load what the page was asked for (a module URL, a share link's text, else the example) and set up the call a link names. */
async function openShared(): Promise<void> {
  const notices = store.getState().notices;
  const decoded = await decodeShare(window.location.search);
  if (!decoded.ok) notices.reportError(new Error(decoded.message), 'load');
  const request = decoded.ok ? decoded.request : {};
  let info = null;
  if (request.wat !== undefined) {
    const name = request.name ?? 'shared';
    const built = await (await watToolchain()).compile(request.wat, `${name}.wat`);
    if (!built.ok) return notices.reportError(new Error(`The link's WebAssembly text does not compile: ${built.message}`), 'load');
    // Loaded as the Source panel's builds are: the text is kept with the version.
    info = await startLoad(engine, built.bytes, { name, text: request.wat });
  } else if (initial) {
    // A failed load reaches the alert through the bridge; nothing more to do here.
    info = await startLoad(engine, initial);
  }
  if (info && request.fn !== undefined) store.getState().callPick.pick(info.name, request.fn, request.arg);
}

// Live push from the dev server (`npm run dev`, `hotwasm dev`); its code is loaded only then.
if (hot) {
  store.getState().live.connecting();
  void import('./core/live-push').then(({ connectDevServer }) => connectDevServer(engine, hot, { onEvent: (event) => store.getState().live.apply(event) }));
}

function readText(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage refused: nothing was remembered
  }
}

function writeText(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // storage refused: nothing to remember
  }
}

function readNumber(key: string): number | null {
  const value = Number(readText(key));
  return Number.isFinite(value) && value > 0 ? value : null;
}

function writeNumber(key: string, value: number): void {
  writeText(key, String(value));
}
