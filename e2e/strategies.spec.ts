/**
 * Pools and deployments in real Chromium, each under continuous load from callers inside the
 * page: not one call may fail, each caller's answers come back in order, and the state the
 * instances hold adds up (what they held before plus every increment answered). The faults —
 * a refused batch, a crash mid-roll, canaries that trap or are slow, refusals, shadows — are in
 * strategies-faults.spec.ts.
 */
import { expect, test } from '@playwright/test';
import { region, swapFixture } from './helpers';
import {
  counterPool,
  decisionsOf,
  deployDone,
  deployUnderLoad,
  expectCleanLoad,
  expectPhase,
  instanceCounts,
  lastRecord,
  startDeploy,
  startLoad,
  sum,
  answered,
  versions,
} from './load';


test('1. scale up to 3 and down to 1 under load: each new instance gets the state, each keeps its own', async ({ page }) => {
  await counterPool(page, [5]);
  // Calls that change nothing: the new instances' state is known.
  await startLoad(page, { amount: 0 });
  await expect.poll(() => answered(page)).toBeGreaterThan(10);
  expect((await page.evaluate(() => window.hotwasm.scale('counter', 3))).map((v) => v.version)).toEqual(['v1', 'v1', 'v1']);
  await expectCleanLoad(page);
  expect(await instanceCounts(page)).toEqual([5, 5, 5]);
  await page.evaluate(() => Promise.all([1, 2, 3].map((n) => window.hotwasm.call('increment', n))));
  expect(await instanceCounts(page)).toEqual([6, 7, 8]);
  // One state cannot be given to three instances: the State panel says so before Apply is tried.
  const apply = region(page, 'State').getByRole('button', { name: 'Apply' });
  await expect(apply).toBeDisabled();
  await expect(apply).toHaveAccessibleDescription('counter runs 3 instances, each with its own state: scale it to 1 (Deploy panel) to give it a state.');

  await startLoad(page, { amount: 0 });
  await expect.poll(() => answered(page)).toBeGreaterThan(10);
  expect(await page.evaluate(() => window.hotwasm.scale('counter', 1).then((p) => p.length))).toBe(1);
  await expectCleanLoad(page);
  // The first instance stays, with its own count.
  expect(await instanceCounts(page)).toEqual([6]);
  await expect(region(page, 'Deploy').getByRole('table')).toHaveAccessibleName('Pool of counter: 1 instance');
  await expect(apply).toBeEnabled();
});

test('2a. blue-green: a green pool with each blue state, all traffic at once, zero failed calls', async ({ page }) => {
  await counterPool(page, [3, 4]);
  const { end, load } = await deployUnderLoad(page, 'counter-b', { kind: 'blue-green' });
  expect(load).toMatchObject({ failures: [], inOrder: true });
  expect(end).toMatchObject({ outcome: 'promoted', from: 'v1', to: 'v2' });
  expect(await versions(page)).toEqual(['v2', 'v2']);
  expect(sum(await instanceCounts(page))).toBe(7 + load.added);
  const record = await lastRecord(page);
  expect(record).toMatchObject({ trigger: 'deploy', outcome: 'committed', deployment: { strategy: 'blue-green', outcome: 'promoted' } });
  expect(record.deployment!.decisions.join('\n')).toMatch(/green pool ready: 2 × v2/);
});

