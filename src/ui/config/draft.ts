/**
 * The Config form's edits, kept apart from the engine's values until Apply: text for number
 * fields (so a half-typed or invalid value stays as typed), booleans for checkboxes.
 */
import { CONFIG_RULES, type EngineConfig, configProblem } from '../../store';

export type ConfigKey = keyof EngineConfig;
export type Draft = Partial<Record<ConfigKey, string | boolean>>;

export const CONFIG_KEYS = Object.keys(CONFIG_RULES) as ConfigKey[];

/** The value a field's input stands for: a number when the text is one, else the text itself (so the message quotes it). */
export function parseField(key: ConfigKey, input: string | boolean): unknown {
  if (typeof input === 'boolean' || CONFIG_RULES[key].kind === 'boolean') return input;
  const text = input.trim();
  const n = Number(text);
  return text === '' || Number.isNaN(n) ? text : n;
}

export interface FieldState {
  /** What the input shows. */
  input: string | boolean;
  /** The edit differs from the engine's value. */
  changed: boolean;
  /** Why the edit cannot be applied, or null. */
  problem: string | null;
}

export function fieldState(key: ConfigKey, current: EngineConfig, draft: Draft): FieldState {
  const edit = draft[key];
  if (edit === undefined) return { input: typeof current[key] === 'boolean' ? current[key] : String(current[key]), changed: false, problem: null };
  const value = parseField(key, edit);
  return { input: edit, changed: value !== current[key], problem: configProblem(key, value) };
}

/** The changed fields as a patch for engine.configure (invalid values included: the engine refuses them with a message). */
export function patchOf(current: EngineConfig, draft: Draft): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const edit = draft[key];
    if (edit === undefined) continue;
    const value = parseField(key, edit);
    if (value !== current[key]) patch[key] = value;
  }
  return patch;
}
