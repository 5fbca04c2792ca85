/**
 * Call: pick a function export, write its argument, call it, see the result. For command
 * modules, also run `_start` with arguments. Ctrl+Enter / Cmd+Enter anywhere in the panel calls.
 */
import { type KeyboardEvent, useCallback, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { type ModuleInfo, formatSignature, functionChoices, selectModule } from '../../store';
import { useAppStore, useAppStoreApi, useEngine } from '../common/context';
import { formatError, formatValue } from '../common/format';
import { ArgumentEditor } from './ArgumentEditor';
import { FunctionPicker, useFunctionPick } from './FunctionPicker';
import { parseArgument, rawArguments } from './call-args';
import { VisuallyHidden } from '../common/VisuallyHidden';
import { RunForm } from './RunForm';
import { PendingCall } from './PendingCall';

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);

export type Outcome =
  /** `since`: performance.now() when it was asked; `module`: the module it went to (what Stop stops). */
  | { kind: 'pending'; text: string; since: number; module: string }
  | { kind: 'ok'; text: string; ms: number | null }
  | { kind: 'error'; text: string; ms: number | null };

export function CallPanel() {
  const module = useAppStore(selectModule);
  return (
    <section className="panel call-panel" aria-label="Call">
      <div className="panel-header">
        <h2>Call</h2>
      </div>
      {module ? <CallForm module={module} /> : <p className="empty">Load a module to call its exports.</p>}
    </section>
  );
}

