/**
 * The Source panel's work, apart from its looks: which text is open (and for which version),
 * compile as you type through an {@link EditLoop}, and what the last build came to. The WAT
 * toolchain (wabt, in a worker) is loaded on first use, never by the app shell.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { messageOf } from '../../shared/errors';
import { readModuleLayout } from '../../shared/inspect';
import { AFTER_UPDATE_MS, type Engine, type ModuleInfo, refusalMessage } from '../../store';
import { nextFrame } from '../common/frame';
import { refusalStoryOf } from '../common/format';
import { EditLoop, type EditEvent, type SourceProblem } from './edit-loop';
import { EXAMPLE_SOURCES_URL, sourceFor, type SourceDoc } from './source-text';

type Toolchain = import('../../editor/wat-client').WatToolchain;
let toolchain: Promise<Toolchain> | null = null;
/**
 * One WAT worker for the page, started when the Source panel first needs it: when the editor
 * gets the focus (a compile of an empty module warms it up), or to show a binary as text.
 */
export function watToolchain(): Promise<Toolchain> {
  toolchain ??= import('../../editor/wat-client').then((m) => m.createWatToolchain());
  return toolchain;
}

/**
 * How long a version must serve before its text opens (see the subscription below): as long as
 * the panels wait after an update, so that the text shows in the frame that shows the update.
 */
const OPEN_DELAY_MS = AFTER_UPDATE_MS;

/**
 * A build's steps on its way ("Compiling…", "swapping it in…") show only when they take longer
 * than this: most take a few ms, and a render for each would flicker, and would hold the
 * build's next step behind it on this thread (the keystroke's path, traced).
 */
const SHOW_PROGRESS_AFTER_MS = 150;
const PROGRESS = new Set<EditEvent['phase']>(['compiling', 'updating', 'superseded']);
const NO_PROBLEMS: readonly SourceProblem[] = [];

let warmed = false;
function warmToolchain(): void {
  if (warmed) return;
  warmed = true;
  void watToolchain().then((t) => t.compile('(module)', 'warm-up.wat'));
}

export interface OpenDoc {
  id: number;
  module: string;
  version: string;
  doc: SourceDoc;
}

export interface SourceSession {
  open: OpenDoc | null;
  last: EditEvent | null;
  problems: readonly SourceProblem[];
  /** The editor's text changed (a user's edit). */
  edited(text: string): void;
  applyNow(): void;
  /** Open the text of a module too large to show by default. */
  showLarge(): void;
  /** The text in the editor now, for Download .wat. */
  text(): string | null;
  /** Start the WAT compiler (its first build takes a few hundred ms: worker, wabt, JIT) before the first edit needs it. */
  warm(): void;
}

export function useSourceSession(engine: Engine, module: ModuleInfo | null, settings: { live: boolean; debounceMs: number }): SourceSession {
  const [open, setOpen] = useState<OpenDoc | null>(null);
  const [last, setLast] = useState<EditEvent | null>(null);
  const [problems, setProblems] = useState<readonly SourceProblem[]>(NO_PROBLEMS);
  const latest = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const progress = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const nextId = useRef(1);
  const name = module?.name ?? null;

  const loop = useMemo(() => {
    if (name === null) return null;
    return new EditLoop({
      compile: async (text) => (await watToolchain()).compile(text, `${name}.wat`),
      apply: async (bytes, text) => {
        const t0 = performance.now();
        const lost = lostStateExports(engine, name, bytes);
        if (lost) return { ok: false, message: lost };
        try {
          const info = await engine.load(bytes, { name, text });
          return { ok: true, version: info.version ?? '?', sha256: info.sha256, ms: performance.now() - t0 };
        } catch (error) {
          // The panel says after it that the version serving is unchanged: the message need not say who keeps serving.
          const story = refusalStoryOf(error);
          return { ok: false, message: story ? refusalMessage({ ...story, keeper: null }, 'ui') : messageOf(error) };
        }
      },
      report: (event) => {
        clearTimeout(progress.current);
        if (event.phase === 'idle') return;
        if (PROGRESS.has(event.phase)) {
          progress.current = setTimeout(() => setLast(event), SHOW_PROGRESS_AFTER_MS);
          return;
        }
        if (event.phase === 'compile failed') setProblems(event.problems);
        else if (event.phase === 'served') setProblems(NO_PROBLEMS);
        else if (event.phase === 'refused') setProblems([{ line: 1, column: 1, endLine: 1, endColumn: 2, message: event.message }]);
        setLast(event);
      },
    });
  }, [engine, name]);
  useEffect(
    () => () => {
      loop?.stop();
      clearTimeout(progress.current);
    },
    [loop],
  );

  // Open the serving version's text when a module becomes active, and each time another version
  // of it serves (a rollback, a push, a reload) — but not when the editor's own build does: the
  // editor then keeps the text as the user has it (typed on since, perhaps), under the new label.
  // Engine events say what brought a version; the store's copy of the module does not.
  const showLarge = useRef<() => void>(() => undefined);
  useEffect(() => {
    if (name === null) return setOpen(null);
    let cancelled = false;
    let ticket = 0;
    /** Asked once to show a large module's text: its later versions open as text too. */
    let large = false;
    const show = (info: ModuleInfo) => {
      const mine = ++ticket;
      void openText(engine, info, large).then((doc) =>
        nextFrame(() => {
          if (cancelled || mine !== ticket) return;
          latest.current = 'text' in doc ? doc.text : null;
          setProblems(NO_PROBLEMS);
          setLast(null);
          setOpen({ id: nextId.current++, module: info.name, version: info.version ?? '?', doc });
        }),
      );
    };
    const current = servingInfo(engine, name);
    if (current) show(current);
    else setOpen(null);
    // Versions that serve in a burst (a script loading builds, a restore) open only the last:
    // each opening reads the bytes and may make megabytes of text for Monaco.
    let later: ReturnType<typeof setTimeout> | undefined;
    const stop = engine.subscribe((event) => {
      if (event.type !== 'loaded' || event.module !== name) return;
      clearTimeout(later);
      if (event.trigger !== 'editor') {
        later = setTimeout(() => show(event.info), OPEN_DELAY_MS);
        return;
      }
      ticket++; // a text still being opened for an older version is not shown over the editor's
      const version = event.info.version ?? '?';
      setOpen((prev) => (prev && prev.module === name ? { ...prev, version } : prev));
    });
    showLarge.current = () => {
      large = true;
      const info = servingInfo(engine, name);
      if (info) show(info);
    };
    return () => {
      cancelled = true;
      clearTimeout(later);
      stop();
    };
  }, [engine, name]);

  const { live, debounceMs } = settings;
  const edited = useCallback(
    (text: string) => {
      latest.current = text;
      clearTimeout(timer.current);
      if (!live || !loop) return;
      // No delay: at once, in the keystroke's own task (a timer would wait for Monaco's render).
      if (debounceMs === 0) loop.edit(text);
      else timer.current = setTimeout(() => loop.edit(text), debounceMs);
    },
    [live, debounceMs, loop],
  );
  const applyNow = useCallback(() => {
    clearTimeout(timer.current);
    if (loop && latest.current !== null) loop.edit(latest.current);
  }, [loop]);
  useEffect(() => () => clearTimeout(timer.current), []);

  return { open, last, problems, edited, applyNow, showLarge: () => showLarge.current(), text: () => latest.current, warm: warmToolchain };
}

