/**
 * Deploy a build with a strategy: the strategy and its settings, the build (a kept version of the
 * module, or a .wasm file), and Deploy. What is wrong with the settings is said beside them.
 */
import { type FormEvent, memo, useId, useRef, useState } from 'react';
import type { Strategy, StrategyKind, VersionInfo } from '../../store';
import { DEFAULT_FIELDS, STRATEGY_KINDS, STRATEGY_NAMES, type StrategyFields, strategyFrom } from './deploy-words';

/** What is deployed: a kept version's label, or a file. */
export type DeploySource = { version: string } | { file: File };

export interface DeployFormProps {
  module: string;
  /** Kept versions, oldest first. */
  versions: readonly VersionInfo[];
  serving: string | null;
  /** A deployment is running: another waits until it ends. */
  running: boolean;
  busy: boolean;
  onDeploy(source: DeploySource, strategy: Strategy): void;
}

export const DeployForm = memo(function DeployForm({ module, versions, serving, running, busy, onDeploy }: DeployFormProps) {
  const ids = { strategy: useId(), option: useId(), build: useId(), file: useId(), problem: useId() };
  const [fields, setFields] = useState<StrategyFields>(DEFAULT_FIELDS);
  const [picked, setPicked] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const clearFile = () => {
    if (fileInput.current) fileInput.current.value = '';
    setFile(null);
  };
  const newestFirst = [...versions].reverse();
  // The newest build that is not serving, unless one was picked (and is still kept).
  const build = (picked !== null && versions.some((v) => v.version === picked) ? picked : null) ?? newestFirst.find((v) => v.version !== serving)?.version ?? newestFirst[0]?.version ?? null;
  const made = strategyFrom(fields);
  const problem = 'problem' in made ? made.problem : null;
  const set = (patch: Partial<StrategyFields>) => setFields((f) => ({ ...f, ...patch }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if ('problem' in made) return;
    if (file) onDeploy({ file }, made.strategy);
    else if (build !== null) onDeploy({ version: build }, made.strategy);
  };

  const option = (label: string, key: 'batchSize' | 'trafficPercent' | 'samplePercent', min: number, max: number) => (
    <div className="field">
      <label htmlFor={ids.option}>{label}</label>
      <input id={ids.option} type="number" min={min} max={max} step="any" value={fields[key]} aria-invalid={problem !== null} aria-describedby={problem ? ids.problem : undefined} onChange={(e) => set({ [key]: e.currentTarget.value })} />
    </div>
  );

  return (
    <form className="deploy-form" onSubmit={submit} aria-label={`Deploy a build of ${module}`}>
      <div className="deploy-form-row">
        <div className="field">
          <label htmlFor={ids.strategy}>Strategy</label>
          <select id={ids.strategy} value={fields.kind} onChange={(e) => set({ kind: e.currentTarget.value as StrategyKind })}>
            {STRATEGY_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {STRATEGY_NAMES[kind]}
              </option>
            ))}
          </select>
        </div>
        {fields.kind === 'rolling' && option('Batch size', 'batchSize', 1, 16)}
        {fields.kind === 'canary' && option('Traffic %', 'trafficPercent', 1, 100)}
        {fields.kind === 'shadow' && option('Sample %', 'samplePercent', 0.1, 100)}
        {fields.kind === 'blue-green' && (
          <div className="field field-check">
            <input id={ids.option} type="checkbox" checked={fields.manual} onChange={(e) => set({ manual: e.currentTarget.checked })} />
            <label htmlFor={ids.option}>Wait for promote</label>
          </div>
        )}
      </div>
      <div className="deploy-form-row">
        <div className="field">
          <label htmlFor={ids.build}>Build</label>
          <select id={ids.build} value={build ?? ''} onChange={(e) => setPicked(e.currentTarget.value)} disabled={file !== null || versions.length === 0}>
            {versions.length === 0 && <option value="">No kept builds</option>}
            {newestFirst.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
                {v.tag ? ` (${v.tag})` : ''}
                {v.version === serving ? ' — serving' : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.file}>Build file</label>
          <input ref={fileInput} id={ids.file} type="file" accept=".wasm,application/wasm" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        </div>
        <button type="submit" className="button button-primary deploy-submit" disabled={busy || running || problem !== null || (file === null && build === null)} title={running ? 'A deployment is running: promote or abort it first' : undefined}>
          Deploy
        </button>
      </div>
      {file && (
        <p className="field-hint muted">
          Deploys {file.name}, not a kept build.{' '}
          <button type="button" className="button button-small" onClick={clearFile}>
            Clear file
          </button>
        </p>
      )}
      {problem && (
        <p id={ids.problem} className="field-error">
          {problem}
        </p>
      )}
    </form>
  );
});
