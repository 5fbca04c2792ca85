import { describe, expect, it } from 'vitest';
import { moduleUrl, type BuildNotice } from '../shared/dev-events';
import { connectLivePush, type FetchLike, type HotChannel, type LivePushEvent } from './live-push';

const sha = (c: string) => c.repeat(64);
const notice = (name: string, seq: number, c: string, size = 8): BuildNotice => ({ name, seq, sha256: sha(c), size, url: moduleUrl(sha(c)), builtAt: 0, durationMs: 1, source: 'build' });

/** A fake `import.meta.hot`, a fetch whose answers the test releases, and a recording push. */
function harness() {
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  const sent: { event: string; data: unknown }[] = [];
  const hot: HotChannel = {
    on: (e, l) => void (listeners.get(e) ?? listeners.set(e, new Set()).get(e)!).add(l),
    off: (e, l) => void listeners.get(e)?.delete(l),
    send: (event, data) => void sent.push({ event, data }),
  };
  const emit = (event: string, data?: unknown) => listeners.get(event)?.forEach((l) => l(data));
  const fetches = new Map<string, (bytes: Uint8Array | null) => void>();
  const fetch: FetchLike = (url) =>
    new Promise((resolve) => {
      fetches.set(url, (bytes) => resolve({ ok: !!bytes, status: bytes ? 200 : 404, arrayBuffer: async () => (bytes ?? new Uint8Array()).slice().buffer }));
    });
  const pushes: { name: string; sha256: string; bytes: Uint8Array }[] = [];
  const events: LivePushEvent[] = [];
  const warnings: string[] = [];
  const live = connectLivePush({
    hot,
    fetch,
    origin: 'http://127.0.0.1:5173',
    push: async (bytes, { name, sha256 }) => void pushes.push({ name, sha256, bytes }),
    onEvent: (e) => events.push(e),
    log: { warn: (m) => void warnings.push(m) },
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  const answer = async (n: BuildNotice, bytes: Uint8Array | null = new Uint8Array(n.size)) => {
    fetches.get(`http://127.0.0.1:5173${n.url}`)!(bytes);
    await settle();
    await settle();
  };
  return { hot, emit, sent, fetches, pushes, events, warnings, live, answer, settle };
}

describe('live push on the page', () => {
  it('asks for the latest state at start and after every reconnect, and says when the socket is down or up', () => {
    const h = harness();
    expect(h.sent).toEqual([{ event: 'hotwasm:sync', data: {} }]);
    h.emit('vite:ws:disconnect', {});
    h.emit('vite:ws:connect', {});
    expect(h.sent).toHaveLength(2);
    h.emit('hotwasm:state', { session: 's1', modules: [] });
    expect(h.events).toEqual([
      { type: 'connection', connected: false },
      { type: 'connection', connected: true },
    ]);
  });

  it('fetches a build from the dev server’s origin and pushes it under its name', async () => {
    const h = harness();
    const n = notice('counter', 1, 'a');
    h.emit('hotwasm:build', n);
    expect([...h.fetches.keys()]).toEqual([`http://127.0.0.1:5173/__hotwasm/modules/${sha('a')}.wasm`]);
    await h.answer(n);
    expect(h.pushes.map((p) => [p.name, p.bytes.length])).toEqual([['counter', 8]]);
    expect(h.pushes[0]!.sha256).toBe(sha('a')); // the engine refuses other bytes
    expect(h.events.map((e) => e.type)).toEqual(['build', 'pushed']);
  });

  it('lets the newest build win: older notices are dropped, and a download overtaken is not pushed', async () => {
    const h = harness();
    const [one, two] = [notice('counter', 1, 'a'), notice('counter', 2, 'b')];
    h.emit('hotwasm:build', one);
    h.emit('hotwasm:build', two);
    await h.answer(two);
    await h.answer(one); // finishes last, but is older
    h.emit('hotwasm:build', notice('counter', 2, 'c')); // a repeat of seq 2
    expect(h.pushes.map((p) => p.bytes.length)).toEqual([8]);
    expect(h.fetches.size).toBe(2);
  });

  it('after a reconnect pushes only what it missed, and starts over when the server restarted', async () => {
    const h = harness();
    const seen = notice('counter', 3, 'a');
    h.emit('hotwasm:state', { session: 's1', modules: [{ name: 'counter', building: null, lastBuild: seen, lastError: null }] });
    await h.answer(seen);
    h.emit('hotwasm:state', { session: 's1', modules: [{ name: 'counter', building: null, lastBuild: seen, lastError: null }] });
    // Restarted: seq 1 again, but the same bytes are not pushed twice; new ones are.
    h.emit('hotwasm:state', { session: 's2', modules: [{ name: 'counter', building: null, lastBuild: { ...seen, seq: 1 }, lastError: null }] });
    const fresh = notice('counter', 2, 'b');
    h.emit('hotwasm:build', fresh);
    await h.answer(fresh);
    expect(h.pushes).toHaveLength(2);
    expect(h.fetches.size).toBe(2);
  });

  it('reports failures and drops malformed events with a warning', async () => {
    const h = harness();
    const failure = { name: 'counter', seq: 4, code: 'build-failed', message: 'cargo build exited with code 101', output: 'error[E0308]', exitCode: 101, signal: null, durationMs: 900 };
    h.emit('hotwasm:build-failed', failure);
    h.emit('hotwasm:build', { ...notice('counter', 5, 'a'), url: 'https://evil.test/x.wasm' });
    h.emit('hotwasm:build', { name: 'counter' });
    expect(h.events).toEqual([{ type: 'failed', failure }]);
    expect(h.warnings).toHaveLength(2);
    expect(h.fetches.size).toBe(0);
    const short = notice('counter', 6, 'b', 100);
    h.emit('hotwasm:build', short);
    await h.answer(short, new Uint8Array(10));
    expect(h.pushes).toEqual([]);
    expect(h.events.at(-1)).toMatchObject({ type: 'error', name: 'counter', message: expect.stringContaining('not the 100 announced') });
  });

  it('stops listening when disposed', async () => {
    const h = harness();
    h.live.dispose();
    h.emit('hotwasm:build', notice('counter', 1, 'a'));
    expect(h.fetches.size).toBe(0);
  });
});

// `import.meta.hot` itself fits what connectLivePush asks for.
export type HotFits = import('vite/types/hot.d.ts').ViteHotContext extends HotChannel ? true : never;
const _hotFits: HotFits = true;
void _hotFits;
