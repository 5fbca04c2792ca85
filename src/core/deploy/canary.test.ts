import { describe, expect, it } from 'vitest';
import { KEPT, Side } from './canary';

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
});