test('2b. blue-green, manual: prepared, then promote(); a rollback within probation brings blue back at once, with state', async ({ page }) => {
  await counterPool(page, [3, 4], { probation_ms: 20_000 });
  await startLoad(page);
  await expect.poll(() => answered(page)).toBeGreaterThan(10);
  await startDeploy(page, 'counter-b', { kind: 'blue-green', manual: true });
  await expectPhase(page, 'prepared');
  expect(await versions(page)).toEqual(['v1', 'v1']);
  await page.evaluate(() => window.hotwasm.deployment('counter')!.promote());
  expect((await deployDone(page)).outcome).toBe('promoted');
  expect(await versions(page)).toEqual(['v2', 'v2']);
  const atPromote = await answered(page);
  await expect.poll(() => answered(page)).toBeGreaterThan(atPromote + 10);

  const back = await page.evaluate(() => window.hotwasm.rollback().then((info) => info.version));
  expect(back).toBe('v1');
  const atRollback = await answered(page);
  await expect.poll(() => answered(page)).toBeGreaterThan(atRollback + 10);
  const load = await expectCleanLoad(page);
  expect(await versions(page)).toEqual(['v1', 'v1']);
  // Every increment answered, on blue or green, is in the state blue holds now.
  expect(sum(await instanceCounts(page))).toBe(7 + load.added);
  const [rollback, deploy] = await page.evaluate(() => window.hotwasm.history('counter').slice(0, 2));
  expect(deploy).toMatchObject({ trigger: 'deploy', deployment: { strategy: 'blue-green', outcome: 'promoted' } });
  // Blue was warm: the switch back held calls only while the state moved.
  expect(rollback).toMatchObject({ trigger: 'rollback', outcome: 'committed', to: { version: 'v1' }, cutover: { held: true }, warning: null });
  expect(rollback!.durationMs).toBeLessThan(500);
});

for (const batch of [1, 2]) {
  test(`3. rolling, batch_size ${batch}, over a pool of 4: each instance's state carried, zero failed calls`, async ({ page }) => {
    await counterPool(page, [1, 2, 3, 4]);
    const { end, load } = await deployUnderLoad(page, 'counter-b', { kind: 'rolling', batch_size: batch });
    expect(load).toMatchObject({ failures: [], inOrder: true });
    expect(end.outcome).toBe('promoted');
    expect(end.decisions.flatMap((d) => /^batch \d of \d(?=: )/.exec(d.text) ?? [])).toEqual(Array.from({ length: 4 / batch }, (_, i) => `batch ${i + 1} of ${4 / batch}`));
    expect(await versions(page)).toEqual(['v2', 'v2', 'v2', 'v2']);
    expect(sum(await instanceCounts(page))).toBe(10 + load.added);
    expect(await lastRecord(page)).toMatchObject({ trigger: 'deploy', outcome: 'committed', deployment: { strategy: 'rolling', outcome: 'promoted' } });
  });
}

test('6. canary promoted by its numbers, then the rest rolled', async ({ page }) => {
  await counterPool(page, [3, 4]);
  const { end, load } = await deployUnderLoad(page, 'counter-b', {
    kind: 'canary',
    traffic_percentage: 50,
    min_calls: 20,
    min_ms: 300,
    // The same code on both sides: only the page's stalls (tens of ms on this 2-core machine) tell their p99s apart.
    max_p99_ratio: 10,
    p99_slack_ms: 100,
  });
  expect(load).toMatchObject({ failures: [], inOrder: true });
  expect(end.outcome, decisionsOf(end)).toBe('promoted');
  expect(decisionsOf(end)).toMatch(/canary at 50 %: [\d,]+ calls, 0 errors, p99 [\d.]+ ms vs [\d.]+ ms — promoted/);
  expect(await versions(page)).toEqual(['v2', 'v2']);
  expect(sum(await instanceCounts(page))).toBe(7 + load.added);
  const record = await lastRecord(page);
  expect(record).toMatchObject({ trigger: 'deploy', outcome: 'committed', deployment: { strategy: 'canary', outcome: 'promoted' } });
  expect(record.deployment!.decisions.join('\n')).toMatch(/— promoted/);
});

