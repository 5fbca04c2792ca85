/**
 * A call or run that has not answered yet: how long it has run, and Stop (the engine's stop():
 * its worker is stopped and the module restarts, as after a call timeout). The time ticks here
 * alone, every 100 ms, so the panel does not re-render with it.
 */
import { useEffect, useState } from 'react';
import { formatElapsed } from '../common/format';

/** The tick; also how long a call runs before Stop shows, so quick calls do not flash it. */
const TICK_MS = 100;

export function PendingCall({ since, onStop }: { since: number; onStop: () => Promise<void> }) {
  const [now, setNow] = useState(since);
  const [stopping, setStopping] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  if (now - since < TICK_MS) return null;
  const stop = async () => {
    setStopping(true);
    try {
      await onStop();
    } finally {
      setStopping(false);
    }
  };
  return (
    <span className="pending-call">
      <span role="timer" aria-label="Running for" className="muted duration">
        {formatElapsed(now - since)}
      </span>
      <button type="button" className="button button-small" onClick={() => void stop()} disabled={stopping}>
        Stop
      </button>
    </span>
  );
}
