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
      set((state) => ({
        status: {
          ...state.status,
          current,
          module,
          // Keep the old array when the names did not change, so selectors stay stable.
          modules: sameNames(state.status.modules, current.modules) ? state.status.modules : current.modules,
        },
      })),
  },
});

const sameNames = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((name, i) => name === b[i]);
