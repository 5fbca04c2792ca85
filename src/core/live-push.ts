/**
 * The page side of live push, framework-free: listen to the dev-server plugin's hotwasm:*
 * events on Vite's HMR channel, fetch each new build from its content-addressed URL and hand it
 * to `push(bytes, { name, sha256 })` — `engine.push`, which coalesces, follows Auto reload, and
 * refuses bytes whose sha256 is not the one announced.
 *
 *   if (import.meta.hot) connectDevServer(engine, import.meta.hot);
 *
 * Every event is checked (parseDevEvent) before it is acted on; a malformed one is logged and
 * dropped. Builds of one module are applied newest-wins: a notice older than one already acted
 * on is dropped, and a build whose download finishes after a newer notice arrived is not pushed.
 * After a (re)connect it asks for the latest state, and pushes what it missed.
 */
import type { BuildFailure, BuildingNotice, BuildNotice, DevEvent, SyncReply } from '../shared/dev-events';
import { parseDevEvent } from '../shared/dev-events';

/** What it needs of `import.meta.hot`. */
export interface HotChannel {
  on(event: string, listener: (data: unknown) => void): void;
  off?(event: string, listener: (data: unknown) => void): void;
  send(event: string, data?: unknown): void;
}

/** What it needs of `fetch`. */
export type FetchLike = (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

/** What it tells the page (a status line, a notice): everything the server sent, checked. */
export type LivePushEvent =
  /** The dev server's socket: up, or down (Vite reconnects by itself; the serving modules go on). */
  | { type: 'connection'; connected: boolean }
  | { type: 'building'; notice: BuildingNotice }
  | { type: 'build'; notice: BuildNotice }
  | { type: 'pushed'; notice: BuildNotice }
  | { type: 'failed'; failure: BuildFailure }
  | { type: 'error'; name: string | null; message: string };

export interface LivePushOptions {
  hot: HotChannel;
  /** Where a build goes: `engine.push`. Its result is not looked at; a rejection is reported. */
  push(bytes: Uint8Array, options: { name: string; sha256: string }): Promise<unknown>;
  fetch: FetchLike;
  /** The dev server's origin (`location.origin`): module URLs are resolved against it, not the page's base. */
  origin: string;
  /** Told what happens, for the UI. */
  onEvent?(event: LivePushEvent): void;
  /** Where malformed events and failures are logged (default console). */
  log?: { warn(message: string): void };
}

const LISTENED = ['hotwasm:building', 'hotwasm:build', 'hotwasm:build-failed', 'hotwasm:state', 'vite:ws:connect', 'vite:ws:disconnect'] as const;

export function connectLivePush(options: LivePushOptions): { dispose(): void } {
  const log = options.log ?? console;
  const tell = (event: LivePushEvent) => {
    try {
      options.onEvent?.(event);
    } catch (error) {
      log.warn(`hotwasm live push: an onEvent listener threw: ${String(error)}`);
    }
  };
  let session: string | null = null;
  /** Per module: the newest seq seen (a later notice supersedes a download under way). */
  const wanted = new Map<string, number>();
  /** Per module: the sha256 last handed to push, so a reconnect does not push it again. */
  const pushed = new Map<string, string>();
  let disposed = false;

  const apply = async (notice: BuildNotice) => {
    const { name, seq } = notice;
    if (seq <= (wanted.get(name) ?? 0)) return;
    wanted.set(name, seq);
    // The download starts before listeners hear of the build: what they do (a render) is then
    // not on the push's path.
    const known = pushed.get(name) === notice.sha256;
    const fetching = known ? null : options.fetch(new URL(notice.url, options.origin).href);
    fetching?.catch(() => undefined); // awaited below
    tell({ type: 'build', notice }); // a good build, even when it is the bytes already pushed (a failure before it is over)
    if (!fetching) return;
    let bytes: Uint8Array;
    try {
      const response = await fetching;
      if (!response.ok) throw new Error(`the dev server answered ${response.status}`);
      bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length !== notice.size) throw new Error(`got ${bytes.length} bytes, not the ${notice.size} announced`);
    } catch (error) {
      const message = `build #${seq} of ${name} could not be fetched: ${error instanceof Error ? error.message : String(error)}`;
      log.warn(`hotwasm live push: ${message}`);
      tell({ type: 'error', name, message });
      // The next sync (a reconnect) may offer it again.
      if (wanted.get(name) === seq) wanted.set(name, seq - 1);
      return;
    }
    // A newer build was announced while this one downloaded: it wins.
    if (disposed || wanted.get(name) !== seq) return;
    pushed.set(name, notice.sha256);
    const pushing = options.push(bytes, { name, sha256: notice.sha256 });
    tell({ type: 'pushed', notice });
    try {
      await pushing;
    } catch (error) {
      // The engine refused it (a refusal is in its history too): the page shows why.
      tell({ type: 'error', name, message: error instanceof Error ? error.message : String(error) });
    }
  };

  const onState = (state: SyncReply) => {
    tell({ type: 'connection', connected: true });
    if (state.session !== session) {
      // The dev server restarted: its seq numbers start again.
      session = state.session;
      wanted.clear();
    }
    for (const m of state.modules) {
      if (m.building) tell({ type: 'building', notice: m.building });
      if (m.lastError) tell({ type: 'failed', failure: m.lastError });
      if (m.lastBuild) void apply(m.lastBuild);
    }
  };

  const handle = (event: DevEvent) => {
    switch (event.event) {
      case 'hotwasm:building':
        tell({ type: 'building', notice: event.data });
        break;
      case 'hotwasm:build':
        void apply(event.data);
        break;
      case 'hotwasm:build-failed':
        tell({ type: 'failed', failure: event.data });
        break;
      case 'hotwasm:state':
        onState(event.data);
        break;
      case 'hotwasm:sync':
        break; // page → server only
      default: {
        const check: never = event;
        return check;
      }
    }
  };

  /** Vite's own events: the socket (re)connected — ask where things stand — or dropped. */
  const socket: Partial<Record<(typeof LISTENED)[number], () => void>> = {
    'vite:ws:connect': () => options.hot.send('hotwasm:sync', {}),
    'vite:ws:disconnect': () => tell({ type: 'connection', connected: false }),
  };
  const listeners = LISTENED.map((name) => {
    const listener =
      socket[name] ??
      ((data: unknown) => {
        if (disposed) return;
        const parsed = parseDevEvent(name, data);
        if (parsed.ok) handle(parsed.value);
        else log.warn(`hotwasm live push: dropped a malformed event: ${parsed.error}`);
      });
    options.hot.on(name, listener);
    return [name, listener] as const;
  });
  // Ask now: what was built before this page's listeners existed is in the answer.
  options.hot.send('hotwasm:sync', {});

  return {
    dispose() {
      disposed = true;
      for (const [name, listener] of listeners) options.hot.off?.(name, listener);
    },
  };
}

/** What `connectDevServer` needs of the engine. */
export interface PushTarget {
  push(bytes: Uint8Array, options: { name: string; sha256: string }): Promise<unknown>;
}

/**
 * Connect an engine to the hotwasm dev-server plugin (`hotwasm/vite`) through Vite's HMR channel:
 *
 *   import { createEngine, connectDevServer } from 'hotwasm';
 *   const engine = createEngine();
 *   if (import.meta.hot) connectDevServer(engine, import.meta.hot);
 *
 * In a production build `import.meta.hot` is undefined, so none of this runs (and a bundler
 * drops it).
 */
export function connectDevServer(engine: PushTarget, hot: HotChannel, options: Pick<LivePushOptions, 'onEvent' | 'log'> = {}): { dispose(): void } {
  return connectLivePush({
    hot,
    push: (bytes, o) => engine.push(bytes, o),
    fetch: (url) => fetch(url),
    origin: location.origin,
    ...options,
  });
}
