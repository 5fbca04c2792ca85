import { describe, expect, it } from 'vitest';
import { checkSliceBounds, isHealthy, jsonArgText, packSlice, parseJsonResult, parseSemver, readUtf8, unpackSlice, utf8Length, writeUtf8 } from './abi';
import { HotwasmError } from './errors';

describe('packed slices', () => {
  it('round-trips small pointers', () => {
    expect(unpackSlice(packSlice(1024, 7))).toEqual({ ptr: 1024, len: 7 });
  });

  it('reads pointers >= 2^31 as unsigned even though wasm hands JS a signed i64', () => {
    const packed = packSlice(0x8000_0010, 5);
    expect(packed < 0n).toBe(true); // what the engine gives us for such a pointer
    expect(unpackSlice(packed)).toEqual({ ptr: 0x8000_0010, len: 5 });
  });

  it('handles the largest pointer and length', () => {
    expect(unpackSlice(packSlice(0xffff_ffff, 0xffff_ffff))).toEqual({ ptr: 0xffff_ffff, len: 0xffff_ffff });
    expect(unpackSlice(-1n)).toEqual({ ptr: 0xffff_ffff, len: 0xffff_ffff });
  });

  it('handles lengths >= 2^31', () => {
    expect(unpackSlice(packSlice(16, 0x8000_0000))).toEqual({ ptr: 16, len: 0x8000_0000 });
  });

  it('refuses values that are not u32', () => {
    expect(() => packSlice(-1, 0)).toThrow(RangeError);
    expect(() => packSlice(0, 2 ** 32)).toThrow(RangeError);
  });

  it('checks bounds against memory size without overflowing', () => {
    expect(() => checkSliceBounds({ ptr: 65530, len: 6 }, 65536, 'r')).not.toThrow();
    expect(() => checkSliceBounds({ ptr: 65530, len: 7 }, 65536, 'r')).toThrow(/ptr 65530, len 7, memory size 65536 bytes/);
    expect(() => checkSliceBounds({ ptr: 0xffff_0000, len: 100 }, 65536, 'r')).toThrow(HotwasmError);
  });
});

describe('JSON arguments', () => {
  it('measures UTF-8 bytes, not string length', () => {
    expect(utf8Length(jsonArgText('héllo'))).toBe(8); // quotes + h + é (2 bytes) + llo
    expect('"héllo"'.length).toBe(7);
    expect(utf8Length(jsonArgText('😀'))).toBe(6); // 4-byte character + quotes
  });

  it('turns undefined into null', () => {
    expect(jsonArgText(undefined)).toBe('null');
  });

  it('refuses what JSON cannot encode, with the reason', () => {
    expect(() => jsonArgText(10n)).toThrow(/cannot be encoded as JSON/);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => jsonArgText(cycle)).toThrow(/cannot be encoded as JSON/);
    expect(() => jsonArgText(() => 1)).toThrow(/function has no JSON form/);
  });
});

describe('UTF-8 between strings and guest memory', () => {
  const samples = ['', 'abc', 'héllo', '😀', 'a😀b', '\u0000', 'x'.repeat(200), 'é'.repeat(100), '日本語テキスト', '\ud800', 'a\udc00b', '\ud83d'];

  it('counts bytes exactly as TextEncoder encodes them, lone surrogates included', () => {
    for (const text of samples) expect(utf8Length(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).length);
  });

  it('writes and reads back every sample at an offset, short and long', () => {
    const heap = new Uint8Array(2048).fill(0xaa);
    for (const text of samples) {
      const n = utf8Length(text);
      writeUtf8(text, n, heap, 100);
      expect(heap.subarray(100, 100 + n)).toEqual(new TextEncoder().encode(text));
      expect(heap[100 + n]).toBe(0xaa); // nothing written past the end
      heap.fill(0xaa);
    }
    const enc = new TextEncoder().encode('{"s":"héllo 😀"}');
    heap.set(enc, 7);
    expect(parseJsonResult(readUtf8(heap, 7, enc.length, 'r'), 'f')).toEqual({ s: 'héllo 😀' });
  });

  it('refuses invalid UTF-8 and shows the bytes', () => {
    expect(() => readUtf8(new Uint8Array([0x41, 0xff, 0xfe, 0xfd]), 1, 3, 'The result of f')).toThrow(/The result of f is not valid UTF-8 \(3 bytes: FF FE FD\)/);
  });

  it('refuses text that is not JSON and shows the text', () => {
    expect(() => parseJsonResult('hello, not json', 'f')).toThrow(/The result of f is not JSON: "hello, not json"/);
  });
});

describe('lifecycle helpers', () => {
  it('accepts ok and "ok" only', () => {
    expect(isHealthy('ok')).toBe(true);
    expect(isHealthy('"ok"')).toBe(true);
    expect(isHealthy('OK')).toBe(false);
    expect(isHealthy('ok\n')).toBe(false);
  });

  it('parses semver', () => {
    expect(parseSemver('1.2.3')).toMatchObject({ major: 1, minor: 2, patch: 3 });
    expect(parseSemver('2.0.0-rc.1+build.5')).toMatchObject({ major: 2 });
    expect(parseSemver('1.2')).toBeNull();
    expect(parseSemver('banana')).toBeNull();
    expect(parseSemver('01.2.3')).toBeNull();
  });
});
