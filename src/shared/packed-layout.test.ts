import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeLayout, readModuleLayout } from './inspect';
import { isPackedLayout, packLayout, unpackLayout } from './packed-layout';

const layoutOf = (path: string) => {
  const bytes = new Uint8Array(readFileSync(new URL(`../../${path}`, import.meta.url)));
  return describeLayout(bytes, readModuleLayout(bytes, path), path);
};

describe('a packed layout', () => {
  it.each(['public/examples/counter.wasm', 'fixtures/bad-calls.wasm', 'public/examples/hello.wasm'])('unpacks to the layout it was made from: %s', (path) => {
    const layout = layoutOf(path);
    const packed = structuredClone(packLayout(layout));
    expect(isPackedLayout(packed)).toBe(true);
    const back = unpackLayout(packed);
    expect(back).toStrictEqual(layout);
    // Exports of one type share their signature object, as they did before packing.
    const signatures = (exports: typeof layout.exports) => new Set(exports.map((e) => e.signature).filter(Boolean)).size;
    expect(signatures(back.exports)).toBe(signatures(layout.exports));
  });

  it('keeps names of any text, and an empty list', () => {
    const layout = layoutOf('fixtures/bad-calls.wasm');
    const odd = { ...layout, exports: [{ ...layout.exports[0]!, name: 'héllo 😀' }, { ...layout.exports[1]!, name: '' }, { ...layout.exports[2]!, name: 'a\u0000b' }] };
    expect(unpackLayout(structuredClone(packLayout(odd))).exports.map((e) => e.name)).toEqual(['héllo 😀', '', 'a\u0000b']);
    expect(unpackLayout(packLayout({ ...layout, exports: [] })).exports).toEqual([]);
    expect(isPackedLayout(layout)).toBe(false);
  });
});
