/**
 * A batch's texts travel packed: each comes back as it went, a bad answer from the worker is
 * refused as a whole, and a result that is not JSON fails its own call and no other.
 */
import { describe, expect, it } from 'vitest';
import { type PackedBatch, isPackedBatch, isPackedTexts, packTexts, settleBatch, textAt } from './batch';

const reply = (texts: string[], failed: PackedBatch['failed'] = []): PackedBatch => ({ ...packTexts(texts), failed });

describe('packed batches', () => {
  it('gives back each text as it was, empty and non-ASCII ones included', () => {
    const texts = ['1', '', '"héllo 🌍"', '{"a":[1,2]}', ''];
    const packed = packTexts(texts);
    expect(isPackedTexts(packed)).toBe(true);
    expect(texts.map((_, i) => textAt(packed, i))).toEqual(texts);
    expect(packTexts([])).toEqual({ text: '', ends: new Uint32Array(0) });
  });

  it('refuses ends that go back or past the text, and failures of calls that were not made', () => {
    expect(isPackedTexts({ text: 'abc', ends: new Uint32Array([2, 1]) })).toBe(false);
    expect(isPackedTexts({ text: 'abc', ends: new Uint32Array([4]) })).toBe(false);
    expect(isPackedTexts({ text: 'abc', ends: [3] })).toBe(false);
    expect(isPackedBatch({ ...packTexts(['1']), failed: [{ index: 1, error: {} }] })).toBe(false);
    expect(isPackedBatch({ ...packTexts(['1']), failed: [{ index: 0.5, error: {} }] })).toBe(false);
    expect(isPackedBatch(reply(['1', '']))).toBe(true);
  });

  it('settles each call on its own: a failure, a result that is not JSON, and results beside them', () => {
    const error = { name: 'HotwasmError', message: 'trap trapped: unreachable', code: 'trap' as const };
    // A hostile result cannot reach into its neighbours: each is parsed alone.
    const settled = settleBatch(reply(['1', '', '2},{"ok":true,"value":3', '[4]'], [{ index: 1, error }]), 4, 'f');
    expect(settled).toEqual([
      { ok: true, value: 1 },
      { ok: false, error },
      { ok: false, error: expect.objectContaining({ code: 'bad-result', message: 'The result of f is not JSON: "2},{\\"ok\\":true,\\"value\\":3"' }) },
      { ok: true, value: [4] },
    ]);
  });

  it('refuses an answer with another number of results than calls sent', () => {
    expect(() => settleBatch(reply(['1']), 2, 'f')).toThrow(/answered with 1 results for 2 calls/);
  });
});
