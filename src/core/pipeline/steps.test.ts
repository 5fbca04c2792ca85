/**
 * The update pipeline's steps, one at a time and walked together, on stand-in instances: no
 * worker, no browser, no timer.
 */
import { describe, expect, it } from 'vitest';
import { HotwasmError } from '../../shared/errors';
import type { ExportInfo } from '../../shared/inspect';
import { DEFAULT_CONFIG } from '../config';
import type { Instance, ModuleInfo } from '../instance';
import { ManualClock } from '../manual-clock';
import { InstancePool } from '../pool';
import { type PipelineHost, type UpdateContext, type UpdateInput, newContext, outcome } from './context';
import { cutover } from './cutover';
import { refusalText } from './refusal';
import { walk } from './run';
import { REPLACE_STEPS, type Step } from './steps';

const json = (name: string): ExportInfo => ({ name, kind: 'function', signature: { params: ['i32', 'i32'], results: ['i64'] }, jsonCallable: true, rawCallable: true, lifecycle: false });

/** A stand-in for an instance: its info, its exports, and answers to the requests the steps send. */
class FakeInstance {
  changes = 0;
  pending = 0;
  disposed = false;
  retired = false;
  sent: string[] = [];
  info: ModuleInfo;
  answers: Record<string, () => unknown> = {};
  constructor(
    version: string,
    sha: string,
    private readonly functions: string[] = ['save_state', 'restore_state', 'health_check'],
    exports: string[] = ['increment', 'get'],
    apiVersion = '1.0.0',
  ) {
    this.info = { name: 'counter', version, sha256: sha, apiVersion, exports: exports.map(json) } as ModuleInfo;
  }
  get busy() {
    return this.pending > 0;
  }
  has(name: string) {
    return this.functions.includes(name);
  }
  request(body: { op: string }): Promise<unknown> {
    this.sent.push(body.op);
    const answer = this.answers[body.op];
    try {
      return Promise.resolve(answer ? answer() : (DEFAULT_ANSWERS[body.op] ?? { instantiateMs: 0.1 }));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  dispose() {
    this.disposed = true;
  }
  retire() {
    this.retired = true;
  }
}

const DEFAULT_ANSWERS: Record<string, unknown> = { saveState: { state: null, ms: 0.1 }, receiveState: { code: 0, ms: 0.1, bytes: 8 }, health: { text: 'ok', healthy: true }, ping: null };

const asInstance = (f: FakeInstance) => f as unknown as Instance;

/** An update's context, staged: `candidate` loaded, its pipelined answers ready. */
function staged(serving: FakeInstance, candidate: FakeInstance, input: Partial<UpdateInput> = {}, answers: Partial<Record<'checkApi' | 'benchmark' | 'receiveState' | 'health', unknown>> = {}): UpdateContext {
  const pool = new InstancePool(asInstance(serving));
  const host: PipelineHost = { name: 'counter', pool, clock: new ManualClock(), labelOwner: () => null, stage: () => Promise.reject(new Error('not staged here')) };
  const ctx = newContext(host, { data: new Uint8Array(), source: 'counter.wasm', ...input }, { ...DEFAULT_CONFIG }, { superseded: false, inCutover: false, candidate: null });
  ctx.candidate = asInstance(candidate);
  // The answers are what a worker would send; the test chooses their shapes.
  const answer = <T,>(key: keyof typeof answers, fallback: T) => {
    const value = key in answers ? answers[key] : fallback;
    return outcome(value instanceof Error ? Promise.reject(value) : Promise.resolve(value as T));
  };
  ctx.answers = {
    checkApi: answer('checkApi', { compatible: true }),
    benchmark: answer('benchmark', null),
    receiveState: answer('receiveState', { code: 0, ms: 0.2, bytes: 8 }),
    health: answer('health', { text: 'ok', healthy: true }),
  };
  ctx.snapshot = outcome(Promise.resolve({ state: null, ms: 0.1 }));
  return ctx;
}

const stepNamed = (name: string): Step => REPLACE_STEPS.find((s) => s.name === name)!;
const run = async (name: string, ctx: UpdateContext) => {
  const r = await stepNamed(name).run(ctx);
  return r && typeof r === 'object' ? { ...r, text: refusalText(r) } : r;
};

describe('the update steps', () => {
  it('check: the same bytes end the update as already running; damaged kept bytes and taken labels are refused', async () => {
    const v1 = new FakeInstance('v1', 'aaa');
    expect(await run('check', staged(v1, new FakeInstance('v1', 'aaa')))).toBe('done');
    expect(await run('check', staged(v1, new FakeInstance('v2', 'bbb'), { sha256: 'ccc', version: 'v2' }))).toMatchObject({ code: 'bytes-changed', text: expect.stringMatching(/no longer match the sha256/) });
    const ctx = staged(v1, new FakeInstance('mine', 'bbb'), { version: 'mine' });
    (ctx.host as { labelOwner: (v: string) => string | null }).labelOwner = () => 'ddd';
    expect(await run('check', ctx)).toMatchObject({ code: 'label-taken', detail: { version: 'mine', sha256: 'ddd' } });
    expect(await run('check', staged(v1, new FakeInstance('v2', 'bbb')))).toBeNull();
  });

  it('exports: refuses a candidate that lost JSON calls the serving version answers, unless fresh', async () => {
    const v1 = new FakeInstance('v1', 'a', undefined, ['increment', 'get', 'process']);
    const v2 = new FakeInstance('v2', 'b', undefined, ['increment']);
    expect(await run('exports', staged(v1, v2))).toMatchObject({
      step: 'exports',
      code: 'lost-exports',
      detail: { lost: ['get', 'process'] },
      text: 'v2 no longer has the JSON exports get, process that v1 serves',
    });
    expect(await run('exports', staged(v1, v2, { fresh: true }))).toBeNull();
    expect(await run('exports', staged(v2, v1))).toBeNull(); // gaining exports is fine
  });

  it('api version: an incompatible major is refused naming both versions', async () => {
    const ctx = staged(new FakeInstance('v1', 'a'), new FakeInstance('v2', 'b', undefined, undefined, '2.0.0'), {}, { checkApi: { compatible: false } });
    expect(await run('api version', ctx)).toMatchObject({ code: 'api-major', text: expect.stringMatching(/^API version 2\.0\.0 is not compatible with the serving 1\.0\.0 \(major 2 ≠ 1\)/) });
  });

  it('benchmark: over the budget, or failing, is refused', async () => {
    const over = staged(new FakeInstance('v1', 'a'), new FakeInstance('v2', 'b'), {}, { benchmark: { ms: 250 } });
    expect(await run('benchmark', over)).toMatchObject({ code: 'over-budget', text: 'benchmark_function took 250.0 ms, over the 100 ms budget (benchmark_budget_ms)' });
    const hung = staged(new FakeInstance('v1', 'a'), new FakeInstance('v2', 'b'), {}, { benchmark: new HotwasmError('timeout', 'benchmark_function timed out after 400 ms') });
    expect(await run('benchmark', hung)).toMatchObject({ code: 'failed', detail: { error: 'timeout' }, text: 'benchmark_function timed out after 400 ms' });
  });

  it('shadow check: the state restored into the candidate, whose health must be ok', async () => {
    const refused = staged(new FakeInstance('v1', 'a'), new FakeInstance('v2', 'b'), {}, { receiveState: { code: 3, ms: 0.1, bytes: 8 } });
    expect(await run('shadow check', refused)).toMatchObject({ code: 'restore-refused', text: 'restore_state of v2 refused the current state (it answered 3)' });
    const sick = staged(new FakeInstance('v1', 'a'), new FakeInstance('v2', 'b'), {}, { health: { text: 'degraded', healthy: false } });
    expect(await run('shadow check', sick)).toMatchObject({ code: 'unhealthy', text: 'health_check of v2 answered "degraded", not "ok"' });
    const noSave = staged(new FakeInstance('v1', 'a', []), new FakeInstance('v2', 'b'));
    noSave.snapshot = null;
    expect(await run('shadow check', noSave)).toBeNull();
    expect(noSave.warnings).toEqual(['state was not carried: v1 has no save_state']);
    const good = staged(new FakeInstance('v1', 'a'), new FakeInstance('v2', 'b'));
    expect(await run('shadow check', good)).toBeNull();
    expect(good.restored).toMatchObject({ code: 0, bytes: 8, saveMs: 0.1 });
  });

  it('cutover: takes over without holding calls when nothing reached the serving version since its snapshot', async () => {
    const v1 = new FakeInstance('v1', 'a');
    const v2 = new FakeInstance('v2', 'b');
    const ctx = staged(v1, v2);
    ctx.restored = { code: 0, ms: 0.2, bytes: 8, saveMs: 0.1 };
    expect(await cutover.run(ctx)).toBeNull();
    expect(ctx.cutover).toEqual({ pauseMs: 0, saveMs: 0.1, restoreMs: 0.2, held: false });
    expect(ctx.host.pool.primary).toBe(asInstance(v2));
    expect(v2.sent).toEqual([]);
  });

  it('cutover: holds calls for the final state when the serving version changed since, and refuses if it stopped serving', async () => {
    const v1 = new FakeInstance('v1', 'a');
    const v2 = new FakeInstance('v2', 'b');
    const ctx = staged(v1, v2);
    ctx.restored = { code: 0, ms: 0.2, bytes: 8, saveMs: 0.1 };
    v1.changes = 1; // a call reached v1 after the snapshot
    expect(await cutover.run(ctx)).toBeNull();
    expect(ctx.cutover).toMatchObject({ held: true });
    expect(v2.sent).toEqual(['prepare', 'renew', 'receiveState', 'health']);
    expect(v1.sent).toEqual(['saveState']);

    const v3 = new FakeInstance('v3', 'c');
    const moved = staged(v1, v3);
    moved.host.pool.replace(asInstance(new FakeInstance('v0', '0'))); // rolled back meanwhile
    expect(await cutover.run(moved)).toMatchObject({ code: 'serving-changed' });
  });

  it('state given (an injection): the same bytes are not "already running", a missing or refusing restore_state is refused', async () => {
    const state = new Uint8Array(8);
    const same = staged(new FakeInstance('v1', 'a'), new FakeInstance('v1', 'a'), { state });
    expect(await run('check', same)).toBeNull();
    const none = staged(new FakeInstance('v1', 'a'), new FakeInstance('v1', 'a', ['save_state']), { state });
    expect(await run('shadow check', none)).toMatchObject({ code: 'no-restore-state', text: 'v1 has no restore_state export, so it cannot be given state' });
    const refused = staged(new FakeInstance('v1', 'a'), new FakeInstance('v1', 'a'), { state }, { receiveState: { code: 1, ms: 0.1, bytes: 3 } });
    expect(await run('shadow check', refused)).toMatchObject({ code: 'state-refused', text: 'restore_state of v1 refused the 3 bytes of state given (it answered 1)' });
  });

  it('cutover with state given: no final state is carried; calls are held only while the serving version finishes', async () => {
    const v1 = new FakeInstance('v1', 'a');
    const fresh = new FakeInstance('v1', 'a');
    const ctx = staged(v1, fresh, { state: new Uint8Array(8) });
    ctx.restored = { code: 0, ms: 0.2, bytes: 8, saveMs: 0 };
    v1.changes = 1; // calls reached v1 after staging: their state is replaced, not carried
    v1.pending = 1;
    expect(await cutover.run(ctx)).toBeNull();
    expect(ctx.cutover).toMatchObject({ held: true });
    expect(v1.sent).toEqual(['ping']);
    expect(fresh.sent).toEqual([]);
    expect(ctx.stateBytes).toBe(8);
    expect(ctx.host.pool.primary).toBe(asInstance(fresh));
  });

  it('the walk stops at the first refusal and retires the candidate; a superseded one is stopped', async () => {
    const v1 = new FakeInstance('v1', 'a');
    const v2 = new FakeInstance('v2', 'b');
    const ctx = staged(v1, v2, {}, { health: { text: 'no', healthy: false } });
    const seen: string[] = [];
    const end = await walk(ctx, REPLACE_STEPS.slice(1), (step) => seen.push(step));
    expect(end).toMatchObject({ end: 'refused', refusal: { step: 'shadow check', code: 'unhealthy' } });
    expect(seen).toEqual(['check', 'exports', 'api version', 'benchmark', 'shadow check']);
    expect(v2.retired).toBe(true);
    expect(ctx.host.pool.primary).toBe(asInstance(v1));

    const v3 = new FakeInstance('v3', 'c');
    const superseded = staged(v1, v3);
    superseded.ticket.superseded = true;
    expect(await walk(superseded, REPLACE_STEPS.slice(1))).toEqual({ end: 'superseded' });
    expect(v3.disposed).toBe(true);
  });
});
