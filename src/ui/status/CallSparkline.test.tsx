import { describe, expect, it } from 'vitest';
import type { CallSample } from '../../core';
import { draw } from './CallSparkline';

const sample = (ms: number, version = 'v1', ok = true): CallSample => ({ at: 1, ms, ok, version });

describe('the call sparkline', () => {
  it('marks where another version started answering, and says so in words', () => {
    const picture = draw([sample(0.3), sample(0.4), sample(0.3, 'v2'), sample(0.5, 'v2', false)]);
    expect(picture.swaps).toHaveLength(1);
    expect(picture.failed).toHaveLength(1);
    expect(picture.caption).toBe('last 4 calls: median 0.40 ms, slowest 0.50 ms; v1 → v2');
    expect(picture.summary).toBe('Call latency, last 4 calls: median 0.40 ms, slowest 0.50 ms; v1 → v2; 1 failed');
  });

  it('keeps one slow call from flattening the rest: it sits on the top edge', () => {
    const picture = draw([...Array.from({ length: 40 }, () => sample(0.2)), sample(500)]);
    const ys = picture.points.split(' ').map((p) => Number(p.split(',')[1]));
    expect(Math.min(...ys)).toBe(2); // the slow one, at the top
    expect(new Set(ys.slice(0, 40)).size).toBe(1);
    expect(ys[0]).toBeLessThan(34); // the others are not on the bottom line
  });
});
