/**
 * Selectors over the app state, and pure derivations from a module's description.
 *
 * Selectors return values already in the state (stable between renders, as `useStore` needs);
 * anything that builds a new array or object is a plain function to call inside `useMemo`.
 */
import type { CheckpointInfo, ExportInfo, ModuleInfo, ModuleStatus, VersionInfo } from '../core';
import type { AppState } from './app-store';
import type { ModuleDeploy } from './deploy-slice';
import type { ModuleEntry } from './modules-slice';

const NO_VERSIONS: readonly VersionInfo[] = [];

/** The active module's name, or the module still loading when none is active yet. */
const activeName = (s: AppState): string | null => {
  const { active, byName } = s.modules;
  if (active) return active;
  for (const name in byName) return name;
  return null;
};
/** The active module's entry, or the module still loading when none is active yet. */
const activeEntry = (s: AppState): ModuleEntry | undefined => {
  const name = activeName(s);
  return name === null ? undefined : s.modules.byName[name];
};
/** The active module's status (null when no module is loaded or loading). */
export const selectStatus = (s: AppState): ModuleStatus | null => activeEntry(s)?.status ?? null;
/**
 * The active module's name, or the module still loading when none is active yet, as for its
 * status: the History shows the records of a module coming back while it loads (a reload showed
 * them only once it served, 176 ms after the start instead of a few).
 */
export const selectModuleName = activeName;
export const selectServingSha = (s: AppState) => activeEntry(s)?.info?.sha256 ?? null;
export const selectModule = (s: AppState): ModuleInfo | null => activeEntry(s)?.info ?? null;
/** Instances serving the active module (1 unless it was scaled). */
export const selectInstances = (s: AppState): number => activeEntry(s)?.status.instances ?? 1;
export const selectModuleNames = (s: AppState) => s.modules.names;
export const selectModulesByName = (s: AppState) => s.modules.byName;
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
/** The active module's pool and latest deployment (null before its first pool event). */
export const selectDeploy = (s: AppState): ModuleDeploy | null => {
  const name = activeName(s);
  return name === null ? null : (s.deploy.byModule[name] ?? null);
};

/** How an export can be called, for the Exports table: "JSON", "raw", "lifecycle", "lifecycle, JSON" or "—". */
export function callMode(e: ExportInfo): string {
  if (e.lifecycle) return e.jsonCallable ? 'lifecycle, JSON' : 'lifecycle';
  if (e.jsonCallable) return 'JSON';
  if (e.rawCallable) return 'raw';
  return '—';
}

const NO_CHOICES: readonly ExportInfo[] = [];
const choicesOf = new WeakMap<readonly ExportInfo[], readonly ExportInfo[]>();

/**
 * The function exports as the Call panel offers them: JSON-callable ones first (export order kept
 * within each group). One pass, remembered per exports list: a module can have 100,000 exports,
 * and every render that asks gets the same array.
 */
export function functionChoices(exports: readonly ExportInfo[] | null): readonly ExportInfo[] {
  if (!exports) return NO_CHOICES;
  const known = choicesOf.get(exports);
  if (known) return known;
  const json: ExportInfo[] = [];
  const other: ExportInfo[] = [];
  for (const e of exports) if (e.kind === 'function') (e.jsonCallable ? json : other).push(e);
  for (const e of other) json.push(e);
  choicesOf.set(exports, json);
  return json;
}

/** The option text of a function: the name, plus "(raw)" or "(lifecycle)". Made only for the options shown. */
export function functionLabel(e: ExportInfo): string {
  return e.lifecycle ? `${e.name} (lifecycle)` : !e.jsonCallable && e.rawCallable ? `${e.name} (raw)` : e.name;
}

const indexes = new WeakMap<readonly ExportInfo[], Map<string, ExportInfo>>();

/** The function of that name, looked up in a map made once per list, when first asked. */
export function choiceNamed(choices: readonly ExportInfo[], name: string | null): ExportInfo | null {
  if (name === null) return null;
  let index = indexes.get(choices);
  if (!index) {
    index = new Map();
    for (const e of choices) index.set(e.name, e);
    indexes.set(choices, index);
  }
  return index.get(name) ?? null;
}

