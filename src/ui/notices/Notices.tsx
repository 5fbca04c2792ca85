/**
 * The page's two live regions, always mounted so screen readers announce every change: an alert
 * for the latest error (in full, with Dismiss) and a status for the latest info message.
 * Each notice is keyed by its id, so the same text posted twice is announced twice.
 *
 * An update refused for an API major change offers the way out the message names: load the
 * build anyway, with its state reset (`reload({ fresh: true })`), as an explicit choice.
 */
import { useState } from 'react';
import { selectError, selectInfo, selectNoticeActions } from '../../store';
import { useAppStore, useEngine } from '../common/context';

export function Notices() {
  const engine = useEngine();
  const error = useAppStore(selectError);
  const info = useAppStore(selectInfo);
  const { dismissError, reportError } = useAppStore(selectNoticeActions);
  const [loadingFresh, setLoadingFresh] = useState(false);
  const offerFresh = error?.code === 'update-refused' && error.step === 'api version';
  // A fresh load that goes live is announced by the bridge, which also clears this alert. It
  // acts on the module that refused the update, which need not be the active one.
  const loadFresh = async () => {
    setLoadingFresh(true);
    try {
      await (error?.module ? engine.module(error.module) : engine).reload({ fresh: true });
    } catch (e) {
      reportError(e, 'reload');
    } finally {
      setLoadingFresh(false);
    }
  };
  return (
    <div className="notices">
      {/* The Dismiss button sits beside the alert, not in it: only the message is announced. */}
      <div className={error ? 'notice notice-error' : 'notice-empty'}>
        <div role="alert" className="notice-text">
          {error && <p key={error.id}>{error.message}</p>}
        </div>
        {offerFresh && (
          <button type="button" className="button button-small" onClick={loadFresh} disabled={loadingFresh}>
            Load it fresh (resets state)
          </button>
        )}
        {error && (
          <button type="button" className="button button-small" onClick={dismissError}>
            Dismiss
          </button>
        )}
      </div>
      <div role="status" className={info ? 'notice notice-info' : 'notice-empty'}>
        {info && (
          <p key={info.id} className="notice-text">
            {info.text}
          </p>
        )}
      </div>
    </div>
  );
}
