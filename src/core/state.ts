/**
 * A module's state by hand: read the serving version's state now, give it other state (an
 * injection, or a checkpoint to rewind to), or ask whether it would take some without giving it.
 *
 * State is never written into the serving instance: it goes to a fresh instance staged from the
 * serving version's own bytes, through the update pipeline's steps (./pipeline/steps.ts, with
 * `UpdateInput.state`), and cuts over as an update does — in the module's queue, calls held at
 * the cutover, none failed. A probe walks the same steps and stops before the cutover.
 */
import { HotwasmError } from '../shared/errors';
import type { CheckpointEntry } from './checkpoints';
import type { UpdateTrigger } from './history';
import type { ModuleController } from './module';
import { type PipelineHost, type Ticket, type UpdateInput, newContext } from './pipeline/context';
import { type Refusal, refusalText } from './pipeline/refusal';
import { walk } from './pipeline/run';
import { VALIDATE_STEPS } from './pipeline/steps';

/** What gave a module its state by hand. */
export type StateTrigger = Extract<UpdateTrigger, 'inject' | 'rewind'>;

/** A checkpoint, by its `seq` (see CheckpointInfo), or the checkpoint itself. */
export type CheckpointRef = number | { seq: number };

export interface InjectOptions {
  /**
   * The version the state was made for: refused, with nothing given, when another version serves
   * by the injection's turn in the queue (a build that arrived meanwhile).
   */
  version?: string;
}

/** Whether the serving version's restore_state would take some state, found without giving it. */
export interface StateProbe {
  accepted: boolean;
  /** The version that was asked (the one serving when the probe began). */
  version: string;
  /** Why not, in words; null when accepted. */
  reason: string | null;
  /** The refusal as data; null when accepted. */
  refusal: Pick<Refusal, 'code' | 'detail'> | null;
}

/** The serving version of `m`, or why there is none. */
function servingOf(m: ModuleController) {
  const serving = m.serving;
  if (!serving) throw new HotwasmError('not-loaded', `${m.name} is still loading`);
  return serving;
}

/** The update input that gives `state` to the version serving `m` now: its own kept bytes, with the state. */
export async function stateInput(m: ModuleController, state: Uint8Array): Promise<UpdateInput> {
  const { sha256, version, source } = servingOf(m).info;
  const data = await m.versions.copyOf(sha256, version ?? '?');
  return { data, source, version: version ?? undefined, sha256, state };
}

/**
 * The serving version's save_state now (null without the export), after the calls made before
 * it, and kept as a checkpoint (the timeline shows it). The caller gets its own copy.
 */
export function readState(m: ModuleController): Promise<Uint8Array | null> {
  servingOf(m);
  return m.send(async (instance) => {
    if (!instance.has('save_state')) return null;
    const at = m.clock.wallNow();
    const { state } = await instance.request({ op: 'saveState' }, m.config().validation_timeout_ms);
    if (state && m.pool?.serves(instance)) m.checkpoints.put(instance, state.slice(), at);
    return state;
  });
}

/**
 * Would the serving version take `state`? A throwaway candidate walks every step before the
 * cutover (stage, checks, restore_state, health_check), then goes; nothing serving is touched,
 * no record is made, and the module's queue is not joined (nothing changes, so nothing waits).
 */
export async function probeState(m: ModuleController, state: Uint8Array): Promise<StateProbe> {
  const serving = servingOf(m);
  const version = serving.info.version ?? '?';
  const input = await stateInput(m, state);
  const host: PipelineHost = { name: m.name, pool: m.pool!, clock: m.clock, labelOwner: (v) => m.versions.owner(v), stage: (i, ms, s) => m.stage(i, ms, s, 'inject') };
  const ticket: Ticket = { superseded: false, inCutover: false, candidate: null };
  const ctx = newContext(host, input, m.config(), ticket);
  const end = await walk(ctx, VALIDATE_STEPS);
  switch (end.end) {
    case 'committed': // every step passed; there is no cutover to make
      ctx.candidate?.retire();
      return { accepted: true, version, reason: null, refusal: null };
    case 'refused':
      return { accepted: false, version, reason: refusalText(end.refusal), refusal: { code: end.refusal.code, detail: end.refusal.detail } };
    default:
      // Neither happens to a probe (state given is never "already running"; its ticket is its own).
      return { accepted: false, version, reason: `the probe ended ${end.end}`, refusal: null };
  }
}

/** The checkpoint `ref` names, while the ring keeps it; else why not. */
export function checkpointFor(m: ModuleController, ref: CheckpointRef): CheckpointEntry {
  const seq = typeof ref === 'number' ? ref : ref?.seq;
  if (typeof seq !== 'number' || !Number.isInteger(seq)) throw new HotwasmError('bad-arguments', `A checkpoint is named by its seq (a whole number, see checkpoints()), not ${JSON.stringify(ref)}`);
  const entry = m.checkpoints.find(seq);
  if (entry) return entry;
  const kept = m.checkpoints.list();
  const range = kept.length === 0 ? 'none is kept' : `kept: ${kept[0]!.seq}–${kept[kept.length - 1]!.seq}`;
  throw new HotwasmError('not-loaded', `${m.name} has no checkpoint ${seq} (${range}; the ring keeps the latest 50)`);
}

/** A checkpoint in words, for messages: "checkpoint 3 (8 bytes of v1, taken 12:00:01)". */
export function describeCheckpoint(entry: CheckpointEntry): string {
  return `checkpoint ${entry.seq} (${entry.bytes} bytes of ${entry.version}, taken ${new Date(entry.at).toLocaleTimeString()})`;
}
