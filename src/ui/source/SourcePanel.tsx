/**
 * Source: the active module as WebAssembly text, edited in Monaco and compiled as you type (wabt
 * in a worker); every build that compiles goes through the update pipeline, state carried. The
 * editor and the compiler load lazily, after the first module serves: the app shell has neither.
 */
import { Suspense, lazy, useCallback, useId } from 'react';
import { selectModule, selectNoticeActions, sentence } from '../../store';
import { useAppStore, useEngine } from '../common/context';
import { saveFile, wasmBlob } from '../common/save-file';
import type { EditEvent } from './edit-loop';
import { MAX_TEXT_MODULE_BYTES, tooLargeText } from './source-text';
import { useSourceSession } from './useSourceSession';
import { useSourceSettings } from './settings';

const MonacoSourceEditor = lazy(() => import('./MonacoSourceEditor'));

export function SourcePanel() {
  const engine = useEngine();
  const module = useAppStore(selectModule);
  const notices = useAppStore(selectNoticeActions);
  const [settings, setSettings] = useSourceSettings();
  const session = useSourceSession(engine, module, settings);
  const hintId = useId();
  const statusId = useId();
  const delayId = useId();
  const toggleLive = useCallback(() => setSettings((s) => ({ ...s, live: !s.live })), [setSettings]);
  const { open } = session;
  const doc = open?.doc;

  const download = (kind: 'wat' | 'wasm') => {
    if (!open) return;
    const name = `${open.module}-${open.version}.${kind}`;
    if (kind === 'wat') return saveFile(new Blob([session.text() ?? ''], { type: 'text/plain' }), name);
    engine
      .module(open.module)
      .download(open.version)
      .then((bytes) => saveFile(wasmBlob(bytes), name))
      .catch((error: unknown) => notices.reportError(error, 'download'));
  };

  return (
    <section className="panel source-panel" aria-label="Source">
      <div className="panel-header">
        <h2>Source</h2>
        {open && (
          <span className="muted">
            {open.module} {open.version}
            {doc?.kind === 'disassembly' ? ' — text made from the binary' : ''}
          </span>
        )}
      </div>
      {!module && <p className="empty">No module loaded: its WebAssembly text shows here, to edit while it runs.</p>}
      {module && !open && <p className="muted">Opening {module.name} as text…</p>}
      {open && doc?.kind === 'too large' && (
        <div className="notice" role="note">
          <p>{tooLargeText(open.module, doc.size)}</p>
          <button type="button" className="button" onClick={session.showLarge}>
            {doc.size > MAX_TEXT_MODULE_BYTES ? 'Show its text anyway' : 'Show its text'}
          </button>
        </div>
      )}
      {open && doc?.kind === 'unavailable' && (
        <p className="notice" role="note">
          {doc.message}
        </p>
      )}
      {open && doc && 'text' in doc && (
        <>
          <div className="source-toolbar">
            <label className="checkbox">
              <input type="checkbox" checked={settings.live} onChange={toggleLive} aria-keyshortcuts="Control+Shift+E" />
              Compile as you type
            </label>
            <label htmlFor={delayId}>Delay (ms)</label>
            <input
              id={delayId}
              type="number"
              min={0}
              max={5000}
              step={50}
              className="source-delay"
              value={settings.debounceMs}
              onChange={(e) => {
                const n = e.currentTarget.valueAsNumber;
                if (Number.isFinite(n) && n >= 0 && n <= 5000) setSettings((s) => ({ ...s, debounceMs: Math.round(n) }));
              }}
            />
            <button type="button" className="button primary" onClick={session.applyNow} aria-keyshortcuts="Control+Enter">
              Apply now
            </button>
            <button type="button" className="button" onClick={() => download('wat')}>
              Download .wat
            </button>
            <button type="button" className="button" onClick={() => download('wasm')}>
              Download .wasm
            </button>
          </div>
          <p id={hintId} className="hint">
            Ctrl+Enter (or Ctrl+S) applies now, Ctrl+Shift+E turns compile as you type {settings.live ? 'off' : 'on'}; Tab indents, Escape then Tab leaves the editor.
          </p>
          <Suspense fallback={<p className="muted">Loading the editor…</p>}>
            <MonacoSourceEditor
              doc={{ id: open.id, text: doc.text, filename: doc.filename }}
              onText={session.edited}
              onApplyNow={session.applyNow}
              onToggleLive={toggleLive}
              onFocus={session.warm}
              problems={session.problems}
              label={`WebAssembly text of ${open.module}`}
              describedBy={`${hintId} ${statusId}`}
            />
          </Suspense>
          <BuildStatus id={statusId} module={open.module} event={session.last} problems={session.problems} />
        </>
      )}
    </section>
  );
}

/** What the last build came to, in words; problems listed with their line and column. */
function BuildStatus({ id, module, event, problems }: { id: string; module: string; event: EditEvent | null; problems: ReturnType<typeof useSourceSession>['problems'] }) {
  const text = statusText(module, event);
  const failed = event?.phase === 'compile failed' || event?.phase === 'refused';
  return (
    <div id={id} className={failed ? 'source-status source-status-error' : 'source-status'} role="status" aria-label="Build">
      {text && <p>{text}</p>}
      {event?.phase === 'compile failed' && problems.length > 0 && (
        <ul className="source-problems">
          {problems.slice(0, 10).map((p, i) => (
            <li key={i}>
              Line {p.line}, column {p.column}: {p.message}
            </li>
          ))}
          {problems.length > 10 && <li>and {problems.length - 10} more</li>}
        </ul>
      )}
    </div>
  );
}

function statusText(module: string, event: EditEvent | null): string {
  if (!event) return '';
  switch (event.phase) {
    case 'compiling':
      return 'Compiling…';
    case 'superseded':
      return 'Compiling the newer text…';
    case 'compile failed':
      return `Not compiled: ${event.message}. The version serving is unchanged.`;
    case 'updating':
      return `Compiled in ${ms(event.compileMs)}; swapping it in…`;
    case 'served':
      return `${module} ${event.version} serves this text (compiled in ${ms(event.compileMs)}, swapped in ${ms(event.updateMs)}).`;
    case 'refused':
      return `Compiled, but not swapped in: ${sentence(event.message)} The version serving is unchanged.`;
    case 'idle':
      return '';
    default: {
      const check: never = event;
      return check;
    }
  }
}

const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
