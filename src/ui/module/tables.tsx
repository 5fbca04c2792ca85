/**
 * The Exports and Imports tables of the Module panel. A long list shows its first rows, a count,
 * a filter and "Show 200 more" (up to MAX_ROWS): a module can have 100,000 exports, and a table
 * of all of them stalled the page for seconds.
 */
import { type ReactNode, memo, useDeferredValue, useId, useMemo, useState } from 'react';
import { type ExportInfo, type ImportInfo, callMode, firstMatches, formatSignature, selectCallPick } from '../../store';
import { useAppStore } from '../common/context';
import { DASH } from '../common/format';
import { LIST_LIMIT, matchCountText } from '../common/matches';
import './tables.css';

/** The most rows "Show more" goes to; past it, the filter narrows the list. */
const MAX_ROWS = 5 * LIST_LIMIT;
const NO_ROWS: readonly never[] = [];

/** The rows to render of a long list, and the filter, count and "Show more" that go with them. */
function useRowWindow<T>(rows: readonly T[], text: (row: T) => string, noun: readonly [string, string]): { shown: readonly T[]; filter: ReactNode; more: ReactNode } {
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(LIST_LIMIT);
  const ids = { filter: useId(), count: useId() };
  const long = rows.length > LIST_LIMIT;
  // A long list's rows render in a (time-sliced) render of their own, after the panel and the
  // filter box have shown, and again after each keystroke; a short list renders at once.
  const deferredRows = useDeferredValue(long ? rows : null, null);
  const deferredQuery = useDeferredValue(query);
  const source = long ? (deferredRows ?? NO_ROWS) : rows;
  const q = long ? deferredQuery : '';
  // "Show more" renders its rows the same way: the click's own task stays short.
  const deferredLimit = useDeferredValue(limit);
  const { shown, total } = useMemo(() => firstMatches(source as readonly T[], q, text, deferredLimit), [source, q, text, deferredLimit]);
  if (!long) return { shown, filter: null, more: null };
  const [one, many] = noun;
  const filter = (
    <div className="table-filter">
      <input
        id={ids.filter}
        type="search"
        aria-label={`Filter ${many}`}
        aria-describedby={ids.count}
        placeholder={`Filter ${many}…`}
        spellCheck={false}
        autoComplete="off"
        value={query}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setLimit(LIST_LIMIT);
        }}
      />
      <span id={ids.count} className="muted" aria-live="polite">
        {matchCountText({ query: q, shown: shown.length, total: source === rows ? total : rows.length, all: rows.length, noun: [one, many] })}
      </span>
    </div>
  );
  const more =
    shown.length < total && limit < MAX_ROWS ? (
      <button type="button" className="show-all" onClick={() => setLimit((n) => Math.min(MAX_ROWS, n + LIST_LIMIT))}>
        Show {Math.min(LIST_LIMIT, total - shown.length)} more
      </button>
    ) : null;
  return { shown, filter, more };
}

const exportText = (e: ExportInfo) => e.name;
const importText = (i: ImportInfo) => `${i.module}.${i.name}`;

/** Memoised: the list only changes with a new build's exports. `module` is whose they are. */
export const ExportsTable = memo(function ExportsTable({ exports, module }: { exports: readonly ExportInfo[]; module: string }) {
  const { shown, filter, more } = useRowWindow(exports, exportText, ['export', 'exports']);
  const pick = useAppStore(selectCallPick);
  return (
    <div className="table-wrap">
      {filter}
      <table className="data-table">
        <caption>Exports</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Signature</th>
            <th scope="col">Call</th>
          </tr>
        </thead>
        <tbody>
          {exports.length === 0 && <EmptyRow columns={4} />}
          {shown.map((e) => (
            <ExportRow key={e.name} e={e} module={module} pick={pick} />
          ))}
        </tbody>
      </table>
      {more}
    </div>
  );
});

/**
 * Rows keep their elements while "Show more" adds rows after them. A function that can be called
 * (JSON or raw) is a button: it chooses the function in the Call panel.
 */
const ExportRow = memo(function ExportRow({ e, module, pick }: { e: ExportInfo; module: string; pick: (module: string, fn: string) => void }) {
  const name = <code>{breakable(e.name)}</code>;
  const callable = e.kind === 'function' && (e.jsonCallable || e.rawCallable);
  return (
    <tr>
      <th scope="row">
        {callable ? (
          <button type="button" className="export-pick" title="Choose it in the Call panel" onClick={() => pick(module, e.name)}>
            {name}
          </button>
        ) : (
          name
        )}
      </th>
      <td>{e.kind}</td>
      <td>
        <code>{e.signature ? formatSignature(e.signature) : DASH}</code>
      </td>
      <td>{callMode(e)}</td>
    </tr>
  );
});

export const ImportsTable = memo(function ImportsTable({ imports }: { imports: readonly ImportInfo[] }) {
  const { shown, filter, more } = useRowWindow(imports, importText, ['import', 'imports']);
  return (
    <div className="table-wrap">
      {filter}
      <table className="data-table">
        <caption>Imports</caption>
        <thead>
          <tr>
            <th scope="col">Module</th>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Signature</th>
          </tr>
        </thead>
        <tbody>
          {imports.length === 0 && <EmptyRow columns={4} />}
          {shown.map((i, index) => (
            <tr key={`${i.module}.${i.name}:${index}`}>
              <td>
                <code>{breakable(i.module)}</code>
              </td>
              <td>
                <code>{breakable(i.name)}</code>
              </td>
              <td>{i.kind}</td>
              <td>
                <code>{i.signature ? formatSignature(i.signature) : DASH}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more}
    </div>
  );
});

/** Let long identifiers wrap after `_` and `.` (wasi_snapshot_preview1) rather than anywhere. */
function breakable(name: string): ReactNode {
  const parts = name.split(/(?<=[_.])/);
  return parts.length === 1 ? name : parts.map((part, i) => (i === 0 ? part : [<wbr key={i} />, part]));
}

function EmptyRow({ columns }: { columns: number }) {
  return (
    <tr>
      <td colSpan={columns} className="empty">
        None
      </td>
    </tr>
  );
}
