import { memo } from 'react';
import type { ConsoleLine } from '../../store';
import { VisuallyHidden } from '../common/VisuallyHidden';

/**
 * One console line, with the module that printed it when the console holds output of several.
 * Memoised: lines are immutable, so only new or changed lines re-render.
 */
export const ConsoleLineView = memo(function ConsoleLineView({ line, showModule }: { line: ConsoleLine; showModule: boolean }) {
  const isErr = line.stream === 'stderr';
  return (
    <div className={isErr ? 'console-line console-stderr' : 'console-line'} data-stream={line.stream} data-module={line.module}>
      {showModule && line.module && <span className="console-module">{line.module}</span>}
      {isErr && (
        <span className="stream-marker" aria-hidden="true">
          err
        </span>
      )}
      {isErr && <VisuallyHidden>stderr: </VisuallyHidden>}
      <span className="console-text">{line.text}</span>
      {line.count > 1 && (
        <>
          <span className="repeat-badge" aria-hidden="true">
            ×{line.count}
          </span>
          <VisuallyHidden> (repeated {line.count} times)</VisuallyHidden>
        </>
      )}
    </div>
  );
});
