import type { Engine } from './core';

declare global {
  interface Window {
    /** The page's engine, for DevTools: `await hotwasm.load(url)`, `await hotwasm.call('increment', 5)`, `hotwasm.status()`. */
    hotwasm: Engine;
  }
}

export {};