function CallForm({ module }: { module: ModuleInfo }) {
  const engine = useEngine();
  const store = useAppStoreApi();
  const ids = { fn: useId(), raw: useId(), argHint: useId(), argError: useId() };
  // Remembered per exports list: a module can have 100,000 exports.
  const choices = functionChoices(module.exports);
  const pick = useFunctionPick(choices);
  const { selected, choice } = pick;
  const form = useRef<HTMLDivElement>(null);
  // Enter in the picker's filter moves on to the argument (Monaco's input, or the plain one).
  const focusArgument = () => form.current?.querySelector<HTMLElement>('[aria-label="Argument (JSON)"]:is(textarea, [role="textbox"])')?.focus();

  // Raw mode follows the function (on for raw-only ones) unless the user set it for this function.
  const [rawChoice, setRawChoice] = useState<{ fn: string; raw: boolean } | null>(null);
  const autoRaw = !!choice && !choice.jsonCallable && choice.rawCallable;
  const raw = rawChoice && rawChoice.fn === selected ? rawChoice.raw : autoRaw;

  const [argText, setArgText] = useState('null');
  const parsed = useMemo(() => parseArgument(argText, { exactIntegers: raw }), [argText, raw]);
  // The editor's latest text, ahead of React: Monaco reports edits from its own (non-React)
  // events, whose re-render may not have happened yet when a fast keyboard user presses Call.
  const latestText = useRef(argText);
  const onArgChange = useCallback((text: string) => {
    latestText.current = text;
    setArgText(text);
  }, []);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  /** Only the latest call or run shows its result; older replies are dropped. */
  const sequence = useRef(0);

  const run = async <T,>(what: string, work: () => Promise<T>, show: (value: T) => string) => {
    const seq = ++sequence.current;
    setOutcome({ kind: 'pending', text: `${what}…`, since: performance.now(), module: module.name });
    const t0 = performance.now();
    try {
      const value = await work();
      if (seq === sequence.current) setOutcome({ kind: 'ok', text: show(value), ms: performance.now() - t0 });
    } catch (error) {
      if (seq === sequence.current) setOutcome({ kind: 'error', text: formatError(error), ms: performance.now() - t0 });
    }
  };

  // The stopped call's rejection shows in the Result; a call that ended meanwhile has nothing to stop.
  const stopPending = async (name: string) => {
    try {
      const result = await engine.module(name).stop();
      if (!result.stopped) store.getState().notices.announce(result.message);
    } catch (error) {
      store.getState().notices.reportError(error, 'stop');
    }
    // Stop goes with the pending call: keep the keyboard where its outcome is.
    form.current?.querySelector<HTMLElement>('[aria-label="Result"]')?.focus();
  };

  const canCall = choice !== null && parsed.ok;
  const call = () => {
    const arg = parseArgument(latestText.current, { exactIntegers: raw });
    if (!choice || !arg.ok) return;
    const fn = choice.name;
    if (raw) {
      const args = rawArguments(arg.value, choice.signature?.params ?? []);
      void run(`Calling ${fn}`, () => engine.callRaw(fn, ...args), formatValue);
    } else {
      void run(`Calling ${fn}`, () => engine.call(fn, arg.value), formatValue);
    }
  };
  // Monaco's keybinding outlives renders: it calls the latest `call` through this ref.
  const callRef = useRef(call);
  useLayoutEffect(() => {
    callRef.current = call;
  });
  const submitFromEditor = useCallback(() => callRef.current(), []);

  const runCommand = (args: string[]) =>
    run(
      'Running',
      async () => {
        try {
          return await engine.run(args);
        } finally {
          // The run is over: its last line without a newline should not absorb the next output.
          store.getState().console.seal();
        }
      },
      (result) => `Exit code: ${result.exitCode}`,
    );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.defaultPrevented) return;
    // Inside the run form, Ctrl+Enter runs; everywhere else in the panel it calls.
    if ((event.target as Element).closest('.run-form')) return;
    event.preventDefault();
    call();
  };

  return (
    <div className="call-form" onKeyDown={onKeyDown} ref={form}>
      {/* A command's main action is running it: that comes first. */}
      {module.kind === 'command' && <RunForm onRun={runCommand} />}
      {module.kind === 'command' && <h3 className="call-subheading">Call an export</h3>}
      <div className="call-row">
        <FunctionPicker pick={pick} id={ids.fn} onAccept={focusArgument} />
        <div className="field field-check">
          <input
            id={ids.raw}
            type="checkbox"
            checked={raw}
            disabled={!choice}
            onChange={(e) => selected && setRawChoice({ fn: selected, raw: e.currentTarget.checked })}
          />
          <label htmlFor={ids.raw}>Raw call</label>
        </div>
        {choice?.signature && (
          <code className="signature muted">
            <VisuallyHidden>Signature: </VisuallyHidden>
            {formatSignature(choice.signature)}
          </code>
        )}
      </div>
      <div className="field">
        {/* The editor carries this name itself (aria-label): Monaco's input cannot be a <label>'s control. */}
        <span className="field-label">
          Argument (JSON)
          {raw && (
            <span id={ids.argHint} className="muted">
              {' '}
              — raw: an array of numbers, one per parameter
            </span>
          )}
        </span>
        <ArgumentEditor
          value={argText}
          onChange={onArgChange}
          onSubmit={submitFromEditor}
          label="Argument (JSON)"
          describedBy={[raw ? ids.argHint : '', parsed.ok ? '' : ids.argError].filter(Boolean).join(' ') || undefined}
          invalid={!parsed.ok}
        />
        {!parsed.ok && (
          <p id={ids.argError} className="field-error">
            {parsed.message}
          </p>
        )}
      </div>
      <div className="call-actions">
        <button type="button" className="button button-primary" onClick={call} disabled={!canCall}>
          Call
        </button>
        <span className="muted keyhint">
          or <kbd>{IS_MAC ? '⌘' : 'Ctrl'}</kbd>+<kbd>Enter</kbd>
        </span>
      </div>
      <ResultView outcome={outcome} onStop={stopPending} />
    </div>
  );
}

function ResultView({ outcome, onStop }: { outcome: Outcome | null; onStop: (module: string) => Promise<void> }) {
  return (
    <div className="result-block">
      <div className="result-header">
        <h3>Result</h3>
        {outcome && outcome.kind !== 'pending' && outcome.ms !== null && <span className="muted duration">in {outcome.ms.toFixed(2)} ms</span>}
        {outcome?.kind === 'pending' && <PendingCall key={outcome.since} since={outcome.since} onStop={() => onStop(outcome.module)} />}
      </div>
      <pre
        className={`result result-${outcome?.kind ?? 'none'}`}
        role="region"
        aria-label="Result"
        aria-live="polite"
        aria-busy={outcome?.kind === 'pending'}
        tabIndex={0}
      >
        {outcome?.text ?? ''}
      </pre>
    </div>
  );
}
