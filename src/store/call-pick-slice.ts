/**
 * Call pick slice: a request, from another panel, that the Call panel choose a function (the
 * Module panel's exports table offers each callable export this way). Each request gets a new
 * id, so asking for the same function twice is still a request (the panel moves the focus again).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from './app-store';

export interface CallPickRequest {
  id: number;
  /** The module whose export it is: a request for a module no longer active is ignored. */
  module: string;
  fn: string;
  /** The argument's text to start from (a share link's); else the function's own default. */
  arg?: string;
}

export interface CallPickSlice {
  callPick: {
    request: CallPickRequest | null;
    /** Ask the Call panel to choose `fn` of `module`, with a fitting argument, and move the focus to the argument. */
    pick(module: string, fn: string, arg?: string): void;
    /** The Call panel has taken request `id`: it is not offered again. */
    done(id: number): void;
  };
}

export const createCallPickSlice: StateCreator<AppState, [], [], CallPickSlice> = (set) => {
  let nextId = 1;
  return {
    callPick: {
      request: null,
      done: (id) => set((state) => (state.callPick.request?.id === id ? { callPick: { ...state.callPick, request: null } } : state)),
      pick: (module, fn, arg) => set((state) => ({ callPick: { ...state.callPick, request: { id: nextId++, module, fn, ...(arg !== undefined ? { arg } : {}) } } })),
    },
  };
};
