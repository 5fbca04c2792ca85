/**
 * Config: one field per engine setting, with its unit, default and range. Edits are checked as
 * they are typed; Apply sends the changed ones to `engine.configure`, which takes all of them or
 * none (an out-of-range value is refused with its message, never clamped). Reset to defaults
 * puts every setting back.
 */
import { type FormEvent, useId, useRef, useState } from 'react';
import { CONFIG_RULES, DEFAULT_CONFIG, type EngineConfig, selectConfig, selectNoticeActions } from '../../store';
import { useAppStore, useEngine } from '../common/context';
import { formatCount } from '../common/format';
import { DESCRIPTIONS, LABELS } from './descriptions';
import { CONFIG_KEYS, type ConfigKey, type Draft, type FieldState, fieldState, patchOf } from './draft';

export function ConfigPanel() {
  const engine = useEngine();
  const current = useAppStore(selectConfig);
  const notices = useAppStore(selectNoticeActions);
  const [draft, setDraft] = useState<Draft>({});
  const [applyError, setApplyError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const errorId = useId();

  const fields = CONFIG_KEYS.map((key) => ({ key, state: fieldState(key, current, draft) }));
  const changed = fields.some((f) => f.state.changed);

  const edit = (key: ConfigKey, input: string | boolean) => {
    setDraft((d) => ({ ...d, [key]: input }));
    setApplyError(null);
  };

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const patch = patchOf(current, draft);
    const keys = Object.keys(patch);
    if (keys.length === 0) return;
    try {
      engine.configure(patch as Partial<EngineConfig>);
    } catch (error) {
      setApplyError(error instanceof Error ? error.message : String(error));
      // Take the keyboard to the first field that needs fixing.
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    setDraft({});
    setApplyError(null);
    notices.announce(`Settings applied: ${keys.map((k) => `${k} = ${String(patch[k])}`).join(', ')}`);
  };

  const reset = () => {
    try {
      engine.configure({ ...DEFAULT_CONFIG });
    } catch (error) {
      setApplyError(error instanceof Error ? error.message : String(error));
      return;
    }
    setDraft({});
    setApplyError(null);
    notices.announce('Settings reset to their defaults');
  };

  return (
    <section className="panel config-panel" aria-label="Config">
      <div className="panel-header">
        <h2>Config</h2>
        <span className="muted">saved in this browser</span>
      </div>
      <form ref={formRef} onSubmit={apply} noValidate aria-describedby={applyError ? errorId : undefined}>
        <div className="config-grid">
          {fields.map(({ key, state }) => (
            <ConfigField key={key} name={key} state={state} onEdit={edit} />
          ))}
        </div>
        <div className="config-actions">
          <button type="submit" className="button button-primary" disabled={!changed}>
            Apply
          </button>
          <button type="button" className="button" onClick={reset}>
            Reset to defaults
          </button>
          {changed && !applyError && <span className="muted">Unapplied changes</span>}
        </div>
        <div aria-live="polite">
          {applyError && (
            <p id={errorId} className="field-error apply-error">
              {applyError}
            </p>
          )}
        </div>
      </form>
    </section>
  );
}

function ConfigField({ name, state, onEdit }: { name: ConfigKey; state: FieldState; onEdit: (key: ConfigKey, input: string | boolean) => void }) {
  const rule = CONFIG_RULES[name];
  const ids = { input: useId(), hint: useId(), problem: useId() };
  const describedBy = [ids.hint, state.problem ? ids.problem : ''].filter(Boolean).join(' ');
  const className = `config-field${state.changed ? ' config-changed' : ''}${rule.kind === 'boolean' ? ' config-boolean' : ''}`;

  if (rule.kind === 'boolean') {
    return (
      <div className={className}>
        <div className="config-check">
          <input id={ids.input} type="checkbox" checked={state.input === true} onChange={(e) => onEdit(name, e.currentTarget.checked)} aria-describedby={describedBy} />
          <label htmlFor={ids.input}>
            {LABELS[name]} <code className="config-api">{name}</code>
          </label>
        </div>
        <p id={ids.hint} className="config-hint">
          {DESCRIPTIONS[name]}. Default: {DEFAULT_CONFIG[name] ? 'on' : 'off'}
        </p>
      </div>
    );
  }

  const fmt = formatCount;
  return (
    <div className={className}>
      <label htmlFor={ids.input}>
        {LABELS[name]} <span className="config-unit">({rule.unit})</span> <code className="config-api">{name}</code>
      </label>
      <input
        id={ids.input}
        type="number"
        inputMode="numeric"
        step={1}
        min={rule.min}
        max={rule.max}
        value={String(state.input)}
        onChange={(e) => onEdit(name, e.currentTarget.value)}
        aria-invalid={state.problem ? true : undefined}
        aria-describedby={describedBy}
      />
      <p id={ids.hint} className="config-hint">
        {DESCRIPTIONS[name]}. Default: {fmt(DEFAULT_CONFIG[name] as number)} (range {fmt(rule.min)}–{fmt(rule.max)})
      </p>
      {state.problem && (
        <p id={ids.problem} className="field-error">
          {state.problem}
        </p>
      )}
    </div>
  );
}
