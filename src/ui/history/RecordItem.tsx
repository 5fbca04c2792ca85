import { memo } from 'react';
import { recordKey } from '../../core/history';
import { STEP_WORDS, type UpdateRecord, type VersionRef } from '../../store';
import { VisuallyHidden } from '../common/VisuallyHidden';
import { DASH, formatCount, formatDuration, formatTime } from '../common/format';

/**
 * One update record: outcome, module, from → to, trigger, duration and time on the first line;
 * then why it failed (or what caused the rollback), then what became of the state.
 * Memoised: records never change, only their tab stop does.
 */
export const RecordItem = memo(function RecordItem({ record, tabbable }: { record: UpdateRecord; tabbable: boolean }) {
  const state = [
    record.stateBytes !== null ? `${formatCount(record.stateBytes)} bytes of state carried` : null,
    record.warning,
    record.cutover ? (record.cutover.held ? `calls held ${formatDuration(record.cutover.pauseMs)} at the cutover` : 'no call held at the cutover') : null,
  ].filter(Boolean);
  return (
    <li className="record" data-outcome={record.outcome} data-id={record.id} data-key={recordKey(record)} tabIndex={tabbable ? 0 : -1}>
      {/* Spaces between the parts keep the text readable as plain text (copy, textContent). */}
      <div className="record-head">
        <span className={`outcome outcome-${record.outcome.replace(' ', '-')}`}>{record.outcome}</span>{' '}
        <span className="record-module">{record.module}</span>{' '}
        <span className="record-versions">
          <Version at={record.from} /> → <Version at={record.to} />
        </span>{' '}
        <span className="chip">
          <VisuallyHidden>trigger: </VisuallyHidden>
          {record.trigger}
        </span>{' '}
        <span className="record-meta muted">
          <span>{formatDuration(record.durationMs)}</span>{' '}
          <time dateTime={new Date(record.timestamp).toISOString()}>{formatTime(record.timestamp)}</time>
        </span>
      </div>
      {record.error && <Reason record={record} error={record.error} />}
      {state.length > 0 && <p className="record-state">{state.join('; ')}</p>}
      {record.deployment && <Decisions deployment={record.deployment} />}
    </li>
  );
});

/** A deployment's strategy and its decisions, in the order they were taken (folded: a roll of 16 instances has many). */
function Decisions({ deployment }: { deployment: NonNullable<UpdateRecord['deployment']> }) {
  return (
    <details className="record-decisions">
      <summary>
        {deployment.strategy} deployment, {deployment.outcome}: {deployment.decisions.length} decision{deployment.decisions.length === 1 ? '' : 's'}
      </summary>
      <ol>
        {deployment.decisions.map((text, i) => (
          <li key={i}>{text}</li>
        ))}
      </ol>
    </details>
  );
}

function Version({ at }: { at: VersionRef | null }) {
  if (!at) return <span>{DASH}</span>;
  return (
    <span className="version" title={`sha256 ${at.sha256}`}>
      {at.version}
    </span>
  );
}

function Reason({ record, error }: { record: UpdateRecord; error: string }) {
  if (record.failedStep) {
    return (
      <p className="record-error">
        {record.outcome === 'rolled back' ? 'Failed ' : 'Refused '}
        <strong className="record-step">{STEP_WORDS[record.failedStep]}</strong>: {error}
      </p>
    );
  }
  if (record.outcome === 'superseded') return <p className="record-note muted">{error}</p>;
  return <p className="record-note">Reason: {error}</p>;
}