const defaults = new WeakMap<readonly ExportInfo[], ExportInfo | null>();

/**
 * The function to select when nothing else is asked for: `increment` when it is a JSON call,
 * else the first JSON-callable non-lifecycle export, then any JSON call, then any raw call.
 * One pass, remembered per list.
 */
export function defaultChoice(choices: readonly ExportInfo[]): ExportInfo | null {
  const known = defaults.get(choices);
  if (known !== undefined) return known;
  let json: ExportInfo | undefined;
  let jsonOwn: ExportInfo | undefined;
  let raw: ExportInfo | undefined;
  let rawOwn: ExportInfo | undefined;
  let pick: ExportInfo | undefined;
  for (const c of choices) {
    const { jsonCallable, rawCallable, lifecycle } = c;
    if (jsonCallable && c.name === 'increment') {
      pick = c;
      break;
    }
    if (jsonCallable) {
      json ??= c;
      if (!lifecycle) jsonOwn ??= c;
    } else if (rawCallable) {
      raw ??= c;
      if (!lifecycle) rawOwn ??= c;
    }
  }
  const choice = pick ?? jsonOwn ?? json ?? rawOwn ?? raw ?? choices[0] ?? null;
  defaults.set(choices, choice);
  return choice;
}

/** The name of {@link defaultChoice}. */
export const defaultFunction = (choices: readonly ExportInfo[]): string | null => defaultChoice(choices)?.name ?? null;

/** Does `text` contain `query`, ignoring case? (`query` already lower case.) */
export const matchesQuery = (text: string, query: string): boolean => query === '' || text.toLowerCase().includes(query);

const lowered = new WeakMap<readonly unknown[], { text: (item: never) => string; texts: string[] }>();

/** The texts of `items` in lower case, made once per list (and text function). */
function lowerTexts<T>(items: readonly T[], text: (item: T) => string): string[] {
  const known = lowered.get(items);
  if (known && known.text === text) return known.texts;
  const texts = items.map((item) => text(item).toLowerCase());
  lowered.set(items, { text, texts });
  return texts;
}

/**
 * The first `limit` items whose text contains `query` (ignoring case), and how many match in
 * all: one pass over texts lowered once per list, so a list of 100,000 is filtered in a few
 * milliseconds a keystroke and never rendered whole.
 */
export function firstMatches<T>(items: readonly T[], query: string, text: (item: T) => string, limit: number): { shown: T[]; total: number } {
  const q = query.trim().toLowerCase();
  if (q === '') return { shown: items.slice(0, limit), total: items.length };
  const texts = lowerTexts(items, text);
  const shown: T[] = [];
  let total = 0;
  for (let i = 0; i < texts.length; i++) {
    if (!texts[i]!.includes(q)) continue;
    total++;
    if (shown.length < limit) shown.push(items[i]!);
  }
  return { shown, total };
}
export const selectLive = (s: AppState) => s.live;
/** The latest request that the Call panel choose a function (see call-pick-slice.ts). */
export const selectCallPickRequest = (s: AppState) => s.callPick.request;
/** The request maker: the same function for the store's life, so a row that only asks never re-renders for it. */
export const selectCallPick = (s: AppState) => s.callPick.pick;
export const selectStorageMode = (s: AppState) => s.storage.mode;
export const selectStorageReason = (s: AppState) => s.storage.reason;
export const selectUnreadable = (s: AppState) => s.storage.unreadable;

const NO_CHECKPOINTS: readonly CheckpointInfo[] = [];
const NO_RESTARTS: readonly number[] = [];
/** The active module's recent checkpoints, oldest first. */
export const selectCheckpoints = (s: AppState): readonly CheckpointInfo[] => {
  const name = activeName(s);
  return (name === null ? undefined : s.checkpoints.byModule[name]?.checkpoints) ?? NO_CHECKPOINTS;
};
/** When the active module restarted (ms since epoch), oldest first. */
export const selectRestarts = (s: AppState): readonly number[] => {
  const name = activeName(s);
  return (name === null ? undefined : s.checkpoints.byModule[name]?.restarts) ?? NO_RESTARTS;
};
