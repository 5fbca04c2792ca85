import { describe, expect, it } from 'vitest';
import type { CheckpointInfo, EngineEvent, ModuleStatus } from '../core';
import { type CheckpointsData, MAX_CHECKPOINTS, reduceCheckpoints } from './checkpoints-slice';

const checkpoint = (seq: number): EngineEvent => ({ type: 'checkpoint', module: 'counter', checkpoint: { seq, at: 1000 + seq, version: 'v1', sha256: 'a'.repeat(64), bytes: 8, calls: seq } satisfies CheckpointInfo });
const status = (state: ModuleStatus['state'], messageAt: number | null = 5): EngineEvent => ({ type: 'status', module: 'counter', status: { state, messageAt } as ModuleStatus });
const run = (events: EngineEvent[], data: CheckpointsData = { byModule: {} }) => events.reduce(reduceCheckpoints, data);

describe('the checkpoints slice', () => {
  it('keeps the latest checkpoints of each module, once each, oldest first', () => {
    const events = Array.from({ length: MAX_CHECKPOINTS + 5 }, (_, i) => checkpoint(i + 1));
    const data = run([...events, checkpoint(MAX_CHECKPOINTS + 5)]);
    const seqs = data.byModule.counter!.checkpoints.map((c) => c.seq);
    expect(seqs).toHaveLength(MAX_CHECKPOINTS);
    expect(seqs[0]).toBe(6);
    expect(seqs.at(-1)).toBe(MAX_CHECKPOINTS + 5);
  });

  it('counts a restart once, as the status steps into restarting', () => {
    const data = run([status('healthy'), status('restarting', 10), status('restarting', 10), status('healthy'), status('restarting', 20)]);
    expect(data.byModule.counter!.restarts).toEqual([10, 20]);
  });

  it('drops a module\'s checkpoints when the engine cleared its ring', () => {
    const data = run([checkpoint(1), checkpoint(2), status('restarting', 10)]);
    const cleared = reduceCheckpoints(data, { type: 'checkpoints-cleared', module: 'counter' });
    expect(cleared.byModule.counter).toEqual({ ...data.byModule.counter, checkpoints: [] });
    expect(reduceCheckpoints(cleared, { type: 'checkpoints-cleared', module: 'counter' })).toBe(cleared);
  });

  it('answers the same data for events it does not keep, and forgets an unloaded module', () => {
    const data = run([checkpoint(1)]);
    expect(reduceCheckpoints(data, { type: 'active', module: 'counter' })).toBe(data);
    expect(reduceCheckpoints(data, checkpoint(1))).toBe(data);
    expect(reduceCheckpoints(data, { type: 'unloaded', module: 'counter' }).byModule).toEqual({});
  });
});
