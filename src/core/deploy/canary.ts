/**
 * Canary: one instance of the pool runs the new build and takes a share of the calls; its error
 * rate and p99 are compared with the rest of the pool (the baseline) over a window — a minimum
 * number of calls and a minimum time — and it is promoted (the rest rolled, one at a time) or
 * rolled back by those numbers. A call the canary fails is answered by the baseline instead, so
 * no caller sees it. promote() and abort() override the numbers.
 */
import type { Instance } from '../instance';
import { roll, stageAgainst } from './blue-green';
import { type DeploymentRun, type Ending, who } from './deployment';
import { giveBack, swapIn } from './prepare';
import { refusalText } from '../pipeline/refusal';
import type { CanarySettings, WindowStats } from './types';

export const CANARY_DEFAULTS: CanarySettings = { min_calls: 100, min_ms: 2000, max_error_rate_increase: 0.01, max_p99_ratio: 2, p99_slack_ms: 1 };

/** A canary's errors before the window ends that roll it back at once (its rate past the threshold too). */
const EARLY_ERRORS = 3;
/** A canary's p99 past the line counts when at least this many of its calls, and this share of them, are past it. */
const TAIL_CALLS = 3;
const TAIL_SHARE = 0.02;
/** How often the window is looked at, ms. */
const LOOK_MS = 250;

/**
 * Latencies a side keeps for its p99: a uniform sample of all its calls (reservoir sampling),
 * exact up to this many. Keeping every one made each look sort them all: ~117 ms per side at a
 * million calls, four times a second, on the page's main thread (and 8 MB per million).
 */
export const KEPT = 4096;
/** At 0 % the canary answers nothing to compare with: the baseline's calls are timed one in this many. */
const AT_ZERO_EVERY = 16;

export class Side {
  calls = 0;
  errors = 0;
  /** Latencies sampled (the calls that were timed). */
  private sampled = 0;
  private readonly ms: number[] = [];

  /** A call answered (`ok`) or failed; `ms`, its time, if it was timed. */
  record(ms: number | undefined, ok: boolean): void {
    this.calls++;
    if (!ok) this.errors++;
    if (ms === undefined) return;
    this.sampled++;
    if (this.ms.length < KEPT) this.ms.push(ms);
    else {
      const at = Math.floor(Math.random() * this.sampled);
      if (at < KEPT) this.ms[at] = ms;
    }
  }

  get rate(): number {
    return this.calls === 0 ? 0 : this.errors / this.calls;
  }

  p99(): number | null {
    if (this.ms.length === 0) return null;
    const sorted = Float64Array.from(this.ms).sort();
    return sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]!;
  }

  /** How many of the latencies kept are over `limit`, and of how many. */
  over(limit: number): { over: number; of: number } {
    let over = 0;
    for (const v of this.ms) if (v > limit) over++;
    return { over, of: this.ms.length };
  }

  view(version: string): WindowStats {
    return { version, calls: this.calls, errors: this.errors, p99Ms: this.p99() };
  }
}

type Verdict = { kind: 'wait' } | { kind: 'healthy'; words: string } | { kind: 'regressed'; words: string };

const pct = (rate: number) => `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)} %`;
const ms = (v: number | null) => (v === null ? '–' : `${v.toFixed(v < 10 ? 2 : 1)} ms`);

export function judge(canary: Side, baseline: Side, s: CanarySettings, elapsedMs: number, share: number): Verdict {
  const head = `canary at ${Math.round(share * 100)} %: ${canary.calls.toLocaleString('en')} calls, ${canary.errors} error${canary.errors === 1 ? '' : 's'}`;
  const worseErrors = canary.rate > baseline.rate + s.max_error_rate_increase;
  if (worseErrors && canary.errors >= EARLY_ERRORS) return { kind: 'regressed', words: `${head} (${pct(canary.rate)} vs ${pct(baseline.rate)} on the baseline) — rolled back` };
  if (canary.calls < s.min_calls || elapsedMs < s.min_ms) return { kind: 'wait' };
  const cp = canary.p99();
  const bp = baseline.p99();
  const latency = `p99 ${ms(cp)} vs ${ms(bp)}`;
  if (worseErrors) return { kind: 'regressed', words: `${head} (${pct(canary.rate)} vs ${pct(baseline.rate)}), ${latency} — rolled back` };
  if (cp !== null && bp !== null && cp > bp * s.max_p99_ratio && cp - bp > s.p99_slack_ms) {
    // Over a window of a few hundred calls a p99 is nearly the slowest call: one hiccup of the
    // machine would roll a healthy canary back. Its tail is slow only if more than a few of its
    // calls are past the line (a slow canary has nearly all of them there).
    const line = Math.max(bp * s.max_p99_ratio, bp + s.p99_slack_ms);
    const { over, of } = canary.over(line);
    if (over >= Math.max(TAIL_CALLS, TAIL_SHARE * of)) {
      return { kind: 'regressed', words: `${head}, ${latency}: over ${s.max_p99_ratio}× the baseline's (${over} of ${of} calls over ${ms(line)}) — rolled back` };
    }
  }
  return { kind: 'healthy', words: `${head}, ${latency} — promoted` };
}

