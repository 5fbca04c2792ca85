/**
 * Where versions are kept: in this browser (the IndexedDB registry), or in this page's memory
 * only when the browser refuses storage (private modes, policies) — said in the Status panel,
 * with the reason, since everything is then lost on a reload.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { UnreadableRecord } from '../registry/idb-registry';
import type { AppState } from './app-store';

export type StorageMode = 'opening' | 'browser' | 'memory';

export interface StorageSlice {
  storage: {
    mode: StorageMode;
    /** Why versions are kept in memory only. */
    reason: string | null;
    /** Stored records that fail their check (read at start-up): listed, never used. */
    unreadable: readonly UnreadableRecord[];
    set(mode: StorageMode, reason?: string | null): void;
    setUnreadable(records: readonly UnreadableRecord[]): void;
  };
}

export const createStorageSlice: StateCreator<AppState, [], [], StorageSlice> = (set) => ({
  storage: {
    mode: 'opening',
    reason: null,
    unreadable: [],
    set: (mode, reason = null) => set((state) => ({ storage: { ...state.storage, mode, reason } })),
    setUnreadable: (unreadable) => set((state) => ({ storage: { ...state.storage, unreadable } })),
  },
});
