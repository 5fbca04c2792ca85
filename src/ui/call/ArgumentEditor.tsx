/**
 * The Call panel's argument editor: Monaco, loaded lazily so the app shell stays small. Until it
 * has loaded, and for good if it fails to load, a plain textarea with the same name stands in.
 */
import { Component, type ReactNode, Suspense, lazy, memo, useEffect, useRef } from 'react';
import { PlainArgumentEditor } from './PlainArgumentEditor';

export interface ArgumentEditorProps {
  value: string;
  onChange: (text: string) => void;
  /** Ctrl+Enter / Cmd+Enter inside the editor. */
  onSubmit: () => void;
  /** The accessible name. */
  label: string;
  /** Id of the element that explains a problem with the text. */
  describedBy?: string;
  invalid: boolean;
  /** The fallback tells whether it has the focus, so Monaco can take it over when it arrives. */
  onFocusChange: (focused: boolean) => void;
  focusOnMount: () => boolean;
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
export const ArgumentEditor = memo(function ArgumentEditor(props: Omit<ArgumentEditorProps, 'onFocusChange' | 'focusOnMount'>) {
  const fallbackFocused = useRef(false);
  useEffect(() => {
    const timer = setTimeout(wantMonaco, MONACO_DELAY_MS);
    return () => clearTimeout(timer);
  }, []);
  const full: ArgumentEditorProps = {
    ...props,
    onFocusChange: (focused) => {
      fallbackFocused.current = focused;
      if (focused) wantMonaco();
    },
    focusOnMount: () => fallbackFocused.current && (document.activeElement === null || document.activeElement === document.body),
  };
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
