/**
 * The page's two live regions, always mounted so screen readers announce every change: an alert
 * for the latest error (in full, with Dismiss) and a status for the latest info message.
 * Each notice is keyed by its id, so the same text posted twice is announced twice.
 *
 * An update refused for an API major change (or for exports it lost) offers the way out the
 * message names: load the build anyway, with its state reset (`reload({ fresh: true })`), as an
 * explicit choice. A write
 * refused because storage is full offers to prune old versions (`registry.prune()`), which then
 * saves again what was not saved (or, where the browser gives the room back later, the engine
 * does as soon as it can: the alert goes then).
 */
import { useState } from 'react';
import { selectError, selectInfo, selectNoticeActions } from '../../store';
import { useAppStore, useEngine } from '../common/context';

export function Notices() {
  const engine = useEngine();
  const error = useAppStore(selectError);
  const info = useAppStore(selectInfo);
  const { dismissError, reportError, announce } = useAppStore(selectNoticeActions);
  const [loadingFresh, setLoadingFresh] = useState(false);
  const [pruning, setPruning] = useState(false);
  const offerFresh = error?.offerFresh === true;
  const offerPrune = error?.code === 'not-saved' && /storage full/.test(error.message);
  const prune = async () => {
    setPruning(true);
    try {
      const report = await engine.registry.prune();
      const removed = `Pruned ${report.removed.length} old ${report.removed.length === 1 ? 'version' : 'versions'}`;
      if (report.unsaved === 0) {
        dismissError();
        announce(`${removed}; everything is saved`);
      } else {
        // Chromium gives the room of deleted data back when it compacts its files, which may be later.
        const waiting = `${report.unsaved} ${report.unsaved === 1 ? 'write waits' : 'writes wait'}`;
        announce(`${removed}; storage is still full: the browser may give the room back only later. ${waiting} and will be saved as soon as there is room.`);
      }
    } catch (e) {
      reportError(e, 'prune');
    } finally {
      setPruning(false);
    }
  };
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
        {offerPrune && (
          <button type="button" className="button button-small" onClick={() => void prune()} disabled={pruning}>
            Prune old versions
          </button>
        )}
        {error && (
          <button type="button" className="button button-small" onClick={dismissError}>
            Dismiss
          </button>
        )}
      </div>
      <div role="status" aria-label="Notice" className={info ? 'notice notice-info' : 'notice-empty'}>
        {info && (
          <p key={info.id} className="notice-text">
            {info.text}
          </p>
        )}
      </div>
    </div>
  );
}
