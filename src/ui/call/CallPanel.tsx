/**
 * Call: pick a function export, write its argument, call it, see the result. For command
 * modules, also run `_start` with arguments. Ctrl+Enter / Cmd+Enter anywhere in the panel calls.
 */
import { type KeyboardEvent, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { type ModuleInfo, type TimedResult, choiceNamed, formatSignature, functionChoices, selectCallPickRequest, selectModule } from '../../store';
import { useAppStore, useAppStoreApi, useEngine } from '../common/context';
import { formatError, formatTime, formatValue } from '../common/format';
import { ArgumentEditor } from './ArgumentEditor';
import { FunctionPicker, useFunctionPick } from './FunctionPicker';
import { defaultArgument, parseArgument, rawArguments } from './call-args';
import { useArgument } from './useArgument';
import { VisuallyHidden } from '../common/VisuallyHidden';
import { RunForm } from './RunForm';
import { CopyLinkButton } from '../share/CopyLinkButton';
import { PendingCall } from './PendingCall';
import { ModuleContext } from '../common/ModuleContext';

/** The argument editor's input: Monaco's, or the plain editor. */
const ARGUMENT_INPUT = '[aria-label="Argument (JSON)"]:is(textarea, [role="textbox"])';

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);

/** Who gave a result, and when: a result belongs to a module, a version and a moment. */
export interface Answered {
  module: string;
  version: string | null;
  /** ms since epoch. */
  at: number;
  /** The engine's measure of a call (calls only): the worker's own time, and the round trip. */
  guestMs?: number;
  roundTripMs?: number;
  /** A run's time from asking to its exit (a fresh instance, `_start`, its output), as the page saw it. */
  runMs?: number;
}

export type Outcome =
  /** `since`: performance.now() when it was asked; `module`: the module it went to (what Stop stops). */
  | { kind: 'pending'; text: string; since: number; module: string }
  | { kind: 'ok'; text: string; by: Answered }
  | { kind: 'error'; text: string; by: Answered };

