/**
 * The argument editor proper: Monaco with JSON. Loaded lazily (see ArgumentEditor) because
 * Monaco is megabytes; the app shell never imports this module statically.
 */
import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useMemo, useRef } from 'react';
import { editorTheme, monaco } from './monaco-setup';
import type { ArgumentEditorProps } from './ArgumentEditor';
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

export default function MonacoArgumentEditor(props: ArgumentEditorProps) {
  const { value, onChange, onSubmit, label, describedBy, focusOnMount } = props;
  const dark = useDarkMode();
  // Monaco keeps the first callbacks it is given: reach the latest ones through refs.
  const submit = useRef(onSubmit);
  useEffect(() => {
    submit.current = onSubmit;
  }, [onSubmit]);
  const editorRef = useRef<CodeEditor | null>(null);
  const options = useMemo(() => ({ ...OPTIONS, ariaLabel: label }), [label]);

  // Monaco has no option for aria-describedby: set it on its input element (the hint, the JSON error).
  useEffect(() => {
    if (editorRef.current) describeInput(editorRef.current, describedBy);
  }, [describedBy]);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    editor.addAction({
      id: 'hotwasm.call',
      label: 'Call the function',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => submit.current(),
    });
    describeInput(editor, describedBy);
    // The plain editor had the focus while Monaco loaded: keep the user typing where they were.
    if (focusOnMount()) {
      editor.focus();
      editor.setPosition(editor.getModel()?.getFullModelRange().getEndPosition() ?? { lineNumber: 1, column: 1 });
    }
  };

  return (
    <div className="monaco-frame" data-editor="monaco">
      <Editor
        value={value}
        onChange={(text) => onChange(text ?? '')}
        language="json"
        path="inmemory://hotwasm/argument.json"
        theme={editorTheme(dark)}
        height="7.5rem"
        loading={<PlainArgumentEditor {...props} />}
        onMount={onMount}
        options={options}
      />
    </div>
  );
}

/** The element that takes the keyboard input (an EditContext element, or a textarea in older browsers). */
function describeInput(editor: CodeEditor, describedBy: string | undefined): void {
  const input = editor.getDomNode()?.querySelector('.native-edit-context, textarea.inputarea');
  if (describedBy) input?.setAttribute('aria-describedby', describedBy);
  else input?.removeAttribute('aria-describedby');
}
