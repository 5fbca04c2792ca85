/** Loading from the UI (file picker, URL form, drop, examples, a link): the outcome reaches the page through the bridge. */
import type { Engine, LoadOptions, ModuleInfo } from '../../store';

type Source = Parameters<Engine['load']>[0];

/** The URL each build loaded from a URL came from, by sha256: a share link can name it instead of carrying the module. */
const urls = new Map<string, string>();

/**
 * Start a load. A failure is already reported to the store by the bridge (the engine emits an
 * `error` event for it), so the rejection is only swallowed here; the info is answered, or null.
 */
export function startLoad(engine: Engine, source: Source, options?: LoadOptions): Promise<ModuleInfo | null> {
  return engine.load(source, options).then(
    (info) => {
      // As given (relative to the page, for a link to resolve the same way), when it was a URL.
      if (typeof source === 'string' || source instanceof URL) urls.set(info.sha256, String(source));
      return info;
    },
    () => null,
  );
}

/** The URL these bytes were loaded from, if they were. */
export const urlOfBuild = (sha256: string): string | null => urls.get(sha256) ?? null;
