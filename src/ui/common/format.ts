/** Formatting shared by the panels. */
import { formatBytes } from '../../shared/inspect';
import { type RefusalStory, isRefusalStory, refusalMessage } from '../../store';

export const DASH = '—';

/** Latency in ms with 2 decimals, or a dash when there is none. */
export const formatMs = (ms: number | null): string => (ms === null ? DASH : `${ms.toFixed(2)} ms`);

// One formatter each: toLocaleString() and toLocaleTimeString() make a new one at every call,
// which showed as the largest share of the panels' work after an update.
const counts = new Intl.NumberFormat('en-US');
const times = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });

/** A whole number with thousands separators: "1,207". */
export const formatCount = (n: number): string => counts.format(n);

/** A wall-clock time (ms since epoch) in the user's locale. */
export const formatTime = (epochMs: number | null): string => (epochMs === null ? DASH : times.format(epochMs));

/** "1.2 KiB (1,207 bytes)". */
export function formatSize(bytes: number): string {
  const exact = `${formatCount(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return bytes < 1024 ? exact : `${formatBytes(bytes)} (${exact})`;
}

/**
 * A call's result as text: pretty-printed JSON, with BigInts (i64 from raw calls) as their plain
 * digits, every one of them (the console API still answers a bigint; the `n` suffix is
 * JavaScript's, not the person's), and `undefined` (a function without results) said in words.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(no result)';
  if (typeof value === 'bigint') return value.toString();
  // A private-use character: JSON.stringify leaves it as it is (it escapes control characters,
  // so a NUL here never matched, and BigInts inside arrays showed as "\u0000bigint:1").
  const marker = '\uE000bigint:';
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${marker}${v}` : v), 2) ?? String(value);
  return text.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1');
}

/**
 * A thrown value as a person reads it: its message alone. The engine's messages are written for
 * people; a class name in front ("HotwasmError: …") says nothing to them (the console keeps it).
 * A refused update is worded again from its story, for the playground: its way out is a button
 * (Load it fresh), not an option to pass.
 */
export function formatError(error: unknown): string {
  const story = refusalStoryOf(error);
  if (story) return refusalMessage(story, 'ui');
  if (error instanceof Error) return error.message || error.name || 'Something went wrong (no message)';
  return String(error);
}

/** The story of a refused update (see RefusalStory), when `error` is one. */
export function refusalStoryOf(error: unknown): RefusalStory | null {
  const story = (error as { code?: unknown; details?: { story?: unknown } } | null)?.details?.story;
  return isRefusalStory(story) ? story : null;
}

/** How long something has run, for a ticking display: "0.4 s", "12.3 s", "2 min 05 s". */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

/** A duration in ms: one decimal under 10 ms, whole ms above ("0.4 ms", "12 ms", "1,250 ms"). */
export const formatDuration = (ms: number): string => (ms < 10 ? `${ms.toFixed(1)} ms` : `${formatCount(Math.round(ms))} ms`);

/** The first 8 hex digits of a sha256: enough to tell builds apart at a glance. */
export const shortSha = (sha256: string): string => sha256.slice(0, 8);
