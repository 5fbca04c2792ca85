/** A strategy as given by a caller (the console, a script): checked, with a message that says what is wrong. */
import { HotwasmError } from '../../shared/errors';
import type { Strategy } from './types';

const KINDS = ['blue-green', 'rolling', 'canary', 'shadow'] as const;

const OPTIONS: Record<Strategy['kind'], Record<string, (v: unknown) => boolean>> = {
  'blue-green': { manual: (v) => typeof v === 'boolean' },
  rolling: { batch_size: (v) => Number.isInteger(v) && (v as number) >= 1 },
  canary: {
    // 0 is a warm-up: the canary is staged with its state and serves nothing until promote().
    traffic_percentage: (v) => typeof v === 'number' && v >= 0 && v <= 100,
    min_calls: (v) => Number.isInteger(v) && (v as number) >= 1,
    min_ms: (v) => typeof v === 'number' && v >= 0,
    max_error_rate_increase: (v) => typeof v === 'number' && v >= 0 && v <= 1,
    max_p99_ratio: (v) => typeof v === 'number' && v >= 1,
    p99_slack_ms: (v) => typeof v === 'number' && v >= 0,
  },
  shadow: { sample: (v) => typeof v === 'number' && v > 0 && v <= 1, latency_ratio: (v) => typeof v === 'number' && v >= 1 },
};

export function checkStrategy(value: unknown): Strategy {
  const given = typeof value === 'string' ? { kind: value } : value;
  if (typeof given !== 'object' || given === null || !('kind' in given) || !KINDS.includes(given.kind as never)) {
    throw new HotwasmError('bad-arguments', `A deployment needs a strategy: { kind: ${KINDS.map((k) => `'${k}'`).join(' | ')} } (given: ${JSON.stringify(value) ?? String(value)})`);
  }
  const kind = given.kind as Strategy['kind'];
  for (const [key, v] of Object.entries(given)) {
    if (key === 'kind') continue;
    const ok = OPTIONS[kind][key];
    if (!ok) throw new HotwasmError('bad-arguments', `${kind} has no option "${key}" (it has: ${Object.keys(OPTIONS[kind]).join(', ')})`);
    if (!ok(v)) throw new HotwasmError('bad-arguments', `${kind}'s ${key} cannot be ${JSON.stringify(v)}`);
  }
  return given as Strategy;
}
