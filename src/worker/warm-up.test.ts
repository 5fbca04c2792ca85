/** The spare worker's warm-up: its guest is the committed .wat, and it runs the update plan cleanly. */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { WARM_UP_INSTANCES } from '../shared/tuning';
import { watToWasm } from '../../scripts/wat.mjs';
import { GuestOutput } from './output';
import { Guest } from './guest';
import { warmUp, warmUpModule } from './warm-up';

describe('warm-up', () => {
  it('embeds exactly the binary of fixtures/warm-up/warm-up.wat (npm run fixtures rebuilds it)', async () => {
    const wat = readFileSync(new URL('../../fixtures/warm-up/warm-up.wat', import.meta.url), 'utf8');
    expect(warmUpModule()).toEqual(await watToWasm(wat, 'warm-up.wat'));
  });

  it('is a valid guest with the whole ABI', async () => {
    const options = { label: 'warm', memoryBudgetBytes: 1 << 20, args: [], env: [] };
    const { guest, loaded } = await Guest.load(warmUpModule(), options, new GuestOutput(() => undefined));
    expect(guest.callJson('echo', '"warm"')).toBe('warm');
    expect(loaded.layout.exports.length).toBeGreaterThan(1000);
    expect(loaded.apiVersion).toBe('1.0.0');
    expect(guest.callRaw('f7', [5])).toBe(12);
    expect(guest.saveState()).toHaveLength(8);
    expect(guest.restoreState(new Uint8Array(8))).toBe(0);
    expect(guest.health()).toEqual({ text: 'ok', healthy: true });
  });

  it('runs every request of the update plan without a failure', async () => {
    expect(await warmUp()).toEqual([]);
  });

  it('makes WARM_UP_INSTANCES instances in all (the spares count them against RECYCLE_MAX_INSTANCES)', async () => {
    const made = vi.spyOn(Guest, 'instantiate');
    try {
      expect(await warmUp()).toEqual([]);
      expect(made).toHaveBeenCalledTimes(WARM_UP_INSTANCES);
    } finally {
      made.mockRestore();
    }
  });

  it('stops at its next request once real work has arrived', async () => {
    let asked = 0;
    expect(await warmUp(() => ++asked > 1)).toEqual([]);
    expect(asked).toBe(2);
  });
});

describe('a reset worker', () => {
  it('forgets its guest: the next load starts from nothing', async () => {
    const { WorkerServer } = await import('./server');
    const replies: { id: number; ok: boolean }[] = [];
    const server = new WorkerServer((m) => m.type === 'replies' && replies.push(...m.replies));
    const options = { label: 'warm', memoryBudgetBytes: 1 << 20, args: [], env: [] };
    server.receive({ type: 'requests', requests: [{ id: 1, op: 'load', data: warmUpModule(), options }] });
    await expect.poll(() => replies.length).toBe(1);
    server.receive({ type: 'reset' });
    server.receive({ type: 'requests', requests: [{ id: 2, op: 'call', fn: 'echo', argJson: '1' }] });
    await expect.poll(() => replies.length).toBe(2);
    expect(replies[1]).toMatchObject({ id: 2, ok: false });
  });
});
