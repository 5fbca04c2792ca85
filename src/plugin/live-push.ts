/**
 * Live push wired into one Vite dev server: the modules' schedulers fed by Vite's watcher, the
 * HTTP routes first in its middleware stack, the HMR channel for events (and the page's
 * hotwasm:sync), and the token file for tools.
 */
import type { Stats } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { ViteDevServer } from 'vite';
import { parseDevEvent, type DevEvent } from '../shared/dev-events';
import { messageOf } from '../shared/errors';
import { ModuleConfigError, resolveModule, type ResolvedModule } from './detect';
import type { GuardConfig } from './guard';
import { mutationsState } from './guard';
import { createApi } from './http';
import { DEFAULTS, type HotwasmOptions } from './options';
import { Registry } from './registry';
import { Rechecker } from './recheck';
import { ModuleScheduler } from './scheduler';
import { defaultTokenFile, newToken, removeTokenFile, writeTokenFile } from './token-file';
import { pathMatcher, type PathMatcher } from './watch';

export interface LivePush {
  /** Whether a file is one the plugin watches (Vite must not reload the page for it). */
  owns(file: string): boolean;
  readonly registry: Registry;
  readonly startToken: string;
  dispose(): Promise<void>;
}

const isLoopback = (address: string) => address === '::1' || /^(::ffff:)?127\./.test(address);