export function canarySettings(d: DeploymentRun): { share: number; settings: CanarySettings } {
  const st = d.strategy.kind === 'canary' ? d.strategy : { traffic_percentage: 10 };
  const share = Math.min(100, Math.max(0, st.traffic_percentage ?? 10)) / 100;
  const pick = <K extends keyof CanarySettings>(k: K): CanarySettings[K] => ((st as Partial<CanarySettings>)[k] ?? CANARY_DEFAULTS[k]) as CanarySettings[K];
  return { share, settings: { min_calls: pick('min_calls'), min_ms: pick('min_ms'), max_error_rate_increase: pick('max_error_rate_increase'), max_p99_ratio: pick('max_p99_ratio'), p99_slack_ms: pick('p99_slack_ms') } };
}

export async function canary(d: DeploymentRun): Promise<Ending> {
  const pool = d.host.pool;
  const { share, settings } = canarySettings(d);
  if (pool.size < 2) {
    return { outcome: 'refused', reason: `a canary needs a pool of at least 2 instances (each has its own state): scale ${d.module} first, e.g. hotwasm.scale('${d.module}', 2)`, serving: pool.primary };
  }
  const baseline = pool.all[pool.size - 1]!;
  d.decide(`staging the canary against ${who(baseline)}, with its state`);
  const staged = await stageAgainst(d, [baseline]);
  if (typeof staged === 'string') return { outcome: d.aborted ? 'aborted' : 'refused', reason: staged, serving: pool.primary };
  const ready = staged[0]!;
  const moved = await swapIn(pool, ready);
  if ('code' in moved) {
    ready.candidate.retire();
    return { outcome: 'refused', reason: `${who(baseline)} could not hand over its state: ${refusalText(moved)}`, serving: pool.primary };
  }
  const c: Instance = ready.candidate;
  d.host.served(c);
  const sides = { canary: new Side(), baseline: new Side() };
  let retried = 0;
  const since = d.host.clock.wallNow();
  const t0 = d.host.clock.now();
  // Every canary call is timed; of the baseline's, about as many (every `every`-th): its p99 is
  // judged on a sample of the same size, and the calls it skips carry no timing at all.
  const every = share > 0 ? Math.max(1, Math.round((1 - share) / share)) : AT_ZERO_EVERY;
  let seen = 0;
  d.watcher = {
    wants: (instance) => instance === c || ++seen % every === 0,
    heard: (instance, ok, sampleMs) => (instance === c ? sides.canary : sides.baseline).record(sampleMs, ok),
  };
  pool.canary = {
    instance: c,
    share,
    failed: () => {
      retried++;
      d.nudge();
      return true;
    },
  };
  d.phase = 'canary';
  d.decide(`canary ${who(c)} takes ${Math.round(share * 100)} % of calls; judged after ${settings.min_calls} calls and ${settings.min_ms} ms`);
  d.host.changed();
  const view = () => d.patch({ canary: { canary: sides.canary.view(c.info.version ?? '?'), baseline: sides.baseline.view(d.from.info.version ?? '?'), since } });
  const back = async (why: string, outcome: Ending['outcome']): Promise<Ending> => {
    d.watcher = null;
    pool.canary = null;
    d.phase = 'rolling back';
    d.decide(why + (retried > 0 ? `; ${retried} call${retried === 1 ? '' : 's'} the canary failed ${retried === 1 ? 'was' : 'were'} answered by the baseline instead` : ''));
    d.decide(await giveBack(pool, c, baseline, d.host.config().validation_timeout_ms));
    d.host.changed();
    return { outcome, reason: why, serving: pool.primary };
  };
  for (;;) {
    const signal = await d.wait(LOOK_MS);
    view();
    if (signal === 'abort') return back(d.aborted ?? 'aborted by request', 'aborted');
    if (c.isDisposed || c.state === 'failed') return back(`the canary ${who(c)} failed: ${c.notice ?? 'its worker stopped'}`, 'rolled back');
    const verdict = judge(sides.canary, sides.baseline, settings, d.host.clock.now() - t0, share);
    if (verdict.kind === 'regressed') return back(verdict.words, 'rolled back');
    if (signal === 'promote' || verdict.kind === 'healthy') {
      d.watcher = null;
      pool.canary = null;
      d.decide(verdict.kind === 'healthy' ? verdict.words : `promoted by request (${judgeWords(sides, share)})`);
      d.phase = 'rolling';
      const rest = pool.all.filter((i) => i !== c);
      const rolled = await roll(d, rest, 1, ready);
      if (rolled.outcome !== 'promoted') {
        d.decide(await giveBack(pool, c, baseline, d.host.config().validation_timeout_ms));
        return rolled;
      }
      baseline.retire();
      return rolled;
    }
  }
}

function judgeWords(sides: { canary: Side; baseline: Side }, share: number): string {
  const { canary, baseline } = sides;
  return `canary at ${Math.round(share * 100)} %: ${canary.calls} calls, ${canary.errors} errors, p99 ${ms(canary.p99())} vs ${ms(baseline.p99())}`;
}
