/** Status slice: what the engine is doing and which module is active. */
import type { StateCreator } from 'zustand/vanilla';
import type { EngineStatus, ModuleInfo } from '../core';
import type { AppState } from './app-store';

export const initialStatus: EngineStatus = {
  state: 'empty',
  name: null,
  version: null,
  apiVersion: null,
  sha256: null,
  lastUpdate: null,
  message: null,
  modules: [],
  autoReload: true,
  autoReloadPaused: null,
  checkpointAt: null,
  calls: 0,
  errors: 0,
  p50Ms: null,
  p99Ms: null,
};

export interface StatusSlice {
  status: {
    /** The engine's latest status report. */
    current: EngineStatus;
    /** The active module, as `engine.module()` reports it. */
    module: ModuleInfo | null;
    /** Names of every loaded module. */
    modules: string[];
    /** Take a status report and the active module that goes with it. */
    update(status: EngineStatus, module: ModuleInfo | null): void;
  };
}

export const createStatusSlice: StateCreator<AppState, [], [], StatusSlice> = (set) => ({
  status: {
    current: initialStatus,
    module: null,
    modules: [],
    update: (current, module) =>
      set((state) => {
        // The engine reports its status after many events that change nothing shown (an update
        // starting, settings saved): keep the old objects then, so nothing re-renders. (A
        // re-render of the panels in the middle of an update delayed it by 3-4 ms.)
        const same = sameStatus(state.status.current, current);
        if (same && module === state.status.module) return state;
        return {
          status: {
            ...state.status,
            current: same ? state.status.current : current,
            module,
            // Keep the old array when the names did not change, so selectors stay stable.
            modules: sameNames(state.status.modules, current.modules) ? state.status.modules : current.modules,
          },
        };
      }),
  },
});

const sameNames = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((name, i) => name === b[i]);

/** Every field of a status report is a plain value but `modules`. */
function sameStatus(a: EngineStatus, b: EngineStatus): boolean {
  for (const key of Object.keys(b) as (keyof EngineStatus)[]) {
    if (key === 'modules' ? !sameNames(a.modules, b.modules) : a[key] !== b[key]) return false;
  }
  return Object.keys(a).length === Object.keys(b).length;
}
