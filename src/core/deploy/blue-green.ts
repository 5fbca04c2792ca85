/**
 * Blue-green and rolling: the two strategies that replace every instance of the pool, all at
 * once or batch by batch. Both stage each candidate against the instance it replaces (its
 * counterpart), through every validation step, with the counterpart's state.
 */
import { delay } from '../clock';
import type { Instance } from '../instance';
import type { UpdateInput } from '../pipeline/context';
import { refusalText } from '../pipeline/refusal';
import { type DeploymentRun, type Ending, who } from './deployment';
import { type Prepared, carryFinal, giveBack, prepare, readyForFinalState, swapIn } from './prepare';

type Ready = Extract<Prepared, { ok: true }>;

/** The input for the n-th candidate: the bytes as given first, then copies of the kept ones. */
async function inputFor(d: DeploymentRun, first: { candidate: Instance } | null): Promise<UpdateInput> {
  if (!first) return d.input;
  const { sha256, version } = first.candidate.info;
  const data = await d.host.bytesOf(sha256, version!);
  const { afterLoad: _once, text: _text, ...rest } = d.input;
  return { ...rest, data, version: version!, sha256 };
}

/** Stage a candidate against each of `counterparts`, in order; the first refusal retires the others and answers why. */
export async function stageAgainst(d: DeploymentRun, counterparts: readonly Instance[], first: Ready | null = null): Promise<Ready[] | string> {
  const ready: Ready[] = [];
  for (const counterpart of counterparts) {
    const restarts = counterpart.restarts;
    let p = await prepare(d.host, await inputFor(d, first ?? ready[0] ?? null), counterpart);
    // The counterpart crashed (a runaway call) while its state was being taken: it restarts from
    // its checkpoint; try once more against what it serves now.
    const staged = first ?? ready[0] ?? (p.ctx.candidate && { candidate: p.ctx.candidate });
    if (!p.ok && staged && counterpart.restarts !== restarts && d.host.pool.serves(counterpart) && !d.aborted) {
      d.decide(`${who(counterpart)} restarted while its state was taken (${refusalText(p.refusal)}); staging against it again`);
      p = await prepare(d.host, await inputFor(d, staged), counterpart);
    }
    if (!p.ok) {
      for (const r of ready) r.candidate.retire();
      return `${p.ctx.candidate?.info.version ?? 'the new build'} was refused against ${who(counterpart)}: ${refusalText(p.refusal)}`;
    }
    d.to = p.candidate.info.version!;
    ready.push(p);
    if (d.aborted) break;
  }
  if (d.aborted) {
    for (const r of ready) r.candidate.retire();
    return d.aborted;
  }
  return ready;
}

export async function blueGreen(d: DeploymentRun): Promise<Ending> {
  const pool = d.host.pool;
  const blue = [...pool.all];
  d.decide(`preparing a green pool of ${blue.length} beside blue (${d.from.info.version})`);
  const green = await stageAgainst(d, blue);
  if (typeof green === 'string') return { outcome: d.aborted ? 'aborted' : 'refused', reason: green, serving: pool.primary };
  // Each green instance's fresh instance (for the final state) is made now, before the switch
  // holds a call: the switch itself is then only the final states moving, in parallel.
  await Promise.all(green.map((g) => readyForFinalState(g).catch(() => undefined)));
  d.decide(`green pool ready: ${green.length} × ${d.status().to}, each validated with its blue counterpart's state`);
  if (d.strategy.kind === 'blue-green' && d.strategy.manual) {
    d.phase = 'prepared';
    const signal = await waitFor(d);
    if (signal === 'abort') {
      for (const g of green) g.candidate.retire();
      return { outcome: 'aborted', reason: d.aborted, serving: pool.primary };
    }
  }
  d.quietly('switching');
  const t0 = d.host.clock.now();
  pool.hold();
  const moved = await Promise.all(green.map((g) => carryFinal(g)));
  const refused = moved.find((m) => 'code' in m);
  if (refused && 'code' in refused) {
    pool.release();
    for (const g of green) g.candidate.retire();
    return { outcome: 'refused', reason: `the switch was refused: ${refusalText(refused)}; blue serves on`, serving: pool.primary };
  }
  pool.replaceAll(green.map((g) => g.candidate));
  const answered = pool.release();
  const pauseMs = d.host.clock.now() - t0;
  // Blue is warm from now on: green failing even the first calls it was given goes back to it.
  d.host.keepWarm(blue, green.map((g) => g.candidate));
  // The calls the switch held are answered before the deployment's own news and bookkeeping
  // (the pool's view, the decision, its record) take this thread: that work, done at once, made
  // the longest call of a switch 3–4× the pause.
  await Promise.race([answered, delay(d.host.clock, HELD_ANSWER_WAIT_MS)]);
  for (const g of green) d.host.served(g.candidate);
  d.host.changed();
  const bytes = moved.reduce((sum, m) => sum + ('bytes' in m && m.bytes ? m.bytes : 0), 0);
  d.decide(`all traffic moved to green (${d.status().to}) in ${pauseMs.toFixed(1)} ms; blue stays warm for ${d.host.config().probation_ms} ms`);
  return { outcome: 'promoted', reason: null, serving: pool.primary, stateBytes: bytes, pauseMs };
}

