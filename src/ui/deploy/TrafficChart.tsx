/**
 * The pool's traffic of the latest minute, per version: calls per second, error rate and p99,
 * three small plots over one time axis, one colour per version, with a legend. Inline SVG; the
 * picture is drawn once per pool event (at most twice a second), from the store's points.
 */
import { memo, useMemo } from 'react';
import type { TrafficPoint } from '../../store';
import { DASH, formatCount, formatMs } from '../common/format';
import { formatShare } from './deploy-words';

const W = 300;
/** Height of each of the three plots. */
const H = 40;
/** Room at the top of each plot for its label. */
const LABEL = 12;
const GAP = 6;
/** As many colours as app.css has `.deploy-series-N` classes. */
export const COLOURS = 6;

export interface Series {
  version: string;
  /** Its colour: 0 … COLOURS - 1. */
  colour: number;
  calls: string;
  errorRate: string;
  p99: string;
}

export interface ChartPicture {
  series: Series[];
  /** Seconds the picture spans. */
  seconds: number;
  summary: string;
}

/** A version's own colour where it is free: the same version keeps its colour as others come and go. */
function colourOf(version: string, taken: Set<number>): number {
  let hash = 0;
  const digits = /(\d+)$/.exec(version);
  if (digits) hash = Number(digits[1]);
  else for (const ch of version) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  let colour = hash % COLOURS;
  for (let i = 0; i < COLOURS && taken.has(colour); i++) colour = (colour + 1) % COLOURS;
  taken.add(colour);
  return colour;
}

const rate = (p: TrafficPoint) => (p.calls === 0 ? 0 : p.errors / p.calls);

/** Lines and words for `traffic` (oldest first, one point per second per version). */
export function chart(traffic: readonly TrafficPoint[]): ChartPicture {
  const versions: string[] = [];
  const byVersion = new Map<string, TrafficPoint[]>();
  let first = Infinity;
  let last = -Infinity;
  for (const p of traffic) {
    let points = byVersion.get(p.version);
    if (!points) {
      byVersion.set(p.version, (points = []));
      versions.push(p.version);
    }
    points.push(p);
    first = Math.min(first, p.at);
    last = Math.max(last, p.at);
  }
  if (versions.length === 0) return { series: [], seconds: 0, summary: 'Calls per second by version: no calls yet' };
  const span = last - first;
  // `at` is ms since epoch; a span under a second is one second's point.
  const x = (at: number) => (span === 0 ? W / 2 : ((at - first) / span) * (W - 4) + 2);
  const topCalls = Math.max(1, ...traffic.map((p) => p.calls));
  const topRate = Math.max(0.01, ...traffic.map(rate));
  const topP99 = Math.max(0.01, ...traffic.map((p) => p.p99Ms ?? 0));
  const line = (points: readonly TrafficPoint[], value: (p: TrafficPoint) => number | null, top: number, row: number) =>
    points
      .flatMap((p) => {
        const v = value(p);
        if (v === null) return [];
        const y = row * (H + GAP) + H - 2 - (Math.min(v, top) / top) * (H - 4 - LABEL);
        return [`${x(p.at).toFixed(1)},${y.toFixed(1)}`];
      })
      .join(' ');
  const taken = new Set<number>();
  const series = versions.map((version): Series => {
    const points = byVersion.get(version)!;
    return {
      version,
      colour: colourOf(version, taken),
      calls: line(points, (p) => p.calls, topCalls, 0),
      errorRate: line(points, rate, topRate, 1),
      p99: line(points, (p) => p.p99Ms, topP99, 2),
    };
  });
  // The latest second's numbers: a version that answered nothing in it says 0/s.
  const latest = new Map(traffic.filter((p) => p.at === last).map((p) => [p.version, p]));
  const now = versions.map((v) => latest.get(v));
  const calls = versions.map((v, i) => `${v} ${formatCount(now[i]?.calls ?? 0)}/s`).join(', ');
  const errors = versions.map((v, i) => `${v} ${now[i] && now[i].calls > 0 ? formatShare(rate(now[i])) : DASH}`).join(', ');
  const p99 = versions.map((v, i) => `${v} ${formatMs(now[i]?.p99Ms ?? null)}`).join(', ');
  const seconds = Math.round(span / 1000) + 1;
  return { series, seconds, summary: `Calls per second by version: ${calls}; error rate: ${errors}; p99: ${p99}` };
}

export const TrafficChart = memo(function TrafficChart({ traffic }: { traffic: readonly TrafficPoint[] }) {
  const picture = useMemo(() => chart(traffic), [traffic]);
  if (picture.series.length === 0) return <p className="empty">No calls in the latest minute.</p>;
  const height = 3 * H + 2 * GAP;
  return (
    <figure className="deploy-chart">
      <svg viewBox={`0 0 ${W} ${height}`} width={W} height={height} role="img" aria-label={picture.summary}>
        {['calls/s', 'error rate', 'p99'].map((label, row) => (
          <g key={label}>
            <rect className="deploy-chart-plot" x={0} y={row * (H + GAP)} width={W} height={H} />
            <text className="deploy-chart-label" x={4} y={row * (H + GAP) + 10}>
              {label}
            </text>
          </g>
        ))}
        {picture.series.map((s) => (
          <g key={s.version} className={`deploy-series deploy-series-${s.colour}`}>
            <polyline points={s.calls} />
            <polyline points={s.errorRate} />
            <polyline points={s.p99} />
          </g>
        ))}
      </svg>
      <figcaption>
        <ul className="deploy-legend" aria-label="Versions in the chart">
          {picture.series.map((s) => (
            <li key={s.version}>
              <span className={`deploy-swatch deploy-series-${s.colour}`} aria-hidden="true" />
              {s.version}
            </li>
          ))}
        </ul>
        <span className="muted">
          latest {picture.seconds} s: calls per second, error rate, p99
        </span>
      </figcaption>
    </figure>
  );
});
