/** The Source panel's own settings, kept in localStorage: compile as you type, and its delay. */
import { useCallback, useState } from 'react';

export interface SourceSettings {
  live: boolean;
  /** How long after the last keystroke a build starts. */
  debounceMs: number;
}

export const DEFAULT_SOURCE_SETTINGS: SourceSettings = { live: true, debounceMs: 300 };
const KEY = 'hotwasm.source';

export function readSourceSettings(storage: Pick<Storage, 'getItem'> | null): SourceSettings {
  try {
    const raw = JSON.parse(storage?.getItem(KEY) ?? 'null') as Partial<SourceSettings> | null;
    const live = typeof raw?.live === 'boolean' ? raw.live : DEFAULT_SOURCE_SETTINGS.live;
    const d = raw?.debounceMs;
    const debounceMs = typeof d === 'number' && Number.isInteger(d) && d >= 0 && d <= 5000 ? d : DEFAULT_SOURCE_SETTINGS.debounceMs;
    return { live, debounceMs };
  } catch {
    return DEFAULT_SOURCE_SETTINGS;
  }
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // refused (a sandboxed frame): the settings last for this page
  }
}

export function useSourceSettings(): [SourceSettings, (change: (s: SourceSettings) => SourceSettings) => void] {
  const [settings, set] = useState(() => readSourceSettings(storage()));
  const update = useCallback((change: (s: SourceSettings) => SourceSettings) => {
    set((s) => {
      const next = change(s);
      try {
        storage()?.setItem(KEY, JSON.stringify(next));
      } catch {
        // storage full or refused: the setting holds for this page
      }
      return next;
    });
  }, []);
  return [settings, update];
}
