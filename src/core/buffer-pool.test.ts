import { describe, expect, it } from 'vitest';
import { BufferPool } from './buffer-pool';

describe('BufferPool', () => {
  it('copies into the buffer handed back, leaving the caller its bytes', () => {
    const pool = new BufferPool();
    const first = new Uint8Array([1, 2, 3, 4, 5]);
    const a = pool.copy(first);
    expect(a).toEqual(first);
    expect(a.buffer).not.toBe(first.buffer);
    pool.giveBack(a.buffer as ArrayBuffer);
    const second = new Uint8Array([9, 8, 7]);
    const b = pool.copy(second);
    expect(b.buffer).toBe(a.buffer); // reused…
    expect(b).toEqual(second); // …as a view of exactly the new bytes
    expect(first).toEqual(new Uint8Array([1, 2, 3, 4, 5]));
  });

  it('gives the kept buffer away once, and does not use one that is too small', () => {
    const pool = new BufferPool();
    pool.giveBack(new ArrayBuffer(4));
    const big = pool.copy(new Uint8Array(64));
    expect(big.buffer.byteLength).toBeGreaterThanOrEqual(64);
    pool.giveBack(new ArrayBuffer(128));
    const x = pool.copy(new Uint8Array(16));
    const y = pool.copy(new Uint8Array(16));
    expect(x.buffer).not.toBe(y.buffer); // the kept buffer went to x only
  });

  it('prepares a buffer for the next copy, and keeps one that is large enough', () => {
    const pool = new BufferPool();
    pool.prepare(1000);
    const a = pool.copy(new Uint8Array(1000));
    pool.giveBack(a.buffer as ArrayBuffer);
    pool.prepare(500); // the kept one is large enough
    expect(pool.copy(new Uint8Array(500)).buffer).toBe(a.buffer);
  });
});
