/** Loading from the UI (file picker, URL form, drop): the outcome reaches the page through the bridge. */
import type { Engine } from '../../store';

type Source = Parameters<Engine['load']>[0];

/**
 * Start a load. A failure is already reported to the store by the bridge (the engine emits an
 * `error` event for it), so the rejection is only swallowed here.
 */
export function startLoad(engine: Engine, source: Source): void {
  engine.load(source).catch(() => undefined);
}
