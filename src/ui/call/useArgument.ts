/**
 * The Call panel's argument text: what the editor shows after the latest reset, the user's edits
 * since, and what each function had when the user left it.
 *
 * Choosing another function (or switching raw mode) resets the text to a fitting one: what the
 * user last wrote for that function and mode, else its default (see defaultArgument). The text
 * left behind is kept for when the user comes back to it, so switching never loses what was typed.
 * Edits carry the reset they follow: an edit made before a reset never overwrites its text.
 */
import { useCallback, useRef, useState } from 'react';

export interface ArgumentText {
  /** The text now (for validation and display; a call reads {@link ArgumentText.current}). */
  text: string;
  resetToken: number;
  resetText: string;
  /** The editor's edit report (see ArgumentEditorProps.onChange). */
  onChange: (text: string, token: number) => void;
  /** The editor's latest text, ahead of React: edits arrive from Monaco's own events. */
  current(): string;
}

interface Edit {
  token: number;
  text: string;
}

/** The text after a reset: the latest edit that follows it, else the reset's own text. */
const textOf = (reset: Reset, edit: Edit | null): string => (edit !== null && edit.token === reset.token ? edit.text : reset.text);

interface Reset {
  /** The function and mode the text is for (null: no function chosen). */
  key: string | null;
  token: number;
  text: string;
  /** Texts the user wrote for other functions and modes. */
  drafts: ReadonlyMap<string, string>;
  /** The caller's request for this text (see useArgument's `given`). */
  given: number;
}

/**
 * `key` names the function and mode; `fitting` is its default text. A new `given` (a share
 * link's argument, say) resets the text to `fitting` even for the same function, over a draft.
 */
export function useArgument(key: string | null, fitting: string, given = 0): ArgumentText {
  const [reset, setReset] = useState<Reset>(() => ({ key, token: 0, text: fitting, drafts: new Map(), given }));
  const [edit, setEdit] = useState<Edit | null>(null);
  /** The latest edit, set from the editor's input event (the state above follows it a render later). */
  const latest = useRef<Edit | null>(null);

  let shown = reset;
  if (reset.key !== key || reset.given !== given) {
    // Another function (or mode): adjust the state while rendering, so that the editor applies
    // the reset in the same commit as the choice, before any key can reach it.
    const drafts = new Map(reset.drafts);
    // The editor's latest text, not this render's: a key may not have been rendered yet.
    const left = textOf(reset, latest.current);
    if (reset.key !== null && left !== reset.text) drafts.set(reset.key, left);
    const draft = key !== null && reset.given === given ? drafts.get(key) : undefined;
    shown = { key, token: reset.token + 1, text: draft ?? fitting, drafts, given };
    setReset(shown);
  }

  const onChange = useCallback((text: string, token: number) => {
    latest.current = { token, text };
    setEdit({ token, text });
  }, []);
  return { text: textOf(shown, edit), resetToken: shown.token, resetText: shown.text, onChange, current: () => textOf(shown, latest.current) };
}
