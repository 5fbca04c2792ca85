/**
 * History: the active module's updates, newest first, filterable by outcome, and its Roll back
 * controls. The list has one tab stop (the last record focused, else the newest); ArrowUp and
 * ArrowDown, Home and End move between records.
 */
import { type FocusEvent, type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import { OUTCOMES, type UpdateOutcome, filterRecords, selectModuleName, selectRecords } from '../../store';
import { useAppStore } from '../common/context';
import { RecordItem } from './RecordItem';
import { RollbackControls } from './RollbackControls';

type Filter = UpdateOutcome | 'all';

const NAV_KEYS = new Set(['ArrowDown', 'ArrowUp', 'Home', 'End']);

const SHOWN = 100;

export function HistoryPanel() {
  const all = useAppStore(selectRecords);
  const moduleName = useAppStore(selectModuleName);
  const records = useMemo(() => filterRecords(all, 'all', moduleName), [all, moduleName]);
  const [filter, setFilter] = useState<Filter>('all');
  const [showAll, setShowAll] = useState(false);
  const matching = useMemo(() => filterRecords(records, filter), [records, filter]);
  // A long session makes thousands of records: render the newest ones unless asked.
  const shown = showAll ? matching : matching.slice(0, SHOWN);
  const [activeId, setActiveId] = useState<number | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const ids = { filter: useId(), heading: useId() };

  // The tab stop stays on the record last focused while it is shown; else the newest one.
  const tabStop = shown.some((r) => r.id === activeId) ? activeId : (shown[0]?.id ?? null);

  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    if (!NAV_KEYS.has(event.key) || shown.length === 0) return;
    const current = shown.findIndex((r) => r.id === tabStop);
    const last = shown.length - 1;
    const next = event.key === 'Home' ? 0 : event.key === 'End' ? last : Math.min(last, Math.max(0, current + (event.key === 'ArrowDown' ? 1 : -1)));
    event.preventDefault();
    const id = shown[next]!.id;
    setActiveId(id);
    listRef.current?.querySelector<HTMLElement>(`[data-id="${id}"]`)?.focus();
  };

  // Focus arriving on a record (a click, Tab) makes it the tab stop.
  const onFocus = (event: FocusEvent<HTMLOListElement>) => {
    const id = Number((event.target as HTMLElement).dataset.id);
    if (Number.isFinite(id)) setActiveId(id);
  };

  const count = filter === 'all' ? `${records.length}` : `${matching.length} of ${records.length}`;
  return (
    <section className="panel history-panel" aria-label="History">
      <div className="panel-header">
        <h2 id={ids.heading}>History</h2>
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
      <RollbackControls />
      {shown.length === 0 ? (
        <p className="empty history-empty">{records.length === 0 ? 'No updates yet' : `No updates with the outcome “${filter}”`}</p>
      ) : (
        <ol ref={listRef} className="history-list" aria-labelledby={ids.heading} onKeyDown={onKeyDown} onFocus={onFocus}>
          {shown.map((record) => (
            <RecordItem key={record.id} record={record} tabbable={record.id === tabStop} />
          ))}
        </ol>
      )}
      {shown.length < matching.length && (
        <button type="button" className="show-all" onClick={() => setShowAll(true)}>
          Show all {matching.length}
        </button>
      )}
    </section>
  );
}
