/**
 * Config slice: a copy of the engine's current settings (`engine.config`), refreshed by the
 * bridge on every status event (the engine emits one whenever a setting changes).
 */
import type { StateCreator } from 'zustand/vanilla';
import { DEFAULT_CONFIG, type EngineConfig } from '../core';
import type { AppState } from './app-store';

const sameConfig = (a: EngineConfig, b: EngineConfig) => (Object.keys(a) as (keyof EngineConfig)[]).every((key) => a[key] === b[key]);

export interface ConfigSlice {
  config: {
    values: EngineConfig;
    /** Take the engine's settings; keeps the old object when nothing changed (selectors stay stable). */
    update(values: EngineConfig): void;
  };
}

export const createConfigSlice: StateCreator<AppState, [], [], ConfigSlice> = (set) => ({
  config: {
    values: { ...DEFAULT_CONFIG },
    update: (values) =>
      set((state) => (sameConfig(state.config.values, values) ? state : { config: { ...state.config, values: { ...values } } })),
  },
});
