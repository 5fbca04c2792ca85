/**
 * The module's deployment, running or the latest that ended: its strategy, from → to, phase and
 * outcome, how the calls are shared, each decision in words (newest last), the canary's numbers
 * against its baseline, the shadow's divergences; Promote and Abort while it runs.
 */
import { memo } from 'react';
import type { DeploymentStatus } from '../../store';
import { formatCount, formatTime } from '../common/format';
import { Fact } from '../common/Fact';
import { describeDivergence, describeStrategy, describeTraffic, windowCells } from './deploy-words';

/** Divergences listed, newest last. */
const DIVERGENCES_SHOWN = 20;

export interface DeploymentViewProps {
  status: DeploymentStatus;
  busy: boolean;
  onPromote(): void;
  onAbort(): void;
}

/** Where the deployment stands, in words: "canary", "promoted", "rolled back: p99 3.10 ms over …". */
export function describeOutcome(status: DeploymentStatus): string {
  if (status.outcome === null) return status.phase;
  return status.reason ? `${status.outcome}: ${status.reason}` : status.outcome;
}

export const DeploymentView = memo(function DeploymentView({ status, busy, onPromote, onAbort }: DeploymentViewProps) {
  const running = status.outcome === null;
  return (
    <div className="deployment" role="group" aria-label={`Deployment ${status.id} of ${status.module}`}>
      <div className="deployment-header">
        <h3>
          {running ? 'Running deployment' : 'Latest deployment'} #{status.id}
        </h3>
        <button type="button" className="button" onClick={onPromote} disabled={!running || busy}>
          Promote
        </button>
        <button type="button" className="button button-danger" onClick={onAbort} disabled={!running || busy}>
          Abort
        </button>
      </div>
      <dl className="facts deployment-facts">
        <Fact term="Strategy" value={describeStrategy(status.strategy)} />
        <Fact term="From → to" value={`${status.from} → ${status.to ?? 'staging…'}`} />
        <div>
          <dt>{running ? 'Phase' : 'Outcome'}</dt>
          {/* Announced as it moves on. */}
          <dd aria-live="polite">{describeOutcome(status)}</dd>
        </div>
        <Fact term="Traffic" value={describeTraffic(status.traffic)} />
        <Fact term="Started" value={formatTime(status.startedAt)} />
        {status.endedAt !== null && <Fact term="Ended" value={formatTime(status.endedAt)} />}
      </dl>
      {status.canary && <CanaryComparison canary={status.canary} />}
      {status.shadow && <ShadowReport shadow={status.shadow} />}
      <h4 className="deployment-subheading">Decisions</h4>
      {status.decisions.length === 0 ? (
        <p className="empty">None yet</p>
      ) : (
        <ol className="deployment-decisions" aria-label="Decisions">
          {status.decisions.map((d, i) => (
            <li key={`${d.at}-${i}`}>
              <span className="muted">{formatTime(d.at)}</span> {d.text}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
});

function CanaryComparison({ canary }: { canary: NonNullable<DeploymentStatus['canary']> }) {
  const rows = [
    ['Canary', canary.canary],
    ['Baseline', canary.baseline],
  ] as const;
  return (
    <table className="data-table canary-table">
      <caption>Canary against its baseline, since {formatTime(canary.since)}</caption>
      <thead>
        <tr>
          <th scope="col">Side</th>
          <th scope="col">Version</th>
          <th scope="col">Calls</th>
          <th scope="col">Errors</th>
          <th scope="col">Error rate</th>
          <th scope="col">p99</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([side, stats]) => {
          const cells = windowCells(stats);
          return (
            <tr key={side}>
              <th scope="row">{side}</th>
              <td>{stats.version}</td>
              <td>{cells.calls}</td>
              <td>{cells.errors}</td>
              <td>{cells.rate}</td>
              <td>{cells.p99}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ShadowReport({ shadow }: { shadow: NonNullable<DeploymentStatus['shadow']> }) {
  const shown = shadow.divergences.slice(-DIVERGENCES_SHOWN);
  return (
    <>
      <dl className="facts deployment-facts">
        <Fact term="Mirrored" value={formatCount(shadow.mirrored)} />
        <Fact term="Matched" value={formatCount(shadow.matched)} />
        <Fact term="Timed out" value={formatCount(shadow.timedOut)} />
      </dl>
      <h4 className="deployment-subheading">Divergences</h4>
      {shown.length === 0 ? (
        <p className="empty">None: every mirrored call answered alike</p>
      ) : (
        <ul className="deployment-divergences" aria-label="Divergences">
          {shown.map((d, i) => (
            <li key={`${d.at}-${i}`}>
              <span className="muted">{formatTime(d.at)}</span> <code>{describeDivergence(d)}</code>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
