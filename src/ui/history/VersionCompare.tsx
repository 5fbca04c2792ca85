/**
 * Two versions of a module side by side: size, API version, kind and memory, then each export,
 * import and custom section that was added, removed or changed, and a count of the rest. Pure
 * props: the comparison is made by compareLayouts (src/shared/compare.ts); the words are made here.
 */
import type { ReactNode } from 'react';
import type { EntryDiff, InterfaceAspect, LayoutComparison, MemoryAspect, MemoryDiff, SectionAspect } from '../../shared/compare';
import { type ExportInfo, type ImportInfo, type MemoryLimits, PAGE_BYTES, formatBytes, formatSignature } from '../../shared/inspect';
import { DASH, formatCount, formatSize, shortSha } from '../common/format';
import { LIST_LIMIT } from '../common/matches';

/** A version as a column header: its label, and its sha256 on hover (and when labels collide). */
export interface VersionLabel {
  version: string;
  sha256: string;
}

export interface VersionCompareProps {
  /** The older version: the left column. */
  left: VersionLabel;
  /** The newer version: the right column. */
  right: VersionLabel;
  /** compareLayouts(left's layout, right's layout). */
  comparison: LayoutComparison;
}

type Status = 'added' | 'removed' | 'changed';

export function VersionCompare({ left, right, comparison: c }: VersionCompareProps) {
  const [leftName, rightName] = left.version === right.version ? [`${left.version} (${shortSha(left.sha256)})`, `${right.version} (${shortSha(right.sha256)})`] : [left.version, right.version];
  const api = c.apiVersion;
  const unchanged = unchangedText(c);
  return (
    <div className="version-compare">
      <table className="data-table compare-table">
        <caption>
          {leftName} compared with {rightName}
        </caption>
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col" title={`sha256 ${left.sha256}`}>
              {leftName}
            </th>
            <th scope="col" title={`sha256 ${right.sha256}`}>
              {rightName}
            </th>
          </tr>
        </thead>
        <tbody>
          <Row what="Size" left={formatSize(c.size.left)} right={<>{formatSize(c.size.right)} <span className="compare-delta muted">{sizeDelta(c.size)}</span></>} />
          <Row
            what="API version"
            status={api.changed ? 'changed' : null}
            words={api.majorChanged ? 'major version changed' : undefined}
            left={api.left ?? 'none declared'}
            right={api.right ?? 'none declared'}
          />
          <Row what="Kind" status={c.kind.changed ? 'changed' : null} left={c.kind.left} right={c.kind.right} />
          {c.memories.length === 0 ? <Row what="Memory" left="none" right="none" /> : c.memories.map((m) => <MemoryRow key={m.index} m={m} several={c.memories.length > 1} />)}
        </tbody>
        <Group noun={['export', 'exports']} entries={c.exports.entries} name={(e) => e.name} value={describeInterface} />
        <Group noun={['import', 'imports']} entries={c.imports.entries} name={(i) => `${i.module}.${i.name}`} value={describeInterface} />
        <Group noun={['custom section', 'custom sections']} entries={c.customSections.entries} name={(s) => s.name} value={(s) => formatSize(s.size)} />
      </table>
      {c.sameLayout ? <p className="compare-same">Same exports, imports, memory and sections</p> : unchanged && <p className="compare-unchanged muted">{unchanged}</p>}
    </div>
  );
}

function Row({ what, status = null, words, left, right }: { what: ReactNode; status?: Status | null; words?: string; left: ReactNode; right: ReactNode }) {
  return (
    <tr data-status={status ?? undefined}>
      <th scope="row">
        {what}
        {status && (
          <>
            {' '}
            <span className="compare-status" data-status={status}>
              {words ?? status}
            </span>
          </>
        )}
      </th>
      <td>{left}</td>
      <td>{right}</td>
    </tr>
  );
}

/**
 * The rows of one list's changes, the first LIST_LIMIT of them: a rebuild that renames
 * everything in a module of 100,000 exports would otherwise render as many rows.
 */
