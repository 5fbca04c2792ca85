/**
 * A real Vite dev server running the playground with the hotwasm plugin, for the live-push specs:
 * on a free loopback port, with no example loaded (VITE_HOTWASM_EXAMPLE=none) — the modules come
 * from the dev server.
 */
import { join } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { type HotwasmOptions, hotwasm } from '../src/plugin/index';
import { root } from './helpers';

export async function startDevServer(options: HotwasmOptions): Promise<{ server: ViteDevServer; url: string }> {
  process.env.VITE_HOTWASM_EXAMPLE = 'none';
  const server = await createServer({
    configFile: join(root, 'vite.config.ts'),
    root,
    logLevel: 'warn',
    server: { port: 0, host: '127.0.0.1', strictPort: false },
    plugins: [hotwasm(options)],
  });
  await server.listen();
  const address = server.httpServer!.address();
  if (!address || typeof address !== 'object') throw new Error('the dev server has no address');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}
