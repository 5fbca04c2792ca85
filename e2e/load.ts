/**
 * Steps for the deployment tests (strategies*.spec.ts): a counter pool with given per-instance
 * counts, continuous load from several callers inside the page, deployments through
 * window.hotwasm, and what each instance answers.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import type { EngineConfig, UpdateRecord } from '../src/core';
import type { DeploymentStatus, Strategy } from '../src/core/deploy/types';
import { apiLoad, openPlayground, swapFixture, toPage } from './helpers';

/** What a load run saw: per caller, calls answered, the failures, and whether answers came back in the order they were asked. */
export interface LoadReport {
  calls: number;
  failures: { caller: number; seq: number; message: string }[];
  /** Each caller's answered calls were numbered 1, 2, 3… with none missing nor repeated. */
  inOrder: boolean;
  /** Sum of the amounts whose increments succeeded. */
  added: number;
}

interface LoadState {
  stopped: boolean;
  runs: Promise<void>[];
  callers: { answered: number; lastSeq: number; outOfOrder: number; added: number; failures: { seq: number; message: string }[] }[];
}

type LoadWindow = Window & { load?: LoadState; deploying?: { done: Promise<DeploymentStatus> } };

/**
 * Open the playground (or engine.html, the engine without the interface), apply settings, serve
 * the counter (or the fixture `build` loaded over it) from `counts.length` instances holding
 * those counts (in pool order).
 */
export async function counterPool(page: Page, counts: number[], config: Partial<EngineConfig> = {}, build?: string, at: 'playground' | 'engine.html' = 'playground'): Promise<void> {
  if (at === 'playground') await openPlayground(page);
  else {
    await page.goto(`./${at}`);
    await expect(page.getByRole('status')).toContainText('counter v1 is running');
  }
  if (build) expect(await apiLoad(page, swapFixture(build), { name: 'counter' })).toMatchObject({ ok: true });
  await page.evaluate(
    async ({ counts, config }) => {
      const h = window.hotwasm;
      h.configure({ probation_ms: 5000, checkpoint_interval_ms: 50, ...config });
      if (counts.length > 1) await h.scale('counter', counts.length);
      // Sent together, one each: least-busy routing gives the i-th call to the i-th instance.
      await Promise.all(counts.map((n) => h.call('increment', n)));
    },
    { counts, config },
  );
  expect(await instanceCounts(page)).toEqual(counts);
}

/**
 * What each instance answers to get, in pool order (one call each, sent together while nothing
 * else runs). Sorting is left to the caller: with no load, routing follows pool order.
 */
export function instanceCounts(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const n = window.hotwasm.pool('counter').length;
    return Promise.all(Array.from({ length: n }, () => window.hotwasm.call('get') as Promise<number>));
  });
}

export const versions = (page: Page) => page.evaluate(() => window.hotwasm.pool('counter').map((v) => v.version));

/**
 * Start `callers` loops in the page, each calling `fn(amount)` one call after the other (a
 * macrotask between calls, so the page keeps rendering), until {@link stopLoad}. Given several
 * functions, caller i calls the i-th (cycling); only increments count in `added`.
 */
export async function startLoad(page: Page, { callers = 3, fn = 'increment', amount = 1 }: { callers?: number; fn?: string | string[]; amount?: number } = {}): Promise<void> {
  await page.evaluate(
    ({ callers, fn, amount }) => {
      const state: LoadState = { stopped: false, runs: [], callers: [] };
      (window as LoadWindow).load = state;
      const fns = typeof fn === 'string' ? [fn] : fn;
      for (let c = 0; c < callers; c++) {
        const mine = fns[c % fns.length]!;
        const me = { answered: 0, lastSeq: 0, outOfOrder: 0, added: 0, failures: [] as { seq: number; message: string }[] };
        state.callers.push(me);
        state.runs.push(
          (async () => {
            for (let seq = 1; !state.stopped; seq++) {
              const answered = (ok: boolean) => {
                if (seq !== me.lastSeq + 1) me.outOfOrder++;
                me.lastSeq = seq;
                me.answered++;
                if (ok && mine === 'increment') me.added += amount;
              };
              await window.hotwasm.call(mine, amount).then(
                () => answered(true),
                (error: unknown) => {
                  answered(false);
                  me.failures.push({ seq, message: error instanceof Error ? error.message : String(error) });
                },
              );
              await new Promise((resolve) => setTimeout(resolve, 0));
            }
          })(),
        );
      }
    },
    { callers, fn, amount },
  );
}

