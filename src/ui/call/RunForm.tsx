/** Run a command module's `_start` with arguments, split as a shell would (./shell-words.ts). */
import { type FormEvent, useId, useMemo, useState } from 'react';
import { splitShellWords } from './shell-words';

export function RunForm({ onRun }: { onRun: (args: string[]) => void }) {
  const [text, setText] = useState('');
  // A quote is open while it is typed: say so only once Run was pressed, then as it changes.
  const [tried, setTried] = useState(false);
  const words = useMemo(() => splitShellWords(text), [text]);
  const id = useId();
  const hintId = useId();
  const errorId = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTried(true);
    if (!words.ok) return; // not sent: the error under the field says why
    setTried(false);
    onRun(words.args);
  };
  const error = tried && !words.ok ? words.message : null;
  return (
    <form
      className="run-form"
      onSubmit={submit}
      onKeyDown={(e) => {
        // Ctrl+Enter runs here, like Enter (the panel's Ctrl+Enter is for Call).
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          e.currentTarget.requestSubmit();
        }
      }}
    >
      <h3>Run the command</h3>
      <p className="muted">This module is a command: Run starts <code>_start</code> on a fresh instance; its output goes to the console.</p>
      <div className="run-row">
        <div className="field">
          <label htmlFor={id}>Arguments</label>
          <input
            id={id}
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder={'--flag "a value"'}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            aria-describedby={error ? `${hintId} ${errorId}` : hintId}
            aria-invalid={error ? true : undefined}
          />
        </div>
        <button type="submit" className="button button-primary">
          Run
        </button>
      </div>
      {/* Under the row, so that Run stays level with the field. */}
      <p id={hintId} className="muted field-hint">
        Split as a shell would: quotes group words, <kbd>\</kbd> escapes a character
      </p>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}
