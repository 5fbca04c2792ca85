/**
 * Selectors over the app state, and pure derivations from a module's description.
 *
 * Selectors return values already in the state (stable between renders, as `useStore` needs);
 * anything that builds a new array or object is a plain function to call inside `useMemo`.
 */
import type { ExportInfo, ModuleInfo, ModuleStatus, VersionInfo } from '../core';
import type { AppState } from './app-store';
import type { ModuleEntry } from './modules-slice';

const NO_VERSIONS: readonly VersionInfo[] = [];

/** The active module's entry, or the module still loading when none is active yet. */
const activeEntry = (s: AppState): ModuleEntry | undefined => {
  const { active, byName } = s.modules;
  if (active) return byName[active];
  for (const name in byName) return byName[name];
  return undefined;
};
/** The active module's status (null when no module is loaded or loading). */
export const selectStatus = (s: AppState): ModuleStatus | null => activeEntry(s)?.status ?? null;
export const selectModuleName = (s: AppState) => s.modules.active;
export const selectServingSha = (s: AppState) => activeEntry(s)?.info?.sha256 ?? null;
export const selectModule = (s: AppState): ModuleInfo | null => activeEntry(s)?.info ?? null;
export const selectModuleNames = (s: AppState) => s.modules.names;
export const selectHasModule = (s: AppState) => (activeEntry(s)?.info ?? null) !== null;
/** The last failed load, until a load succeeds. */
export const selectLastError = (s: AppState) => s.modules.lastError;
export const selectAutoReload = (s: AppState) => s.config.values.enabled;
export const selectAutoReloadPaused = (s: AppState) => s.config.autoReloadPaused;
export const selectLines = (s: AppState) => s.console.lines;
export const selectConsoleActions = (s: AppState) => s.console;
export const selectError = (s: AppState) => s.notices.error;
export const selectInfo = (s: AppState) => s.notices.info;

/** The notice actions alone: the same object for as long as the store lives. */
export type NoticeActions = Pick<AppState['notices'], 'reportError' | 'dismissError' | 'announce'>;
const noticeActions = new WeakMap<AppState['notices']['reportError'], NoticeActions>();
/**
 * Selecting the whole notices slice re-rendered every panel that reports errors (five of them)
 * at every notice, such as each update's; the action functions never change.
 */
export const selectNoticeActions = (s: AppState): NoticeActions => {
  const { reportError, dismissError, announce } = s.notices;
  let actions = noticeActions.get(reportError);
  if (!actions) noticeActions.set(reportError, (actions = { reportError, dismissError, announce }));
  return actions;
};
export const selectRecords = (s: AppState) => s.history.records;
/** The active module's versions that served, oldest first. */
export const selectVersions = (s: AppState) => activeEntry(s)?.versions ?? NO_VERSIONS;
export const selectConfig = (s: AppState) => s.config.values;

/** A function export as the Call panel offers it. */
export interface FunctionChoice {
  name: string;
  /** The option text: the name, plus "(raw)" or "(lifecycle)". */
  label: string;
  export: ExportInfo;
}

/** How an export can be called, for the Exports table: "JSON", "raw", "lifecycle", "lifecycle, JSON" or "—". */
export function callMode(e: ExportInfo): string {
  if (e.lifecycle) return e.jsonCallable ? 'lifecycle, JSON' : 'lifecycle';
  if (e.jsonCallable) return 'JSON';
  if (e.rawCallable) return 'raw';
  return '—';
}

/** Every function export, JSON-callable ones first (export order kept within each group). */
export function functionChoices(exports: readonly ExportInfo[] | null): FunctionChoice[] {
  if (!exports) return [];
  const functions = exports.filter((e) => e.kind === 'function');
  const ordered = [...functions.filter((e) => e.jsonCallable), ...functions.filter((e) => !e.jsonCallable)];
  return ordered.map((e) => ({
    name: e.name,
    label: e.lifecycle ? `${e.name} (lifecycle)` : !e.jsonCallable && e.rawCallable ? `${e.name} (raw)` : e.name,
    export: e,
  }));
}

/**
 * The function to select when nothing else is asked for: `increment` when it is a JSON call,
 * else the first JSON-callable non-lifecycle export, then any JSON call, then any raw call.
 */
export function defaultFunction(choices: readonly FunctionChoice[]): string | null {
  const json = choices.filter((c) => c.export.jsonCallable);
  const pick =
    json.find((c) => c.name === 'increment') ??
    json.find((c) => !c.export.lifecycle) ??
    json[0] ??
    choices.find((c) => c.export.rawCallable && !c.export.lifecycle) ??
    choices.find((c) => c.export.rawCallable) ??
    choices[0];
  return pick?.name ?? null;
}

export const selectLive = (s: AppState) => s.live;
