/**
 * A module's versions as users manage them: every build kept and listed, pinned, named,
 * deleted, evicted past keep_versions — labels never given again — and the registry's publish,
 * download and prune, for modules loaded or not.
 */
import { counter, inProcess, swap } from '../test-support/engine';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from './api';
import type { EngineConfig } from './config';
import { createEngine } from './engine';
import { MemoryRegistry, type Registry } from './registry';

const engines: Engine[] = [];
afterEach(() => engines.splice(0).forEach((e) => e.dispose()));
const open = (registry: Registry = new MemoryRegistry(), config: Partial<EngineConfig> = {}) => {
  const engine = createEngine({ workerFactory: inProcess, spares: false, registry, config: { probation_ms: 0, ...config } });
  engines.push(engine);
  return engine;
};

/** counter at v3 (v1 counter, v2 counter-b, v3 api-v1-2), serving v3. */
async function threeVersions(engine: Engine) {
  await engine.load(counter(), { name: 'counter' });
  await engine.load(swap('counter-b'), { name: 'counter' });
  await engine.load(swap('api-v1-2'), { name: 'counter' });
  return engine.module('counter');
}

/** Let a probation of 0 ms end: its timer was set before this one. */
const probationOver = () => new Promise((resolve) => setTimeout(resolve, 0));

const labels = (engine: Engine) => engine.versions('counter').map((v) => v.version);

describe('versions: pin, name, delete', () => {
  it('lists every version kept with its metadata, served or not', async () => {
    const engine = open();
    await threeVersions(engine);
    // A build refused by the pipeline is labelled, and kept, too.
    await expect(engine.load(swap('restore-refuses'), { name: 'counter' })).rejects.toThrow();
    const versions = engine.versions('counter');
    expect(versions.map((v) => [v.version, v.servedAt !== null])).toEqual([
      ['v1', true],
      ['v2', true],
      ['v3', true],
      ['v4', false],
    ]);
    expect(versions[0]).toMatchObject({ pinned: false, tag: null, trigger: 'load', size: counter().byteLength });
    expect(versions[0]!.exports).toContain('increment');
    expect(versions[0]!.imports).toEqual(expect.any(Array));
  });

  it('deletes a version and its bytes; its label is never given again, also in the next session; the same bytes come back under it', async () => {
    const registry = new MemoryRegistry();
    const engine = open(registry);
    const handle = await threeVersions(engine);
    const v1 = handle.versions()[0]!;
    handle.deleteVersion('v1');
    expect(labels(engine)).toEqual(['v2', 'v3']);
    await engine.flush();
    expect(await registry.getBytes(v1.sha256)).toBeNull();
    await expect(handle.rollback('v1')).rejects.toThrow(/counter v1 was deleted/);
    await expect(handle.download('v1')).rejects.toThrow(/was deleted/);
    // A new build after a deletion takes the next label, not the deleted one.
    await engine.load(swap('stateless'), { name: 'counter' });
    expect(labels(engine)).toEqual(['v2', 'v3', 'v4']);
    await probationOver();
    handle.deleteVersion('v3');
    engine.dispose();

    // The next session, restored or not, knows the labels taken.
    for (const restore of [true, false]) {
      const next = open(registry);
      if (restore) await next.restore();
      expect(await next.load(swap('counter-spin'), { name: 'counter' })).toMatchObject({ version: 'v5' });
      expect(labels(next)).toEqual(['v2', 'v4', 'v5']);
      next.dispose();
    }
    // v1's bytes again: the same version, kept again under its own label.
    const last = open(registry);
    expect(await last.load(counter(), { name: 'counter' })).toMatchObject({ version: 'v1' });
    expect(labels(last)).toEqual(['v1', 'v2', 'v4', 'v5']);
  });

  it('refuses to delete the serving version or a pinned one, saying what to do', async () => {
    const engine = open();
    const handle = await threeVersions(engine);
    expect(() => handle.deleteVersion('v3')).toThrow(/v3 is in service: roll back to another version before deleting it/);
    expect(() => handle.deleteVersion('v2')).toThrow(/v2 is warm for a rollback until its probation ends/);
    await probationOver();
    expect(handle.pin('v2')).toMatchObject({ version: 'v2', pinned: true });
    expect(() => handle.deleteVersion('v2')).toThrow(/v2 is pinned: unpin it before deleting it/);
    handle.unpin('v2');
    expect(handle.deleteVersion('v2')).toMatchObject({ version: 'v2' });
    expect(() => handle.deleteVersion('v9')).toThrow(/has no version "v9" \(kept: v1, v3\)/);
  });

  it('names a version: unique in the module, accepted wherever a version is', async () => {
    const engine = open();
    const handle = await threeVersions(engine);
    expect(handle.tag('v1', '  known good ')).toMatchObject({ version: 'v1', tag: 'known good' });
    expect(() => handle.tag('v2', 'known good')).toThrow(/v1 is already called "known good"/);
    expect(() => handle.tag('v2', 'v1')).toThrow(/already called "v1"/);
    expect(() => handle.tag('v2', 'x'.repeat(61))).toThrow(/1 to 60 characters/);
    expect(await handle.rollback('known good')).toMatchObject({ version: 'v1' });
    expect(await handle.download('known good')).toEqual(counter());
    handle.tag('v1', null);
    expect(handle.versions()[0]!.tag).toBeNull();
  });
});

