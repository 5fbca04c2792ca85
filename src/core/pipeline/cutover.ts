/**
 * The cutover: the candidate takes the serving version's place in the pool, in one of three
 * ways, and no call fails or is lost in any of them.
 *
 * - **Idle**: nothing reached the serving version after the shadow check's snapshot, so the
 *   candidate already holds its current state, restored and health-checked. It takes over at
 *   once; no call is held.
 * - **Final state**: new calls are held; a final save_state goes to the serving version after
 *   every call already sent to it, so its answer is the state after all of them; it is restored
 *   into a new, untouched instance of the candidate (prepared before calls are held), whose
 *   health is checked again; then the held calls run on the new version in the order they were
 *   made. If any of that fails, the held calls run on the old version, which never stopped
 *   serving.
 * - **No state**: calls are held only while the serving version finishes those already sent.
 *   State given to the candidate (an injection, a rewind) cuts over this way too: it replaces
 *   the serving version's state, so none is carried.
 */
import { messageOf } from '../../shared/errors';
import { PREPARE, finalStateSteps, snapshotRequest } from '../../shared/update-plan';
import type { Instance } from '../instance';
import { outcome } from './context';
import { type Refusal, failed } from './refusal';
import type { Step } from './steps';

export const cutover: Step = {
  name: 'cutover',
  async run(ctx) {
    const { serving, host, ticket } = ctx;
    const candidate = ctx.candidate!;
    const timeout = ctx.config.validation_timeout_ms;
    const pool = host.pool;
    /** When this update began holding calls, if it did. */
    const hold = { at: null as number | null };
    const holdCalls = () => {
      ticket.inCutover = true; // past this point a newer update waits for this one
      hold.at = host.clock.now();
      pool.hold();
    };
    /** Refused: the calls held (if this update held them) run on the version that kept serving. */
    const refuse = (refusal: Refusal): Refusal => {
      if (hold.at !== null) pool.release();
      return refusal;
    };
    let saveMs = 0;
    let restoreMs = 0;
    const servingChanged = (): Refusal | null => (pool.serves(serving) ? null : { step: 'cutover', code: 'serving-changed', detail: { version: serving.info.version ?? '?' } });
    const changed = servingChanged();
    if (changed) return changed;
    try {
      if (ctx.restored && ctx.input.state !== undefined) {
        // State given (an injection): it replaces the serving version's, so there is no final
        // state to carry; calls are held only while the serving version finishes those sent.
        if (serving.busy) {
          holdCalls();
          await serving.request({ op: 'ping' }, timeout);
        }
        ({ saveMs, ms: restoreMs } = ctx.restored);
        ctx.stateBytes = ctx.restored.bytes;
      } else if (ctx.restored && serving.changes === ctx.mark) {
        ({ saveMs, ms: restoreMs } = ctx.restored);
        ctx.stateBytes = ctx.restored.bytes;
      } else if (ctx.restored) {
        await candidate.request(PREPARE, timeout);
        if (ticket.superseded) return 'superseded';
        holdCalls();
        const final = await finalState(serving, candidate, timeout);
        if ('code' in final) return refuse(final);
        ({ saveMs, restoreMs } = final);
        ctx.stateBytes = final.stateBytes;
      } else if (serving.busy) {
        holdCalls();
        await serving.request({ op: 'ping' }, timeout);
      }
    } catch (error) {
      return refuse(failed('cutover', error));
    }
    const late = servingChanged();
    if (late) return refuse(late);
    pool.replace(candidate);
    pool.release();
    ctx.cutover = { pauseMs: hold.at !== null ? host.clock.now() - hold.at : 0, saveMs, restoreMs, held: hold.at !== null };
    return null;
  },
};

/**
 * The serving version's final state (after every call already sent to it) goes straight to the
 * candidate's prepared instance, whose health is checked. The candidate renews while the serving
 * worker saves.
 */
export async function finalState(serving: Instance, candidate: Instance, timeout: number): Promise<Refusal | { stateBytes: number; saveMs: number; restoreMs: number }> {
  const step = 'cutover';
  const version = candidate.info.version ?? '?';
  const channel = new MessageChannel();
  const [renew, receive, health] = finalStateSteps(channel.port2);
  const saved = outcome(serving.request(snapshotRequest(channel.port1), timeout));
  const renewed = outcome(candidate.request(renew, timeout));
  const received = outcome(candidate.request(receive, timeout));
  const healthy = outcome(candidate.request(health, timeout));
  const s = await saved;
  if (!s.ok) return { step, code: 'save-failed', detail: { version: serving.info.version ?? '?', message: messageOf(s.error) } };
  const n = await renewed;
  if (!n.ok) return failed(step, n.error);
  const r = await received;
  if (!r.ok) return { step, code: 'restore-failed', detail: { version, message: messageOf(r.error) } };
  if (!r.value || r.value.code !== 0) return { step, code: 'restore-refused', detail: { version, answered: r.value?.code ?? null } };
  const h = await healthy;
  if (!h.ok) return { step, code: 'health-failed', detail: { version, message: messageOf(h.error) } };
  if (h.value && !h.value.healthy) return { step, code: 'unhealthy', detail: { version, answer: h.value.text } };
  return { stateBytes: r.value.bytes, saveMs: s.value.ms, restoreMs: r.value.ms };
}
