/**
 * Config slice: a copy of the engine's settings and of why auto reload is paused, if it is,
 * from the engine's `config` events.
 */
import type { StateCreator } from 'zustand/vanilla';
import { DEFAULT_CONFIG, type EngineConfig } from '../core';
import type { AppState } from './app-store';

const sameConfig = (a: EngineConfig, b: EngineConfig) => (Object.keys(a) as (keyof EngineConfig)[]).every((key) => a[key] === b[key]);

export interface ConfigSlice {
  config: {
    values: EngineConfig;
    /** Why auto reload was paused, until the user turns it back on. */
    autoReloadPaused: string | null;
    /** Take the engine's settings; keeps the old objects when nothing changed (selectors stay stable). */
    update(values: EngineConfig, autoReloadPaused: string | null): void;
  };
}

export const createConfigSlice: StateCreator<AppState, [], [], ConfigSlice> = (set) => ({
  config: {
    values: { ...DEFAULT_CONFIG },
    autoReloadPaused: null,
    update: (values, autoReloadPaused) =>
      set((state) => {
        const same = sameConfig(state.config.values, values);
        if (same && state.config.autoReloadPaused === autoReloadPaused) return state;
        return { config: { ...state.config, values: same ? state.config.values : { ...values }, autoReloadPaused } };
      }),
  },
});
