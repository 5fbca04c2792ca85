/**
 * History: the active module's versions (newest first, with what can be done with the picked
 * one, and two compared side by side) and its updates (newest first, filterable by outcome).
 * One text filter narrows both. The update list has one tab stop (the last record focused, else
 * the newest); ArrowUp and ArrowDown, Home and End move between records.
 */
import { type FocusEvent, type KeyboardEvent, useCallback, useId, useMemo, useRef, useState } from 'react';
import { OUTCOMES, type UpdateOutcome, type UpdateRecord, type VersionInfo, filterRecords, selectModuleName, selectRecords, selectServingSha, selectUnreadable, selectVersions } from '../../store';
import { recordKey } from '../../core/history';
import { useAppStore } from '../common/context';
import { useProgressive } from './progressive';
import { RecordItem } from './RecordItem';
import { VersionActions } from './VersionActions';
import { VersionComparePane } from './VersionComparePane';
import { VersionsTable, validations } from './VersionsTable';
import { StorageStatus } from './StorageStatus';

type Filter = UpdateOutcome | 'all';

const NAV_KEYS = new Set(['ArrowDown', 'ArrowUp', 'Home', 'End']);

const SHOWN = 100;
/** About as many records as the list shows before it scrolls (30rem high, a record is about 2.5rem): rendered first. */
const FIRST = 12;
/** Versions shown before "Show all": the newest. */
const VERSIONS_SHOWN = 50;

/** Whether a version or record matches the filter text (label, name, sha256 prefix, source, outcome, error). */
const versionMatches = (v: VersionInfo, q: string) => [v.version, v.tag ?? '', v.sha256, v.source, v.trigger].some((f) => f.toLowerCase().includes(q));
const recordMatches = (r: UpdateRecord, q: string) =>
  [r.from?.version ?? '', r.to?.version ?? '', r.from?.sha256 ?? '', r.to?.sha256 ?? '', r.trigger, r.outcome, r.error ?? ''].some((f) => f.toLowerCase().includes(q));

