/**
 * docs/guests.md shows each kit's template as `hotwasm new my-guest` writes it: the code blocks
 * there are the templates, so the guide cannot drift from what users get.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const asNew = (text: string) => text.replaceAll('__NAME_SNAKE__', 'my_guest').replaceAll('__NAME__', 'my-guest').trimEnd() + '\n';
const KIT_LINE = '  ;; ---- hotwasm kit v1';

const TEMPLATES: [fence: string, source: string][] = [
  ['rust', asNew(read('kits/rust/template/src/lib.rs'))],
  ['c', asNew(read('kits/c/template/src/__NAME__.c'))],
  ['ts', asNew(read('kits/as/template/assembly/index.ts'))],
  ['wat', asNew(read('kits/wat/template/__NAME__.wat').split(KIT_LINE)[0]!)],
];

describe('docs/guests.md', () => {
  const doc = read('docs/guests.md');
  const blocks = [...doc.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ fence: m[1]!, code: m[2]! }));
  for (const [fence, source] of TEMPLATES) {
    it(`shows the ${fence} template as hotwasm new writes it`, () => {
      expect(blocks.some((b) => b.fence === fence && b.code === source), `no \`\`\`${fence} block equal to the template`).toBe(true);
    });
  }
});
