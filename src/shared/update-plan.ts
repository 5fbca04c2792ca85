/**
 * The requests an update sends to workers, in the order it sends them. The engine's update
 * pipeline (src/core/pipeline) builds its requests here, and a spare worker's warm-up
 * (src/worker/warm-up.ts) replays the same plan, so the warm-up follows the pipeline when it
 * changes instead of warming paths the pipeline no longer takes.
 */
import type { RequestOf } from './ops';

/** What the candidate's worker runs right after its load, in the same message. */
export interface StagingSteps {
  checkApi: RequestOf<'checkApi'>;
  benchmark: RequestOf<'benchmark'>;
  /** The shadow check's state, from the serving worker (null when no state is carried). */
  receiveState: RequestOf<'receiveState'> | null;
  health: RequestOf<'health'>;
}

export function stagingSteps(o: { apiMajor: number | null; benchmarkBudgetMs: number; from: MessagePort | null }): StagingSteps {
  return {
    checkApi: { op: 'checkApi', apiMajor: o.apiMajor },
    // benchmark_function is called with null, before the candidate has any live state.
    benchmark: { op: 'benchmark', argJson: 'null', budgetMs: o.benchmarkBudgetMs },
    receiveState: o.from ? { op: 'receiveState', from: o.from } : null,
    health: { op: 'health' },
  };
}

/** The serving version's state, sent straight to the candidate's worker. */
export function snapshotRequest(to: MessagePort): RequestOf<'saveState'> {
  return { op: 'saveState', to };
}

/** Before a cutover that holds calls: the untouched instance the final state will go into. */
export const PREPARE: RequestOf<'prepare'> = { op: 'prepare' };

/** The cutover that holds calls, on the candidate: the prepared instance, the final state, health. */
export function finalStateSteps(from: MessagePort): [RequestOf<'renew'>, RequestOf<'receiveState'>, RequestOf<'health'>] {
  return [{ op: 'renew' }, { op: 'receiveState', from }, { op: 'health' }];
}
