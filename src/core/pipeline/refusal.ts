/**
 * Why an update was refused, as data: the step, a stable code and the facts (`detail`), and the
 * words for people, made here and nowhere else. Steps return refusals; they never write text.
 *
 * A refusal is told whole as a {@link RefusalStory} (who was refused, who keeps serving), which
 * travels as data in the error's details, so that each reader words it for its audience: a
 * program is told the option that gets past it (`{ fresh: true }`), a person in the playground
 * the button that does (Load it fresh).
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

/** Every refusal code (a code added to Refusal and not here fails to compile). */
export const REFUSAL_CODES: Readonly<Record<RefusalCode, true>> = {
  'load-failed': true,
  'bytes-changed': true,
  'sha-mismatch': true,
  'label-taken': true,
  'lost-exports': true,
  'api-major': true,
  'over-budget': true,
  'save-failed': true,
  'restore-failed': true,
  'restore-refused': true,
  'health-failed': true,
  unhealthy: true,
  'no-restore-state': true,
  'state-refused': true,
  'other-version': true,
  'serving-changed': true,
  failed: true,
};

/** A refusal for an error a step ran into. */
export function failed(step: UpdateStep, error: unknown): Refusal {
  const code = (error as { code?: unknown })?.code;
  return { step, code: 'failed', detail: { message: messageOf(error), error: typeof code === 'string' ? code : 'internal' } };
}

const short = (sha: string) => `${sha.slice(0, 12)}…`;

/** The refusal's cause in words (no advice, no closing full stop): what follows "was refused <where>: ". */
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
      return `${version} no longer has ${lost.length === 1 ? 'the JSON export' : 'the JSON exports'} ${names} that ${serving} serves`;
    }
    case 'api-major': {
      const { next, current, nextMajor, currentMajor } = r.detail;
      return `API version ${next} is not compatible with the serving ${current} (major ${nextMajor} ≠ ${currentMajor})`;
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

/** Where an update was refused, in words that follow "was refused" (or "failed", in probation). */
export const STEP_WORDS: Readonly<Record<UpdateStep, string>> = {
  read: 'when its bytes were read',
  stage: 'while loading',
  check: 'by a check before it could serve',
  exports: 'at the exports check',
  'api version': 'at the API version check',
  benchmark: 'at the benchmark',
  'shadow check': 'in its trial run (the shadow check)',
  cutover: 'at the cutover',
  probation: 'in probation',
};

/** A refusal told whole. Plain data: it travels in the error's details, and through events. */
export interface RefusalStory {
  /** Who was refused, as the start of a sentence: "counter v2", "The rollback of counter to v1". */
  subject: string;
  /** The version that keeps serving; null when none serves yet (a first load). */
  keeper: string | null;
  /** State given by hand (an injection, a rewind): the serving version was not even touched. */
  untouched: boolean;
  refusal: Refusal;
}

/**
 * Who reads it: a program or the console (`api`: the option that gets past a refusal, by name),
 * a person in the playground (`ui`: the button that does), or the module's status line (no
 * advice: the way out is offered where the error is shown).
 */
export type Audience = 'api' | 'ui' | 'status';

/** Refusals that a fresh load gets past (its state reset, the API-version and exports checks skipped). */
export function freshGetsPast(refusal: Pick<Refusal, 'code'>): boolean {
  return refusal.code === 'api-major' || refusal.code === 'lost-exports';
}

const FRESH_ADVICE: Record<Audience, string | null> = {
  api: 'To replace it anyway with fresh state, load it with { fresh: true }.',
  ui: 'To replace it anyway, with its state reset, choose Load it fresh.',
  status: null,
};

/** Text that ends one sentence: a full stop added unless it already ends with one (a cause can be a whole sentence). */
export function sentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * The refusal as sentences for `audience`: "counter v2 was refused at the API version check:
 * API version 2.0.0 is not compatible with the serving 1.0.0 (major 2 ≠ 1). v1 keeps serving."
 * and, where a fresh load gets past it, how to ask for one.
 */
export function refusalMessage(story: RefusalStory, audience: Audience = 'api'): string {
  const { subject, keeper, untouched, refusal } = story;
  const parts = [`${subject} was refused ${STEP_WORDS[refusal.step]}: ${sentence(refusalText(refusal))}`];
  if (keeper !== null) parts.push(`${keeper} keeps serving${untouched ? ', untouched' : ''}.`);
  const advice = freshGetsPast(refusal) ? FRESH_ADVICE[audience] : null;
  if (advice) parts.push(advice);
  return parts.join(' ');
}

/** Is `value` a story as refusalMessage reads it? For details that crossed a boundary (an event, a revived error). */
export function isRefusalStory(value: unknown): value is RefusalStory {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const refusal = v.refusal as Record<string, unknown> | null | undefined;
  return (
    typeof v.subject === 'string' &&
    (v.keeper === null || typeof v.keeper === 'string') &&
    typeof v.untouched === 'boolean' &&
    typeof refusal === 'object' &&
    refusal !== null &&
    typeof refusal.step === 'string' &&
    Object.hasOwn(STEP_WORDS, refusal.step) &&
    typeof refusal.code === 'string' &&
    Object.hasOwn(REFUSAL_CODES, refusal.code) &&
    typeof refusal.detail === 'object' &&
    refusal.detail !== null
  );
}