export function HistoryPanel() {
  const all = useAppStore(selectRecords);
  const moduleName = useAppStore(selectModuleName);
  const kept = useAppStore(selectVersions);
  const servingSha = useAppStore(selectServingSha);
  const allUnreadable = useAppStore(selectUnreadable);
  const unreadable = useMemo(() => allUnreadable.filter((r) => r.version?.module === moduleName), [allUnreadable, moduleName]);
  const records = useMemo(() => filterRecords(all, 'all', moduleName), [all, moduleName]);
  const [filter, setFilter] = useState<Filter>('all');
  const [query, setQuery] = useState('');
  const [showAll, setShowAll] = useState(false);
  const [showAllVersions, setShowAllVersions] = useState(false);
  const [picked, setPicked] = useState<{ module: string; version: string } | null>(null);
  const [compare, setCompare] = useState<{ module: string; version: string } | null>(null);
  const q = query.trim().toLowerCase();
  const matching = useMemo(() => filterRecords(records, filter).filter((r) => q === '' || recordMatches(r, q)), [records, filter, q]);
  const versions = useMemo(() => [...kept].reverse().filter((v) => q === '' || versionMatches(v, q)), [kept, q]);
  // The rows the table shows before it scrolls first, the rest in a deferred render (as records).
  const listedVersions = showAllVersions ? versions : versions.slice(0, VERSIONS_SHOWN);
  const shownVersions = useProgressive(listedVersions, FIRST);
  const validation = useMemo(() => validations(records), [records]);
  // A pick belongs to a module and a version that is still kept.
  const pickedVersion = picked && picked.module === moduleName && kept.some((v) => v.version === picked.version) ? picked.version : null;
  const target = kept.find((v) => v.version === pickedVersion) ?? kept.find((v) => v.sha256 === servingSha) ?? null;
  const other = compare && compare.module === moduleName ? (kept.find((v) => v.version === compare.version && v.version !== target?.version) ?? null) : null;
  // A long session makes thousands of records: render the newest ones unless asked.
  const shown = showAll ? matching : matching.slice(0, SHOWN);
  const rendered = useProgressive(shown, FIRST);
  // The same function from render to render, so that the version rows that did not change stay as they are.
  const onPick = useCallback((version: string) => moduleName !== null && setPicked({ module: moduleName, version }), [moduleName]);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const ids = { filter: useId(), heading: useId(), query: useId(), group: useId() };

  // The tab stop stays on the record last focused while it is shown; else the newest one.
  const tabStop = shown.some((r) => recordKey(r) === activeKey) ? activeKey : shown[0] ? recordKey(shown[0]) : null;

  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    if (!NAV_KEYS.has(event.key) || shown.length === 0) return;
    const current = shown.findIndex((r) => recordKey(r) === tabStop);
    const last = shown.length - 1;
    const next = event.key === 'Home' ? 0 : event.key === 'End' ? last : Math.min(last, Math.max(0, current + (event.key === 'ArrowDown' ? 1 : -1)));
    event.preventDefault();
    setActiveKey(recordKey(shown[next]!));
    (listRef.current?.children[next] as HTMLElement | undefined)?.focus();
  };

  // Focus arriving on a record (a click, Tab) makes it the tab stop.
  const onFocus = (event: FocusEvent<HTMLOListElement>) => {
    const key = (event.target as HTMLElement).dataset.key;
    if (key) setActiveKey(key);
  };

  const count = filter === 'all' && q === '' ? `${records.length}` : `${matching.length} of ${records.length}`;
  return (
    <section className="panel history-panel" aria-label="History">
      <div className="panel-header">
        <h2>History</h2>
        <div className="inline-field">
          <label htmlFor={ids.query}>Filter</label>
          <input id={ids.query} type="search" value={query} placeholder="label, name, sha256, outcome…" onChange={(e) => setQuery(e.currentTarget.value)} />
        </div>
      </div>
      {moduleName && kept.length > 0 && (
        <div className="versions">
          <VersionActions
            module={moduleName}
            versions={kept}
            servingSha={servingSha}
            picked={pickedVersion}
            compareWith={other?.version ?? null}
            onCompare={(version) => setCompare(version ? { module: moduleName, version } : null)}
            onDeleted={() => setPicked(null)}
          />
          {versions.length === 0 ? (
            <p className="empty">No version matches “{query}”</p>
          ) : (
            <div className="table-scroll">
              <VersionsTable
                module={moduleName}
                versions={shownVersions}
                servingSha={servingSha}
                validation={validation}
                picked={pickedVersion}
                onPick={onPick}
                group={ids.group}
              />
            </div>
          )}
          {listedVersions.length < versions.length && (
            <button type="button" className="show-all" onClick={() => setShowAllVersions(true)}>
              Show all {versions.length} versions
            </button>
          )}
          {unreadable.length > 0 && (
            <div className="storage-warning" role="note">
              <p>Unreadable versions of {moduleName} (kept in storage as they are; they cannot be run or rolled back to):</p>
              <ul>
                {unreadable.map((r) => (
                  <li key={r.key}>
                    <strong>{r.version!.label}</strong>: {r.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {target && other && <VersionComparePane module={moduleName} a={target} b={other} onClose={() => setCompare(null)} />}
        </div>
      )}
      <div className="panel-header">
        <h3 id={ids.heading}>Updates</h3>
        <span className="muted">
          {count} {records.length === 1 ? 'update' : 'updates'}
        </span>
        <div className="inline-field">
          <label htmlFor={ids.filter}>Outcome</label>
          <select id={ids.filter} value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <option value="all">All</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </div>
      </div>
      {shown.length === 0 ? (
        <p className="empty history-empty">{records.length === 0 ? 'No updates yet' : q !== '' ? `No updates match “${query}”` : `No updates with the outcome “${filter}”`}</p>
      ) : (
        <ol ref={listRef} className="history-list" aria-labelledby={ids.heading} onKeyDown={onKeyDown} onFocus={onFocus}>
          {rendered.map((record) => (
            <RecordItem key={recordKey(record)} record={record} tabbable={recordKey(record) === tabStop} />
          ))}
        </ol>
      )}
      {shown.length < matching.length && (
        <button type="button" className="show-all" onClick={() => setShowAll(true)}>
          Show all {matching.length}
        </button>
      )}
      {/* Where the versions are kept, export and import: with the versions, for every module. */}
      <StorageStatus />
    </section>
  );
}
