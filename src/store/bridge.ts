/**
 * The one bridge from the engine to the store: every {@link EngineEvent} becomes store actions.
 * Nothing else writes engine state into the store, and the store never calls the engine.
 */
import type { Engine } from '../core';
import { formatBytes } from '../shared/inspect';
import type { AppStore } from './app-store';

/** Subscribe the store to the engine. Returns the unsubscribe function. */
export function connectEngine(engine: Engine, store: AppStore): () => void {
  store.getState().status.update(engine.status(), engine.module());
  return engine.subscribe((event) => {
    const { status, console: output, notices } = store.getState();
    switch (event.type) {
      case 'status':
        // `use()` and restarts change the active module without a `loaded` event: read it again.
        status.update(event.status, engine.module());
        break;
      case 'loaded': {
        // Output of the new build starts on its own line.
        output.seal();
        status.update(engine.status(), engine.module());
        if (notices.error?.action === 'load') notices.dismissError();
        const { source, size } = event.module;
        notices.announce(`Loaded ${source} (${formatBytes(size)})${event.replaced ? ', replacing the running build' : ''}`);
        break;
      }
      case 'output':
        output.append(event.stream, event.text);
        break;
      case 'update':
        // The History panel reads engine.history(); the status event that follows refreshes it.
        break;
      case 'error':
        // A failed load is only visible here. A failed call or run rejects for whoever made it
        // (the Call panel shows it as the result; DevTools shows the rejected promise), so
        // raising the page alert too would only say the same thing twice.
        if (event.action === 'load') notices.reportError(event.error, 'load');
        break;
      default: {
        const check: never = event;
        void check;
      }
    }
  });
}
