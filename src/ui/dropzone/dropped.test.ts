import { describe, expect, it } from 'vitest';
import { type DropData, droppedFiles, foldersMessage } from './dropped';

const file = (name: string) => new File([new Uint8Array([0])], name);
const item = (f: File, isDirectory = false) => ({ kind: 'file' as const, getAsFile: () => f, webkitGetAsEntry: () => ({ isDirectory, name: f.name }) });

describe('a drop', () => {
  it('yields every file it carries, in order', () => {
    const a = file('a.wasm');
    const b = file('b.wasm');
    expect(droppedFiles({ items: [item(a), item(b)], files: [a, b] })).toEqual({ files: [a, b], folders: [] });
  });

  it('sets folders apart, by their entries', () => {
    const out = file('out');
    const c = file('c.wasm');
    expect(droppedFiles({ items: [item(out, true), item(c)], files: [out, c] })).toEqual({ files: [c], folders: ['out'] });
  });

  it('takes the file list when there are no items, and ignores what is not a file', () => {
    const a = file('a.wasm');
    expect(droppedFiles({ files: [a] } satisfies DropData)).toEqual({ files: [a], folders: [] });
    const text = { kind: 'string' as const, getAsFile: () => null };
    expect(droppedFiles({ items: [text], files: [] })).toEqual({ files: [], folders: [] });
    expect(droppedFiles(null)).toEqual({ files: [], folders: [] });
  });

  it('says why folders are not loaded', () => {
    expect(foldersMessage(['build'])).toBe('build is a folder: folders cannot be loaded; drop the .wasm files');
    expect(foldersMessage(['a', 'b', 'c'])).toBe('a, b and c are folders: folders cannot be loaded; drop the .wasm files');
  });
});
