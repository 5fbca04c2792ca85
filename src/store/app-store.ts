/**
 * The app's one store: a zustand *vanilla* store (no React here) made of small slices. React
 * reads it through `useStore` in src/ui; the engine writes to it only through the bridge.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { type CallPickSlice, createCallPickSlice } from './call-pick-slice';
import { type CheckpointsSlice, createCheckpointsSlice } from './checkpoints-slice';
import { type ConfigSlice, createConfigSlice } from './config-slice';
import { type ConsoleSlice, createConsoleSlice } from './console-slice';
import { type DeploySlice, createDeploySlice } from './deploy-slice';
import { type HistorySlice, createHistorySlice } from './history-slice';
import { type NoticesSlice, createNoticesSlice } from './notices-slice';
import { type LiveSlice, createLiveSlice } from './live-slice';
import { type ModulesSlice, createModulesSlice } from './modules-slice';
import { type StorageSlice, createStorageSlice } from './storage-slice';

export type AppState = ModulesSlice & ConsoleSlice & NoticesSlice & HistorySlice & ConfigSlice & LiveSlice & StorageSlice & CheckpointsSlice & CallPickSlice & DeploySlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createModulesSlice(...a),
    ...createConsoleSlice(...a),
    ...createNoticesSlice(...a),
    ...createHistorySlice(...a),
    ...createConfigSlice(...a),
    ...createLiveSlice(...a),
    ...createStorageSlice(...a),
    ...createCheckpointsSlice(...a),
    ...createCallPickSlice(...a),
    ...createDeploySlice(...a),
  }));
}
