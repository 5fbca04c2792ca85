/**
 * The Call panel's argument editor: Monaco, loaded lazily so the app shell stays small. Until it
 * has loaded, and for good if it fails to load, a plain textarea with the same name stands in.
 *
 * The text is the editor's own, never written back from React state (a React-controlled value
 * wrote older text back over newer keystrokes when renders lagged: "abcdef" became "bcef"). An
 * edit reaches the panel through `onChange`; the panel replaces the text only by a reset (a new
 * `resetToken`, e.g. another function chosen). Whichever editor shows keeps the latest text,
 * caret and focus in one {@link LiveText}, so the next one (the plain editor → Monaco) starts
 * exactly where the user is, even when keys arrive between two renders.
 */
import { Component, type ReactNode, type RefObject, Suspense, lazy, memo, useEffect, useLayoutEffect, useRef } from 'react';
import { PlainArgumentEditor } from './PlainArgumentEditor';

/** What the user has in the editor now, kept outside React so that no render can lag behind it. */
export interface LiveText {
  /** The reset this text follows (see ArgumentEditorProps.resetToken). */
  token: number;
  text: string;
  /** The caret or selection, as UTF-16 offsets into `text`. */
  selectionStart: number;
  selectionEnd: number;
  /** The editor that went away had the focus: the next one takes it. */
  focused: boolean;
}

export interface ArgumentEditorProps {
  /** A new token replaces the editor's text with `resetText`. Edits made before it are the old text's. */
  resetToken: number;
  resetText: string;
  /** Every edit: the whole text, and the reset it follows. Called from the editor's own input event, ahead of any render. */
  onChange: (text: string, token: number) => void;
  /** Ctrl+Enter / Cmd+Enter inside the editor. */
  onSubmit: () => void;
  /** The accessible name. */
  label: string;
  /** Id of the element that explains a problem with the text. */
  describedBy?: string;
  invalid: boolean;
}

/** What the editors share (made by ArgumentEditor). */
export interface EditorInternals extends ArgumentEditorProps {
  live: RefObject<LiveText>;
  /**
   * Set by the plain editor while it shows: Monaco, once it is up, calls it to take over in the
   * same task. It hides the plain editor and returns its text, caret and focus as they are now;
   * from then on the plain editor leaves the live text alone (Monaco has it). Monaco's own mount
   * callback runs a render after its editor is made, and a key pressed between the two went
   * nowhere when the plain editor was already gone.
   */
  retire: RefObject<(() => LiveText) | null>;
  /** The plain editor got the focus: load Monaco now. */
  onFocus: () => void;
}

/** Apply a reset to the live text, once (every mounted editor may do it; the first one does). */
export function applyReset(live: RefObject<LiveText>, token: number, text: string): void {
  if (live.current.token === token) return;
  live.current = { ...live.current, token, text, selectionStart: text.length, selectionEnd: text.length };
}

/** Should an editor that just appeared take the focus? Its predecessor had it, and nothing else took it since. */
export function shouldTakeFocus(live: RefObject<LiveText>): boolean {
  const active = document.activeElement;
  return live.current.focused && (active === null || active === document.body);
}

/**
 * Monaco is megabytes of script (in the dev server, hundreds of modules). It starts loading a
 * moment after the editor first shows, or at once when the plain editor gets the focus: the
 * engine starts its spare worker right after the first load, and an update made soon after
 * opening the dev server waited 1.5 s for that worker's modules, queued behind Monaco's.
 */
const MONACO_DELAY_MS = 250;
let wantMonaco!: () => void;
const monacoWanted = new Promise<void>((resolve) => (wantMonaco = resolve));
const MonacoArgumentEditor = lazy(() => monacoWanted.then(() => import('./MonacoArgumentEditor')));

/** Memoised: the Call panel re-renders with every new version of its module; the editor has nothing to redo then. */
export const ArgumentEditor = memo(function ArgumentEditor(props: ArgumentEditorProps) {
  const { resetToken, resetText } = props;
  const live = useRef<LiveText>({ token: resetToken, text: resetText, selectionStart: resetText.length, selectionEnd: resetText.length, focused: false });
  const retire = useRef<(() => LiveText) | null>(null);
  useEffect(() => {
    const timer = setTimeout(wantMonaco, MONACO_DELAY_MS);
    return () => clearTimeout(timer);
  }, []);
  // The editors apply a reset to themselves (their effects run first); this covers a moment with none mounted.
  useLayoutEffect(() => applyReset(live, resetToken, resetText), [resetToken, resetText]);
  const full: EditorInternals = { ...props, live, retire, onFocus: wantMonaco };
  const plain = <PlainArgumentEditor {...full} />;
  return (
    <EditorBoundary fallback={plain}>
      <Suspense fallback={plain}>
        <MonacoArgumentEditor {...full} />
      </Suspense>
    </EditorBoundary>
  );
});

/** If Monaco fails to load (or to start), keep the plain editor. */
class EditorBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch(error: unknown) {
    console.warn('hotwasm: the Monaco editor could not load; using a plain text area', error);
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
