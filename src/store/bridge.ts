/**
 * The one bridge from the engine to the store: every {@link EngineEvent} becomes store actions.
 * Nothing else writes engine state into the store, and the store never calls the engine.
 */
import type { Engine, EngineConfig, EngineEvent } from '../core';
import { formatBytes } from '../shared/inspect';
import type { AppStore } from './app-store';

/** Errors that a version going live makes stale (the UI reports reload and rollback failures). */
const UPDATE_ACTIONS = new Set(['load', 'reload', 'rollback']);

/** A plain copy of the engine's live settings object. */
const configOf = (engine: Engine): EngineConfig => ({ ...engine.config });

export interface BridgeOptions {
  /**
   * When to apply queued events. By default at once; the app passes a once-per-frame scheduler,
   * so that a burst of events (output, an update's record, status) makes one render, and a render
   * never runs between an update finishing and the caller's next call reaching the worker.
   */
  schedule?: (flush: () => void) => void;
}

/** Subscribe the store to the engine. Returns the unsubscribe function. */
export function connectEngine(engine: Engine, store: AppStore, { schedule }: BridgeOptions = {}): () => void {
  const initial = store.getState();
  initial.status.update(engine.status(), engine.module());
  initial.history.reset(engine.history());
  initial.history.setVersions(engine.versions());
  initial.config.update(configOf(engine));
  const apply = (event: EngineEvent) => {
    const { status, console: output, notices, history, config } = store.getState();
    switch (event.type) {
      case 'status':
        // `use()` and restarts change the active module without a `loaded` event: read it again.
        status.update(event.status, engine.module());
        // The engine emits a status event after every settings change, and after every
        // update or module switch (which change the versions kept for rollback).
        config.update(configOf(engine));
        history.setVersions(engine.versions());
        break;
      case 'loaded': {
        // Output of the new build starts on its own line.
        output.seal();
        status.update(engine.status(), engine.module());
        history.setVersions(engine.versions());
        if (notices.error && UPDATE_ACTIONS.has(notices.error.action)) notices.dismissError();
        const { source, size } = event.module;
        notices.announce(`Loaded ${source} (${formatBytes(size)})${event.replaced ? ', replacing the running build' : ''}`);
        break;
      }
      case 'output':
        output.append(event.stream, event.text);
        break;
      case 'update':
        history.add(event.record);
        history.setVersions(engine.versions());
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
  };
  if (!schedule) return engine.subscribe(apply);
  let queue: EngineEvent[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const events = queue;
    queue = [];
    for (const event of events) apply(event);
  };
  return engine.subscribe((event) => {
    queue.push(event);
    if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  });
}
