/** How many instances serve the module (1–16): the number, and Scale. */
import { type FormEvent, memo, useEffect, useId, useState } from 'react';

export const MIN_INSTANCES = 1;
export const MAX_INSTANCES = 16;

export interface ScaleControlProps {
  /** Instances now: the field starts there, and follows it while untouched. */
  current: number;
  busy: boolean;
  onScale(n: number): void;
}

/** Memoised: its props change only when the pool's size or the panel's business does. */
export const ScaleControl = memo(function ScaleControl({ current, busy, onScale }: ScaleControlProps) {
  const id = useId();
  const problemId = useId();
  const [text, setText] = useState(String(current));
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (!touched) setText(String(current));
  }, [current, touched]);
  const n = Number(text);
  const valid = text.trim() !== '' && Number.isInteger(n) && n >= MIN_INSTANCES && n <= MAX_INSTANCES;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setTouched(false);
    onScale(n);
  };
  return (
    <form className="inline-field deploy-scale" onSubmit={submit}>
      <label htmlFor={id}>Instances</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={MIN_INSTANCES}
        max={MAX_INSTANCES}
        step={1}
        value={text}
        aria-invalid={!valid}
        aria-describedby={valid ? undefined : problemId}
        onChange={(e) => {
          setTouched(true);
          setText(e.currentTarget.value);
        }}
      />
      <button type="submit" className="button" disabled={busy || !valid}>
        Scale
      </button>
      {!valid && (
        <span id={problemId} className="field-error">
          A whole number from {MIN_INSTANCES} to {MAX_INSTANCES}
        </span>
      )}
    </form>
  );
});
