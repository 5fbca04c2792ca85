/**
 * hotwasm/vite: live push for the dev server. Watches your guest modules, builds them on every
 * save (Cargo, AssemblyScript, .wat, a command of yours, or a .wasm another tool writes), keeps
 * the builds in memory by sha256 and tells the page over Vite's HMR channel, so it can hot-swap
 * them in. Dev only (`apply: 'serve'`).
 *
 *   import { hotwasm } from 'hotwasm/vite';
 *   export default defineConfig({ plugins: [hotwasm({ modules: [{ path: 'guest/Cargo.toml' }] })] });
 *
 * The events are in src/shared/dev-events.ts, the HTTP API in src/shared/dev-api.ts; both are
 * described in docs/live-push.md.
 */
import type { Plugin } from 'vite';
import { startLivePush, type LivePush } from './live-push';
import { checkOptions, type HotwasmOptions } from './options';

export type { HotwasmModuleOptions, HotwasmOptions } from './options';
export { DEFAULTS } from './options';
export { ModuleConfigError, resolveModule, type ResolvedModule } from './detect';
export type { LivePush } from './live-push';

export interface HotwasmPlugin extends Plugin {
  /** The running live push of the current dev server (null before configureServer). For tools and tests. */
  readonly live: LivePush | null;
}

export function hotwasm(options: HotwasmOptions = {}): HotwasmPlugin {
  checkOptions(options);
  let live: LivePush | null = null;
  return {
    name: 'hotwasm:live-push',
    apply: 'serve',
    get live() {
      return live;
    },
    config() {
      // The engine finds its worker beside it (new URL('./worker.js', import.meta.url)): Vite's
      // dependency pre-bundling would move the engine away from it.
      return { optimizeDeps: { exclude: ['hotwasm'] } };
    },
    configureServer(server) {
      // A restart calls this again on a new server: stop the previous one's builds first.
      void live?.dispose();
      live = startLivePush(server, options);
    },
    async closeServer({ reason }) {
      // Awaited by Vite's close (the token file is gone before the process exits). Not on a
      // restart: the old server closes after this plugin started on the new one.
      if (reason === 'close') await live?.dispose();
    },
    hotUpdate({ file }) {
      // The plugin's own files (sources it builds, artifacts it reads) never reload the page.
      if (live?.owns(file)) return [];
    },
  };
}

export default hotwasm;
