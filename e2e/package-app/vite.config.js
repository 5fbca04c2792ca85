import { defineConfig } from 'vite';
import { hotwasm } from 'hotwasm/vite';

// The guest is guest/counter.wat; every save is built (with wabt) and pushed to the page.
export default defineConfig({
  plugins: [hotwasm({ modules: [{ name: 'counter', path: 'guest/counter.wat', debounceMs: 20 }] })],
});
