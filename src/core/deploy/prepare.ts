/**
 * The moves every strategy is made of, each on one pair of instances: {@link prepare} stages a
 * candidate through the update pipeline's validation steps against one serving instance (its
 * counterpart), whose state it takes; {@link swapIn} drains the counterpart and gives the
 * candidate its final state before the candidate takes its place; {@link giveBack} puts an old
 * instance back with the state the new one holds.
 */
import { messageOf } from '../../shared/errors';
import { PREPARE } from '../../shared/update-plan';
import type { Clock } from '../clock';
import type { EngineConfig } from '../config';
import type { UpdateRecord } from '../history';
import type { Instance } from '../instance';
import { type PipelineHost, type Ticket, type UpdateContext, type UpdateInput, newContext } from '../pipeline/context';
import { finalState } from '../pipeline/cutover';
import type { RecordDraft } from '../pipeline/records';
import { type Refusal, failed, refusalText } from '../pipeline/refusal';
import { walk } from '../pipeline/run';
import { VALIDATE_STEPS } from '../pipeline/steps';
import type { InstancePool } from '../pool';
import type { DeploymentStatus } from './types';

/** What a deployment needs from the module it deploys. */
export interface DeployHost {
  readonly name: string;
  readonly pool: InstancePool;
  readonly clock: Clock;
  config(): EngineConfig;
  /** Stage and label, as the pipeline does. */
  readonly pipeline: PipelineHost;
  /** A fresh copy of the kept bytes of a version (each staging moves its copy to a worker). */
  bytesOf(sha256: string, label: string): Promise<Uint8Array>;
  record(draft: RecordDraft): UpdateRecord;
  /** The instances serving changed (a version went live, an instance came or went). */
  changed(): void;
  /** A version now serves (in part or whole). */
  served(instance: Instance): void;
  emit(status: DeploymentStatus): void;
  /** Blue-green: `blue` stays warm for probation_ms after `green` took over, so a rollback is instant. */
  keepWarm(blue: Instance[], green: Instance[]): void;
  /** Cut `input` over as an ordinary update would (a shadowed candidate promoted): its record, or why not. */
  cutOver(input: UpdateInput): Promise<string | { stateBytes: number | null; pauseMs: number }>;
}

/** A staged candidate, validated against its counterpart, or why it was refused. */
export type Prepared = { ok: true; ctx: UpdateContext; candidate: Instance } | { ok: false; refusal: Refusal; ctx: UpdateContext };

const lasting = (): Ticket => ({ superseded: false, inCutover: false, candidate: null });

/** Stage `input` against `counterpart`: every validation step of an update, its state carried, nothing replaced. */
export async function prepare(host: DeployHost, input: UpdateInput, counterpart: Instance): Promise<Prepared> {
  const ctx = newContext(host.pipeline, input, host.config(), lasting(), counterpart);
  const end = await walk(ctx, VALIDATE_STEPS);
  if (end.end === 'committed') return { ok: true, ctx, candidate: ctx.candidate! };
  const refusal: Refusal = end.end === 'refused' ? end.refusal : failed('check', new Error(end.end === 'already running' ? 'the same bytes are already running' : 'superseded'));
  return { ok: false, refusal, ctx };
}

/** A prepared candidate's own fresh instance, made before calls wait on it (see the cutover). */
export function readyForFinalState(p: { ctx: UpdateContext; candidate: Instance }): Promise<unknown> {
  if (!p.ctx.restored || p.ctx.serving.changes === p.ctx.mark) return Promise.resolve();
  return p.candidate.request(PREPARE, p.ctx.config.validation_timeout_ms);
}

/**
 * Carry the state `counterpart` holds now into the candidate, once the counterpart has finished
 * the calls it was sent (the caller has drained it or holds calls): nothing to do when nothing
 * reached it since the candidate's snapshot. Answers the state's size, or the refusal.
 */
export async function carryFinal(p: { ctx: UpdateContext; candidate: Instance }): Promise<{ bytes: number | null; pauseMs: number } | Refusal> {
  const { ctx, candidate } = p;
  const counterpart = ctx.serving;
  const timeout = ctx.config.validation_timeout_ms;
  if (!ctx.restored) {
    if (counterpart.busy) await counterpart.request({ op: 'ping' }, timeout).catch(() => undefined);
    return { bytes: null, pauseMs: 0 };
  }
  if (counterpart.changes === ctx.mark) return { bytes: ctx.restored.bytes, pauseMs: 0 };
  try {
    const final = await finalState(counterpart, candidate, timeout);
    if ('code' in final) return final;
    return { bytes: final.stateBytes, pauseMs: final.saveMs + final.restoreMs };
  } catch (error) {
    return failed('cutover', error);
  }
}

/**
 * `counterpart` stops getting calls, finishes those it was sent, and the candidate takes its
 * place with its final state. Refused, the counterpart serves again, untouched.
 */
export async function swapIn(pool: InstancePool, p: { ctx: UpdateContext; candidate: Instance }): Promise<Refusal | { bytes: number | null }> {
  const counterpart = p.ctx.serving;
  await readyForFinalState(p).catch(() => undefined);
  if (!pool.serves(counterpart)) return { step: 'cutover', code: 'serving-changed', detail: { version: counterpart.info.version ?? '?' } };
  if (pool.size === 1) {
    // The last instance is not drained: its calls are held while the state moves.
    pool.hold();
    const moved = await carryFinal(p);
    if (!('code' in moved)) pool.swap(counterpart, p.candidate);
    pool.release();
    return moved;
  }
  await pool.drain(counterpart, p.ctx.config.validation_timeout_ms);
  const moved = await carryFinal(p);
  if ('code' in moved) {
    pool.undrain(counterpart);
    return moved;
  }
  pool.swap(counterpart, p.candidate);
  return moved;
}

/**
 * `old` takes `current`'s place again with the state `current` holds (its final save restored
 * into a fresh instance of `old`); when that is refused, `old` comes back with the state it had
 * when it left. Answers what happened, in words.
 */
export async function giveBack(pool: InstancePool, current: Instance, old: Instance, timeoutMs: number): Promise<string> {
  const single = pool.size === 1;
  if (single) pool.hold();
  else await pool.drain(current, timeoutMs);
  let words: string;
  // What `old` held when it left: brought back if `current`'s state is refused.
  const before = old.has('save_state') ? await old.request({ op: 'saveState' }, timeoutMs).catch(() => null) : null;
  try {
    await old.request(PREPARE, timeoutMs);
    const back = await finalState(current, old, timeoutMs);
    if (!('code' in back)) words = `${old.info.version} came back with ${current.info.version}'s state (${back.stateBytes} bytes)`;
    else words = `${old.info.version} came back with ${await restoreBefore(old, before?.state ?? null, timeoutMs)} (${current.info.version}'s was refused: ${refusalText(back)})`;
  } catch (error) {
    words = `${old.info.version} came back with ${await restoreBefore(old, before?.state ?? null, timeoutMs)} (${messageOf(error)})`;
  }
  pool.swap(current, old);
  if (single) pool.release();
  current.retire();
  return words;
}

/** Give `old` back the state it held (a fresh instance of it first): answers what it holds, in words. */
async function restoreBefore(old: Instance, state: Uint8Array | null, timeoutMs: number): Promise<string> {
  try {
    await old.request({ op: 'renew' }, timeoutMs);
    if (!state) return 'its state reset';
    const r = await old.request({ op: 'restoreState', state }, timeoutMs);
    return r.code === 0 ? 'the state it had before' : 'its state reset';
  } catch {
    return 'its state reset';
  }
}
