/**
 * The Deploy panel's words: strategies, traffic splits and canary numbers as people read them,
 * and the strategy the deploy form's fields make. Pure, so the tests read them directly.
 */
import type { Divergence, Strategy, StrategyKind, TrafficShare, WindowStats } from '../../store';
import { DASH, formatCount, formatMs } from '../common/format';

export const STRATEGY_NAMES: Record<StrategyKind, string> = {
  'blue-green': 'Blue-green',
  rolling: 'Rolling',
  canary: 'Canary',
  shadow: 'Shadow',
};

export const STRATEGY_KINDS = Object.keys(STRATEGY_NAMES) as StrategyKind[];

/** A share (0–1) as a whole percentage, or one decimal under 10%: "90%", "2.5%". */
export function formatShare(share: number): string {
  const percent = share * 100;
  if (percent === 0 || percent >= 10 || Number.isInteger(percent)) return `${Math.round(percent)}%`;
  return `${percent.toFixed(1)}%`;
}

/** A strategy and its settings, in words: "Canary, 10% of calls". */
export function describeStrategy(strategy: Strategy): string {
  const name = STRATEGY_NAMES[strategy.kind];
  switch (strategy.kind) {
    case 'blue-green':
      return strategy.manual ? `${name}, waiting for promote` : name;
    case 'rolling':
      return strategy.batch_size !== undefined ? `${name}, ${strategy.batch_size} at a time` : name;
    case 'canary':
      return strategy.traffic_percentage !== undefined ? `${name}, ${strategy.traffic_percentage}% of calls` : name;
    case 'shadow':
      return strategy.sample !== undefined ? `${name}, ${formatShare(strategy.sample)} of calls mirrored` : name;
  }
}

/** How the calls are shared, in words: "v1 90% (3 instances), v2 10% (1 instance)". */
export function describeTraffic(traffic: readonly TrafficShare[]): string {
  if (traffic.length === 0) return 'No traffic yet';
  return traffic.map((t) => `${t.version} ${formatShare(t.share)} (${t.instances} ${t.instances === 1 ? 'instance' : 'instances'})`).join(', ');
}

/** One side of the canary's window, as the comparison table's cells. */
export function windowCells(stats: WindowStats): { calls: string; errors: string; rate: string; p99: string } {
  return {
    calls: formatCount(stats.calls),
    errors: formatCount(stats.errors),
    rate: stats.calls === 0 ? DASH : formatShare(stats.errors / stats.calls),
    p99: formatMs(stats.p99Ms),
  };
}

/** A divergence in words: "get(3): result — serving 4, candidate 5". */
export function describeDivergence(d: Divergence): string {
  return `${d.fn}(${d.arg}): ${d.kind} — serving ${d.serving}, candidate ${d.candidate}`;
}

/** What the deploy form holds: every strategy's fields, the chosen one read. */
export interface StrategyFields {
  kind: StrategyKind;
  /** Rolling. */
  batchSize: string;
  /** Canary, percent of calls. */
  trafficPercent: string;
  /** Shadow, percent of calls mirrored. */
  samplePercent: string;
  /** Blue-green. */
  manual: boolean;
}

export const DEFAULT_FIELDS: StrategyFields = { kind: 'blue-green', batchSize: '1', trafficPercent: '10', samplePercent: '100', manual: false };

/** The strategy the fields make, or what is wrong with them, in words. */
export function strategyFrom(fields: StrategyFields): { strategy: Strategy } | { problem: string } {
  const number = (text: string, label: string, min: number, max: number, whole: boolean): number | string => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) return `${label} must be a number`;
    if (whole && !Number.isInteger(value)) return `${label} must be a whole number`;
    if (value < min || value > max) return `${label} must be between ${min} and ${max}`;
    return value;
  };
  switch (fields.kind) {
    case 'blue-green':
      return { strategy: { kind: 'blue-green', manual: fields.manual } };
    case 'rolling': {
      const batch = number(fields.batchSize, 'Batch size', 1, 16, true);
      return typeof batch === 'string' ? { problem: batch } : { strategy: { kind: 'rolling', batch_size: batch } };
    }
    case 'canary': {
      const percent = number(fields.trafficPercent, 'Traffic %', 1, 100, false);
      return typeof percent === 'string' ? { problem: percent } : { strategy: { kind: 'canary', traffic_percentage: percent } };
    }
    case 'shadow': {
      const percent = number(fields.samplePercent, 'Sample %', 1, 100, false);
      return typeof percent === 'string' ? { problem: percent } : { strategy: { kind: 'shadow', sample: percent / 100 } };
    }
  }
}
