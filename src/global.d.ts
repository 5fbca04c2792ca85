import type { Engine } from './core';
import type { HotChannel } from './core/live-push';

declare global {
  interface Window {
    /** The page's engine, for DevTools: `await hotwasm.load(url)`, `await hotwasm.call('increment', 5)`, `hotwasm.status()`. */
    hotwasm: Engine;
    /** Set by `hotwasm dev` in the built playground it serves from an installed package (bin/lib/playground.mjs). */
    __hotwasmDevServer?: { hot: HotChannel };
    /** The registry's connection, opened by index.html while the app's script loads (null where that failed). */
    __hotwasmEarlyRegistry?: Promise<IDBDatabase | null>;
  }
}

export {};
