import type { ArgumentEditorProps } from './ArgumentEditor';

/** A plain textarea with the editor's name: shown while Monaco loads, and if it cannot load. */
export function PlainArgumentEditor({ value, onChange, label, describedBy, onFocusChange, invalid }: ArgumentEditorProps) {
  return (
    <textarea
      className="plain-editor"
      aria-label={label}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      value={value}
      spellCheck={false}
      rows={6}
      onChange={(e) => onChange(e.currentTarget.value)}
      onFocus={() => onFocusChange(true)}
      onBlur={() => onFocusChange(false)}
    />
  );
}
