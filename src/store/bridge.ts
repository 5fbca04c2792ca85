/**
 * The one bridge from the engine to the store: a snapshot when it connects, then every
 * {@link EngineEvent} applied in order. Nothing else writes engine state into the store, the
 * store never calls the engine, and after connecting the bridge never reads the engine either:
 * events carry what changed, so the same bridge works over a BroadcastChannel or a socket.
 */
import type { Engine, EngineEvent } from '../core';
import { formatBytes } from '../shared/inspect';
import type { AppStore } from './app-store';
import type { ErrorNotice } from './notices-slice';
import { type ModuleEntry, type ModulesData, emptyModules } from './modules-slice';

/** Errors that a version going live makes stale (the UI reports reload and rollback failures). */
const UPDATE_ACTIONS = new Set(['load', 'reload', 'rollback']);

export interface BridgeOptions {
  /**
   * When to apply queued events. By default at once; the app passes a once-per-frame scheduler,
   * so that a burst of events (output, an update's record, status) makes one render. While an
   * update or a deployment runs, events wait (up to {@link UPDATE_HOLD_MS}): a render in the
   * middle of one would delay its next step on this thread (a blue-green switch's held calls:
   * its longest call was 7 ms in the playground against 1.6 ms without the page).
   */
  schedule?: (flush: () => void) => void;
  /** Timers for the hold (tests pass their own). */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/** The longest events wait for an update to end before they are shown anyway (a long validation shows its progress). */
export const UPDATE_HOLD_MS = 100;

/**
 * After an update, the panels show it a moment later: its caller's next calls go first. A render
 * that started as an update ended held the answer to the call made right after it for the
 * render's whole length (traced: 9 ms of a 14 ms update latency in the playground).
 */
export const AFTER_UPDATE_MS = 30;

/**
 * Does a module serving now make the error shown stale? A failed load, reload or rollback of
 * the same module, or of a file that never became a module (a refused drop: the user went on
 * to load another one). A refused update of another module that still serves stays: its
 * build is still broken, and the error names it.
 */
function supersededBy(error: ErrorNotice | null, loaded: string, byName: Record<string, ModuleEntry>): boolean {
  if (!error || !UPDATE_ACTIONS.has(error.action)) return false;
  return error.module === null || error.module === loaded || byName[error.module]?.info == null;
}

/** What the engine holds now, as the store keeps it. */
function snapshot(engine: Engine): ModulesData {
  const data = emptyModules();
  const byName: Record<string, ModuleEntry> = {};
  for (const info of engine.modules()) {
    const handle = engine.module(info.name);
    byName[info.name] = { status: handle.status(), info, versions: handle.versions() };
  }
  return { ...data, byName, names: Object.keys(byName), active: engine.active() };
}

/** Subscribe the store to the engine. Returns the unsubscribe function. */
export function connectEngine(engine: Engine, store: AppStore, options: BridgeOptions = {}): () => void {
  const { schedule } = options;
  const initial = store.getState();
  initial.modules.reset(snapshot(engine));
  initial.history.reset(engine.history());
  initial.config.update({ ...engine.config }, engine.status().autoReloadPaused);
  initial.checkpoints.reset(Object.fromEntries(engine.modules().map((info) => [info.name, engine.module(info.name).checkpoints()])));
  initial.deploy.reset(Object.fromEntries(engine.modules().map((info) => [info.name, { instances: engine.pool(info.name), deployment: engine.deployment(info.name)?.status() ?? null }])));

  const apply = (event: EngineEvent) => {
    const { modules, console: output, notices, history, config, checkpoints, deploy } = store.getState();
    modules.apply(event);
    checkpoints.apply(event);
    deploy.apply(event);
    switch (event.type) {
      case 'loaded': {
        // Output of the new build starts on its own line.
        output.seal();
        if (supersededBy(notices.error, event.module, store.getState().modules.byName)) notices.dismissError();
        // A first load is announced; an update is told by the Status panel's message (a live region).
        const { source, size } = event.info;
        if (!event.replaced) notices.announce(`Loaded ${source} (${formatBytes(size)})`);
        break;
      }
      case 'output':
        output.append(event.stream, event.text, event.module);
        break;
      case 'update':
        history.add(event.record);
        break;
      case 'history':
        history.reset(event.records);
        break;
      case 'config':
        config.update(event.config, event.autoReloadPaused);
        break;
      case 'error':
        // A failed load is only visible here. A failed call or run rejects for whoever made it
        // (the Call panel shows it as the result; DevTools shows the rejected promise), so
        // raising the page alert too would only say the same thing twice.
        // A registry write that failed (storage full) is shown too: nothing else says it.
        if (event.action === 'load' || event.action === 'save') notices.reportError({ ...event.error, details: { ...event.error.details, module: event.error.details?.module ?? event.module } }, event.action);
        break;
      case 'saved':
        if (notices.error?.code === 'not-saved' && /storage full/.test(notices.error.message)) {
          notices.dismissError();
          notices.announce('Everything that waited for room is saved now');
        }
        break;
      case 'status':
      case 'versions':
      case 'unloaded':
      case 'active':
      case 'checkpoint':
      case 'checkpoints-cleared':
      case 'deployment':
      case 'pool':
        break; // the modules, checkpoints and deploy slices have them
      default: {
        const check: never = event;
        void check;
      }
    }
  };
  if (!schedule) return engine.subscribe(apply);
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  let queue: EngineEvent[] = [];
  let scheduled = false;
  let hold: unknown = null;
  /** Modules with an update or a deployment running. */
  const updating = new Set<string>();
  const deploying = new Set<string>();
  const flush = () => {
    scheduled = false;
    const events = queue;
    queue = [];
    for (const event of events) apply(event);
  };
  const request = () => {
    if (hold !== null) clearTimer(hold);
    hold = null;
    if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  };
  const unsubscribe = engine.subscribe((event) => {
    queue.push(event);
    let ended = false;
    if (event.type === 'status') {
      if (event.status.updating !== null) updating.add(event.module);
      else ended = updating.delete(event.module);
    } else if (event.type === 'deployment') {
      if (event.status.outcome === null) deploying.add(event.module);
      else ended = deploying.delete(event.module);
    } else if (event.type === 'unloaded') {
      updating.delete(event.module);
      deploying.delete(event.module);
    }
    // The history of earlier sessions is shown at once (restored modules load right after it).
    if (event.type === 'history') request();
    else if (updating.size > 0 || deploying.size > 0) hold ??= setTimer(request, UPDATE_HOLD_MS);
    else if (ended) {
      if (hold !== null) clearTimer(hold);
      hold = setTimer(request, AFTER_UPDATE_MS);
    } else if (hold === null) request();
  });
  return () => {
    if (hold !== null) clearTimer(hold);
    unsubscribe();
  };
}
