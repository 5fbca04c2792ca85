// The few lines an app needs: the engine, and live push from the dev server in development.
import { connectDevServer, createEngine } from 'hotwasm';

const engine = createEngine();
window.engine = engine;
if (import.meta.hot) connectDevServer(engine, import.meta.hot);

const version = document.getElementById('version');
const count = document.getElementById('count');
// Each build the dev server pushes is loaded (the first) or hot-swapped in (the rest).
engine.subscribe((event) => {
  if (event.type === 'loaded' && event.module === 'counter') version.textContent = event.info.version;
});
document.getElementById('increment').addEventListener('click', async () => {
  count.textContent = String(await engine.module('counter').call('increment', 1));
});
