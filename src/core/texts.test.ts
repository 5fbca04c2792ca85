/** The text a build came with (the Source panel's): kept with its version, brought back by rollback. */
import { afterEach, describe, expect, it } from 'vitest';
import { counter, inProcess, swap } from '../test-support/engine';
import type { Engine } from './api';
import { createEngine } from './engine';
import { MemoryRegistry } from './registry';

let engine: Engine;
afterEach(() => engine?.dispose());

describe('source texts', () => {
  it('keeps the text of an editor build with its version, and records the update as the editor’s', async () => {
    engine = createEngine({ workerFactory: inProcess, spares: false, config: { probation_ms: 50 } });
    await engine.load(counter(), { name: 'counter' });
    const handle = engine.module('counter');
    expect(await handle.sourceText()).toBeNull();
    await engine.load(swap('counter-b'), { name: 'counter', text: '(module ;; b\n)' });
    expect(engine.history()[0]).toMatchObject({ trigger: 'editor', outcome: 'committed', to: { version: 'v2' } });
    expect(await handle.sourceText()).toBe('(module ;; b\n)');
    expect(await handle.sourceText('v2')).toBe('(module ;; b\n)');
    expect(await handle.sourceText('v1')).toBeNull();
    await engine.rollback('v1');
    expect(await handle.sourceText()).toBeNull();
    await expect(handle.sourceText('v9')).rejects.toThrow(/no version "v9"/);
  });

  it('reads texts the registry kept (another session’s) when memory has none', async () => {
    const registry = new MemoryRegistry();
    engine = createEngine({ workerFactory: inProcess, spares: false, registry });
    const info = await engine.load(counter(), { name: 'counter', text: ';; the counter' });
    engine.dispose();
    engine = createEngine({ workerFactory: inProcess, spares: false, registry });
    await engine.load(counter(), { name: 'counter' });
    expect(await registry.getText('counter', info.sha256)).toBe(';; the counter');
    expect(await engine.module('counter').sourceText()).toBe(';; the counter');
  });
});
