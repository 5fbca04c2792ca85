/** An update's record and its message for people, from what the walk over its steps ended with. */
import type { UpdateRecord, UpdateTrigger, VersionRef } from '../history';
import type { Instance } from '../instance';
import type { UpdateContext } from './context';
import { HotwasmError } from '../../shared/errors';
import { type Refusal, type RefusalStory, refusalMessage, refusalText } from './refusal';
import type { WalkEnd } from './run';

export type RecordDraft = Omit<UpdateRecord, 'schema' | 'id'>;

export const versionRef = (instance: Instance): VersionRef => ({ version: instance.info.version ?? '?', sha256: instance.info.sha256 });

/** The record of an update that went through the pipeline. */
export function updateRecord(ctx: UpdateContext, end: WalkEnd, meta: { trigger: UpdateTrigger; asked: number; durationMs: number }): RecordDraft {
  const refusal = end.end === 'refused' ? end.refusal : null;
  return {
    timestamp: meta.asked,
    module: ctx.host.name,
    trigger: meta.trigger,
    from: versionRef(ctx.serving),
    to: end.end === 'already running' ? versionRef(ctx.serving) : ctx.candidate ? versionRef(ctx.candidate) : null,
    outcome: end.end,
    durationMs: meta.durationMs,
    failedStep: refusal?.step ?? null,
    error: refusal ? refusalText(refusal) : end.end === 'superseded' ? 'superseded by a newer update' : null,
    refusal: refusal && { code: refusal.code, detail: refusal.detail },
    stateBytes: end.end === 'committed' ? ctx.stateBytes : null,
    warning: ctx.warnings.join('; ') || null,
    cutover: end.end === 'committed' ? ctx.cutover : null,
  };
}

/** The record of a load refused before any version served under its name, or before the pipeline (a bad header, a fetch). */
export function refusedLoadRecord(module: string, refusal: Refusal, meta: { trigger: UpdateTrigger; asked: number; durationMs: number; from: VersionRef | null }): RecordDraft {
  return {
    timestamp: meta.asked,
    module,
    trigger: meta.trigger,
    from: meta.from,
    to: null,
    outcome: 'refused',
    durationMs: meta.durationMs,
    failedStep: refusal.step,
    error: refusalText(refusal),
    refusal: { code: refusal.code, detail: refusal.detail },
    stateBytes: null,
    warning: null,
    cutover: null,
  };
}

/** State given to the serving version (./state.ts) is not a new build: its words say so. */
const STATE_WORDS: Partial<Record<UpdateTrigger, { what: string; done: string }>> = {
  inject: { what: 'The state given to', done: 'injected' },
  rewind: { what: 'The rewind of', done: 'rewound to a checkpoint' },
};

/**
 * Who a refusal is about, as the start of a sentence: the build by its label ("counter v2"),
 * or, before it has one (refused while loading), by where it came from; a rollback, or state
 * given by hand, by what was asked ("The rollback of counter to v1", "The state given to counter v1").
 */
export function refusalSubject(trigger: UpdateTrigger, name: string, from: string | null, to: { label: string | null; source: string }): string {
  const words = STATE_WORDS[trigger];
  if (words) return `${words.what} ${name} ${from ?? '?'}`;
  if (trigger === 'rollback') return `The rollback of ${name} to ${to.label ?? to.source}`;
  if (to.label) return `${name} ${to.label}`;
  return to.source && to.source !== name ? `The new build of ${name} (${to.source})` : `The new build of ${name}`;
}

/** The refusal of an update that went through the pipeline, told whole. */
export function updateStory(ctx: UpdateContext, refusal: Refusal, trigger: UpdateTrigger): RefusalStory {
  const from = ctx.serving.info.version;
  const subject = refusalSubject(trigger, ctx.host.name, from, { label: ctx.candidate?.info.version ?? null, source: ctx.input.source });
  return { subject, keeper: from ?? '?', untouched: STATE_WORDS[trigger] !== undefined, refusal };
}

/**
 * The error a refused update rejects with: worded for programs (the playground words it again
 * for people from `details.story`), with the step and code for programs to branch on.
 */
export function refusedError(module: string, story: RefusalStory, details: Record<string, unknown> = {}): HotwasmError {
  return new HotwasmError('update-refused', refusalMessage(story, 'api'), { ...details, step: story.refusal.step, refusal: story.refusal.code, module, story });
}

/** What the Status panel says about an update that went through the pipeline. */
export function updateNotice(ctx: UpdateContext, end: WalkEnd, record: RecordDraft): string | null {
  const name = ctx.host.name;
  const from = ctx.serving.info.version;
  const to = ctx.candidate?.info.version ?? ctx.input.source;
  const words = STATE_WORDS[record.trigger];
  if (end.end === 'refused') return refusalMessage(updateStory(ctx, end.refusal, record.trigger), 'status');
  if (words && end.end === 'committed') return `${name} ${from}: ${record.stateBytes ?? 0} bytes of state ${words.done}`;
  switch (end.end) {
    case 'committed':
      return `${name} ${from} → ${to}: ${record.stateBytes !== null ? `${record.stateBytes} bytes of state carried` : (record.warning ?? 'no state to carry')}`;
    case 'already running':
      // A dev server pushing the build a page already runs (its first open, a reconnect) is not
      // news; the record in the history says it all the same.
      if (record.trigger === 'push') return null;
      return `${ctx.input.source} is already running as ${name} ${from}`;
    case 'superseded':
      return null;
  }
}