/** How long the bookkeeping after a switch waits for the calls it held, ms (one may be a runaway call). */
const HELD_ANSWER_WAIT_MS = 50;

/** Wait for promote() or abort(), ignoring nudges. */
async function waitFor(d: DeploymentRun): Promise<'promote' | 'abort'> {
  for (;;) {
    const signal = await d.wait();
    if (signal !== 'tick') return signal;
  }
}

/** Replace `targets` batch by batch; a refused batch returns every updated instance to its old version, with its state. */
export async function roll(d: DeploymentRun, targets: readonly Instance[], batchSize: number, first: Ready | null = null): Promise<Ending> {
  const pool = d.host.pool;
  const updated: { old: Instance; next: Instance }[] = [];
  /** The first candidate staged: later ones are staged from copies of its kept bytes. */
  let reference = first;
  const batches = Math.ceil(targets.length / batchSize);
  const undo = async (why: string, outcome: Ending['outcome']): Promise<Ending> => {
    d.phase = 'rolling back';
    d.decide(`${why}: returning ${updated.length} updated instance${updated.length === 1 ? '' : 's'} to ${d.from.info.version}`);
    for (const { old, next } of updated.reverse()) d.decide(await giveBack(pool, next, old, d.host.config().validation_timeout_ms));
    d.host.changed();
    return { outcome, reason: why, serving: pool.primary };
  };
  for (let b = 0; b < batches; b++) {
    const batch = targets.slice(b * batchSize, (b + 1) * batchSize).filter((i) => pool.serves(i));
    const staged = await stageAgainst(d, batch, reference);
    if (typeof staged === 'string') return undo(`batch ${b + 1} of ${batches}: ${staged}`, d.aborted ? 'aborted' : 'rolled back');
    reference ??= staged[0] ?? null;
    for (const s of staged) {
      const moved = await swapIn(pool, s);
      if ('code' in moved) {
        for (const rest of staged) if (!pool.serves(rest.candidate)) rest.candidate.retire();
        return undo(`batch ${b + 1} of ${batches}: ${who(s.ctx.serving)} could not hand over its state: ${refusalText(moved)}`, 'rolled back');
      }
      updated.push({ old: s.ctx.serving, next: s.candidate });
      d.host.served(s.candidate);
    }
    d.host.changed();
    d.decide(`batch ${b + 1} of ${batches}: ${staged.map((s) => who(s.candidate)).join(', ')} serving`);
    const signal = d.take();
    if (signal === 'abort') return undo(d.aborted ?? 'aborted', 'aborted');
  }
  for (const { old } of updated) old.retire();
  return { outcome: 'promoted', reason: null, serving: pool.primary };
}

export function rolling(d: DeploymentRun): Promise<Ending> {
  const size = d.strategy.kind === 'rolling' ? Math.max(1, Math.floor(d.strategy.batch_size ?? 1)) : 1;
  d.phase = 'rolling';
  d.decide(`rolling ${d.host.pool.size} instance${d.host.pool.size === 1 ? '' : 's'} to the new build, ${size} at a time`);
  return roll(d, [...d.host.pool.all], size);
}