function servingInfo(engine: Engine, name: string): ModuleInfo | null {
  try {
    return engine.module(name).info();
  } catch {
    return null; // unloaded meanwhile
  }
}

/** The text to open for a serving version (see ./source-text.ts). */
export function openText(engine: Engine, info: ModuleInfo, large: boolean): Promise<SourceDoc> {
  const version = info.version ?? '?';
  let handle: ReturnType<Engine['module']>;
  try {
    handle = engine.module(info.name);
  } catch (error) {
    return Promise.resolve({ kind: 'unavailable', message: messageOf(error) });
  }
  return sourceFor(
    { module: info.name, version, sha256: info.sha256, size: info.size },
    {
      keptText: () => handle.sourceText(version),
      bytes: () => handle.download(version),
      toText: async (bytes) => (await watToolchain()).toText(bytes),
      fetchText: (url) => (url === EXAMPLE_SOURCES_URL ? exampleList() : fetchText(url)),
    },
    { large },
  );
}

function fetchText(url: string): Promise<string | null> {
  return fetch(new URL(url, document.baseURI), { cache: 'no-store' }).then(
    (r) => (r.ok ? r.text() : null),
    () => null,
  );
}

let examples: Promise<string | null> | null = null;
/**
 * The bundled examples' list: read once in a built site, where it never changes (it was read
 * again for every version that served); at each opening on the dev server, where the examples
 * are rebuilt as their sources change.
 */
function exampleList(): Promise<string | null> {
  if (import.meta.env.DEV) return fetchText(EXAMPLE_SOURCES_URL);
  examples ??= fetchText(EXAMPLE_SOURCES_URL).then((text) => {
    if (text === null) examples = null; // not there (yet): asked again next time
    return text;
  });
  return examples;
}

const STATE_EXPORTS = ['save_state', 'restore_state'];

/**
 * An edit that drops save_state or restore_state while the version serving has it: the engine
 * would take the build (a module may be stateless), but the state the editor's builds carry from
 * one to the next would end with it. The editor refuses it, saying why.
 */
function lostStateExports(engine: Engine, name: string, bytes: Uint8Array): string | null {
  const serving = engine.module(name).info();
  if (!serving) return null;
  let exported: Set<string>;
  try {
    exported = new Set(readModuleLayout(bytes, `${name}.wat`).exports.map((e) => e.name));
  } catch {
    return null; // the pipeline says what is wrong with it
  }
  const lost = STATE_EXPORTS.filter((fn) => serving.exports.some((e) => e.name === fn) && !exported.has(fn));
  if (lost.length === 0) return null;
  return `this text no longer exports ${lost.join(' and ')}, which ${name} ${serving.version ?? ''} has: its state could not be carried on to the next version. Put it back to keep the state`;
}
