/**
 * A small picture of the module's recent past: the state size at each checkpoint as a line, and
 * marks for updates, rollbacks, restarts and state given by hand, on one time axis; a sentence
 * beside it says the same for those who do not see it.
 */
import { useId, useMemo } from 'react';
import { type CheckpointInfo, type UpdateRecord, filterRecords, selectRecords, selectRestarts } from '../../store';
import { useAppStore } from '../common/context';
import { formatTime } from '../common/format';

const W = 300;
const H = 48;
/** Room for the marks above the size line. */
const TOP = 10;

type Kind = 'update' | 'rollback' | 'restart' | 'state';
export interface Mark {
  at: number;
  kind: Kind;
}

const KIND_WORDS: Record<Kind, [string, string]> = {
  update: ['update', 'updates'],
  rollback: ['rollback', 'rollbacks'],
  restart: ['restart', 'restarts'],
  state: ['state edit or rewind', 'state edits and rewinds'],
};

/** What a record puts on the strip: a version that went live (an update, a rollback) or state given; nothing for refusals. */
export function markOf(r: UpdateRecord): Kind | null {
  if (r.outcome === 'rolled back') return 'rollback';
  if (r.outcome !== 'committed') return null;
  if (r.trigger === 'inject' || r.trigger === 'rewind') return 'state';
  if (r.trigger === 'rollback' || r.trigger === 'auto rollback') return 'rollback';
  return 'update';
}

/** The strip's sentence: "Since 12:00:01: 2 updates, no rollbacks, …; state 8 bytes at each of 5 checkpoints." */
export function stripSummary(marks: readonly Mark[], checkpoints: readonly CheckpointInfo[], since: number | null): string {
  const counts = (Object.keys(KIND_WORDS) as Kind[]).map((kind) => {
    const n = marks.filter((m) => m.kind === kind).length;
    const [one, many] = KIND_WORDS[kind];
    return n === 0 ? `no ${many}` : `${n} ${n === 1 ? one : many}`;
  });
  const sizes = checkpoints.map((c) => c.bytes);
  const min = Math.min(...sizes);
  const max = Math.max(...sizes);
  const state =
    checkpoints.length === 0 ? 'no checkpoints' : min === max ? `state ${max} bytes at each of ${checkpoints.length} checkpoints` : `state between ${min} and ${max} bytes over ${checkpoints.length} checkpoints`;
  return `${since === null ? 'Nothing yet' : `Since ${formatTime(since)}`}: ${counts.join(', ')}; ${state}.`;
}

export function StateStrip({ module, checkpoints }: { module: string; checkpoints: readonly CheckpointInfo[] }) {
  const all = useAppStore(selectRecords);
  const restarts = useAppStore(selectRestarts);
  const ids = { title: useId(), desc: useId() };
  const marks = useMemo(() => {
    const since = checkpoints[0]?.at ?? -Infinity;
    const fromRecords = filterRecords(all, 'all', module).flatMap((r) => {
      const kind = markOf(r);
      return kind && r.timestamp >= since ? [{ at: r.timestamp, kind }] : [];
    });
    return [...fromRecords, ...restarts.filter((at) => at >= since).map((at) => ({ at, kind: 'restart' as const }))];
  }, [all, module, restarts, checkpoints]);
  const times = [...checkpoints.map((c) => c.at), ...marks.map((m) => m.at)];
  const t0 = times.length ? Math.min(...times) : null;
  const t1 = times.length ? Math.max(...times) : null;
  const x = (at: number) => (t0 === null || t1 === null || t1 === t0 ? W / 2 : ((at - t0) / (t1 - t0)) * (W - 4) + 2);
  const maxBytes = Math.max(1, ...checkpoints.map((c) => c.bytes));
  const y = (bytes: number) => H - 2 - (bytes / maxBytes) * (H - TOP - 4);
  const line = checkpoints.map((c) => `${x(c.at).toFixed(1)},${y(c.bytes).toFixed(1)}`).join(' ');
  const summary = stripSummary(marks, checkpoints, t0);
  return (
    <figure className="state-strip">
      <svg role="img" aria-labelledby={`${ids.title} ${ids.desc}`} viewBox={`0 0 ${W} ${H}`} width={W} height={H}>
        <title id={ids.title}>Updates, rollbacks, restarts and state size over time</title>
        <desc id={ids.desc}>{summary}</desc>
        <line className="strip-axis" x1={0} x2={W} y1={H - 1} y2={H - 1} />
        {checkpoints.length > 1 && <polyline className="strip-size" points={line} fill="none" />}
        {checkpoints.map((c) => (
          <circle key={c.seq} className="strip-size" cx={x(c.at)} cy={y(c.bytes)} r={1.5} />
        ))}
        {marks.map((m, i) => (
          <line key={i} className={`strip-mark strip-${m.kind}`} x1={x(m.at)} x2={x(m.at)} y1={1} y2={H - 1} />
        ))}
      </svg>
      <figcaption className="muted">
        {summary} <span className="strip-legend">Lines: <span className="strip-update">updates</span>, <span className="strip-rollback">rollbacks</span>, <span className="strip-restart">restarts</span>, <span className="strip-state">state edits</span>.</span>
      </figcaption>
    </figure>
  );
}
