/**
 * Console: guest stdout and stderr. Follows the newest line until the user scrolls up; then a
 * "Jump to latest" button brings it back. Only the newest {@link RENDER_LIMIT} lines are rendered
 * (the store keeps up to 5000), and each line is memoised, so fast output stays cheap.
 */
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { selectConsoleActions, selectLines, selectModuleName } from '../../store';
import { useAppStore } from '../common/context';
import { formatCount } from '../common/format';
import { ConsoleLineView } from './ConsoleLineView';

const RENDER_LIMIT = 1000;
/** How close to the bottom (px) still counts as "at the bottom". */
const STICK_SLACK = 24;

export function ConsolePanel() {
  const lines = useAppStore(selectLines);
  const active = useAppStore(selectModuleName);
  const { clear } = useAppStore(selectConsoleActions);
  const logRef = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const [paused, setPaused] = useState(false);

  const shown = lines.length > RENDER_LIMIT ? lines.slice(-RENDER_LIMIT) : lines;
  const hidden = lines.length - shown.length;
  // Lines say which module printed them once any is not the active module's: output of several
  // modules, or of one that is no longer the one being worked on, is never taken for its.
  const showModule = useMemo(() => shown.some((l) => l.module !== active), [shown, active]);

  useLayoutEffect(() => {
    const log = logRef.current;
    if (log && follow.current) log.scrollTop = log.scrollHeight;
  }, [lines]);

  const onScroll = () => {
    const log = logRef.current;
    if (!log) return;
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight <= STICK_SLACK;
    follow.current = atBottom;
    setPaused(!atBottom);
  };

  const jumpToLatest = () => {
    const log = logRef.current;
    follow.current = true;
    setPaused(false);
    if (log) {
      log.scrollTop = log.scrollHeight;
      // The button goes away: keep the keyboard focus nearby, on the log itself.
      log.focus();
    }
  };

  return (
    <section className="panel console-panel" aria-label="Console">
      <div className="panel-header">
        <h2>Console</h2>
        <span className="muted console-count">
          {formatCount(lines.length)} {lines.length === 1 ? 'line' : 'lines'}
        </span>
        <button type="button" className="button button-small" onClick={clear} disabled={lines.length === 0}>
          Clear console
        </button>
      </div>
      <div className="console-frame">
        <div ref={logRef} className="console-log" role="log" aria-label="Console output" tabIndex={0} onScroll={onScroll}>
          {hidden > 0 && (
            <div className="console-omitted">
              {formatCount(hidden)} earlier {hidden === 1 ? 'line is' : 'lines are'} not shown
            </div>
          )}
          {shown.map((line) => (
            <ConsoleLineView key={line.id} line={line} showModule={showModule} />
          ))}
        </div>
        {lines.length === 0 && <p className="console-empty muted">No output yet. Guest stdout and stderr appear here.</p>}
        {paused && (
          <button type="button" className="button button-small jump-latest" onClick={jumpToLatest}>
            Jump to latest
          </button>
        )}
      </div>
    </section>
  );
}
