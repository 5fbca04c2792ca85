/**
 * Edit and inject: the user types new state as hex or JSON and applies it. What does not parse
 * is refused here, with why, and nothing is sent; what parses goes to engine.injectState, which
 * gives it to a fresh instance of the serving version and cuts over, or refuses with why.
 */
import { type FormEvent, useId, useState } from 'react';
import { type ModuleInfo, selectInstances } from '../../store';
import { useAppStore, useEngine } from '../common/context';
import { formatError } from '../common/format';
import type { StartAction } from './StatePanel';
import { parseHex, parseJson, toHex, utf8View } from './state-bytes';

type Mode = 'hex' | 'json';

export function StateEditor({ module, current, startAction }: { module: ModuleInfo; current: Uint8Array | null; startAction: StartAction }) {
  const engine = useEngine();
  // A pool's instances each keep their own state: one state cannot be given to all of them.
  const instances = useAppStore(selectInstances);
  const [mode, setMode] = useState<Mode>('hex');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);
  const ids = { text: useId(), error: useId(), group: useId(), pool: useId() };

  const startFromCurrent = () => {
    if (!current) return;
    setText(mode === 'hex' ? toHex(current) : utf8View(current).text);
    setError(null);
  };

  const apply = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = mode === 'hex' ? parseHex(text) : parseJson(text);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    const report = startAction();
    setApplying(true);
    try {
      // Made for the version serving now: refused if another one serves by its turn.
      const info = await engine.module(module.name).injectState(parsed.bytes, { version: module.version ?? undefined });
      report({ text: `Applied: ${parsed.bytes.byteLength} bytes of state given to ${module.name} ${info.version}`, error: false });
    } catch (e) {
      report({ text: formatError(e), error: true });
    } finally {
      setApplying(false);
    }
  };

  return (
    <form className="state-editor" onSubmit={(e) => void apply(e)}>
      <h3>Edit state</h3>
      <fieldset className="state-views">
        <legend>Edit as</legend>
        {(
          [
            ['hex', 'Hex'],
            ['json', 'JSON'],
          ] as const
        ).map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name={ids.group}
              value={value}
              checked={mode === value}
              onChange={() => {
                setMode(value);
                setError(null);
              }}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <label htmlFor={ids.text}>New state ({mode === 'hex' ? 'hex' : 'JSON'})</label>
      <textarea
        id={ids.text}
        className="state-input"
        rows={3}
        spellCheck={false}
        value={text}
        placeholder={mode === 'hex' ? 'e.g. 64 00 00 00 00 00 00 00' : 'e.g. {"count": 100}'}
        aria-invalid={error !== null}
        aria-describedby={error ? ids.error : undefined}
        onChange={(e) => {
          setText(e.currentTarget.value);
          setError(null);
        }}
      />
      {error && (
        <p id={ids.error} className="field-error" role="status">
          {error}. Nothing was sent.
        </p>
      )}
      {instances > 1 && (
        <p id={ids.pool} className="muted">
          {module.name} runs {instances} instances, each with its own state: scale it to 1 (Deploy panel) to give it a state.
        </p>
      )}
      <div className="panel-actions">
        <button type="submit" className="button button-primary" disabled={applying || instances > 1} aria-describedby={instances > 1 ? ids.pool : undefined}>
          Apply
        </button>
        <button type="button" className="button" onClick={startFromCurrent} disabled={!current}>
          Edit current state
        </button>
      </div>
    </form>
  );
}
