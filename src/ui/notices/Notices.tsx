/**
 * The page's two live regions, always mounted so screen readers announce every change: an alert
 * for the latest error (in full, with Dismiss) and a status for the latest info message.
 * Each notice is keyed by its id, so the same text posted twice is announced twice.
 */
import { selectError, selectInfo, selectNoticeActions } from '../../store';
import { useAppStore } from '../common/context';

export function Notices() {
  const error = useAppStore(selectError);
  const info = useAppStore(selectInfo);
  const { dismissError } = useAppStore(selectNoticeActions);
  return (
    <div className="notices">
      {/* The Dismiss button sits beside the alert, not in it: only the message is announced. */}
      <div className={error ? 'notice notice-error' : 'notice-empty'}>
        <div role="alert" className="notice-text">
          {error && <p key={error.id}>{error.message}</p>}
        </div>
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
