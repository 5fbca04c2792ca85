/**
 * Checkpoints slice: each module's recent state checkpoints (metadata only: the bytes stay in the
 * engine, and the State panel asks for the ones it shows) and when it restarted, for the State
 * panel's timeline. Updates and rollbacks are the history slice's records. A reducer over engine
 * events ({@link reduceCheckpoints}), like the modules slice.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { CheckpointInfo, EngineEvent, ModuleState } from '../core';
import type { AppState } from './app-store';

/** As many as the engine's ring keeps (src/core/checkpoints.ts). */
export const MAX_CHECKPOINTS = 50;
/** Restarts remembered per module, newest last. */
export const MAX_RESTARTS = 50;

export interface ModuleCheckpoints {
  /** Oldest first, at most {@link MAX_CHECKPOINTS}. */
  checkpoints: readonly CheckpointInfo[];
  /** When the module restarted (ms since epoch), oldest first. */
  restarts: readonly number[];
  /** The state the last status said: a restart is the step into 'restarting'. */
  lastState: ModuleState | null;
}

export interface CheckpointsData {
  byModule: Readonly<Record<string, ModuleCheckpoints>>;
}

const empty = (): ModuleCheckpoints => ({ checkpoints: [], restarts: [], lastState: null });

function patch(data: CheckpointsData, name: string, change: (entry: ModuleCheckpoints) => ModuleCheckpoints): CheckpointsData {
  const before = data.byModule[name] ?? empty();
  const after = change(before);
  return after === before ? data : { byModule: { ...data.byModule, [name]: after } };
}

/** Apply one engine event. Pure: answers `data` itself when nothing changes. */
export function reduceCheckpoints(data: CheckpointsData, event: EngineEvent): CheckpointsData {
  switch (event.type) {
    case 'checkpoint':
      return patch(data, event.module, (entry) => {
        if (entry.checkpoints.some((c) => c.seq === event.checkpoint.seq)) return entry;
        const checkpoints = [...entry.checkpoints, event.checkpoint].slice(-MAX_CHECKPOINTS);
        return { ...entry, checkpoints };
      });
    case 'status':
      return patch(data, event.module, (entry) => {
        const state = event.status.state;
        if (state === entry.lastState) return entry;
        const restarted = state === 'restarting' && event.status.messageAt !== null;
        const restarts = restarted ? [...entry.restarts, event.status.messageAt!].slice(-MAX_RESTARTS) : entry.restarts;
        return { ...entry, restarts, lastState: state };
      });
    case 'checkpoints-cleared':
      return patch(data, event.module, (entry) => (entry.checkpoints.length === 0 ? entry : { ...entry, checkpoints: [] }));
    case 'unloaded': {
      if (!(event.module in data.byModule)) return data;
      const { [event.module]: _gone, ...byModule } = data.byModule;
      return { byModule };
    }
    default:
      return data;
  }
}

export interface CheckpointsSlice {
  checkpoints: CheckpointsData & {
    apply(event: EngineEvent): void;
    /** Start from the engine's checkpoints of each module (the bridge, when it connects). */
    reset(byModule: Record<string, readonly CheckpointInfo[]>): void;
  };
}

export const createCheckpointsSlice: StateCreator<AppState, [], [], CheckpointsSlice> = (set) => ({
  checkpoints: {
    byModule: {},
    apply: (event) =>
      set((state) => {
        const current = { byModule: state.checkpoints.byModule };
        const next = reduceCheckpoints(current, event);
        return next === current ? state : { checkpoints: { ...state.checkpoints, ...next } };
      }),
    reset: (byModule) =>
      set((state) => {
        const entries = Object.entries(byModule).map(([name, checkpoints]) => [name, { ...empty(), checkpoints: checkpoints.slice(-MAX_CHECKPOINTS) }] as const);
        return { checkpoints: { ...state.checkpoints, byModule: Object.fromEntries(entries) } };
      }),
  },
});
