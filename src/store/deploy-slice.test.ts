import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../core';
import type { DeploymentStatus, InstanceView, TrafficPoint } from '../core/deploy/types';
import { createAppStore } from './app-store';
import { type DeployData, TRAFFIC_SECONDS, mergeTraffic, reduceDeploy } from './deploy-slice';
import { selectDeploy } from './selectors';

const instance = (id: string, version = 'v1'): InstanceView => ({ id, version, state: 'healthy', stateBytes: 8, calls: 10, errors: 0, p50Ms: 0.2, p99Ms: 0.9, share: 1 });
const point = (at: number, version = 'v1', calls = 10): TrafficPoint => ({ at, version, calls, errors: 0, p99Ms: 1 });
const pool = (traffic: TrafficPoint[], instances = [instance('#1')], module = 'counter'): EngineEvent => ({ type: 'pool', module, instances, traffic });
const status = (id: number, patch: Partial<DeploymentStatus> = {}): DeploymentStatus => ({
  id,
  module: 'counter',
  strategy: { kind: 'canary', traffic_percentage: 10 },
  from: 'v1',
  to: 'v2',
  phase: 'canary',
  outcome: null,
  reason: null,
  startedAt: 1000,
  endedAt: null,
  traffic: [],
  decisions: [],
  canary: null,
  shadow: null,
  ...patch,
});
const deployment = (s: DeploymentStatus): EngineEvent => ({ type: 'deployment', module: s.module, status: s });
const run = (events: EngineEvent[], data: DeployData = { byModule: {} }) => events.reduce(reduceDeploy, data);

describe('the deploy slice', () => {
  it('keeps each module\'s instances and its latest deployment', () => {
    const data = run([pool([], [instance('#1'), instance('#2', 'v2')]), deployment(status(1)), deployment(status(1, { phase: 'done', outcome: 'promoted' }))]);
    const entry = data.byModule.counter!;
    expect(entry.instances.map((i) => i.id)).toEqual(['#1', '#2']);
    expect(entry.deployment).toMatchObject({ id: 1, outcome: 'promoted' });
  });

  it('never lets a late word of an earlier deployment hide the one after it', () => {
    const data = run([deployment(status(2)), deployment(status(1, { outcome: 'aborted' }))]);
    expect(data.byModule.counter!.deployment!.id).toBe(2);
  });

  it('merges traffic per second and version, keeping the latest seconds', () => {
    const first = run([pool([point(1), point(2), point(2, 'v2')])]);
    // The engine sends second 2 again, fuller, and a new second.
    const next = reduceDeploy(first, pool([point(2, 'v1', 30), point(3)]));
    expect(next.byModule.counter!.traffic.map((p) => [p.at, p.version, p.calls])).toEqual([
      [1, 'v1', 10],
      [2, 'v1', 30],
      [2, 'v2', 10],
      [3, 'v1', 10],
    ]);
    const many = mergeTraffic([], Array.from({ length: TRAFFIC_SECONDS + 10 }, (_, i) => point(1000 * i)));
    expect(many).toHaveLength(TRAFFIC_SECONDS);
    expect(many[0]!.at).toBe(10_000);
  });

  it('answers the same data for events it does not keep, and forgets an unloaded module', () => {
    const data = run([pool([point(1)])]);
    expect(reduceDeploy(data, { type: 'active', module: 'counter' })).toBe(data);
    expect(reduceDeploy(data, { type: 'unloaded', module: 'other' })).toBe(data);
    expect(reduceDeploy(data, { type: 'unloaded', module: 'counter' }).byModule).toEqual({});
  });

  it('gives the active module\'s pool to the panel', () => {
    const store = createAppStore();
    expect(selectDeploy(store.getState())).toBeNull();
    store.getState().modules.apply({ type: 'active', module: 'counter' });
    store.getState().deploy.apply(pool([point(1)], [instance('#1')]));
    store.getState().deploy.apply(pool([], [instance('#9')], 'other'));
    expect(selectDeploy(store.getState())!.instances.map((i) => i.id)).toEqual(['#1']);
    store.getState().deploy.reset({ counter: { instances: [instance('#3')], deployment: status(4) } });
    expect(selectDeploy(store.getState())).toEqual({ instances: [instance('#3')], deployment: status(4), traffic: [] });
  });
});
