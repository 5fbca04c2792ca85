/**
 * The argument editor proper: Monaco with JSON. Loaded lazily (see ArgumentEditor) because
 * Monaco is megabytes; the app shell never imports this module statically.
 *
 * Uncontrolled, as the Source panel's editor is: the text is Monaco's own, edits are reported
 * from its model, and the panel replaces the text only by a reset (a new `resetToken`).
 */
import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { editorTheme, monaco } from './monaco-setup';
import { type EditorInternals, applyReset, shouldTakeFocus } from './ArgumentEditor';
import { PlainArgumentEditor } from './PlainArgumentEditor';
import { useDarkMode } from '../common/useDarkMode';

type CodeEditor = Parameters<OnMount>[0];

/**
 * The editor's options. The component hands Monaco its `options` again (updateOptions) whenever
 * it gets a new object, which an inline literal is at every render: every keystroke and every
 * update of the module re-rendered the Call panel.
 */
const OPTIONS = {
  minimap: { enabled: false },
  lineNumbers: 'off',
  glyphMargin: false,
  folding: false,
  lineDecorationsWidth: 6,
  scrollBeyondLastLine: false,
  automaticLayout: true,
  // Tab and Shift+Tab move the focus in and out instead of inserting a tab.
  tabFocusMode: true,
  tabSize: 2,
  // Typing over a selection replaces it (no quote or bracket wrapping around it).
  autoSurround: 'never',
  fontSize: 13,
  wordWrap: 'on',
  renderLineHighlight: 'none',
  overviewRulerLanes: 0,
  hideCursorInOverviewRuler: true,
  scrollbar: { verticalScrollbarSize: 8, horizontalScrollbarSize: 8, alwaysConsumeMouseWheel: false },
  fixedOverflowWidgets: true,
} as const;

export default function MonacoArgumentEditor(props: EditorInternals) {
  const { resetToken, resetText, onChange, onSubmit, label, describedBy, live, retire } = props;
  /** Monaco is up and shows; until then the plain editor stands in, beside its hidden frame. */
  const [ready, setReady] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const dark = useDarkMode();
  // Monaco keeps the first callbacks it is given (and the component its first onMount): reach
  // the latest ones through a ref.
  const latest = useRef({ onChange, onSubmit, describedBy });
  useEffect(() => {
    latest.current = { onChange, onSubmit, describedBy };
  }, [onChange, onSubmit, describedBy]);
  const editorRef = useRef<CodeEditor | null>(null);
  /** The reset the editor's text follows. */
  const applied = useRef(live.current.token);
  /** True while the panel's own replacement of the text runs: not a user's edit. */
  const replacing = useRef(false);
  const options = useMemo(() => ({ ...OPTIONS, ariaLabel: label }), [label]);

  // Monaco has no option for aria-describedby: set it on its input element (the hint, the JSON error).
  useEffect(() => {
    if (editorRef.current) describeInput(editorRef.current, describedBy);
  }, [describedBy]);

  // A reset (another function chosen): its text replaces the editor's, as one undoable edit.
  // A layout effect: applied in the commit that chose the function, before any key can follow.
  useLayoutEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || applied.current === resetToken) return;
    applied.current = resetToken;
    replacing.current = true;
    editor.pushUndoStop();
    editor.executeEdits('hotwasm.reset', [{ range: model.getFullModelRange(), text: resetText }]);
    editor.pushUndoStop();
    replacing.current = false;
    editor.setPosition(model.getFullModelRange().getEndPosition());
    applyReset(live, resetToken, resetText);
  }, [resetToken, resetText, live]);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    // Take over from the plain editor in this task, so no key falls between the two: it took keys
    // until now, after Monaco's model was made. Start from its text, caret and focus.
    const plain = retire.current?.() ?? null;
    if (plain) live.current = plain;
    const now = live.current;
    if (frame.current) frame.current.style.display = '';
    editor.layout();
    applied.current = now.token;
    if (editor.getValue() !== now.text) editor.setValue(now.text);
    const model = editor.getModel();
    if (model) {
      const start = model.getPositionAt(now.selectionStart);
      const end = model.getPositionAt(now.selectionEnd);
      editor.setSelection(new monaco.Selection(start.lineNumber, start.column, end.lineNumber, end.column));
    }
    if (plain?.focused || shouldTakeFocus(live)) editor.focus();
    setReady(true);
    editor.onDidChangeModelContent(() => {
      if (replacing.current) return;
      const text = editor.getValue();
      const selection = editor.getSelection();
      const offset = (line: number, column: number) => model?.getOffsetAt({ lineNumber: line, column }) ?? text.length;
      live.current = {
        token: applied.current,
        text,
        selectionStart: selection ? offset(selection.startLineNumber, selection.startColumn) : text.length,
        selectionEnd: selection ? offset(selection.endLineNumber, selection.endColumn) : text.length,
        focused: editor.hasTextFocus(),
      };
      latest.current.onChange(text, applied.current);
    });
    editor.addAction({
      id: 'hotwasm.call',
      label: 'Call the function',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => latest.current.onSubmit(),
    });
    describeInput(editor, latest.current.describedBy);
  };

  return (
    <>
      {!ready && <PlainArgumentEditor {...props} />}
      <div ref={frame} className="monaco-frame" data-editor="monaco" style={ready ? undefined : { display: 'none' }}>
        <Editor
          defaultValue={live.current.text}
          language="json"
          path="inmemory://hotwasm/argument.json"
          theme={editorTheme(dark)}
          height="7.5rem"
          loading={null}
          onMount={onMount}
          options={options}
        />
      </div>
    </>
  );
}

/** The element that takes the keyboard input (an EditContext element, or a textarea in older browsers). */
function describeInput(editor: CodeEditor, describedBy: string | undefined): void {
  const input = editor.getDomNode()?.querySelector('.native-edit-context, textarea.inputarea');
  if (describedBy) input?.setAttribute('aria-describedby', describedBy);
  else input?.removeAttribute('aria-describedby');
}
