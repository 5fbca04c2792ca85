/**
 * The worker's handlers for the hot-swap lifecycle: state out and in (also straight between two
 * workers through a MessagePort), and the update pipeline's steps, each of which closes the
 * pipeline gate when it refuses (see ServerState.verdict).
 */
import { parseSemver } from '../shared/abi';
import { HotwasmError, reviveError, serializeError } from '../shared/errors';
import type { Op, RequestOf, ResultOf } from '../shared/ops';
import type { StateMessage } from '../shared/protocol';
import { Guest } from './guest';
import type { ServerState } from './server';

/** One handler per operation, typed from the op table: a missing or mistyped one fails to compile. */
export type Handlers = { [O in Op]: (request: RequestOf<O>) => ResultOf<O> | Promise<ResultOf<O>> };

type LifecycleOp = 'saveState' | 'restoreState' | 'checkApi' | 'benchmark' | 'receiveState' | 'health' | 'prepare' | 'renew';

export function lifecycleHandlers(state: ServerState): Pick<Handlers, LifecycleOp> {
  const saveState = ({ to }: RequestOf<'saveState'>): ResultOf<'saveState'> => {
    const t0 = performance.now();
    let saved: Uint8Array | null;
    try {
      saved = state.needGuest().saveState();
    } catch (error) {
      to?.postMessage({ error: serializeError(error) } satisfies StateMessage);
      to?.close();
      throw error;
    }
    const ms = performance.now() - t0;
    if (!to) {
      if (saved) state.transfer.push(saved.buffer);
      return { state: saved, ms };
    }
    to.postMessage({ state: saved } satisfies StateMessage, saved ? [saved.buffer] : []);
    to.close();
    return { state: null, ms };
  };

  /** The state another worker sends on `from`, given to restore_state. */
  const receiveState = async ({ from }: RequestOf<'receiveState'>): Promise<ResultOf<'receiveState'>> => {
    const message = await new Promise<StateMessage>((resolve) => {
      from.onmessage = (event: MessageEvent<StateMessage>) => resolve(event.data);
    });
    from.close();
    const guest = state.needGuest();
    if (!guest.has('restore_state')) return null; // no state is carried into it, whatever came
    if ('error' in message) throw reviveError(message.error);
    if (!message.state) return null;
    const t0 = performance.now();
    const code = guest.restoreState(message.state);
    return state.verdict({ code, ms: performance.now() - t0, bytes: message.state.byteLength }, code !== 0);
  };

  const instance = () => {
    const g = state.needGuest();
    return Guest.instantiate(g.module, g.layout, g.options, state.output);
  };

  return {
    saveState,
    restoreState: ({ state: bytes }) => {
      const t0 = performance.now();
      const code = state.needGuest().restoreState(bytes);
      return { code, ms: performance.now() - t0 };
    },
    checkApi: ({ apiMajor }) => {
      if (!state.loaded) throw new HotwasmError('not-loaded', 'No module is loaded in this worker');
      const major = parseSemver(state.loaded.apiVersion ?? '')?.major;
      const compatible = apiMajor === null || major === undefined || major === apiMajor;
      return state.verdict({ compatible }, !compatible);
    },
    benchmark: ({ argJson, budgetMs }) => {
      const guest = state.needGuest();
      if (!guest.has('benchmark_function')) return null;
      const t0 = performance.now();
      guest.callJson('benchmark_function', argJson);
      const ms = performance.now() - t0;
      return state.verdict({ ms }, ms > budgetMs);
    },
    receiveState,
    health: () => {
      const health = state.needGuest().health();
      return state.verdict(health, health !== null && !health.healthy);
    },
    prepare: () => {
      const { guest, instantiateMs } = instance();
      state.prepared = guest;
      return { instantiateMs };
    },
    renew: () => {
      const t0 = performance.now();
      state.guest = state.prepared ?? instance().guest;
      state.prepared = null;
      return { instantiateMs: performance.now() - t0 };
    },
  };
}
