/**
 * A real Vite dev server with the plugin, for Node tests: its own temp folder as root, a random
 * loopback port (or the host a test asks for), the token file in the temp folder, and every
 * event the plugin sends to pages recorded (a spy on server.ws.send installed before the plugin
 * starts, so the first build's events are seen too).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createServer, type InlineConfig, type Logger, type Plugin, type ViteDevServer } from 'vite';
import type { DevEventMap, DevEventName } from '../../shared/dev-events';
import { hotwasm, type HotwasmOptions, type HotwasmPlugin } from '../index';
import type { TokenFile } from '../token-file';

export interface SentEvent {
  event: string;
  data: unknown;
}

export interface TestServer {
  server: ViteDevServer;
  plugin: HotwasmPlugin;
  port: number;
  /** The temp folder: Vite's root, home of the token file. */
  dir: string;
  tokenFile: string;
  events: SentEvent[];
  /** What the server logged as warnings and errors, and as info. */
  warnings: string[];
  infos: string[];
  /** Events of one name sent so far, typed. */
  sent<K extends DevEventName>(event: K): DevEventMap[K][];
  /** The per-start token, once the token file is written. */
  token(): Promise<string>;
  close(): Promise<void>;
}

const made = new Set<string>();

/** A fresh folder under the OS temp folder, removed by {@link removeTempDirs}. */
export async function tempDir(prefix = 'hotwasm-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Remove every folder {@link tempDir} made in this test file: `afterAll(removeTempDirs)`. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all([...made].map((dir) => rm(dir, { recursive: true, force: true })));
  made.clear();
}

export async function startServer(options: HotwasmOptions = {}, vite: InlineConfig = {}, dir?: string): Promise<TestServer> {
  const root = dir ?? (await tempDir());
  const own = !dir;
  const tokenFile = join(root, 'token.json');
  const events: SentEvent[] = [];
  const spy: Plugin = {
    name: 'test:ws-spy',
    configureServer(server) {
      const send = server.ws.send.bind(server.ws) as (...args: unknown[]) => void;
      server.ws.send = ((...args: unknown[]) => {
        const payload = args[0] as { type?: string; event?: string; data?: unknown };
        if (typeof payload === 'object' && payload?.type === 'custom' && payload.event) events.push({ event: payload.event, data: payload.data });
        send(...args);
      }) as ViteDevServer['ws']['send'];
    },
  };
  const warnings: string[] = [];
  const infos: string[] = [];
  const base = createLogger('silent');
  const customLogger: Logger = {
    ...base,
    info: (m) => void infos.push(m),
    warn: (m) => void warnings.push(m),
    warnOnce: (m) => void warnings.push(m),
    error: (m) => void warnings.push(m),
  };
  const plugin = hotwasm({ tokenFile, ...options });
  const server = await createServer({
    configFile: false,
    root,
    customLogger,
    clearScreen: false,
    ...vite,
    server: { port: 0, host: '127.0.0.1', ...vite.server },
    optimizeDeps: { noDiscovery: true, include: [] },
    plugins: [spy, plugin],
  });
  await server.listen();
  const port = (server.httpServer!.address() as AddressInfo).port;
  return {
    server,
    plugin,
    port,
    dir: root,
    tokenFile,
    events,
    warnings,
    infos,
    sent: <K extends DevEventName>(event: K) => events.filter((e) => e.event === event).map((e) => e.data as DevEventMap[K]),
    token: async () => {
      // Written once the server listens, asynchronously: poll for it.
      for (let i = 0; ; i++) {
        try {
          return (JSON.parse(await readFile(tokenFile, 'utf8')) as TokenFile).token;
        } catch (error) {
          if (i > 500) throw error;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    },
    close: async () => {
      await server.close();
      if (own) {
        await rm(root, { recursive: true, force: true });
        made.delete(root);
      }
    },
  };
}
