import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs: the built site works from any static host and any sub-path.
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  // The WASI shim is imported only from the worker: without this, the dev server discovers it
  // on first visit and reloads the page.
  optimizeDeps: { include: ['@bjorn3/browser_wasi_shim'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // engine.html: the engine without the playground UI (src/engine-only.ts), for embedders and benchmarks.
    rollupOptions: { input: { main: 'index.html', engine: 'engine.html' } },
  },
});