function Group<T, A extends InterfaceAspect | SectionAspect>({ noun, entries, name, value }: { noun: readonly [string, string]; entries: readonly EntryDiff<T, A>[]; name: (item: T) => string; value: (item: T) => ReactNode }) {
  if (entries.length === 0) return null;
  const more = entries.length - LIST_LIMIT;
  const title = noun[0].charAt(0).toUpperCase() + noun[0].slice(1);
  return (
    <tbody>
      {entries.slice(0, LIST_LIMIT).map((entry, i) => (
        <Row
          // Entries are fixed for a comparison, and names may repeat (an import twice): the index is the key.
          key={i}
          what={
            <>
              {title} <code>{name(entry.status === 'added' ? entry.right : entry.left)}</code>
            </>
          }
          status={entry.status}
          words={entry.status === 'changed' ? changedWords(entry.changes) : entry.status}
          left={entry.left === null ? DASH : value(entry.left)}
          right={entry.right === null ? DASH : value(entry.right)}
        />
      ))}
      {more > 0 && (
        <tr>
          <td colSpan={3} className="muted">
            {formatCount(more)} more {more === 1 ? noun[0] : noun[1]} added, removed or changed
          </td>
        </tr>
      )}
    </tbody>
  );
}

function MemoryRow({ m, several }: { m: MemoryDiff; several: boolean }) {
  const status = m.status === 'unchanged' ? null : m.status;
  const words = m.status === 'changed' ? changedWords(m.changes) : undefined;
  return <Row what={several ? `Memory ${m.index}` : 'Memory'} status={status} words={words} left={m.left ? describeMemory(m.left) : DASH} right={m.right ? describeMemory(m.right) : DASH} />;
}

const ASPECT_WORDS: Record<InterfaceAspect | MemoryAspect | SectionAspect, string> = {
  kind: 'kind',
  signature: 'signature',
  size: 'size',
  initialPages: 'initial size',
  maxPages: 'maximum',
  shared: 'shared',
  memory64: 'memory64',
};
/** "signature changed", "initial size and maximum changed". */
const changedWords = (changes: readonly (keyof typeof ASPECT_WORDS)[]): string => `${joinWords(changes.map((a) => ASPECT_WORDS[a]))} changed`;

/** A function's signature, else its kind ("global", "memory"). */
function describeInterface(item: ExportInfo | ImportInfo): ReactNode {
  return item.signature ? <code>{formatSignature(item.signature)}</code> : item.kind;
}

/** "1 page (64 KiB), max 16 pages", "2 pages (128 KiB), no max, shared". */
export function describeMemory(m: MemoryLimits): string {
  // Pages are 64 KiB: "64.0 KiB" from formatBytes would suggest a fraction.
  const bytes = m.initialPages * PAGE_BYTES;
  const initial = `${formatCount(m.initialPages)} ${m.initialPages === 1 ? 'page' : 'pages'} (${bytes < (1 << 20) ? `${bytes / 1024} KiB` : formatBytes(bytes)})`;
  return [initial, m.maxPages === null ? 'no max' : `max ${formatCount(m.maxPages)} ${m.maxPages === 1 ? 'page' : 'pages'}`, m.shared ? 'shared' : null, m.memory64 ? 'memory64' : null].filter(Boolean).join(', ');
}

/** "+96 bytes (+8.0%)", "−50 bytes (−25.0%)", "no change". */
export function sizeDelta({ deltaBytes, deltaPercent }: LayoutComparison['size']): string {
  if (deltaBytes === 0) return 'no change';
  const sign = deltaBytes > 0 ? '+' : '−';
  const bytes = `${sign}${formatCount(Math.abs(deltaBytes))} ${Math.abs(deltaBytes) === 1 ? 'byte' : 'bytes'}`;
  if (deltaPercent === null) return bytes;
  const percent = Math.abs(deltaPercent) < 0.05 ? '<0.1%' : `${sign}${Math.abs(deltaPercent).toFixed(1)}%`;
  return `${bytes} (${percent})`;
}

/** "12 exports, 3 imports and 2 custom sections unchanged" (memories have rows of their own); empty when none is. */
export function unchangedText(c: LayoutComparison): string {
  const count = (n: number, one: string, many: string) => (n === 0 ? null : `${formatCount(n)} ${n === 1 ? one : many}`);
  const parts = [
    count(c.exports.unchanged, 'export', 'exports'),
    count(c.imports.unchanged, 'import', 'imports'),
    count(c.customSections.unchanged, 'custom section', 'custom sections'),
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? '' : `${joinWords(parts)} unchanged`;
}

/** "a", "a and b", "a, b and c". */
function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
