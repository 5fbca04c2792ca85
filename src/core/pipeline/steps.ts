/**
 * The update pipeline as a table of steps (docs/hot-reload.md). Each step reads and adds to the
 * update's context and answers a {@link StepResult}: null to go on, a {@link Refusal}, 'done'
 * (nothing to do: the same bytes are already running) or 'superseded'. Every request a step sends comes from the shared update plan
 * (src/shared/update-plan.ts); the words for a refusal come from ./refusal.ts. A strategy that
 * updates a pool differently walks the same steps in its own order (see ./run.ts).
 */
import { parseSemver } from '../../shared/abi';
import { messageOf } from '../../shared/errors';
import type { StateMessage } from '../../shared/protocol';
import { snapshotRequest, stagingSteps } from '../../shared/update-plan';
import type { UpdateStep } from '../history';
import type { Instance } from '../instance';
import { type UpdateContext, type UpdateInput, outcome } from './context';
import { cutover } from './cutover';
import { type Refusal, failed } from './refusal';

/** Go on (null), stop refused, stop with nothing to do, or stop because a newer update superseded this one. */
export type StepResult = Refusal | 'done' | 'superseded' | null;

export interface Step {
  name: UpdateStep;
  run(ctx: UpdateContext): Promise<StepResult>;
}

/**
 * Load the candidate into a spare worker and send every validation step with it, in one
 * message: its worker runs them in order and skips the rest once one fails, without a round trip
 * to the page in between. The shadow check's snapshot goes from the serving worker straight to
 * the candidate's (a MessageChannel between them); it is asked for right after the load leaves,
 * so that it is there when the candidate needs it. `mark` tells whether anything reached the
 * serving version after it.
 */
const stage: Step = {
  name: 'stage',
  async run(ctx) {
    const { input, serving, config } = ctx;
    const timeout = config.validation_timeout_ms;
    const given = input.state;
    const carry = given !== undefined || (!input.fresh && serving.has('save_state'));
    const apiMajor = input.fresh ? null : (parseSemver(serving.info.apiVersion ?? '')?.major ?? null);
    // Made anew for each attempt at the load (a load retried in another worker: see Instance.stage).
    const staging = ctx.host.stage(input, timeout, (send) => {
      const channel = carry ? new MessageChannel() : null;
      const plan = stagingSteps({ apiMajor, benchmarkBudgetMs: config.benchmark_budget_ms, from: channel?.port2 ?? null });
      const answers = {
        checkApi: outcome(send(plan.checkApi, timeout)),
        benchmark: outcome(send(plan.benchmark, timeout)),
        receiveState: plan.receiveState ? outcome(send(plan.receiveState, timeout)) : null,
        health: outcome(send(plan.health, timeout)),
      };
      if (given && channel) {
        // State given by the user goes where the serving version's snapshot would (a copy each
        // attempt: a load retried in another worker sends it again).
        const copy = given.slice();
        channel.port1.postMessage({ state: copy } satisfies StateMessage, [copy.buffer]);
        channel.port1.close();
        ctx.snapshot = Promise.resolve({ ok: true, value: { state: null, ms: 0 } });
      } else ctx.snapshot = channel ? outcome(serving.request(snapshotRequest(channel.port1), timeout)) : null;
      ctx.mark = serving.changes;
      return answers;
    });
    try {
      const { instance, steps } = await staging;
      ctx.candidate = instance;
      ctx.ticket.candidate = instance;
      ctx.answers = steps;
    } catch (error) {
      return failed('stage', error);
    }
    return null;
  },
};

/** Bytes that do not hash to the sha256 they were kept or announced under. */
export function shaMismatch(input: UpdateInput, sha256: string, version: string | null): Refusal | null {
  if (!input.sha256 || sha256 === input.sha256) return null;
  if (input.announced) return { step: 'check', code: 'sha-mismatch', detail: { source: input.source, expected: input.sha256, actual: sha256 } };
  return { step: 'check', code: 'bytes-changed', detail: { version: version ?? '?', expected: input.sha256, actual: sha256 } };
}

/** The same bytes are already serving (nothing to do), or kept bytes went bad, or a label is taken. */
const check: Step = {
  name: 'check',
  async run(ctx) {
    const candidate = ctx.candidate!;
    const { sha256, version } = candidate.info;
    const mismatch = shaMismatch(ctx.input, sha256, version);
    if (mismatch) return mismatch;
    // The serving version's own bytes, given state (an injection), are the point, not a no-op.
    if (sha256 === ctx.serving.info.sha256 && ctx.input.state === undefined && !ctx.input.replica) return 'done';
    const owner = ctx.input.version ? ctx.host.labelOwner(ctx.input.version) : null;
    if (owner && owner !== sha256) return { step: 'check', code: 'label-taken', detail: { version: ctx.input.version!, sha256: owner } };
    return null;
  },
};

