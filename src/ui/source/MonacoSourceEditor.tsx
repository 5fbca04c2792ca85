/**
 * The Source panel's editor: Monaco with the WAT language. Loaded lazily (see SourcePanel):
 * Monaco is megabytes of script and the app shell never imports this module statically.
 *
 * The text is the editor's own, never written back from React state: an edit reaches the panel
 * through `onText`, and the panel replaces the text only when it opens another version (a new
 * `doc.id`). A React-controlled value would write older text back over newer keystrokes.
 */
import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useMemo, useRef } from 'react';
import { editorTheme, monaco } from '../call/monaco-setup';
import { useDarkMode } from '../common/useDarkMode';
import type { SourceProblem } from './edit-loop';
import { registerWat } from './wat-language';

registerWat(monaco);

type CodeEditor = Parameters<OnMount>[0];

export interface SourceEditorProps {
  /** The text to show; a new id replaces the editor's text with it. */
  doc: { id: number; text: string; filename: string };
  onText: (text: string) => void;
  onApplyNow: () => void;
  onToggleLive: () => void;
  /** The editor got the focus: an edit may follow. */
  onFocus: () => void;
  problems: readonly SourceProblem[];
  label: string;
  describedBy: string;
}

const OPTIONS = {
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  automaticLayout: true,
  tabSize: 2,
  fontSize: 13,
  renderLineHighlight: 'line',
  scrollbar: { verticalScrollbarSize: 10, horizontalScrollbarSize: 10, alwaysConsumeMouseWheel: false },
  fixedOverflowWidgets: true,
  bracketPairColorization: { enabled: true },
  matchBrackets: 'always',
} as const;

/** The markers' owner: the panel's problems replace the previous ones. */
const OWNER = 'hotwasm';

export default function MonacoSourceEditor({ doc, onText, onApplyNow, onToggleLive, onFocus, problems, label, describedBy }: SourceEditorProps) {
  const dark = useDarkMode();
  const editorRef = useRef<CodeEditor | null>(null);
  // Monaco keeps the first callbacks it is given: reach the latest ones through refs.
  const callbacks = useRef({ onText, onApplyNow, onToggleLive, onFocus });
  useEffect(() => {
    callbacks.current = { onText, onApplyNow, onToggleLive, onFocus };
  }, [onText, onApplyNow, onToggleLive, onFocus]);
  const shownId = useRef(doc.id);
  /** True while the panel's own replacement of the text runs: not a user's edit. */
  const replacing = useRef(false);
  const options = useMemo(() => ({ ...OPTIONS, ariaLabel: label }), [label]);

  // Another version opened: its text replaces the editor's, as one undoable edit.
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || shownId.current === doc.id) return;
    shownId.current = doc.id;
    if (model.getValue() === doc.text) return;
    replacing.current = true;
    editor.pushUndoStop();
    editor.executeEdits('hotwasm.open', [{ range: model.getFullModelRange(), text: doc.text }]);
    editor.pushUndoStop();
    replacing.current = false;
  }, [doc]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      OWNER,
      problems.map((p) => ({
        severity: monaco.MarkerSeverity.Error,
        message: p.message,
        startLineNumber: p.line,
        startColumn: p.column,
        endLineNumber: p.endLine,
        endColumn: Math.max(p.endColumn, p.column + 1),
      })),
    );
  }, [problems]);

  useEffect(() => {
    const input = editorRef.current?.getDomNode()?.querySelector('.native-edit-context, textarea.inputarea');
    input?.setAttribute('aria-describedby', describedBy);
  }, [describedBy]);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    shownId.current = doc.id;
    editor.getDomNode()?.querySelector('.native-edit-context, textarea.inputarea')?.setAttribute('aria-describedby', describedBy);
    editor.onDidFocusEditorText(() => callbacks.current.onFocus());
    editor.onDidChangeModelContent(() => {
      if (!replacing.current) callbacks.current.onText(editor.getValue());
    });
    editor.addAction({
      id: 'hotwasm.apply',
      label: 'Apply the text now',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
      run: () => callbacks.current.onApplyNow(),
    });
    editor.addAction({
      id: 'hotwasm.toggleLive',
      label: 'Toggle compile as you type',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.KeyE],
      run: () => callbacks.current.onToggleLive(),
    });
    leaveWithEscapeThenTab(editor);
  };

  return (
    <div className="source-frame" data-editor="monaco">
      <Editor
        defaultValue={doc.text}
        onMount={onMount}
        language="wat"
        path="inmemory://hotwasm/source.wat"
        theme={editorTheme(dark)}
        height="100%"
        loading={<p className="muted">Loading the editor…</p>}
        options={options}
      />
    </div>
  );
}

/**
 * Tab indents, as in any code editor; Escape then Tab leaves the editor (Escape turns on
 * Monaco's tab-moves-focus mode for the next key only), so the keyboard is never trapped.
 */
function leaveWithEscapeThenTab(editor: CodeEditor): void {
  let escaped = false;
  const reset = () => {
    if (!escaped) return;
    escaped = false;
    editor.updateOptions({ tabFocusMode: false });
  };
  editor.onKeyDown((event) => {
    if (event.keyCode === monaco.KeyCode.Escape) {
      escaped = true;
      editor.updateOptions({ tabFocusMode: true });
    } else if (event.keyCode !== monaco.KeyCode.Tab && event.keyCode !== monaco.KeyCode.Shift) reset();
  });
  editor.onDidBlurEditorText(reset);
}
