/**
 * State: the active module's state bytes (its save_state, read on request and at each
 * checkpoint) in hex, UTF-8 and JSON; an editor that gives the serving version new state; the
 * timeline of recent checkpoints to rewind to; and a strip of what happened when. Everything
 * given goes through the engine's update pipeline (src/core/state.ts): a refusal changes nothing.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { type ModuleInfo, selectCheckpoints, selectModule } from '../../store';
import { useAppStore, useEngine } from '../common/context';
import { formatTime } from '../common/format';
import { CheckpointTimeline } from './CheckpointTimeline';
import { StateEditor } from './StateEditor';
import { StateStrip } from './StateStrip';
import { StateView } from './StateView';
import { ModuleContext } from '../common/ModuleContext';

/** The state shown, and where it came from. */
export interface ShownState {
  bytes: Uint8Array;
  at: number;
  /** "read now", or "checkpoint 5 of v1". */
  from: string;
}

/** What the last action (read, apply, rewind) came to, in words. */
export interface Outcome {
  text: string;
  error: boolean;
}

/**
 * Start an action; what it comes to is shown only if no action started after it. A read still
 * on its way when Apply was pressed wrote "Read 8 bytes" over the refusal of the apply.
 */
export type StartAction = () => (outcome: Outcome) => void;

export function StatePanel() {
  const module = useAppStore(selectModule);
  return (
    <section className="panel state-panel" aria-label="State">
      <div className="panel-header">
        <h2>State</h2>
        {module && <ModuleContext module={module} />}
      </div>
      {module ? <ModuleState key={module.name} module={module} /> : <p className="empty">No module loaded.</p>}
    </section>
  );
}

const exported = (module: ModuleInfo, name: string) => module.exports.some((e) => e.name === name && e.kind === 'function');

function ModuleState({ module }: { module: ModuleInfo }) {
  const engine = useEngine();
  const checkpoints = useAppStore(selectCheckpoints);
  // The state last read, and the checkpoint that was the latest then.
  const [read, setRead] = useState<{ state: ShownState; after: number | null } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const actions = useRef(0);
  const startAction: StartAction = useCallback(() => {
    const mine = ++actions.current;
    return (o) => {
      if (mine === actions.current) setOutcome(o);
    };
  }, []);
  const [reading, setReading] = useState(false);
  const hasSave = exported(module, 'save_state');
  const hasRestore = exported(module, 'restore_state');
  const latest = checkpoints.at(-1) ?? null;

  // Each checkpoint shows at once: its bytes are in the engine already (no request to the worker).
  // Worked out as the panel renders, not in an effect after it: that was a second render and a
  // second frame after every update.
  const checkpointShown = useMemo((): ShownState | null => {
    if (!latest) return null;
    let bytes: Uint8Array | null = null;
    try {
      bytes = engine.module(module.name).checkpointState(latest.seq);
    } catch {
      return null; // the module is gone: the panel goes with it
    }
    return bytes && { bytes, at: latest.at, from: `checkpoint ${latest.seq} of ${latest.version}` };
  }, [engine, module.name, latest]);
  // What came last: a read, unless a checkpoint came after it.
  const shown = read && read.after === (latest?.seq ?? null) ? read.state : (checkpointShown ?? read?.state ?? null);

  const readNow = async () => {
    const report = startAction();
    setReading(true);
    try {
      const bytes = await engine.module(module.name).state();
      if (bytes) setRead({ state: { bytes, at: Date.now(), from: `read now from ${module.version}` }, after: latest?.seq ?? null });
      report({ text: bytes ? `Read ${bytes.byteLength} bytes of state from ${module.version}` : `${module.version} has no save_state`, error: false });
    } catch (error) {
      report({ text: `Reading the state failed: ${(error as Error).message}`, error: true });
    } finally {
      setReading(false);
    }
  };

  return (
    <>
      {!hasSave ? (
        <p className="empty">
          {module.name} {module.version} has no <code>save_state</code> export: it keeps no state hotwasm can read, carry or rewind.
        </p>
      ) : (
        <>
          <div className="panel-actions">
            <button type="button" className="button" onClick={() => void readNow()} disabled={reading}>
              Read state
            </button>
            {shown && (
              <span className="muted">
                {shown.bytes.byteLength} bytes, {shown.from} at {formatTime(shown.at)}
              </span>
            )}
          </div>
          {shown ? <StateView bytes={shown.bytes} /> : <p className="empty">No state read yet: Read state, or wait for the next checkpoint.</p>}
        </>
      )}
      {!hasRestore && (
        <p className="muted">
          {module.version} has no <code>restore_state</code> export: state given to it is refused.
        </p>
      )}
      <StateEditor module={module} current={shown?.bytes ?? null} startAction={startAction} />
      <p className={outcome?.error ? 'state-outcome error-text' : 'state-outcome'} role="status">
        {outcome?.text}
      </p>
      <CheckpointTimeline module={module} checkpoints={checkpoints} startAction={startAction} />
      <StateStrip module={module.name} checkpoints={checkpoints} />
    </>
  );
}
