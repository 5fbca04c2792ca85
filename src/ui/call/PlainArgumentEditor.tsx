import { useLayoutEffect, useRef } from 'react';
import { type EditorInternals, type LiveText, applyReset, shouldTakeFocus } from './ArgumentEditor';

/**
 * A plain textarea with the editor's name: shown while Monaco loads, and if it cannot load.
 * Uncontrolled, like Monaco: it starts from the live text, caret and focus (another plain editor
 * may have stood here a moment ago), reports every edit, and leaves them behind when it goes.
 */
export function PlainArgumentEditor({ resetToken, resetText, onChange, label, describedBy, invalid, live, retire, onFocus }: EditorInternals) {
  const ref = useRef<HTMLTextAreaElement>(null);
  /** The reset this editor's text follows. */
  const applied = useRef(live.current.token);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Keys may have reached the editor before this one between this one's render and now.
    const now = live.current;
    applied.current = now.token;
    if (el.value !== now.text) el.value = now.text;
    el.setSelectionRange(now.selectionStart, now.selectionEnd);
    if (shouldTakeFocus(live)) el.focus();
    const snapshot = (): LiveText => ({ token: applied.current, text: el.value, selectionStart: el.selectionStart, selectionEnd: el.selectionEnd, focused: document.activeElement === el });
    let retired = false;
    const handOver = () => {
      retired = true;
      if (retire.current === handOver) retire.current = null;
      const now = snapshot();
      el.style.display = 'none';
      return now;
    };
    retire.current = handOver;
    return () => {
      if (retire.current === handOver) retire.current = null;
      // Going away (another editor arrives): it starts from here. Not once Monaco took over, nor after a newer reset.
      if (retired || live.current.token !== applied.current) return;
      live.current = snapshot();
    };
  }, [live, retire]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || applied.current === resetToken) return;
    applied.current = resetToken;
    el.value = resetText;
    applyReset(live, resetToken, resetText);
  }, [resetToken, resetText, live]);

  return (
    <textarea
      ref={ref}
      className="plain-editor"
      aria-label={label}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      defaultValue={live.current.text}
      spellCheck={false}
      rows={6}
      onChange={(e) => {
        const el = e.currentTarget;
        live.current = { token: applied.current, text: el.value, selectionStart: el.selectionStart, selectionEnd: el.selectionEnd, focused: true };
        onChange(el.value, applied.current);
      }}
      onFocus={onFocus}
    />
  );
}
