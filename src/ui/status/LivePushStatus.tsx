/**
 * Live push in the Status panel: the dev server's connection, the builds running (with their
 * elapsed time) and the last failed build of each module with the compiler's output. Nothing
 * shows when the page has no dev server.
 */
import { useEffect, useState } from 'react';
import { type LiveConnection, selectLive } from '../../store';
import { useAppStore } from '../common/context';
import { Fact } from '../common/Fact';

const WORDS: Record<LiveConnection, string> = {
  off: '',
  connecting: 'connecting to the dev server…',
  connected: 'connected to the dev server',
  disconnected: 'dev server unreachable — reconnecting… (the modules keep serving)',
};

/** Lines of compiler output shown; the Console has all of it. */
const OUTPUT_LINES = 20;

export function LivePushStatus() {
  const live = useAppStore(selectLive);
  const building = Object.values(live.building);
  const failures = Object.values(live.failures);
  if (live.connection === 'off') return null;
  return (
    <div className="live-push">
      <dl className="facts">
        <Fact term="Live push" value={WORDS[live.connection]} />
      </dl>
      <div aria-live="polite">
        {building.map((b) => (
          <p key={b.name} className="live-building">
            Building {b.name}… <Elapsed since={b.startedAt} />
          </p>
        ))}
      </div>
      <div role="status">
        {failures.map((f) => (
          <div key={`${f.name}:${f.seq}`} className="live-failure">
            <p>
              Build #{f.seq} of {f.name} failed: {f.message} The version serving is unchanged.
            </p>
            {f.output && (
              <pre className="live-output" aria-label={`Build output of ${f.name}`} tabIndex={0}>
                {f.output.trimEnd().split('\n').slice(-OUTPUT_LINES).join('\n')}
              </pre>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}

/** Seconds since `since`, ticking while shown. */
function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, []);
  return <span className="muted">{(Math.max(0, now - since) / 1000).toFixed(1)} s</span>;
}
