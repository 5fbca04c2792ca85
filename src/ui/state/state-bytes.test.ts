import { describe, expect, it } from 'vitest';
import { hexRows, jsonView, parseHex, parseJson, toHex, utf8View } from './state-bytes';

describe('state views', () => {
  it('shows hex rows of 16 with offsets and ASCII, bounded', () => {
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => 0x41 + (i % 26));
    const rows = hexRows(bytes);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual({ offset: '00000010', hex: '51 52 53 54 55 56 57 58 59 5a 41 42 43 44 45 46', ascii: 'QRSTUVWXYZABCDEF' });
    expect(hexRows(new Uint8Array(10_000))).toHaveLength(256);
    expect(hexRows(new Uint8Array([0, 0x7f]))[0]!.ascii).toBe('..');
  });

  it('decodes UTF-8, says when it is not, and pretty-prints JSON only when it is JSON', () => {
    expect(utf8View(new TextEncoder().encode('héllo'))).toEqual({ text: 'héllo', valid: true });
    expect(utf8View(new Uint8Array([0xff])).valid).toBe(false);
    expect(jsonView(new TextEncoder().encode('{"a":[1,2]}'))).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(jsonView(new Uint8Array([100, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
    expect(jsonView(new Uint8Array())).toBeNull();
  });
});

describe('state typed by a user', () => {
  it('takes hex pairs with spaces and 0x, and refuses odd lengths and other characters', () => {
    expect(parseHex('64 00 0x00 00\n00000000')).toEqual({ ok: true, bytes: new Uint8Array([100, 0, 0, 0, 0, 0, 0, 0]) });
    expect(parseHex('640')).toEqual({ ok: false, error: expect.stringMatching(/3 hex digits is an odd number/) });
    expect(parseHex('6g')).toEqual({ ok: false, error: expect.stringMatching(/"g" is not a hex digit/) });
    expect(toHex(new Uint8Array([100, 1]))).toBe('64 01');
  });

  it('takes JSON as its UTF-8 bytes, and refuses what does not parse', () => {
    expect(parseJson('{"n": 1}')).toEqual({ ok: true, bytes: new TextEncoder().encode('{"n": 1}') });
    expect(parseJson('{"n": ')).toEqual({ ok: false, error: expect.stringMatching(/^Not valid JSON: /) });
    expect(parseJson('  ')).toEqual({ ok: false, error: expect.stringMatching(/Nothing to apply/) });
  });
});