/** Calls answered so far, over all callers. */
export const answered = (page: Page) => page.evaluate(() => (window as LoadWindow).load!.callers.reduce((n, c) => n + c.answered, 0));

/** Stop the load, wait for the calls in flight, and report. */
export async function stopLoad(page: Page): Promise<LoadReport> {
  return page.evaluate(async () => {
    const state = (window as LoadWindow).load!;
    state.stopped = true;
    await Promise.all(state.runs);
    return {
      calls: state.callers.reduce((n, c) => n + c.answered, 0),
      failures: state.callers.flatMap((c, caller) => c.failures.map((f) => ({ caller, ...f }))),
      inOrder: state.callers.every((c) => c.outOfOrder === 0 && c.lastSeq === c.answered),
      added: state.callers.reduce((n, c) => n + c.added, 0),
    };
  });
}

/** Stop the load and expect every call to have been answered, none failed, in order, at least `min` of them. */
export async function expectCleanLoad(page: Page, min = 20): Promise<LoadReport> {
  const report = await stopLoad(page);
  expect(report.failures).toEqual([]);
  expect(report.inOrder).toBe(true);
  expect(report.calls).toBeGreaterThanOrEqual(min);
  return report;
}

/** Start deploying a fixture to the counter (window.hotwasm.deploy); answers the status once it has started. */
export async function startDeploy(page: Page, fixture: string, strategy: Strategy): Promise<DeploymentStatus> {
  return page.evaluate(
    async ({ base64, strategy }) => {
      const d = await window.hotwasm.deploy(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)), { name: 'counter', strategy });
      (window as LoadWindow).deploying = d;
      return d.status();
    },
    { base64: toPage(readFileSync(swapFixture(fixture))), strategy },
  );
}

/** The final status of the deployment started last. */
export const deployDone = (page: Page) => page.evaluate(() => (window as LoadWindow).deploying!.done);

/** The running (or latest) deployment's status. */
export const deployStatus = (page: Page) => page.evaluate(() => window.hotwasm.deployment('counter')!.status());

/** Wait for the running deployment's phase. */
export async function expectPhase(page: Page, phase: DeploymentStatus['phase']): Promise<void> {
  await expect.poll(async () => (await deployStatus(page)).phase).toBe(phase);
}

export const decisionsOf = (status: DeploymentStatus) => status.decisions.map((d) => d.text).join('\n');

/** The counter's newest update record. */
export const lastRecord = (page: Page) => page.evaluate(() => window.hotwasm.history('counter')[0]) as Promise<UpdateRecord>;

/** Deploy under load and wait for the end; answers the final status and the load's report (not yet checked). */
export async function deployUnderLoad(page: Page, fixture: string, strategy: Strategy, load: Parameters<typeof startLoad>[1] = {}): Promise<{ end: DeploymentStatus; load: LoadReport }> {
  await startLoad(page, load);
  // The callers are running before the deployment starts.
  await expect.poll(() => answered(page)).toBeGreaterThan(10);
  await startDeploy(page, fixture, strategy);
  const end = await deployDone(page);
  // …and after it has ended.
  const at = await answered(page);
  await expect.poll(() => answered(page)).toBeGreaterThan(at + 10);
  return { end, load: await stopLoad(page) };
}

/** The sum of some counts. */
export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
