/**
 * The Source panel's work, apart from its looks: which text is open (and for which version),
 * compile as you type through an {@link EditLoop}, and what the last build came to. The WAT
 * toolchain (wabt, in a worker) is loaded on first use, never by the app shell.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { messageOf } from '../../shared/errors';
import { readModuleLayout, sha256Hex } from '../../shared/inspect';
import type { Engine, ModuleInfo } from '../../store';
import { EditLoop, type EditEvent, type SourceProblem } from './edit-loop';
import { sourceFor, type SourceDoc } from './source-text';

type Toolchain = import('../../editor/wat-client').WatToolchain;
let toolchain: Promise<Toolchain> | null = null;
/** One WAT worker for the page, started when the Source panel first needs it. */
function watToolchain(): Promise<Toolchain> {
  toolchain ??= import('../../editor/wat-client').then((m) => m.createWatToolchain());
  return toolchain;
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
}

export function useSourceSession(engine: Engine, module: ModuleInfo | null, settings: { live: boolean; debounceMs: number }): SourceSession {
  const [open, setOpen] = useState<OpenDoc | null>(null);
  const [last, setLast] = useState<EditEvent | null>(null);
  const [problems, setProblems] = useState<readonly SourceProblem[]>([]);
  const latest = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** The sha256 of the editor's build being swapped in: when it serves, the editor keeps its text. */
  const ownBuild = useRef<string | null>(null);
  const nextId = useRef(1);
  const name = module?.name ?? null;
  const version = module?.version ?? null;
  const sha256 = module?.sha256 ?? null;
  const size = module?.size ?? 0;

  const loop = useMemo(() => {
    if (name === null) return null;
    return new EditLoop({
      compile: async (text) => (await watToolchain()).compile(text, `${name}.wat`),
      sha256: sha256Hex,
      apply: async (bytes, text) => {
        const t0 = performance.now();
        const lost = lostStateExports(engine, name, bytes);
        if (lost) return { ok: false, message: lost };
        try {
          const info = await engine.load(bytes, { name, text });
          return { ok: true, version: info.version ?? '?', sha256: info.sha256, ms: performance.now() - t0 };
        } catch (error) {
          return { ok: false, message: messageOf(error) };
        }
      },
      report: (event) => {
        if (event.phase === 'updating') ownBuild.current = event.sha256;
        if (event.phase === 'compile failed') setProblems(event.problems);
        else if (event.phase === 'served') setProblems([]);
        else if (event.phase === 'refused') setProblems([{ line: 1, column: 1, endLine: 1, endColumn: 2, message: event.message }]);
        if (event.phase !== 'idle') setLast(event);
      },
    });
  }, [engine, name]);
  useEffect(() => () => loop?.stop(), [loop]);

  // Open the serving version's text: when another module becomes active, or another version
  // serves (a rollback, a push) — not when the version serving is the editor's own build.
  const load = useCallback(
    (large: boolean) => {
      if (name === null || version === null || sha256 === null) return setOpen(null);
      if (ownBuild.current === sha256) {
        // The editor's own build serves: its text stays as the user has it (same id), under the new label.
        ownBuild.current = null;
        return setOpen((prev) => (prev && prev.module === name ? { ...prev, version } : prev));
      }
      let cancelled = false;
      let handle: ReturnType<Engine['module']>;
      try {
        handle = engine.module(name);
      } catch {
        return setOpen(null); // unloaded meanwhile
      }
      void sourceFor(
        { module: name, version, sha256, size },
        {
          keptText: () => handle.sourceText(version),
          bytes: () => handle.download(version),
          compile: async (text, filename) => (await watToolchain()).compile(text, filename),
          toText: async (bytes) => (await watToolchain()).toText(bytes),
          fetchText: (url) =>
            fetch(new URL(url, document.baseURI), { cache: 'no-store' }).then(
              (r) => (r.ok ? r.text() : null),
              () => null,
            ),
        },
        { large },
      ).then((doc) => {
        if (cancelled) return;
        latest.current = 'text' in doc ? doc.text : null;
        setProblems([]);
        setLast(null);
        setOpen({ id: nextId.current++, module: name, version, doc });
      });
      return () => {
        cancelled = true;
      };
    },
    [engine, name, version, sha256, size],
  );
  useEffect(() => load(false), [load]);

  const { live, debounceMs } = settings;
  const edited = useCallback(
    (text: string) => {
      latest.current = text;
      clearTimeout(timer.current);
      if (live && loop) timer.current = setTimeout(() => loop.edit(text), debounceMs);
    },
    [live, debounceMs, loop],
  );
  const applyNow = useCallback(() => {
    clearTimeout(timer.current);
    if (loop && latest.current !== null) loop.edit(latest.current);
  }, [loop]);
  useEffect(() => () => clearTimeout(timer.current), []);

  return { open, last, problems, edited, applyNow, showLarge: () => void load(true), text: () => latest.current };
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