describe('versions: keep_versions', () => {
  it('evicts unpinned versions past keep_versions, least recently used first, never serving or pinned ones', async () => {
    const registry = new MemoryRegistry();
    const engine = open(registry, { keep_versions: 2 });
    await engine.load(counter(), { name: 'counter' });
    engine.module('counter').pin('v1');
    await engine.load(swap('counter-b'), { name: 'counter' });
    await engine.load(swap('api-v1-2'), { name: 'counter' });
    await engine.load(swap('stateless'), { name: 'counter' });
    // v1 pinned (does not count), v2 the least recently used of the others.
    expect(labels(engine)).toEqual(['v1', 'v3', 'v4']);
    const stored = await registry.listVersions('counter');
    expect(stored.filter((v) => v.removed).map((v) => [v.label, v.removed!.why])).toEqual([['v2', 'evicted']]);
    await expect(engine.rollback('v2')).rejects.toThrow(/v2 was evicted/);
    // A lower setting takes effect at once; the serving one stays.
    await probationOver();
    engine.configure({ keep_versions: 1 });
    expect(labels(engine)).toEqual(['v1', 'v4']);
  });
});

describe('registry: publish, download, prune', () => {
  it('publishes a version of a module that is not loaded, refuses what the engine would refuse, and rolls back to it once loaded', async () => {
    const registry = new MemoryRegistry();
    const engine = open(registry);
    const published = await engine.registry.publish('counter', 'beta', swap('counter-b'));
    expect(published).toMatchObject({ version: 'beta', trigger: 'publish', servedAt: null });
    expect(await engine.registry.download('counter', 'beta')).toEqual(swap('counter-b'));
    await expect(engine.registry.publish('counter', 'beta', counter())).rejects.toThrow(/beta is kept for other bytes/);
    await expect(engine.registry.publish('counter', 'junk', new TextEncoder().encode('hello'))).rejects.toThrow(/not a WebAssembly/i);
    const broken = counter().slice();
    const at = broken.length - 3;
    broken[at] = broken[at]! ^ 0xff; // inside the code section: sections read, the engine refuses it
    await expect(engine.registry.publish('counter', 'broken', broken)).rejects.toThrow();
    expect((await registry.listVersions('counter')).map((v) => v.label)).toEqual(['beta']);

    await engine.load(counter(), { name: 'counter' });
    expect(labels(engine)).toEqual(['beta', 'v1']);
    expect(await engine.rollback('beta')).toMatchObject({ version: 'beta' });
    expect(await engine.registry.download('counter')).toEqual(swap('counter-b'));
  });

  it('prunes the older half of every module’s unpinned versions, never serving ones, loaded or not', async () => {
    const registry = new MemoryRegistry();
    const engine = open(registry);
    await threeVersions(engine);
    await engine.load(swap('stateless'), { name: 'counter' });
    for (const [i, name] of ['counter-b', 'api-v1-2', 'stateless', 'counter-spin'].entries()) await engine.registry.publish('other', `b${i}`, swap(name));
    const report = await engine.registry.prune();
    expect(report).toEqual({
      removed: [
        { module: 'counter', version: 'v1' },
        { module: 'counter', version: 'v2' },
        { module: 'other', version: 'b0' },
        { module: 'other', version: 'b1' },
      ],
      unsaved: 0,
    });
    expect(labels(engine)).toEqual(['v3', 'v4']);
    expect((await engine.registry.prune({ keep: 1 })).removed).toEqual([
      { module: 'counter', version: 'v3' },
      { module: 'other', version: 'b2' },
    ]);
    await expect(engine.registry.prune({ keep: 0 })).rejects.toThrow(/whole number ≥ 1/);
  });
});
