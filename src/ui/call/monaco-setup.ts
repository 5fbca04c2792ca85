/**
 * Monaco, bundled locally (never from a CDN): the editor API, the few editor features a small
 * JSON argument box needs, the JSON language, and its workers as Vite `?worker` chunks.
 *
 * Imported only by the lazily loaded editor, so none of this is in the app shell's bundle.
 */
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
// Editor features, instead of editor.main (which registers ~80 languages and every feature).
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/codeEditor/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
// Toggle line and block comment (Ctrl+/, Shift+Alt+A), for the WAT source editor.
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/languages/features/json/register';

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

loader.config({ monaco });

export { monaco };

/**
 * Monaco's own themes with the colours that fall short of 4.5:1 (axe's color-contrast, at the
 * editors' 13 px) made darker or lighter: annotations ((@custom …) in both, comments in the
 * dark one. Monaco has one theme for the page, so both editors use these.
 */
monaco.editor.defineTheme('hotwasm-light', { base: 'vs', inherit: true, rules: [{ token: 'annotation', foreground: '666666' }], colors: {} });
monaco.editor.defineTheme('hotwasm-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'comment', foreground: '7ca668' },
    { token: 'annotation', foreground: 'e07b7b' },
  ],
  colors: {},
});

export const editorTheme = (dark: boolean): string => (dark ? 'hotwasm-dark' : 'hotwasm-light');
