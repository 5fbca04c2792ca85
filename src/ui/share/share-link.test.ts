import { describe, expect, it } from 'vitest';
import { MAX_WAT_PARAM, decodeShare, encodeShare } from './share-link';

describe('share links', () => {
  it('carry a module URL and a call', async () => {
    const encoded = await encodeShare({ module: 'examples/counter-rust.wasm', fn: 'increment', arg: '5' });
    expect(encoded).toEqual({ ok: true, search: '?module=examples%2Fcounter-rust.wasm&fn=increment&arg=5' });
    expect(await decodeShare(encoded.ok ? encoded.search : '')).toEqual({ ok: true, request: { module: 'examples/counter-rust.wasm', fn: 'increment', arg: '5' } });
  });

  it('carry WebAssembly text compressed, and give it back exactly', async () => {
    const wat = `(module\n  ;; ünïcödé, "quotes" & <tags>\n${'  (func (export "f") (result i32) (i32.const 1))\n'.repeat(200)})`;
    const encoded = await encodeShare({ wat, name: 'counter', fn: 'f', arg: '[1, "two"]' });
    if (!encoded.ok) throw new Error(encoded.message);
    expect(encoded.search.length).toBeLessThan(wat.length / 5);
    expect(await decodeShare(encoded.search)).toEqual({ ok: true, request: { wat, name: 'counter', fn: 'f', arg: '[1, "two"]' } });
  });

  it('name text without a name "shared"', async () => {
    const encoded = await encodeShare({ wat: '(module)' });
    expect(await decodeShare(encoded.ok ? encoded.search : '')).toMatchObject({ ok: true, request: { wat: '(module)', name: 'shared' } });
  });

  it('refuse text too long for a link', async () => {
    // Random hex compresses to about half: well past the limit.
    const noise = Array.from({ length: MAX_WAT_PARAM * 2 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
    expect(await encodeShare({ wat: noise })).toMatchObject({ ok: false, message: expect.stringContaining('too long for a link') });
  });

  it('say why a cut or mangled link cannot be read', async () => {
    const encoded = await encodeShare({ wat: '(module (func (export "f")))'.repeat(20) });
    const cut = encoded.ok ? encoded.search.slice(0, 20) : '';
    expect(await decodeShare(cut)).toMatchObject({ ok: false, message: expect.stringMatching(/^The link's WebAssembly text could not be read: .*Was the link cut short\?$/) });
    expect(await decodeShare('?wat=not*base64')).toMatchObject({ ok: false, message: expect.stringContaining('not base64url') });
  });
});