/** JSON-callable exports (not lifecycle ones) that `instance` offers. */
function jsonExports(instance: Instance): Set<string> {
  return new Set(instance.info.exports.filter((e) => e.jsonCallable && !e.lifecycle).map((e) => e.name));
}

/** A candidate must keep the JSON calls the serving version answers: their callers would fail. */
const exportsStep: Step = {
  name: 'exports',
  async run(ctx) {
    if (ctx.input.fresh) return null;
    const offered = jsonExports(ctx.candidate!);
    const lost = [...jsonExports(ctx.serving)].filter((name) => !offered.has(name));
    if (lost.length === 0) return null;
    return { step: 'exports', code: 'lost-exports', detail: { version: ctx.candidate!.info.version ?? '?', serving: ctx.serving.info.version ?? '?', lost } };
  },
};

const apiVersion: Step = {
  name: 'api version',
  async run(ctx) {
    const api = await ctx.answers!.checkApi!;
    if (!api.ok) return failed('api version', api.error);
    if (api.value.compatible) return null;
    const next = parseSemver(ctx.candidate!.info.apiVersion ?? '')!;
    const current = parseSemver(ctx.serving.info.apiVersion ?? '')!;
    return { step: 'api version', code: 'api-major', detail: { version: ctx.candidate!.info.version ?? '?', next: next.text, current: current.text, nextMajor: next.major, currentMajor: current.major } };
  },
};

/** benchmark_function, timed inside the candidate's worker before it has any live state. */
const benchmark: Step = {
  name: 'benchmark',
  async run(ctx) {
    const bench = await ctx.answers!.benchmark!;
    if (!bench.ok) return failed('benchmark', bench.error);
    if (bench.value && bench.value.ms > ctx.config.benchmark_budget_ms) {
      return { step: 'benchmark', code: 'over-budget', detail: { ms: bench.value.ms, budgetMs: ctx.config.benchmark_budget_ms } };
    }
    return null;
  },
};

/** The serving version's state restored into the candidate, whose health_check must answer ok. */
const shadowCheck: Step = {
  name: 'shadow check',
  async run(ctx) {
    const { input, serving, warnings } = ctx;
    const candidate = ctx.candidate!;
    const version = candidate.info.version ?? '?';
    if (input.state !== undefined) {
      if (!candidate.has('restore_state')) return { step: 'shadow check', code: 'no-restore-state', detail: { version } };
    } else if (input.fresh) warnings.push('fresh load: state was reset by request');
    else if (!serving.has('save_state')) warnings.push(`state was not carried: ${serving.info.version} has no save_state`);
    else if (!candidate.has('restore_state')) warnings.push(`state was not carried: ${version} has no restore_state`);
    const { receiveState, health } = ctx.answers!;
    if (ctx.snapshot && receiveState && candidate.has('restore_state')) {
      const saved = await ctx.snapshot;
      if (!saved.ok) return { step: 'shadow check', code: 'save-failed', detail: { version: serving.info.version ?? '?', message: messageOf(saved.error) } };
      const r = await receiveState;
      if (!r.ok) return { step: 'shadow check', code: 'restore-failed', detail: { version, message: messageOf(r.error) } };
      if (r.value && r.value.code !== 0) {
        if (input.state !== undefined) return { step: 'shadow check', code: 'state-refused', detail: { version, answered: r.value.code, bytes: r.value.bytes } };
        return { step: 'shadow check', code: 'restore-refused', detail: { version, answered: r.value.code } };
      }
      ctx.restored = r.value && { ...r.value, saveMs: saved.value.ms };
    }
    const h = await health!;
    if (!h.ok) return { step: 'shadow check', code: 'health-failed', detail: { version, message: messageOf(h.error) } };
    if (h.value && !h.value.healthy) return { step: 'shadow check', code: 'unhealthy', detail: { version, answer: h.value.text } };
    return null;
  },
};

/** Every step before the cutover: a candidate staged and validated, nothing replaced (a probe of state stops here). */
export const VALIDATE_STEPS: readonly Step[] = [stage, check, exportsStep, apiVersion, benchmark, shadowCheck];

/** The `replace` strategy: one candidate, validated, then cut over in place of the serving version. */
export const REPLACE_STEPS: readonly Step[] = [...VALIDATE_STEPS, cutover];

