/**
 * Status: the engine state, the serving module and its call statistics; Reload, Restart and the
 * Auto reload switch, with the reason when auto reload was paused.
 */
import { useId, useState } from 'react';
import { selectAutoReload, selectAutoReloadPaused, selectHasModule, selectLastError, selectNoticeActions, selectStatus } from '../../store';
import { useAppStore, useEngine } from '../common/context';
import { DASH, formatCount, formatMs, formatTime } from '../common/format';
import { Fact } from '../common/Fact';
import { CallSparkline } from './CallSparkline';
import { VisuallyHidden } from '../common/VisuallyHidden';
import { LivePushStatus } from './LivePushStatus';

export function StatusPanel() {
  const engine = useEngine();
  const status = useAppStore(selectStatus);
  const autoReload = useAppStore(selectAutoReload);
  const autoReloadPaused = useAppStore(selectAutoReloadPaused);
  const lastError = useAppStore(selectLastError);
  const hasModule = useAppStore(selectHasModule);
  const notices = useAppStore(selectNoticeActions);
  const [busy, setBusy] = useState<'restart' | 'reload' | null>(null);
  const autoId = useId();
  const restartHintId = useId();
  const serving = status?.version ? `${status.name} ${status.version}` : (status?.name ?? 'the module');
  // Said before it is pressed: what Restart does (ModuleController.restart: no checkpoint restored).
  const restartHint = `Restart: a fresh instance of ${serving}; its state is reset to what a new instance starts with, not to a checkpoint (the checkpoints stay, for the State panel to rewind to)`;

  const restart = async () => {
    setBusy('restart');
    try {
      await engine.restart();
      notices.announce(`Restarted ${status?.name ?? 'the module'}: its state was reset`);
    } catch (error) {
      notices.reportError(error, 'restart');
    } finally {
      setBusy(null);
    }
  };

  // A reload that goes live is announced by the bridge (a `loaded` event); a refused one only
  // rejects here, so it goes to the page alert like a failed load.
  const reload = async () => {
    setBusy('reload');
    const before = status?.sha256 ?? null;
    try {
      const info = await engine.reload();
      // The same bytes end as "already running": nothing goes live, so nothing else says it.
      if (info.sha256 === before) notices.announce(`Nothing to reload: ${info.name} is already running ${info.version ?? ''}, and the latest build received is the one serving`);
    } catch (error) {
      notices.reportError(error, 'reload');
    } finally {
      setBusy(null);
    }
  };

  // The store follows the engine once per frame; until then the box shows what was clicked
  // (a controlled input would otherwise snap back for a frame).
  const [clicked, setClicked] = useState<boolean | null>(null);
  const [seen, setSeen] = useState(autoReload);
  if (seen !== autoReload) {
    setSeen(autoReload);
    setClicked(null);
  }
  const setAutoReload = (enabled: boolean) => {
    try {
      engine.configure({ enabled });
      setClicked(enabled);
    } catch (error) {
      notices.reportError(error, 'configure');
    }
  };

  const state = status?.state ?? 'empty';
  // A healthy module whose worker one request has held for a while: the Call panel has Stop.
  const held = state === 'healthy' && status?.busy ? { what: status.busy, since: status.busySince } : null;
  // The newest of the module's message and the last load that failed.
  const message = lastError && (!status?.message || lastError.at >= (status.messageAt ?? 0)) ? lastError.text : (status?.message ?? null);
  return (
    <section className="panel" aria-label="Status">
      <div className="panel-header">
        <h2>Status</h2>
        <div className="panel-actions">
          <div className="field field-check auto-reload">
            <input id={autoId} type="checkbox" checked={clicked ?? autoReload} onChange={(e) => setAutoReload(e.currentTarget.checked)} />
            <label htmlFor={autoId}>Auto reload</label>
          </div>
          <button
            type="button"
            className="button"
            onClick={reload}
            disabled={!hasModule || busy !== null}
            title="Run the last update of the active module again, with the latest bytes received"
          >
            Reload
          </button>
          <button type="button" className="button" onClick={restart} disabled={!hasModule || busy !== null} title={restartHint} aria-describedby={restartHintId}>
            Restart
          </button>
          <VisuallyHidden id={restartHintId}>{restartHint}</VisuallyHidden>
        </div>
      </div>
      {/* Always mounted, so the pause is announced when it happens. */}
      <div aria-live="polite">{autoReloadPaused && <p className="paused-banner">{autoReloadPaused}</p>}</div>
      <dl className="facts status-facts">
        <div>
          <dt>State</dt>
          <dd>
            <span className={`state-dot state-${held ? 'busy' : state}`} aria-hidden="true" />
            <span className="state-word">{held ? 'busy' : state}</span>
            {held && (
              <span className="muted">
                {' '}
                — {held.what}, since {formatTime(held.since)}
              </span>
            )}
          </dd>
        </div>
        <Fact term="Module" value={status?.name ?? DASH} />
        <Fact term="Version" value={status?.version ?? DASH} />
        <Fact term="API version" value={status?.apiVersion ?? DASH} />
        <Fact term="Last update" value={formatTime(status?.lastUpdate ?? null)} />
        <Fact term="Calls" value={formatCount(status?.calls ?? 0)} />
        <Fact term="Errors" value={formatCount(status?.errors ?? 0)} />
        <Fact term="p50" value={formatMs(status?.p50Ms ?? null)} />
        <Fact term="p99" value={formatMs(status?.p99Ms ?? null)} />
      </dl>
      {status && <CallSparkline name={status.name} calls={status.calls} version={status.version} />}
      {/* Always mounted, so each update's outcome is announced. */}
      <div aria-live="polite">{message && <p className="status-message">{message}</p>}</div>
      <LivePushStatus />
    </section>
  );
}
