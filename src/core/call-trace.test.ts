import { afterEach, describe, expect, it } from 'vitest';
import { counter, inProcess, swap } from '../test-support/engine';
import type { Engine } from './api';
import { CALL_TRACE_SIZE, CallTrace } from './call-trace';
import { createEngine } from './engine';

let engine: Engine;
afterEach(() => engine?.dispose());

describe('recent calls', () => {
  it('are kept across versions, each with the version that answered, failures too', async () => {
    engine = createEngine({ workerFactory: inProcess, spares: false, config: { probation_ms: 50 } });
    await engine.load(counter(), { name: 'counter' });
    for (let i = 0; i < 3; i++) await engine.call('increment', 1);
    await engine.load(swap('counter-b'), { name: 'counter' });
    await engine.call('get');
    await expect(engine.call('increment', 'not a number')).resolves.toBeDefined(); // a JSON error answer is still an answer
    await expect(engine.call('nope')).rejects.toThrow();
    const calls = engine.module('counter').recentCalls();
    expect(calls.map((c) => c.version)).toEqual(['v1', 'v1', 'v1', 'v2', 'v2', 'v2']);
    expect(calls.map((c) => c.ok)).toEqual([true, true, true, true, true, false]);
    expect(calls.every((c) => c.ms >= 0 && c.at > 0)).toBe(true);
  });

  it('keep the last ones only', () => {
    const trace = new CallTrace();
    for (let i = 0; i < CALL_TRACE_SIZE + 10; i++) trace.record({ at: i, ms: 1, ok: true, version: 'v1' });
    const list = trace.list();
    expect(list).toHaveLength(CALL_TRACE_SIZE);
    expect(list[0]!.at).toBe(10);
  });
});
