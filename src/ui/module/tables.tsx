/** The Exports and Imports tables of the Module panel. */
import { memo, type ReactNode, useState } from 'react';
import { type ExportInfo, type ImportInfo, callMode, formatSignature } from '../../store';
import { DASH } from '../common/format';

/** Rows shown before "Show all": a module with thousands of exports must not stall the page. */
const ROW_LIMIT = 200;

function useRowLimit<T>(rows: readonly T[]): { shown: readonly T[]; more: ReactNode } {
  const [all, setAll] = useState(false);
  if (all || rows.length <= ROW_LIMIT) return { shown: rows, more: null };
  return {
    shown: rows.slice(0, ROW_LIMIT),
    more: (
      <button type="button" className="show-all" onClick={() => setAll(true)}>
        Show all {rows.length}
      </button>
    ),
  };
}

/** Memoised: a new build with the same exports shares the list (the store keeps it), so nothing re-renders. */
export const ExportsTable = memo(function ExportsTable({ exports }: { exports: readonly ExportInfo[] }) {
  const { shown, more } = useRowLimit(exports);
  return (
    <div className="table-wrap">
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
            <tr key={e.name}>
              <th scope="row">
                <code>{breakable(e.name)}</code>
              </th>
              <td>{e.kind}</td>
              <td>
                <code>{e.signature ? formatSignature(e.signature) : DASH}</code>
              </td>
              <td>{callMode(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more}
    </div>
  );
});

export const ImportsTable = memo(function ImportsTable({ imports }: { imports: readonly ImportInfo[] }) {
  const { shown, more } = useRowLimit(imports);
  return (
    <div className="table-wrap">
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