export function CallPanel() {
  const module = useAppStore(selectModule);
  return (
    <section className="panel call-panel" aria-label="Call">
      <div className="panel-header">
        <h2>Call</h2>
        {module && <ModuleContext module={module} />}
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
  const focusArgument = () => form.current?.querySelector<HTMLElement>(ARGUMENT_INPUT)?.focus();

  // Another panel asked for a function (a click on an export): choose it, while rendering so the
  // argument resets in the same commit, and move the focus to the argument once it has.
  const request = useAppStore(selectCallPickRequest);
  // A request made before this form mounted (a share link's, as the page opens) counts too; a
  // handled one is taken back from the store (below), so a later mount does not see it again.
  const [seenRequest, setSeenRequest] = useState(0);
  const [focusFor, setFocusFor] = useState(0);
  /** The argument a request brought (a share link's), for the function it chose. */
  const [requestedArg, setRequestedArg] = useState<{ id: number; fn: string; text: string } | null>(null);
  // A request for another module waits until that one is active.
  if (request && request.id !== seenRequest && request.module === module.name) {
    setSeenRequest(request.id);
    if (choiceNamed(choices, request.fn)) {
      pick.setQuery('');
      pick.pick(request.fn);
      setRequestedArg(request.arg !== undefined ? { id: request.id, fn: request.fn, text: request.arg } : null);
      setFocusFor(request.id);
    }
  }
  useEffect(() => {
    if (focusFor === 0) return;
    form.current?.querySelector<HTMLElement>(ARGUMENT_INPUT)?.focus();
    store.getState().callPick.done(focusFor);
  }, [focusFor, store]);

  // Raw mode follows the function (on for raw-only ones) unless the user set it for this function.
  const [rawChoice, setRawChoice] = useState<{ fn: string; raw: boolean } | null>(null);
  const autoRaw = !!choice && !choice.jsonCallable && choice.rawCallable;
  const raw = rawChoice && rawChoice.fn === selected ? rawChoice.raw : autoRaw;

  // The text resets to a fitting one when the function or the mode changes (see useArgument).
  const fitting = requestedArg && requestedArg.fn === selected ? requestedArg.text : defaultArgument(choice?.signature?.params ?? null, raw);
  const argument = useArgument(selected === null ? null : `${raw ? 'raw' : 'json'}:${selected}`, fitting, requestedArg?.id ?? 0);
  const parsed = useMemo(() => parseArgument(argument.text, { exactIntegers: raw }), [argument.text, raw]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  /** Only the latest call or run shows its result; older replies are dropped. */
  const sequence = useRef(0);
  // A result belongs to its module: another active module starts with none, and the replies
  // still to come from the one before are dropped.
  useLayoutEffect(() => {
    sequence.current++;
    setOutcome(null);
  }, [module.name]);

  /** Run `work`; `answered` says who answered (and how fast) from its value, when it can. */
  const run = async <T,>(what: string, work: () => Promise<T>, show: (value: T) => string, answered: (value: T) => Partial<Answered>) => {
    const seq = ++sequence.current;
    const asked: Answered = { module: module.name, version: module.version, at: 0 };
    setOutcome({ kind: 'pending', text: `${what}…`, since: performance.now(), module: module.name });
    try {
      const value = await work();
      if (seq === sequence.current) setOutcome({ kind: 'ok', text: show(value), by: { ...asked, at: Date.now(), ...answered(value) } });
    } catch (error) {
      if (seq === sequence.current) setOutcome({ kind: 'error', text: formatError(error), by: { ...asked, at: Date.now() } });
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
    const arg = parseArgument(argument.current(), { exactIntegers: raw });
    if (!choice || !arg.ok) return;
    const fn = choice.name;
    const work = raw ? () => engine.callRawTimed(fn, ...rawArguments(arg.value, choice.signature?.params ?? [])) : () => engine.callTimed(fn, arg.value);
    void run(`Calling ${fn}`, work, (timed: TimedResult<unknown>) => formatValue(timed.value), answeredBy);
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
        const started = performance.now();
        try {
          const result = await engine.run(args);
          return { result, ms: performance.now() - started };
        } finally {
          // The run is over: its last line without a newline should not absorb the next output.
          store.getState().console.seal();
        }
      },
      ({ result }) => `Exit code: ${result.exitCode}`,
      ({ ms }) => ({ runMs: ms }),
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
          resetToken={argument.resetToken}
          resetText={argument.resetText}
          onChange={argument.onChange}
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
        <CopyLinkButton module={module} fn={choice?.name ?? null} arg={argument.current} />
      </div>
      <ResultView outcome={outcome} onStop={stopPending} />
    </div>
  );
}

/** The module and version that answered, when, and the engine's measure of the call. */
function answeredBy(timed: TimedResult<unknown>): Partial<Answered> {
  const by: Partial<Answered> = { module: timed.module, version: timed.version, at: timed.answeredAt, roundTripMs: timed.roundTripMs };
  if (timed.guestMs !== undefined) by.guestMs = timed.guestMs;
  return by;
}

/** A call's time: sub-millisecond ones need two decimals to say anything ("0.04 ms"). */
const callMs = (ms: number): string => (ms < 1 ? `${ms.toFixed(2)} ms` : ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`);

/** "counter v2 answered at 12:04:31 · in 0.31 ms (round trip 0.52 ms)". */
export function answeredText(outcome: Extract<Outcome, { by: Answered }>): string {
  const { module, version, at, guestMs, roundTripMs, runMs } = outcome.by;
  const verb = outcome.kind !== 'ok' ? 'failed' : runMs !== undefined ? 'exited' : 'answered';
  const who = `${module}${version ? ` ${version}` : ''} ${verb} at ${formatTime(at)}`;
  if (runMs !== undefined) return `${who} · ran ${callMs(runMs)}`;
  if (roundTripMs === undefined) return who;
  const time = guestMs === undefined ? `round trip ${callMs(roundTripMs)}` : `in ${callMs(guestMs)} (round trip ${callMs(roundTripMs)})`;
  return `${who} · ${time}`;
}

function ResultView({ outcome, onStop }: { outcome: Outcome | null; onStop: (module: string) => Promise<void> }) {
  const metaId = useId();
  const answered = outcome && outcome.kind !== 'pending' ? answeredText(outcome) : null;
  return (
    <div className="result-block">
      <div className="result-header">
        <h3>Result</h3>
        {answered && (
          <span id={metaId} className="muted duration">
            {answered}
          </span>
        )}
        {outcome?.kind === 'pending' && <PendingCall key={outcome.since} since={outcome.since} onStop={() => onStop(outcome.module)} />}
      </div>
      <pre
        className={`result result-${outcome?.kind ?? 'none'}`}
        role="region"
        aria-label="Result"
        aria-describedby={answered ? metaId : undefined}
        aria-live="polite"
        aria-busy={outcome?.kind === 'pending'}
        tabIndex={0}
      >
        {outcome?.text ?? <span className="muted">Call a function to see its answer here.</span>}
      </pre>
    </div>
  );
}
