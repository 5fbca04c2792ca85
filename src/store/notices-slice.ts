/**
 * Notices slice: the latest error and the latest info message, for the page's live regions.
 * Every notice gets a new id, so the same text posted twice is still a change (and announced).
 */
import type { StateCreator } from 'zustand/vanilla';
import { freshGetsPast, isRefusalStory, refusalMessage } from '../core';
import type { AppState } from './app-store';

export interface ErrorNotice {
  id: number;
  /** The error's message, already written for the person reading it. */
  message: string;
  /** The error class name (e.g. HotwasmError), when it came from an error object. */
  name: string | null;
  /** What failed: an engine action (load, call, run) or a UI action (copy, restart, …). */
  action: string;
  /** The error's code and, for a refused update, the step that refused it (the UI offers what fits). */
  code: string | null;
  step: string | null;
  /** The module it is about, when it is about one (a refused update's "Load it fresh" acts on it). */
  module: string | null;
  /** A refused update that a fresh load gets past (an API major change, lost exports): the alert offers Load it fresh. */
  offerFresh: boolean;
}

export interface InfoNotice {
  id: number;
  text: string;
}

export interface NoticesSlice {
  notices: {
    error: ErrorNotice | null;
    info: InfoNotice | null;
    /** Show an error: an Error, a serialised one (`{ message, code, details }`) or a message. */
    reportError(error: unknown, action: string): void;
    dismissError(): void;
    announce(text: string): void;
  };
}

export const createNoticesSlice: StateCreator<AppState, [], [], NoticesSlice> = (set) => {
  let nextNoticeId = 1;
  const patch = (values: Partial<Pick<NoticesSlice['notices'], 'error' | 'info'>>) =>
    set((state) => ({ notices: { ...state.notices, ...values } }));
  return {
    notices: {
      error: null,
      info: null,
      reportError: (error, action) => {
        // HotwasmError's code and details, read by shape: the store does not depend on the engine.
        const { code, details, message, name } = (error ?? {}) as { code?: unknown; details?: { step?: unknown; module?: unknown; story?: unknown }; message?: unknown; name?: unknown };
        const text = (v: unknown) => (typeof v === 'string' ? v : null);
        // A refused update is worded again for a person here: its way out is a button, not an option.
        const story = isRefusalStory(details?.story) ? details.story : null;
        // An info notice from before is about an earlier moment: beside the newer error it would read as its outcome.
        patch({
          info: null,
          error: {
            id: nextNoticeId++,
            message: story ? refusalMessage(story, 'ui') : (text(message) ?? String(error)),
            name: text(name),
            action,
            code: text(code),
            step: text(details?.step),
            module: text(details?.module),
            offerFresh: story !== null && freshGetsPast(story.refusal),
          },
        });
      },
      dismissError: () => patch({ error: null }),
      announce: (text) => patch({ info: { id: nextNoticeId++, text } }),
    },
  };
};
