/**
 * Shadow: a candidate staged beside the serving version (validated with its state) gets a copy
 * of a sample of live calls once the serving version has answered them; its answers are
 * discarded, only compared. A different result, an error on one side only, or a latency far off
 * is listed with the call that showed it. The callers' calls never wait on the candidate: a
 * candidate that hangs times out on its own worker and is stopped, and nothing moves. promote()
 * cuts over as any update does — the candidate takes the serving state, not the state the
 * mirrored calls left.
 */
import { HotwasmError, messageOf } from '../../shared/errors';
import type { CallBody } from '../pool';
import { stageAgainst } from './blue-green';
import { type DeploymentRun, type Ending, who } from './deployment';
import { carryFinal, readyForFinalState } from './prepare';
import { refusalText } from '../pipeline/refusal';
import type { Divergence } from './types';

/** Divergences kept in the status. */
const KEEP = 50;
/** The status is told about new mirrored calls at most this often, ms. */
const LOOK_MS = 500;

/** Answers as text, for comparing and showing (i64 answers are BigInt). */
function text(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? 'undefined';
  } catch {
    return String(value);
  }
}

export async function shadow(d: DeploymentRun): Promise<Ending> {
  const pool = d.host.pool;
  const serving = pool.primary;
  const st: { sample?: number; latency_ratio?: number } = d.strategy.kind === 'shadow' ? d.strategy : {};
  const sample = Math.min(1, Math.max(0, st.sample ?? 1));
  const ratio = st.latency_ratio ?? 10;
  d.decide(`staging the candidate beside ${who(serving)}, with its state`);
  const staged = await stageAgainst(d, [serving]);
  if (typeof staged === 'string') return { outcome: d.aborted ? 'aborted' : 'refused', reason: staged, serving: pool.primary };
  const ready = staged[0]!;
  const candidate = ready.candidate;
  // The candidate took the serving state when it was staged; calls answered since then changed
  // it. It takes the state as it is when mirroring begins (calls held meanwhile), or every
  // mirrored call that changes state would diverge by those calls.
  await readyForFinalState(ready).catch(() => undefined);
  pool.hold();
  const synced = await carryFinal(ready);
  if ('code' in synced) {
    pool.release();
    candidate.retire();
    return { outcome: 'refused', reason: `${who(candidate)} could not take the serving state: ${refusalText(synced)}`, serving: pool.primary };
  }
  const stats = { mirrored: 0, matched: 0, timedOut: 0, divergences: [] as Divergence[] };
  let hung: string | null = null;
  let owed = 0;
  const diverged = (body: CallBody, kind: Divergence['kind'], servingText: string, candidateText: string) => {
    const arg = body.op === 'call' ? (body.argJson ?? '') : body.args.map((a) => String(a)).join(', ');
    stats.divergences.push({ at: d.host.clock.wallNow(), fn: body.fn, arg, kind, serving: servingText, candidate: candidateText });
    if (stats.divergences.length > KEEP) stats.divergences.shift();
  };
  const timeoutMs = d.host.config().call_timeout_ms;
  pool.mirror = (body, served) => {
    owed += sample;
    if (owed < 1 || hung !== null || candidate.isDisposed) return;
    owed -= 1;
    stats.mirrored++;
    const { timed: _t, ...plain } = body;
    const t0 = d.host.clock.now();
    const servedValue = served.ok && body.timed ? (served.value as { value: unknown }).value : served.value;
    const compare = (ok: boolean, value: unknown) => {
      const ms = d.host.clock.now() - t0;
      if (!ok && value instanceof HotwasmError && value.code === 'timeout') {
        stats.timedOut++;
        hung = `${who(candidate)} timed out on a mirrored call to ${body.fn} (${messageOf(value)})`;
        diverged(body, 'latency', `${served.ms.toFixed(2)} ms`, 'timed out');
        d.nudge();
        return;
      }
      const a = served.ok ? text(servedValue) : messageOf(served.value);
      const b = ok ? text(value) : messageOf(value);
      if (served.ok && !ok) diverged(body, 'error on candidate', a, b);
      else if (!served.ok && ok) diverged(body, 'error on serving', a, b);
      else if (served.ok && a !== b) diverged(body, 'result', a, b);
      else if (ms > served.ms * ratio && ms - served.ms > 1) diverged(body, 'latency', `${served.ms.toFixed(2)} ms`, `${ms.toFixed(2)} ms`);
      else stats.matched++;
    };
    candidate.request(plain as never, timeoutMs).then(
      (value) => compare(true, value),
      (error: unknown) => compare(false, error),
    );
  };
  pool.release();
  d.phase = 'shadowing';
  d.decide(`mirroring ${Math.round(sample * 100)} % of calls to ${who(candidate)}; its answers are compared and discarded, no traffic moves`);
  const stop = () => {
    pool.mirror = null;
    if (!candidate.isDisposed) candidate.retire();
  };
  const view = () => d.patch({ shadow: { ...stats, divergences: [...stats.divergences] } });
  for (;;) {
    const signal = await d.wait(LOOK_MS);
    view();
    if (hung !== null) {
      stop();
      return { outcome: 'refused', reason: `${hung}: it was stopped, nothing moved; the callers' calls were not touched`, serving: pool.primary };
    }
    if (signal === 'abort') {
      stop();
      return { outcome: 'aborted', reason: d.aborted, serving: pool.primary };
    }
    if (signal === 'promote') {
      stop();
      d.decide(`after ${stats.mirrored} mirrored calls (${stats.matched} alike, ${stats.divergences.length} divergences): cutting over, the candidate taking the serving state`);
      d.phase = 'switching';
      const { sha256, version } = candidate.info;
      const data = await d.host.bytesOf(sha256, version!);
      const outcome = await d.host.cutOver({ data, source: d.input.source, version: version!, sha256 });
      if (typeof outcome === 'string') return { outcome: 'refused', reason: outcome, serving: pool.primary };
      return { outcome: 'promoted', reason: null, serving: pool.primary, stateBytes: outcome.stateBytes, pauseMs: outcome.pauseMs };
    }
  }
}
