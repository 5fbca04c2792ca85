/**
 * Modules slice: every module the engine knows — its status, its serving version and its
 * versions — keyed by name, which one is active, and the last load that failed. It is a reducer
 * over engine events ({@link reduceModules}): the bridge never reads the engine after connecting.
 */
import type { StateCreator } from 'zustand/vanilla';
import { type EngineEvent, type ModuleInfo, type ModuleStatus, type VersionInfo, isRefusalStory, refusalMessage } from '../core';
import type { AppState } from './app-store';

export interface ModuleEntry {
  status: ModuleStatus;
  /** The serving version, or null while the first load runs. */
  info: ModuleInfo | null;
  /** Versions that served, oldest first. */
  versions: readonly VersionInfo[];
}

export interface ModulesData {
  byName: Readonly<Record<string, ModuleEntry>>;
  /** Modules with a serving version, in the order they first served. */
  names: readonly string[];
  active: string | null;
  /** The last load that failed, until a load succeeds: it names no module that serves. */
  lastError: { text: string; at: number } | null;
}

export const emptyModules = (): ModulesData => ({ byName: {}, names: [], active: null, lastError: null });

const blankStatus = (name: string): ModuleStatus => ({
  name,
  state: 'loading',
  version: null,
  apiVersion: null,
  sha256: null,
  lastUpdate: null,
  message: null,
  messageAt: null,
  checkpointAt: null,
  updating: null,
  instances: 0,
  busy: null,
  busySince: null,
  calls: 0,
  errors: 0,
  p50Ms: null,
  p99Ms: null,
});

/** Every field of a status is a plain value: compare them all. */
function sameStatus(a: ModuleStatus, b: ModuleStatus): boolean {
  for (const key of Object.keys(b) as (keyof ModuleStatus)[]) if (a[key] !== b[key]) return false;
  return true;
}

/** Structural equality of plain data (what module descriptions are made of). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * A new version's description, sharing the lists that did not change with the one before it (a
 * new build usually has the exports of the last): panels showing them then have nothing to redo.
 */
function sharing(next: ModuleInfo, before: ModuleInfo | null): ModuleInfo {
  if (!before) return next;
  const keep = <K extends 'exports' | 'imports' | 'memories' | 'customSections'>(key: K): ModuleInfo[K] => (same(before[key], next[key]) ? before[key] : next[key]);
  return { ...next, exports: keep('exports'), imports: keep('imports'), memories: keep('memories'), customSections: keep('customSections') };
}

/**
 * A version's label names the same bytes for ever, so what it imports and exports never changes:
 * the fields that can (served, pinned, named) and the rest of the metadata are compared.
 */
const sameVersion = (a: VersionInfo, b: VersionInfo): boolean =>
  a.version === b.version && a.sha256 === b.sha256 && a.servedAt === b.servedAt && a.pinned === b.pinned && a.tag === b.tag && a.source === b.source && a.size === b.size && a.apiVersion === b.apiVersion && a.trigger === b.trigger && a.createdAt === b.createdAt;

/**
 * The new list of versions, keeping the objects of those that did not change (each event lists
 * them all, as new objects): the History panel's rows then redraw only the versions that did.
 */
function sharingVersions(next: readonly VersionInfo[], before: readonly VersionInfo[] | undefined): readonly VersionInfo[] {
  if (!before?.length) return next;
  const byLabel = new Map(before.map((v) => [v.version, v]));
  return next.map((v) => {
    const old = byLabel.get(v.version);
    return old && sameVersion(old, v) ? old : v;
  });
}

function patchEntry(data: ModulesData, name: string, patch: Partial<ModuleEntry>): ModulesData {
  const entry = data.byName[name] ?? { status: blankStatus(name), info: null, versions: [] };
  return { ...data, byName: { ...data.byName, [name]: { ...entry, ...patch } } };
}

/**
 * Apply one engine event. Pure: answers `data` itself when nothing shown changes (the engine
 * reports statuses that often equal the last one; keeping the old objects keeps panels still).
 */
export function reduceModules(data: ModulesData, event: EngineEvent): ModulesData {
  switch (event.type) {
    case 'status': {
      const entry = data.byName[event.module];
      if (entry && sameStatus(entry.status, event.status)) return data;
      return patchEntry(data, event.module, { status: event.status });
    }
    case 'loaded': {
      const next = patchEntry(data, event.module, { info: sharing(event.info, data.byName[event.module]?.info ?? null) });
      const names = data.names.includes(event.module) ? data.names : [...data.names, event.module];
      return { ...next, names, lastError: null };
    }
    case 'versions':
      return patchEntry(data, event.module, { versions: sharingVersions(event.versions, data.byName[event.module]?.versions) });
    case 'unloaded': {
      const { [event.module]: _gone, ...byName } = data.byName;
      return { ...data, byName, names: data.names.filter((n) => n !== event.module) };
    }
    case 'active':
      return event.module === data.active ? data : { ...data, active: event.module };
    case 'error': {
      if (event.action !== 'load') return data;
      // A refused update in the Status panel's words: what happened; the alert offers the way out.
      const story = event.error.details?.story;
      const text = isRefusalStory(story) ? refusalMessage(story, 'status') : event.error.message;
      const failed = { ...data, lastError: { text, at: event.at } };
      // A module whose first load failed never served: it is not left "loading" (a restore
      // reports a module loading while it reads its bytes, which may be refused).
      const entry = event.module === null ? undefined : data.byName[event.module];
      if (!entry || entry.info !== null || event.module === null) return failed;
      const { [event.module]: _gone, ...byName } = data.byName;
      return { ...failed, byName };
    }
    case 'update':
    case 'history':
    case 'checkpoint':
    case 'checkpoints-cleared':
    case 'config':
    case 'output':
    case 'saved':
    case 'deployment':
    case 'pool':
      return data;
    default: {
      const check: never = event;
      return check;
    }
  }
}

export interface ModulesSlice {
  modules: ModulesData & {
    apply(event: EngineEvent): void;
    /** Start from a snapshot (the bridge, when it connects). */
    reset(data: ModulesData): void;
  };
}

export const createModulesSlice: StateCreator<AppState, [], [], ModulesSlice> = (set) => ({
  modules: {
    ...emptyModules(),
    apply: (event) =>
      set((state) => {
        const { byName, names, active, lastError } = state.modules;
        const current = { byName, names, active, lastError };
        const next = reduceModules(current, event);
        return next === current ? state : { modules: { ...state.modules, ...next } };
      }),
    reset: (data) => set((state) => ({ modules: { ...state.modules, ...data } })),
  },
});
