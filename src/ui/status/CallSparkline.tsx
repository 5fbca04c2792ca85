/**
 * A small picture of the module's recent call latency (the engine's measure, page to worker and
 * back), one point per call, with a mark where another version started answering: a swap's
 * effect at a glance. Read from the engine when the status says calls or the version changed.
 */
import { useMemo } from 'react';
import type { CallSample } from '../../core';
import { useEngine } from '../common/context';
import { formatMs } from '../common/format';

const SHOWN = 60;
const W = 240;
const H = 36;

export function CallSparkline({ name, calls, version }: { name: string; calls: number; version: string | null }) {
  const engine = useEngine();
  // `calls` and `version` say when to read again: the samples live in the engine.
  const samples = useMemo(() => {
    try {
      return engine.module(name).recentCalls().slice(-SHOWN);
    } catch {
      return []; // unloaded meanwhile
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, name, calls, version]);
  if (samples.length < 2) return null;
  const picture = draw(samples);
  return (
    <figure className="call-sparkline">
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={picture.summary}>
        <polyline className="spark-line" points={picture.points} />
        {picture.swaps.map((x) => (
          <line key={x} className="spark-swap" x1={x} x2={x} y1={0} y2={H} />
        ))}
        {picture.failed.map(([x, y]) => (
          <circle key={`${x},${y}`} className="spark-failed" cx={x} cy={y} r={2} />
        ))}
      </svg>
      <figcaption className="muted">{picture.caption}</figcaption>
    </figure>
  );
}

/** Points, update marks and words for `samples` (oldest first, at least two). */
export function draw(samples: readonly CallSample[]) {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const slowest = sorted.at(-1)!;
  // One slow call should not flatten the rest: the scale tops at the 95th percentile, and
  // slower points sit on the top edge.
  const top = Math.max(sorted[Math.floor(sorted.length * 0.95)]!, median * 2, 0.01);
  const x = (i: number) => (i / (samples.length - 1)) * (W - 4) + 2;
  const y = (ms: number) => H - 2 - (Math.min(ms, top) / top) * (H - 4);
  const points = samples.map((s, i) => `${x(i).toFixed(1)},${y(s.ms).toFixed(1)}`).join(' ');
  const swaps: number[] = [];
  const changes: string[] = [];
  for (let i = 1; i < samples.length; i++) {
    if (samples[i]!.version === samples[i - 1]!.version) continue;
    swaps.push(Number(((x(i - 1) + x(i)) / 2).toFixed(1)));
    changes.push(`${samples[i - 1]!.version} → ${samples[i]!.version}`);
  }
  const failed = samples.flatMap((s, i): [number, number][] => (s.ok ? [] : [[Number(x(i).toFixed(1)), Number(y(s.ms).toFixed(1))]]));
  const caption = `last ${samples.length} calls: median ${formatMs(median)}, slowest ${formatMs(slowest)}${changes.length ? `; ${changes.join(', ')}` : ''}`;
  const summary = `Call latency, ${caption}${failed.length ? `; ${failed.length} failed` : ''}`;
  return { points, swaps, failed, caption, summary };
}
