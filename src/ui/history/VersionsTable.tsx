/**
 * The versions of the active module kept in the registry, newest first: one row each with its
 * label (and name, pin, serving), sha256, size, API version, where it came from, when it was
 * made, how its validation went and when it last served. A row is picked with its radio button
 * (one tab stop for the table; the arrow keys move the pick), for the actions above the table.
 */
import { memo } from 'react';
import { STEP_WORDS, type UpdateRecord, type VersionInfo } from '../../store';
import { VisuallyHidden } from '../common/VisuallyHidden';
import { formatBytes } from '../../shared/inspect';
import { DASH, formatCount, formatTime, shortSha } from '../common/format';

/** How a version's validation went: the outcome of the latest update that staged it. */
export interface Validation {
  text: string;
  outcome: UpdateRecord['outcome'] | 'kept';
}

/** The latest record per version label (records come newest first). */
export function validations(records: readonly UpdateRecord[]): Map<string, Validation> {
  const byLabel = new Map<string, Validation>();
  for (const record of records) {
    const label = record.to?.version;
    if (!label || byLabel.has(label)) continue;
    const step = record.failedStep ? ` ${STEP_WORDS[record.failedStep]}` : '';
    byLabel.set(label, { text: `${record.outcome}${record.outcome === 'refused' || record.outcome === 'rolled back' ? step : ''}`, outcome: record.outcome });
  }
  return byLabel;
}

/** Where a version came from, in a word: what brought it, then its file or URL. */
function origin(v: VersionInfo): string {
  const from = /^https?:/.test(v.source) ? 'URL' : v.trigger;
  return `${from} · ${v.source}`;
}

export interface VersionsTableProps {
  module: string;
  versions: readonly VersionInfo[];
  servingSha: string | null;
  validation: ReadonlyMap<string, Validation>;
  picked: string | null;
  onPick(version: string): void;
  /** The radio group's name: unique in the page. */
  group: string;
}

export function VersionsTable({ module, versions, servingSha, validation, picked, onPick, group }: VersionsTableProps) {
  // The pick is the tab stop; with none, the first row (the newest) is.
  const tabStop = versions.some((v) => v.version === picked) ? picked : (versions[0]?.version ?? null);
  return (
    <table className="data-table versions-table">
      <caption>
        Versions of {module}: {versions.length} kept
      </caption>
      <thead>
        <tr>
          <th scope="col">
            <VisuallyHidden>Pick</VisuallyHidden>
          </th>
          <th scope="col">Version</th>
          <th scope="col">sha256</th>
          <th scope="col">Size</th>
          <th scope="col">API</th>
          <th scope="col">From</th>
          <th scope="col">Made</th>
          <th scope="col">Validation</th>
          <th scope="col">Served</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <VersionRow
            key={v.version}
            version={v}
            serving={v.sha256 === servingSha}
            validation={validation.get(v.version) ?? null}
            picked={v.version === picked}
            tabbable={v.version === tabStop}
            onPick={onPick}
            group={group}
          />
        ))}
      </tbody>
    </table>
  );
}

interface RowProps {
  version: VersionInfo;
  serving: boolean;
  validation: Validation | null;
  picked: boolean;
  tabbable: boolean;
  onPick(version: string): void;
  group: string;
}

/** Props equal for a row: its validation is compared by what it says (the map is made anew at every record). */
const sameRow = (a: RowProps, b: RowProps): boolean =>
  a.version === b.version && a.serving === b.serving && a.picked === b.picked && a.tabbable === b.tabbable && a.onPick === b.onPick && a.group === b.group && (a.validation === b.validation || (a.validation?.text === b.validation?.text && a.validation?.outcome === b.validation?.outcome));

/** Memoised: a version's row changes only when it, its validation or the pick does. */
const VersionRow = memo(function VersionRow({ version: v, serving, validation, picked, tabbable, onPick, group }: RowProps) {
  // No record: a first load (it has none), or a version published and never run.
  const validated = validation ?? (v.servedAt !== null ? { text: 'loaded', outcome: 'committed' as const } : v.trigger === 'publish' ? { text: 'published, not run yet', outcome: 'kept' as const } : null);
  return (
    <tr className={picked ? 'version-row picked' : 'version-row'} data-version={v.version} onClick={() => onPick(v.version)}>
      <td>
        <input type="radio" name={group} aria-label={v.version} checked={picked} tabIndex={tabbable ? 0 : -1} onChange={() => onPick(v.version)} />
      </td>
      <th scope="row" className="version-label">
        {v.version}
        {v.tag && <span className="chip version-tag">{v.tag}</span>}
        {v.pinned && <span className="chip">pinned</span>}
        {serving && <span className="chip chip-serving">serving</span>}
      </th>
      <td>
        <code title={`sha256 ${v.sha256}`}>{shortSha(v.sha256)}</code>
      </td>
      <td title={`${formatCount(v.size)} bytes`}>{formatBytes(v.size)}</td>
      <td>{v.apiVersion ?? DASH}</td>
      <td className="version-origin" title={v.source}>
        {origin(v)}
      </td>
      <td>
        <time dateTime={new Date(v.createdAt).toISOString()}>{formatTime(v.createdAt)}</time>
      </td>
      <td>{validated ? <span className={`outcome outcome-${validated.outcome.replace(' ', '-')}`}>{validated.text}</span> : DASH}</td>
      <td>{v.servedAt === null ? 'never' : <time dateTime={new Date(v.servedAt).toISOString()}>{formatTime(v.servedAt)}</time>}</td>
    </tr>
  );
}, sameRow);
