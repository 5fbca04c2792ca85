import { describe, expect, it } from 'vitest';
import type { BuildFailure, BuildNotice } from '../shared/dev-events';
import { createAppStore } from './app-store';

const build = (seq: number): BuildNotice => ({ name: 'guest', seq, sha256: 'a'.repeat(64), size: 8, url: `/__hotwasm/modules/${'a'.repeat(64)}.wasm`, builtAt: 0, durationMs: 1, source: 'build' });
const failure = (seq: number): BuildFailure => ({ name: 'guest', seq, code: 'build-failed', message: 'it broke', output: 'x.wat:1:1: error\n', exitCode: 1, signal: null, durationMs: 1 });

describe('live slice', () => {
  it('ends a build as it finishes, and a page told of a later build under way keeps showing it', () => {
    const store = createAppStore();
    const { live } = store.getState();
    live.apply({ type: 'building', notice: { name: 'guest', seq: 2, startedAt: 0 } });
    // What a page that connects mid-build hears next: the last finished build, and its failure.
    live.apply({ type: 'build', notice: build(1) });
    live.apply({ type: 'failed', failure: failure(1) });
    expect(Object.keys(store.getState().live.building)).toEqual(['guest']);
    live.apply({ type: 'build', notice: build(2) });
    expect(store.getState().live.building).toEqual({});
    expect(store.getState().live.failures).toEqual({});
  });

  it('ends a build that fails, keeping its failure with the compiler output in the Console', () => {
    const store = createAppStore();
    const { live } = store.getState();
    live.apply({ type: 'building', notice: { name: 'guest', seq: 3, startedAt: 0 } });
    live.apply({ type: 'failed', failure: failure(3) });
    expect(store.getState().live.building).toEqual({});
    expect(store.getState().live.failures.guest?.seq).toBe(3);
    expect(store.getState().console.lines.map((l) => l.text).join('')).toContain('x.wat:1:1: error');
  });
});
