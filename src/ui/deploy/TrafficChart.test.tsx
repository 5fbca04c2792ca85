import { describe, expect, it } from 'vitest';
import type { TrafficPoint } from '../../store';
import { chart } from './TrafficChart';
import { describeStrategy, describeTraffic, strategyFrom, DEFAULT_FIELDS } from './deploy-words';

const point = (s: number, version: string, calls: number, errors = 0, p99Ms: number | null = 1): TrafficPoint => ({ at: 1_700_000_000_000 + s * 1000, version, calls, errors, p99Ms });

describe('the traffic chart', () => {
  it('says the latest second per version in words: calls, error rate, p99', () => {
    const picture = chart([point(0, 'v1', 100), point(1, 'v1', 120, 0, 0.9), point(1, 'v2', 12, 3, 2.5)]);
    expect(picture.summary).toBe('Calls per second by version: v1 120/s, v2 12/s; error rate: v1 0%, v2 25%; p99: v1 0.90 ms, v2 2.50 ms');
    expect(picture.series.map((s) => s.version)).toEqual(['v1', 'v2']);
    expect(picture.seconds).toBe(2);
  });

  it('gives each version its own colour, which it keeps as others come and go', () => {
    const both = chart([point(0, 'v1', 1), point(0, 'v7', 1)]);
    expect(new Set(both.series.map((s) => s.colour)).size).toBe(2);
    const alone = chart([point(0, 'v7', 1)]);
    expect(alone.series[0]!.colour).toBe(chart([point(5, 'v7', 3)]).series[0]!.colour);
  });

  it('says a version that answered nothing in the latest second is at 0/s, and skips seconds without a p99', () => {
    const picture = chart([point(0, 'v1', 10), point(1, 'v2', 10, 0, null)]);
    expect(picture.summary).toBe('Calls per second by version: v1 0/s, v2 10/s; error rate: v1 —, v2 0%; p99: v1 —, v2 —');
    expect(picture.series[1]!.p99).toBe('');
    expect(picture.series[0]!.calls.split(' ')).toHaveLength(1);
  });

  it('says so when there is nothing to draw', () => {
    expect(chart([])).toEqual({ series: [], seconds: 0, summary: 'Calls per second by version: no calls yet' });
  });
});

describe('the deploy words', () => {
  it('words strategies and traffic splits', () => {
    expect(describeStrategy({ kind: 'canary', traffic_percentage: 10 })).toBe('Canary, 10% of calls');
    expect(describeStrategy({ kind: 'shadow', sample: 0.25 })).toBe('Shadow, 25% of calls mirrored');
    expect(describeStrategy({ kind: 'blue-green', manual: true })).toBe('Blue-green, waiting for promote');
    expect(describeTraffic([{ version: 'v1', share: 0.9, instances: 3 }, { version: 'v2', share: 0.1, instances: 1 }])).toBe('v1 90% (3 instances), v2 10% (1 instance)');
  });

  it('makes the strategy from the form, or says what is wrong', () => {
    expect(strategyFrom({ ...DEFAULT_FIELDS, kind: 'rolling', batchSize: '2' })).toEqual({ strategy: { kind: 'rolling', batch_size: 2 } });
    expect(strategyFrom({ ...DEFAULT_FIELDS, kind: 'shadow', samplePercent: '50' })).toEqual({ strategy: { kind: 'shadow', sample: 0.5 } });
    expect(strategyFrom({ ...DEFAULT_FIELDS, kind: 'canary', trafficPercent: '150' })).toEqual({ problem: 'Traffic % must be between 1 and 100' });
    expect(strategyFrom({ ...DEFAULT_FIELDS, kind: 'rolling', batchSize: '1.5' })).toEqual({ problem: 'Batch size must be a whole number' });
  });
});
