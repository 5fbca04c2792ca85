import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from './examples';

const root = join(import.meta.dirname, '..', '..', '..');
const site = (url: string) => join(root, 'public', url);

describe('the examples menu', () => {
  const all = EXAMPLES.flatMap((g) => g.examples);

  it('offers files that exist on the site', () => {
    for (const example of all) expect(readFileSync(site(example.url)).length, example.url).toBeGreaterThan(0);
  });

  it('offers the misbehaving examples as the very bytes the tests check', () => {
    const copies: Record<string, string> = {
      'examples/misbehaving.wasm': 'fixtures/bad-calls.wasm',
      'examples/counter-unhealthy.wasm': 'fixtures/swap/unhealthy.wasm',
      'examples/not-webassembly.wasm': 'fixtures/logo.wasm',
    };
    for (const [url, fixture] of Object.entries(copies)) expect(readFileSync(site(url)).equals(readFileSync(join(root, fixture))), `${url} is a copy of ${fixture}`).toBe(true);
  });

  it('has one label per example', () => {
    expect(new Set(all.map((e) => e.label)).size).toBe(all.length);
  });
});
