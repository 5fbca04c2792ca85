/**
 * Walk an update's steps in order. The walk stops at the first step that refuses, finds nothing
 * to do, or finds the update superseded (a newer one arrived before its cutover began); the
 * candidate of an update that does not commit is stopped, or retired. What the walk ends with becomes the
 * update's record (./records.ts).
 */
import type { UpdateStep } from '../history';
import type { UpdateContext } from './context';
import type { Refusal } from './refusal';
import type { Step } from './steps';

export type WalkEnd =
  | { end: 'committed' }
  | { end: 'already running' }
  | { end: 'superseded' }
  | { end: 'refused'; refusal: Refusal };

export async function walk(ctx: UpdateContext, steps: readonly Step[], onStep?: (step: UpdateStep) => void): Promise<WalkEnd> {
  let result: WalkEnd = { end: 'committed' };
  for (const step of steps) {
    if (ctx.ticket.superseded) {
      result = { end: 'superseded' };
      break;
    }
    onStep?.(step.name);
    const r = await step.run(ctx);
    if (r === null) continue;
    result = r === 'done' ? { end: 'already running' } : r === 'superseded' ? { end: 'superseded' } : { end: 'refused', refusal: r };
    break;
  }
  // A newer update that arrived while the last step ran wins, unless this one has cut over.
  if (result.end !== 'committed' && ctx.ticket.superseded) result = { end: 'superseded' };
  // A superseded candidate is stopped at once; another one finishes what it was sent, then its
  // worker goes back to the spares.
  if (result.end === 'superseded') ctx.candidate?.dispose('superseded by a newer update');
  else if (result.end !== 'committed') ctx.candidate?.retire();
  return result;
}
