// @vitest-environment happy-dom
/**
 * VersionCompare as people read it: the caption, column headers and each row's words. Rendered to
 * markup and read back through the DOM (happy-dom), by role and text as a user finds them.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { compareLayouts } from '../../shared/compare';
import type { ExportInfo, ModuleLayoutInfo, ValType } from '../../shared/inspect';
import { LIST_LIMIT } from '../common/matches';
import { VersionCompare, describeMemory, sizeDelta } from './VersionCompare';

const fn = (name: string, params: ValType[], results: ValType[] = []): ExportInfo => ({
  name,
  kind: 'function',
  signature: { params, results },
  jsonCallable: false,
  rawCallable: true,
  lifecycle: false,
});

const base: ModuleLayoutInfo = {
  size: 1000,
  kind: 'reactor',
  exports: [{ name: 'memory', kind: 'memory', jsonCallable: false, rawCallable: false, lifecycle: false }, fn('alloc', ['i32'], ['i32']), fn('get', ['i32', 'i32'], ['i64'])],
  imports: [{ module: 'wasi_snapshot_preview1', name: 'fd_write', kind: 'function', signature: { params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] } }],
  memories: [{ initialPages: 1, maxPages: 16, shared: false, memory64: false }],
  customSections: [{ name: 'api_version', size: 17 }],
  apiVersionSection: '1.0.0',
  jsonAbiProblem: null,
  hasStartSection: false,
};
const V2 = { version: 'v2', sha256: 'a'.repeat(64) };
const V5 = { version: 'v5', sha256: 'b'.repeat(64) };

function render(a: ModuleLayoutInfo, b: ModuleLayoutInfo, left = V2, right = V5) {
  document.body.innerHTML = renderToStaticMarkup(<VersionCompare left={left} right={right} comparison={compareLayouts(a, b)} />);
  const table = document.querySelector('table')!;
  const text = (el: Element) => el.textContent!.replace(/\s+/g, ' ').trim();
  return {
    caption: text(table.querySelector('caption')!),
    headers: Array.from(table.querySelectorAll('thead th'), text),
    /** Each body row as [what, left, right]. */
    rows: Array.from(table.querySelectorAll('tbody tr'), (tr) => Array.from(tr.children, text)),
    notes: Array.from(document.querySelectorAll('.version-compare > p'), text),
  };
}

describe('VersionCompare', () => {
  it('shows the changes side by side, in words', () => {
    const newer: ModuleLayoutInfo = {
      ...base,
      size: 1096,
      exports: [...base.exports.slice(0, 2), fn('get', ['i32'], ['i64']), fn('put', ['i32', 'i32'], ['i64'])],
      imports: [],
      memories: [{ initialPages: 2, maxPages: 16, shared: false, memory64: false }],
      customSections: [...base.customSections, { name: 'build', size: 7 }],
      apiVersionSection: '2.0.0',
    };
    const view = render(base, newer);
    expect(view.caption).toBe('v2 compared with v5');
    expect(view.headers).toEqual(['What', 'v2', 'v5']);
    expect(view.rows).toEqual([
      ['Size', '1,000 bytes', '1.1 KiB (1,096 bytes) +96 bytes (+9.6%)'],
      ['API version major version changed', '1.0.0', '2.0.0'],
      ['Kind', 'reactor', 'reactor'],
      ['Memory initial size changed', '1 page (64 KiB), max 16 pages', '2 pages (128 KiB), max 16 pages'],
      ['Export get signature changed', '(i32, i32) -> i64', '(i32) -> i64'],
      ['Export put added', '—', '(i32, i32) -> i64'],
      ['Import wasi_snapshot_preview1.fd_write removed', '(i32, i32, i32, i32) -> i32', '—'],
      ['Custom section build added', '—', '7 bytes'],
    ]);
    expect(view.notes).toEqual(['2 exports and 1 custom section unchanged']);
  });

  it('says when only the bytes differ', () => {
    const view = render(base, { ...base, size: 990 });
    expect(view.rows).toEqual([
      ['Size', '1,000 bytes', '990 bytes −10 bytes (−1.0%)'],
      ['API version', '1.0.0', '1.0.0'],
      ['Kind', 'reactor', 'reactor'],
      ['Memory', '1 page (64 KiB), max 16 pages', '1 page (64 KiB), max 16 pages'],
    ]);
    expect(view.notes).toEqual(['Same exports, imports, memory and sections']);
  });

  it('tells versions with one label apart by sha256, and says what a kind change is', () => {
    const command: ModuleLayoutInfo = { ...base, kind: 'command', exports: [...base.exports, fn('_start', [])], apiVersionSection: null, memories: [] };
    const view = render({ ...base, memories: [] }, command, V2, { ...V5, version: 'v2' });
    expect(view.caption).toBe('v2 (aaaaaaaa) compared with v2 (bbbbbbbb)');
    expect(view.rows.slice(1)).toEqual([
      ['API version changed', '1.0.0', 'none declared'],
      ['Kind changed', 'reactor', 'command'],
      ['Memory', 'none', 'none'],
      ['Export _start added', '—', '() -> ()'],
    ]);
  });

  it('shows at most LIST_LIMIT rows of one list, and counts the rest', () => {
    const many = Array.from({ length: LIST_LIMIT + 5 }, (_, i) => fn(`f${i}`, []));
    const view = render(base, { ...base, exports: [...base.exports, ...many] });
    const added = view.rows.filter((r) => r[0]!.startsWith('Export '));
    expect(added).toHaveLength(LIST_LIMIT);
    expect(added.at(-1)).toEqual([`Export f${LIST_LIMIT - 1} added`, '—', '() -> ()']);
    expect(view.rows.at(-1)).toEqual(['5 more exports added, removed or changed']);
  });
});

describe('the words', () => {
  it('describes memory limits and size deltas', () => {
    expect(describeMemory({ initialPages: 3, maxPages: null, shared: true, memory64: true })).toBe('3 pages (192 KiB), no max, shared, memory64');
    expect(describeMemory({ initialPages: 17, maxPages: 65536, shared: false, memory64: false })).toBe('17 pages (1.1 MiB), max 65,536 pages');
    expect(sizeDelta({ left: 100_000, right: 100_001, deltaBytes: 1, deltaPercent: 0.001 })).toBe('+1 byte (<0.1%)');
    expect(sizeDelta({ left: 10, right: 10, deltaBytes: 0, deltaPercent: 0 })).toBe('no change');
  });
});
