/** Status: the engine state, the serving module and its call statistics, and Restart. */
import { useState } from 'react';
import { selectHasModule, selectNoticeActions, selectStatus } from '../../store';
import { useAppStore, useEngine } from '../common/context';
import { DASH, formatMs, formatTime } from '../common/format';

export function StatusPanel() {
  const engine = useEngine();
  const status = useAppStore(selectStatus);
  const hasModule = useAppStore(selectHasModule);
  const notices = useAppStore(selectNoticeActions);
  const [restarting, setRestarting] = useState(false);

  const restart = async () => {
    setRestarting(true);
    try {
      await engine.restart();
      notices.announce(`Restarted ${status.name ?? 'the module'}: its state was reset`);
    } catch (error) {
      notices.reportError(error, 'restart');
    } finally {
      setRestarting(false);
    }
  };

  return (
    <section className="panel" aria-label="Status">
      <div className="panel-header">
        <h2>Status</h2>
        <button type="button" className="button" onClick={restart} disabled={!hasModule || restarting}>
          Restart
        </button>
      </div>
      <dl className="facts status-facts">
        <div>
          <dt>State</dt>
          <dd>
            <span className={`state-dot state-${status.state}`} aria-hidden="true" />
            <span className="state-word">{status.state}</span>
          </dd>
        </div>
        <Fact term="Module" value={status.name ?? DASH} />
        <Fact term="Version" value={status.version ?? DASH} />
        <Fact term="API version" value={status.apiVersion ?? DASH} />
        <Fact term="Last update" value={formatTime(status.lastUpdate)} />
        <Fact term="Calls" value={status.calls.toLocaleString('en-US')} />
        <Fact term="Errors" value={status.errors.toLocaleString('en-US')} />
        <Fact term="p50" value={formatMs(status.p50Ms)} />
        <Fact term="p99" value={formatMs(status.p99Ms)} />
      </dl>
      {status.message && <p className="status-message">{status.message}</p>}
    </section>
  );
}

function Fact({ term, value }: { term: string; value: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