test('10. a pool of 8 on two cores: scale to 8, blue-green under load, all on v2 with their state', async ({ page }) => {
  test.setTimeout(60_000);
  await counterPool(page, [1, 2, 3, 4, 5, 6, 7, 8]);
  const { end, load } = await deployUnderLoad(page, 'counter-b', { kind: 'blue-green' }, { callers: 4 });
  expect(load).toMatchObject({ failures: [], inOrder: true });
  expect(end).toMatchObject({ outcome: 'promoted', to: 'v2' });
  expect(await versions(page)).toEqual(Array(8).fill('v2'));
  expect(sum(await instanceCounts(page))).toBe(36 + load.added);
  expect(await lastRecord(page)).toMatchObject({ trigger: 'deploy', deployment: { strategy: 'blue-green', outcome: 'promoted' } });
});

test('12. the Deploy panel, as a user drives it: scale to 2, a canary from a file aborted, a kept build blue-green with Wait for promote', async ({ page }) => {
  await counterPool(page, [7]);
  const deploy = region(page, 'Deploy');
  const pool = deploy.getByRole('table', { name: /^Pool of counter/ });
  await deploy.getByLabel('Instances').fill('2');
  await deploy.getByRole('button', { name: 'Scale' }).click();
  await expect(pool).toHaveAccessibleName('Pool of counter: 2 instances');
  await expect(pool.getByRole('rowheader')).toHaveCount(2);

  // A canary of a build file; no calls come, so it waits for its numbers until aborted.
  await deploy.getByLabel('Strategy').selectOption({ label: 'Canary' });
  await deploy.getByLabel('Traffic %').fill('50');
  await deploy.getByLabel('Build file').setInputFiles(swapFixture('counter-b'));
  await expect(deploy.getByText('Deploys counter-b.wasm, not a kept build.')).toBeVisible();
  await deploy.getByRole('button', { name: 'Deploy', exact: true }).click();
  const running = deploy.getByRole('group', { name: /^Deployment \d+ of counter$/ });
  const phase = running.locator('dt:text-is("Phase") + dd');
  await expect(phase).toHaveText('canary');
  await expect(pool.getByRole('row').filter({ hasText: 'v2' })).toHaveCount(1);
  await running.getByRole('button', { name: 'Abort' }).click();
  await expect(running.locator('dt:text-is("Outcome") + dd')).toContainText('aborted');
  const decisions = running.getByRole('list', { name: 'Decisions' });
  await expect(decisions).toContainText('takes 50 % of calls');
  await expect(decisions.getByRole('listitem').last()).toContainText('aborted');
  await expect(decisions.getByRole('listitem').last()).toContainText('v1 serves');
  await expect(pool.getByRole('row').filter({ hasText: 'v2' })).toHaveCount(0);

  // The build it staged is kept: deploy it again, blue-green, waiting for Promote.
  await deploy.getByRole('button', { name: 'Clear file' }).click();
  await deploy.getByLabel('Strategy').selectOption({ label: 'Blue-green' });
  await deploy.getByLabel('Build', { exact: true }).selectOption({ label: 'v2' });
  await deploy.getByLabel('Wait for promote').focus();
  await page.keyboard.press('Space');
  await expect(deploy.getByLabel('Wait for promote')).toBeChecked();
  await deploy.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(phase).toHaveText('prepared');
  await expect(decisions).toContainText('green pool ready: 2 × v2');
  await expect(pool.getByRole('row').filter({ hasText: 'v1' })).toHaveCount(2);
  await running.getByRole('button', { name: 'Promote' }).click();
  await expect(running.locator('dt:text-is("Outcome") + dd')).toHaveText('promoted');
  await expect(decisions).toContainText('all traffic moved to green (v2)');
  await expect(decisions.getByRole('listitem').last()).toContainText('promoted: v2 serves');
  await expect(pool.getByRole('row').filter({ hasText: 'v2' })).toHaveCount(2);
  expect(await instanceCounts(page)).toEqual([7, 7]);
  expect(await lastRecord(page)).toMatchObject({ trigger: 'deploy', deployment: { strategy: 'blue-green', outcome: 'promoted' } });
});
