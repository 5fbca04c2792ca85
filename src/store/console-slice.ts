/**
 * Console slice: guest stdout/stderr as lines.
 *
 * Guest output arrives as arbitrary text chunks (a chunk may hold half a line, or many lines).
 * Each module's stream has at most one *open* line (text seen after its last `\n`): the next chunk of the
 * same stream continues it, so a line split across chunks is shown whole, and a last line without
 * a newline is still shown. A line that completes with the same text and stream as the completed
 * line just before it collapses into that line's `count` (a guest printing in a loop stays
 * readable). At most {@link MAX_LINES} lines are kept; the oldest go first.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { AppState } from './app-store';

export type Stream = 'stdout' | 'stderr';

export interface ConsoleLine {
  /** Stable, increasing: a React key. */
  id: number;
  /** The module that printed it ('' when unknown). */
  module: string;
  stream: Stream;
  text: string;
  /** How many identical consecutive lines this one stands for (≥ 1). */
  count: number;
  /** No newline seen yet: more text of this stream may be appended. */
  open: boolean;
}

export interface ConsoleData {
  lines: ConsoleLine[];
  /** The id the next new line gets. */
  nextId: number;
}

export const MAX_LINES = 5000;

export const emptyConsole = (): ConsoleData => ({ lines: [], nextId: 1 });

/** Drop a trailing carriage return, so CRLF output reads like LF output. */
const stripCr = (text: string) => (text.endsWith('\r') ? text.slice(0, -1) : text);

/**
 * Add a chunk of one stream's output. Pure: returns new data (unchanged lines are shared, so a
 * memoised view re-renders only the lines that changed).
 */
export function appendOutput(data: ConsoleData, stream: Stream, chunk: string, maxLines = MAX_LINES, module = ''): ConsoleData {
  if (chunk === '') return data;
  const lines = data.lines.slice();
  let nextId = data.nextId;
  const parts = chunk.split('\n');
  // parts.length - 1 newlines; the last part is text after the last newline ('' when the chunk ends with one).
  const tail = parts.pop() ?? '';

  let openIndex = findOpen(lines, stream, module);
  for (const part of parts) {
    if (openIndex >= 0) {
      lines[openIndex] = { ...lines[openIndex]!, text: lines[openIndex]!.text + part };
      completeAt(lines, openIndex);
      openIndex = -1;
    } else {
      lines.push({ id: nextId++, module, stream, text: part, count: 1, open: true });
      completeAt(lines, lines.length - 1);
    }
  }
  if (tail !== '') {
    if (openIndex >= 0) lines[openIndex] = { ...lines[openIndex]!, text: lines[openIndex]!.text + tail };
    else lines.push({ id: nextId++, module, stream, text: tail, count: 1, open: true });
  }
  if (lines.length > maxLines) lines.splice(0, lines.length - maxLines);
  return { lines, nextId };
}

/**
 * Mark the line at `index` complete (in place on `lines`, a copy the caller owns), collapsing it
 * into the line just before it when that one is complete with the same stream and text.
 */
function completeAt(lines: ConsoleLine[], index: number): void {
  const line = lines[index]!;
  const done: ConsoleLine = { ...line, text: stripCr(line.text), open: false };
  const before = index > 0 ? lines[index - 1] : undefined;
  if (before && !before.open && before.stream === done.stream && before.module === done.module && before.text === done.text) {
    lines[index - 1] = { ...before, count: before.count + done.count };
    lines.splice(index, 1);
  } else {
    lines[index] = done;
  }
}

/** Index of the module's open line of a stream, searching from the end (it is almost always near it). */
function findOpen(lines: readonly ConsoleLine[], stream: Stream, module: string): number {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.open && line.stream === stream && line.module === module) return i;
  }
  return -1;
}

/**
 * Close every open line as it is (no text added): output that follows starts a new line. Used
 * when a command run ends or another module starts, so unrelated output is not glued together.
 */
export function sealOpenLines(data: ConsoleData): ConsoleData {
  if (!data.lines.some((l) => l.open)) return data;
  const lines = data.lines.slice();
  // Back to front: completing a line may remove it, which only shifts the lines after it.
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.open) completeAt(lines, i);
  return { lines, nextId: data.nextId };
}

export interface ConsoleSlice {
  console: ConsoleData & {
    /** A chunk of guest output, from `module`. */
    append(stream: Stream, text: string, module?: string): void;
    /** End open lines (see {@link sealOpenLines}). */
    seal(): void;
    clear(): void;
  };
}

export const createConsoleSlice: StateCreator<AppState, [], [], ConsoleSlice> = (set) => {
  const update = (fn: (data: ConsoleData) => ConsoleData) =>
    set((state) => {
      const { lines, nextId } = state.console;
      const next = fn({ lines, nextId });
      return next.lines === lines && next.nextId === nextId ? state : { console: { ...state.console, ...next } };
    });
  return {
    console: {
      ...emptyConsole(),
      append: (stream, text, module = '') => update((data) => appendOutput(data, stream, text, MAX_LINES, module)),
      seal: () => update(sealOpenLines),
      // Ids keep increasing across a clear, so React never reuses a key for a different line.
      clear: () => update((data) => ({ lines: [], nextId: data.nextId })),
    },
  };
};
