import { describe, expect, it } from 'vitest';
import { KEPT, Side, judge } from './canary';

describe('a canary side', () => {
  it('counts every call but keeps a bounded sample of latencies for its p99, exact while small', () => {
    const small = new Side();
    for (let i = 1; i <= 100; i++) small.record(i, true);
    expect(small.p99()).toBe(100);

    const big = new Side();
    for (let i = 0; i < 200_000; i++) big.record(i % 1000, i % 100 !== 0);
    expect(big.calls).toBe(200_000);
    expect(big.errors).toBe(2000);
    expect((big as unknown as { ms: number[] }).ms.length).toBe(KEPT);
    // A uniform sample: its p99 stays near the true one (990).
    expect(Math.abs(big.p99()! - 990)).toBeLessThan(10);
  });

  it('counts the calls that were not timed, for its error rate, without a latency', () => {
    const s = new Side();
    for (let i = 0; i < 90; i++) s.record(undefined, i % 10 !== 0);
    for (let i = 0; i < 10; i++) s.record(5, true);
    expect(s.calls).toBe(100);
    expect(s.rate).toBeCloseTo(0.09);
    expect(s.p99()).toBe(5);
    expect(s.over(4)).toEqual({ over: 10, of: 10 });
  });
});

describe('judging a canary', () => {
  const settings = { min_calls: 100, min_ms: 0, max_error_rate_increase: 0.01, max_p99_ratio: 2, p99_slack_ms: 1 };
  const side = (n: number, ms: (i: number) => number, failed = (_i: number) => false) => {
    const s = new Side();
    for (let i = 0; i < n; i++) s.record(ms(i), !failed(i));
    return s;
  };

  it('keeps a healthy canary through one hiccup of the machine', () => {
    const baseline = side(1000, () => 0.4);
    const canary = side(100, (i) => (i === 50 ? 30.6 : 0.4));
    expect(judge(canary, baseline, settings, 5000, 0.1)).toMatchObject({ kind: 'healthy', words: expect.stringMatching(/^canary at 10 %: 100 calls, 0 errors, p99 30\.6 ms vs 0\.40 ms — promoted$/) });
  });

  it('rolls back a canary whose calls are slow, saying how many were past the line', () => {
    const baseline = side(1000, () => 0.4);
    const canary = side(100, () => 6);
    expect(judge(canary, baseline, settings, 5000, 0.1)).toMatchObject({ kind: 'regressed', words: expect.stringContaining('(100 of 100 calls over 1.40 ms) — rolled back') });
  });

  it('rolls back early on errors past the threshold, and waits for the window otherwise', () => {
    const baseline = side(1000, () => 0.4);
    expect(judge(side(10, () => 0.4, (i) => i < 3), baseline, settings, 10, 0.5).kind).toBe('regressed');
    expect(judge(side(10, () => 0.4), baseline, settings, 10, 0.5).kind).toBe('wait');
  });
});
