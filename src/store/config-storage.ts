/**
 * Where the engine keeps its settings in the browser: localStorage under one key, as JSON.
 *
 * Browsers may refuse storage (privacy modes throw on access, a full quota throws on write):
 * then settings live in memory for the session, with one console warning, and the page works on.
 * The record's format (schema version, validation) is the engine's business: here it is only
 * text in and out.
 */
import type { ConfigStorage, StoredConfig } from '../core';

export const CONFIG_STORAGE_KEY = 'hotwasm:config';

/** The part of the Web Storage API used here (window.localStorage in the app). */
export interface TextStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface LocalConfigStorageOptions {
  /** The Storage to use; read lazily (merely touching `window.localStorage` can throw). */
  storage?: () => TextStorage;
  key?: string;
  warn?: (message: string) => void;
}

export function localConfigStorage(options: LocalConfigStorageOptions = {}): ConfigStorage {
  const storage =
    options.storage ??
    (() => {
      const local = (globalThis as { localStorage?: TextStorage }).localStorage;
      if (!local) throw new Error('this environment has no localStorage');
      return local;
    });
  const key = options.key ?? CONFIG_STORAGE_KEY;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  /** `refused` is set once the browser refused: from then on, `record` in memory is the store. */
  const memory: { refused: boolean; record: StoredConfig | null } = { refused: false, record: null };

  const fallBack = (error: unknown) => {
    if (memory.refused) return;
    memory.refused = true;
    warn(`hotwasm: settings are kept in memory for this session only: the browser refused localStorage (${error instanceof Error ? error.message : String(error)})`);
  };

  return {
    read() {
      if (memory.refused) return memory.record;
      let text: string | null;
      try {
        text = storage().getItem(key);
      } catch (error) {
        fallBack(error);
        return null;
      }
      if (text === null) return null;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        warn(`hotwasm: ignoring stored settings that are not JSON (localStorage "${key}")`);
        return null;
      }
    },
    write(record) {
      if (!memory.refused) {
        try {
          storage().setItem(key, JSON.stringify(record));
          return;
        } catch (error) {
          fallBack(error);
        }
      }
      memory.record = record;
    },
  };
}
