// Tests reach the engine the way DevTools users do: window.hotwasm.
import type { Engine } from '../src/core';

declare global {
  interface Window {
    hotwasm: Engine;
  }
}
