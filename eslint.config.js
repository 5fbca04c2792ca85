// Lint rules, including the architecture: React, Monaco and zustand/react stay out of the
// framework-free layers (core, worker, shared, editor), and the layers only import downwards.
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noUi = [
  { group: ['react', 'react-dom', 'react-dom/*', 'react/*'], message: 'Keep React out of the framework-free layers.' },
  { group: ['@monaco-editor/*', 'monaco-editor', 'monaco-editor/*'], message: 'Monaco belongs to src/ui only.' },
  { group: ['zustand', 'zustand/react', 'zustand/traditional'], message: 'Only src/store and src/ui use zustand.' },
];
const layer = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist', '.prof', 'lib', 'node_modules', 'test-results', 'playwright-report', 'examples/counter-as/assembly', 'kits/as/**/*.ts', 'examples/counter-rust/target'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.{js,mjs}', 'scripts/**', 'bench/**', 'examples/**', 'e2e/**', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  { files: ['src/shared/**/*.ts'], ignores: ['**/*.test.ts'], rules: layer([...noUi, { group: ['**/core/**', '**/worker/**', '**/store/**', '**/ui/**', 'node:*'], message: 'src/shared depends on nothing.' }]) },
  { files: ['src/core/**/*.ts'], ignores: ['**/*.test.ts'], rules: layer([...noUi, { group: ['**/worker/**', '**/store/**', '**/ui/**', 'node:*'], message: 'src/core may import src/shared only.' }]) },
  // The in-browser WAT toolchain: framework-free, runs on the page (client) and in its own worker.
  { files: ['src/editor/**/*.ts'], ignores: ['**/*.test.ts'], rules: layer([...noUi, { group: ['**/core/**', '**/worker/**', '**/store/**', '**/ui/**', '**/plugin/**', '**/registry/**', 'node:*'], message: 'src/editor may import src/shared only.' }]) },
  { files: ['src/worker/**/*.ts'], ignores: ['**/*.test.ts'], rules: layer([...noUi, { group: ['**/core/**', '**/store/**', '**/ui/**', 'node:*'], message: 'src/worker may import src/shared only.' }]) },
  {
    files: ['src/store/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: layer([
      { group: ['react', 'react-dom', '@monaco-editor/*', 'monaco-editor', 'monaco-editor/*', 'zustand/react'], message: 'The store is vanilla zustand: no React.' },
      { group: ['**/ui/**', '**/worker/**'], message: 'src/store may import core and shared only.' },
    ]),
  },
  { files: ['src/ui/**/*.{ts,tsx}'], rules: layer([{ group: ['**/worker/**'], message: 'The UI talks to the engine through the store, never to the worker.' }]) },
  { files: ['src/plugin/**/*.ts'], ignores: ['**/*.test.ts'], rules: layer([...noUi, { group: ['**/core/**', '**/worker/**', '**/store/**', '**/ui/**'], message: 'src/plugin (Node) may import src/shared only.' }]) },

  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  // The dev-server plugin runs in Node, not in the page.
  { files: ['src/plugin/**/*.ts'], languageOptions: { globals: { ...globals.node } } },
);
