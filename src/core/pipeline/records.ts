/** An update's record and its message for people, from what the walk over its steps ended with. */
import type { UpdateRecord, UpdateTrigger, VersionRef } from '../history';
import type { Instance } from '../instance';
import type { UpdateContext } from './context';
import { type Refusal, refusalText } from './refusal';
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
  inject: { what: 'State injection into', done: 'injected' },
  rewind: { what: 'Rewind of', done: 'rewound to a checkpoint' },
};

/** How an update's refusal begins: "Update of counter", or "State injection into counter v1". */
export function refusedWhat(trigger: UpdateTrigger, name: string, from: string | null): string {
  const words = STATE_WORDS[trigger];
  return words ? `${words.what} ${name} ${from ?? '?'}` : `Update of ${name}`;
}

/** What the Status panel says about an update that went through the pipeline. */
export function updateNotice(ctx: UpdateContext, end: WalkEnd, record: RecordDraft): string | null {
  const name = ctx.host.name;
  const from = ctx.serving.info.version;
  const to = ctx.candidate?.info.version ?? ctx.input.source;
  const words = STATE_WORDS[record.trigger];
  if (words && end.end === 'committed') return `${name} ${from}: ${record.stateBytes ?? 0} bytes of state ${words.done}`;
  if (words && end.end === 'refused') return `${refusedWhat(record.trigger, name, from)} refused at ${end.refusal.step}: ${record.error}. ${from} keeps serving, untouched.`;
  switch (end.end) {
    case 'committed':
      return `${name} ${from} → ${to}: ${record.stateBytes !== null ? `${record.stateBytes} bytes of state carried` : (record.warning ?? 'no state to carry')}`;
    case 'already running':
      // A dev server pushing the build a page already runs (its first open, a reconnect) is not
      // news; the record in the history says it all the same.
      if (record.trigger === 'push') return null;
      return `${ctx.input.source} is already running as ${name} ${from}`;
    case 'refused':
      return `Update of ${name} to ${to} refused at ${end.refusal.step}: ${record.error}. ${from} keeps serving.`;
    case 'superseded':
      return null;
  }
}
