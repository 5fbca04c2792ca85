import { describe, expect, it } from 'vitest';
import { createAppStore } from './app-store';
import { type ConsoleData, type ConsoleLine, appendOutput, emptyConsole, sealOpenLines } from './console-slice';

/** Feed chunks (stdout unless given as [stream, text]) and return the lines without ids. */
function feed(chunks: (string | ['stdout' | 'stderr', string])[], maxLines?: number, start: ConsoleData = emptyConsole()) {
  let data = start;
  for (const chunk of chunks) {
    const [stream, text] = typeof chunk === 'string' ? (['stdout', chunk] as const) : chunk;
    data = appendOutput(data, stream, text, maxLines);
  }
  return data;
}
const view = (data: ConsoleData) => data.lines.map(({ stream, text, count, open }) => ({ stream, text, count, open }));
const line = (text: string, extra: Partial<ConsoleLine> = {}) => ({ stream: 'stdout', text, count: 1, open: false, ...extra });

describe('console lines', () => {
  it('splits a chunk on newlines', () => {
    expect(view(feed(['one\ntwo\n']))).toEqual([line('one'), line('two')]);
  });

  it('keeps a last line without a newline open and shows it', () => {
    expect(view(feed(['hello\nbye']))).toEqual([line('hello'), line('bye', { open: true })]);
  });

  it('continues an open line with the next chunk of the same stream', () => {
    expect(view(feed(['pro', 'cessed 8', ' bytes\nnext']))).toEqual([line('processed 8 bytes'), line('next', { open: true })]);
  });

  it('does not continue another stream’s open line', () => {
    const data = feed([['stdout', 'out…'], ['stderr', 'err\n'], ['stdout', 'done\n']]);
    expect(view(data)).toEqual([line('out…done'), line('err', { stream: 'stderr' })]);
  });

  it('keeps empty lines', () => {
    expect(view(feed(['a\n\nb\n']))).toEqual([line('a'), line(''), line('b')]);
  });

  it('drops the carriage return of CRLF line ends', () => {
    expect(view(feed(['a\r\nb\r', '\n']))).toEqual([line('a'), line('b')]);
  });

  it('collapses identical consecutive completed lines into a count', () => {
    expect(view(feed(['tick\ntick\ntick\ntock\n']))).toEqual([line('tick', { count: 3 }), line('tock')]);
  });

  it('collapses repeats that arrive across chunks and split mid-line', () => {
    expect(view(feed(['tick\nti', 'ck\n', 'tick', '\n']))).toEqual([line('tick', { count: 3 })]);
  });

  it('does not collapse an open line or lines of different streams', () => {
    const data = feed(['x\nx', ['stderr', 'x\n'], ['stderr', 'x\n']]);
    expect(view(data)).toEqual([line('x'), line('x', { open: true }), line('x', { stream: 'stderr', count: 2 })]);
  });

  it('does not collapse lines separated by a different line', () => {
    expect(view(feed(['a\nb\na\n']))).toEqual([line('a'), line('b'), line('a')]);
  });

  it('keeps at most maxLines, dropping the oldest', () => {
    const data = feed(['1\n2\n3\n', '4\n5'], 3);
    expect(view(data)).toEqual([line('3'), line('4'), line('5', { open: true })]);
  });

  it('counts a large burst of repeats as one line', () => {
    const data = feed(['processed 8 bytes\n'.repeat(20_000)]);
    expect(view(data)).toEqual([line('processed 8 bytes', { count: 20_000 })]);
  });

  it('gives new lines increasing ids and keeps the ids of unchanged lines', () => {
    const first = feed(['a\nb']);
    const second = appendOutput(first, 'stdout', 'c\n');
    expect(second.lines[0]).toBe(first.lines[0]);
    expect(second.lines[1]!.id).toBe(first.lines[1]!.id);
    const third = appendOutput(second, 'stdout', 'd\n');
    expect(third.lines[2]!.id).toBeGreaterThan(second.lines[1]!.id);
  });

  it('returns the same data for an empty chunk', () => {
    const data = feed(['a\n']);
    expect(appendOutput(data, 'stdout', '')).toBe(data);
  });

  it('seals open lines so the next output starts a new line', () => {
    const sealed = sealOpenLines(feed(['bye']));
    expect(view(sealed)).toEqual([line('bye')]);
    expect(view(feed(['hello\n'], undefined, sealed))).toEqual([line('bye'), line('hello')]);
  });

  it('collapses a sealed line into an identical predecessor', () => {
    expect(view(sealOpenLines(feed(['bye\nbye'])))).toEqual([line('bye', { count: 2 })]);
  });
});

describe('console slice', () => {
  it('appends, seals and clears through the store', () => {
    const store = createAppStore();
    store.getState().console.append('stdout', 'hello\nbye');
    store.getState().console.append('stderr', 'oops\n');
    expect(view(store.getState().console)).toEqual([line('hello'), line('bye', { open: true }), line('oops', { stream: 'stderr' })]);
    store.getState().console.seal();
    expect(store.getState().console.lines[1]!.open).toBe(false);
    const lastId = store.getState().console.lines.at(-1)!.id;
    store.getState().console.clear();
    expect(store.getState().console.lines).toEqual([]);
    store.getState().console.append('stdout', 'again\n');
    expect(store.getState().console.lines[0]!.id).toBeGreaterThan(lastId);
  });

  it('does not notify subscribers for output that changes nothing', () => {
    const store = createAppStore();
    let notified = 0;
    store.subscribe(() => notified++);
    store.getState().console.append('stdout', '');
    store.getState().console.seal();
    expect(notified).toBe(0);
  });
});
