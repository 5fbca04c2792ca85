/** Run a command module's `_start` with space-separated arguments. */
import { type FormEvent, useId, useState } from 'react';

export function RunForm({ onRun }: { onRun: (args: string[]) => void }) {
  const [text, setText] = useState('');
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onRun(text.split(/\s+/).filter(Boolean));
  };
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
          <input id={id} type="text" spellCheck={false} autoComplete="off" placeholder="--flag value" value={text} onChange={(e) => setText(e.currentTarget.value)} />
        </div>
        <button type="submit" className="button button-primary">
          Run
        </button>
      </div>
    </form>
  );
}