export function startLivePush(server: ViteDevServer, options: HotwasmOptions): LivePush {
  const { config } = server;
  const prefix = '[hotwasm]';
  const logger = {
    info: (m: string) => config.logger.info(`${prefix} ${m}`, { timestamp: true }),
    warn: (m: string) => config.logger.warn(`${prefix} ${m}`, { timestamp: true }),
    error: (m: string) => config.logger.error(`${prefix} ${m}`, { timestamp: true }),
  };
  const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
  const registry = new Registry(options.keep ?? DEFAULTS.keep);
  const startToken = newToken();
  const notify = (e: DevEvent) => {
    server.ws.send({ type: 'custom', event: e.event, data: e.data });
    try {
      options.onEvent?.(e);
    } catch (error) {
      logger.warn(`onEvent threw: ${messageOf(error)}`);
    }
  };

  const modules: ResolvedModule[] = (options.modules ?? []).map((m) => {
    try {
      return resolveModule(m, {
        root: config.root,
        tools: { cargo: options.cargo, rustc: options.rustc },
        timing: { pollMs: options.artifactPollMs ?? DEFAULTS.artifactPollMs, settleMs: options.artifactSettleMs ?? DEFAULTS.artifactSettleMs },
      });
    } catch (error) {
      if (error instanceof ModuleConfigError) throw new ModuleConfigError(`hotwasm: ${error.message}`);
      throw error;
    }
  });
  const duplicate = modules.find((m, i) => modules.findIndex((o) => o.name === m.name) !== i);
  if (duplicate) throw new ModuleConfigError(`hotwasm: two modules are named ${duplicate.name}: give one a name`);

  const schedulers = new Map<string, ModuleScheduler>();
  const matchers: { matcher: PathMatcher; scheduler: ModuleScheduler; artifact: () => string | null }[] = [];
  for (const module of modules) {
    registry.add({ name: module.name, kind: module.builder.kind, watch: module.watch, artifact: () => module.builder.artifact });
    const scheduler = new ModuleScheduler(module, { registry, maxBytes, notify, logger });
    schedulers.set(module.name, scheduler);
    const matcher = pathMatcher(module.watch, module.ignore);
    matchers.push({ matcher, scheduler, artifact: () => module.builder.artifact });
    server.watcher.add(matcher.roots);
  }

  const changed = (path: string) => {
    let hit = false;
    for (const { matcher, scheduler } of matchers) {
      if (matcher.matches(path)) {
        scheduler.changed();
        hit = true;
      }
    }
    return hit;
  };
  const rechecker = new Rechecker(changed);
  const onFile = (event: string, file: string, stats?: Stats) => {
    if (event !== 'add' && event !== 'change' && event !== 'unlink') return;
    const path = resolve(file);
    if (changed(path) && event !== 'unlink') rechecker.saw(path, stats);
  };
  server.watcher.on('all', onFile);

  let listening: AddressInfo | null = null;
  const guard: GuardConfig = {
    allowedHosts: Array.isArray(config.server.allowedHosts) ? config.server.allowedHosts : [],
    https: !!config.server.https,
    startToken,
    token: options.token,
    exposure: () => {
      if (!listening) return { exposed: true, address: 'an address hotwasm cannot see (middleware mode)' };
      return { exposed: !isLoopback(listening.address), address: listening.address };
    },
  };

  let pages = 0;
  server.ws.on('vite:client:connect', (_data, client) => {
    pages++;
    // Its listeners may not be set up yet: the page also asks with hotwasm:sync.
    client.send({ type: 'custom', event: 'hotwasm:state', data: registry.snapshot() });
  });
  server.ws.on('vite:client:disconnect', () => {
    pages = Math.max(0, pages - 1);
  });
  server.ws.on('hotwasm:sync', (data, client) => {
    const parsed = parseDevEvent('hotwasm:sync', data);
    if (!parsed.ok || parsed.value.event !== 'hotwasm:sync') {
      logger.warn(`dropped a malformed hotwasm:sync from a page: ${parsed.ok ? 'wrong event' : parsed.error}`);
      return;
    }
    client.send({ type: 'custom', event: 'hotwasm:state', data: registry.snapshot(parsed.value.data.names) });
  });

  const api = createApi({ registry, schedulers, guard, maxBytes, notify, pages: () => pages, logger });
  // First in the stack: before Vite's CORS middleware (no CORS header on any route) and its SPA fallback.
  server.middlewares.stack.unshift({ route: '', handle: api });

  const tokenFile = options.tokenFile === false ? null : resolve(config.root, options.tokenFile ?? defaultTokenFile(config.root));
  let tokenWritten: Promise<void> | null = null;
  const onListening = () => {
    const address = server.httpServer?.address();
    if (!address || typeof address === 'string') return;
    listening = address;
    const state = mutationsState(guard);
    if (!state.enabled) logger.warn(`push and trigger are OFF: ${state.reason}`);
    else if (guard.exposure().exposed) logger.warn(`listening on ${address.address}, beyond loopback: push and trigger need the configured token`);
    if (tokenFile) {
      const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const url = `${guard.https ? 'https' : 'http'}://${host}:${address.port}`;
      tokenWritten = writeTokenFile(tokenFile, { schema: 1, url, port: address.port, token: startToken, pid: process.pid, startedAt: Date.now() }).catch((error: unknown) =>
        logger.warn(`could not write the token file ${tokenFile}: ${messageOf(error)}; the CLI will not find this server`),
      );
    }
  };
  server.httpServer?.on('listening', onListening);
  // Requests Node's parser refuses never reach a middleware: Vite answers them 400; say so here.
  const onClientError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET') logger.warn(`refused a malformed request (${error.code ?? error.message})`);
  };
  server.httpServer?.on('clientError', onClientError);
  if (server.httpServer?.listening) onListening();

  if (options.buildOnStart ?? DEFAULTS.buildOnStart) for (const s of schedulers.values()) void s.request();
  if (modules.length) logger.info(`watching ${modules.map((m) => `${m.name} (${m.builder.kind})`).join(', ')}`);

  let disposed: Promise<void> | null = null;
  return {
    registry,
    startToken,
    owns: (file) => {
      const path = resolve(file);
      return matchers.some(({ matcher, artifact }) => matcher.covers(path) || artifact() === path);
    },
    dispose: () => {
      disposed ??= (async () => {
        server.watcher.off('all', onFile);
        rechecker.dispose();
        server.httpServer?.off('listening', onListening);
        server.httpServer?.off('clientError', onClientError);
        for (const s of schedulers.values()) s.dispose();
        await tokenWritten;
        if (tokenFile) await removeTokenFile(tokenFile, startToken);
      })();
      return disposed;
    },
  };
}
