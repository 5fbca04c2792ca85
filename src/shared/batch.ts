/**
 * How a batch of JSON calls crosses between the page and a worker: its arguments as one text and
 * the boundaries of each, its results the same way, and the calls that failed apart. A message
 * of one string and one typed array copies in one piece; arrays of a thousand strings, and of a
 * thousand `{ ok, value }` objects, were copied and rebuilt element by element on both sides.
 * The page parses each result on its own (parseJsonResult, as a single call's is parsed), so a
 * result that is not JSON fails its own call and no other.
 */
import { parseJsonResult } from './abi';
import { HotwasmError, type SerializedError, serializeError } from './errors';
import type { Settled } from './protocol';

/** Texts end to end in `text`: text i ends at `ends[i]` (UTF-16 code units), the next begins there. */
export interface PackedTexts {
  text: string;
  ends: Uint32Array;
}

/** A batch's answer: each call's result text (empty for a call that failed), and the failures. */
export interface PackedBatch extends PackedTexts {
  failed: { index: number; error: SerializedError }[];
}

export function packTexts(texts: readonly string[]): PackedTexts {
  const ends = new Uint32Array(texts.length);
  let at = 0;
  for (let i = 0; i < texts.length; i++) ends[i] = at += texts[i]!.length;
  return { text: texts.join(''), ends };
}

/** Text `i` of a packed batch. */
export function textAt({ text, ends }: PackedTexts, i: number): string {
  return text.slice(i === 0 ? 0 : ends[i - 1], ends[i]);
}

/** Ends that only grow and stay inside the text. */
export function isPackedTexts(v: unknown): v is PackedTexts {
  if (typeof v !== 'object' || v === null) return false;
  const { text, ends } = v as Partial<PackedTexts>;
  if (typeof text !== 'string' || !(ends instanceof Uint32Array)) return false;
  let at = 0;
  for (let i = 0; i < ends.length; i++) {
    if (ends[i]! < at) return false;
    at = ends[i]!;
  }
  return at <= text.length;
}

/** Packed texts, and failures each of a call that was made. */
export function isPackedBatch(v: unknown): v is PackedBatch {
  if (!isPackedTexts(v)) return false;
  const { failed } = v as Partial<PackedBatch>;
  const isCall = (index: unknown) => Number.isInteger(index) && (index as number) >= 0 && (index as number) < v.ends.length;
  return Array.isArray(failed) && failed.every((f: unknown) => typeof f === 'object' && f !== null && isCall((f as { index?: unknown }).index));
}

/** Each call's outcome, in the order of its arguments (`count` of them, as sent). */
export function settleBatch(reply: PackedBatch, count: number, fn: string): Settled<unknown>[] {
  if (reply.ends.length !== count) throw new HotwasmError('internal', `The batch of calls to ${fn} was answered with ${reply.ends.length} results for ${count} calls`);
  const out: Settled<unknown>[] = new Array(count);
  for (const { index, error } of reply.failed) out[index] = { ok: false, error };
  for (let i = 0; i < count; i++) {
    if (out[i] !== undefined) continue;
    try {
      out[i] = { ok: true, value: parseJsonResult(textAt(reply, i), fn) };
    } catch (error) {
      out[i] = { ok: false, error: serializeError(error) };
    }
  }
  return out;
}
