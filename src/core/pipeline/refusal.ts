/**
 * Why an update was refused, as data: the step, a stable code and the facts (`detail`), and the
 * words for people, made here and nowhere else. Steps return refusals; they never write text.
 */
import { messageOf } from '../../shared/errors';
import type { UpdateStep } from '../history';

/** A step of the update that deals with state: the shadow check, or the cutover's final state. */
type StateStep = 'shadow check' | 'cutover';

export type Refusal =
  /** The input could not be read or loaded (its own error says why). */
  | { step: 'read' | 'stage'; code: 'load-failed'; detail: { message: string; error: string } }
  /** Kept bytes that no longer hash to the sha256 they were kept under. */
  | { step: 'check'; code: 'bytes-changed'; detail: { version: string; expected: string; actual: string } }
  /** Bytes that do not hash to the sha256 announced with them (a dev server's build, fetched). */
  | { step: 'check'; code: 'sha-mismatch'; detail: { source: string; expected: string; actual: string } }
  /** A label given to load() that another build already has (labels are never reused). */
  | { step: 'check'; code: 'label-taken'; detail: { version: string; sha256: string } }
  /** JSON-callable exports of the serving version that the candidate no longer has as JSON calls. */
  | { step: 'exports'; code: 'lost-exports'; detail: { version: string; serving: string; lost: string[] } }
  | { step: 'api version'; code: 'api-major'; detail: { version: string; next: string; current: string; nextMajor: number; currentMajor: number } }
  | { step: 'benchmark'; code: 'over-budget'; detail: { ms: number; budgetMs: number } }
  | { step: StateStep; code: 'save-failed'; detail: { version: string; message: string } }
  | { step: StateStep; code: 'restore-failed'; detail: { version: string; message: string } }
  | { step: StateStep; code: 'restore-refused'; detail: { version: string; answered: number | null } }
  | { step: StateStep; code: 'health-failed'; detail: { version: string; message: string } }
  | { step: StateStep; code: 'unhealthy'; detail: { version: string; answer: string } }
  /** State given to the serving version (an injection, a rewind): it cannot take any, or refused this. */
  | { step: 'shadow check'; code: 'no-restore-state'; detail: { version: string } }
  | { step: 'shadow check'; code: 'state-refused'; detail: { version: string; answered: number; bytes: number } }
  /** State made for one version, given when another serves (a build arrived before its turn). */
  | { step: 'check'; code: 'other-version'; detail: { expected: string; serving: string } }
  /** The version the update began from stopped serving meanwhile (an automatic rollback). */
  | { step: 'cutover'; code: 'serving-changed'; detail: { version: string } }
  /** The step itself failed (a trap, a timeout, a crash): its error says why. */
  | { step: UpdateStep; code: 'failed'; detail: { message: string; error: string } };

export type RefusalCode = Refusal['code'];

/** A refusal for an error a step ran into. */
export function failed(step: UpdateStep, error: unknown): Refusal {
  const code = (error as { code?: unknown })?.code;
  return { step, code: 'failed', detail: { message: messageOf(error), error: typeof code === 'string' ? code : 'internal' } };
}

const short = (sha: string) => `${sha.slice(0, 12)}…`;

/** The refusal in words, as the cause after "refused at <step>: ". */
export function refusalText(r: Refusal): string {
  switch (r.code) {
    case 'load-failed':
    case 'failed':
      return r.detail.message;
    case 'bytes-changed':
      return `the bytes kept for ${r.detail.version} no longer match the sha256 they were kept under (${short(r.detail.actual)}, not ${short(r.detail.expected)}): the stored copy is damaged`;
    case 'sha-mismatch':
      return `the bytes of ${r.detail.source} hash to ${short(r.detail.actual)}, not to the ${short(r.detail.expected)} announced with them`;
    case 'label-taken':
      return `the version label "${r.detail.version}" is already given to another build (sha256 ${short(r.detail.sha256)}); a label is never reused`;
    case 'lost-exports': {
      const { lost, version, serving } = r.detail;
      const names = lost.length > 8 ? `${lost.slice(0, 8).join(', ')} and ${lost.length - 8} more` : lost.join(', ');
      return `${version} no longer has ${lost.length === 1 ? 'the JSON export' : 'the JSON exports'} ${names} that ${serving} serves. To replace it anyway with fresh state, load it with { fresh: true }.`;
    }
    case 'api-major': {
      const { next, current, nextMajor, currentMajor } = r.detail;
      return `API version ${next} is not compatible with the serving ${current} (major ${nextMajor} ≠ ${currentMajor}). To replace it anyway with fresh state, load it with { fresh: true }.`;
    }
    case 'over-budget':
      return `benchmark_function took ${r.detail.ms.toFixed(1)} ms, over the ${r.detail.budgetMs} ms budget (benchmark_budget_ms)`;
    case 'save-failed':
      return `save_state failed on the serving version ${r.detail.version}: ${r.detail.message}`;
    case 'restore-failed':
      return `restore_state failed on ${r.detail.version}: ${r.detail.message}`;
    case 'restore-refused':
      return `restore_state of ${r.detail.version} refused the ${r.step === 'cutover' ? 'final' : 'current'} state (it answered ${r.detail.answered ?? 'nothing'})`;
    case 'no-restore-state':
      return `${r.detail.version} has no restore_state export, so it cannot be given state`;
    case 'state-refused':
      return `restore_state of ${r.detail.version} refused the ${r.detail.bytes} bytes of state given (it answered ${r.detail.answered})`;
    case 'other-version':
      return `the state was made for ${r.detail.expected}, but ${r.detail.serving} serves now: nothing was given`;
    case 'serving-changed':
      return `${r.detail.version}, which this update was made against, stopped serving while it ran (it was rolled back): nothing was replaced; try the update again`;
    case 'health-failed':
      return `health_check failed on ${r.detail.version}: ${r.detail.message}`;
    case 'unhealthy': {
      const answer = JSON.stringify(r.detail.answer.slice(0, 200));
      return r.step === 'cutover' ? `health_check of ${r.detail.version} answered ${answer} after the state was restored` : `health_check of ${r.detail.version} answered ${answer}, not "ok"`;
    }
    default: {
      const unknown: never = r;
      return String(unknown);
    }
  }
}
