// Lint rules that matter here: correctness basics from eslint/typescript-eslint, and the process
// boundaries of the architecture. Each folder runs in one environment and may import only what that
// environment has (see README "Architecture").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const electron = { name: 'electron', message: 'Only main/ (and its preload) may import electron.' };
const nodeBuiltins = {
  group: ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'worker_threads'],
  message: 'The renderer runs in a browser sandbox: no Node APIs.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-control-regex': 'off', // control-character checks are deliberate (nickname and message rules)
      // zod's `z` export is a namespace object that esbuild cannot tree-shake: one such import puts all
      // of zod's locales into the desktop bundle (test/scripts/build-node.test.ts checks the bundle).
      'no-restricted-syntax': ['error', {
        selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
        message: "Use `import * as z from 'zod'`, which the bundler can tree-shake.",
      }],
    },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electron, { name: 'socket.io', message: 'protocol/ holds types and schemas only.' }],
        patterns: [nodeBuiltins, { group: ['../server/*', '../main/*', '../renderer/*', 'socket.io-client'], message: 'protocol/ imports nothing of ours.' }],
      }],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electron],
        patterns: [{ group: ['../main/*', '../../main/*', '../renderer/*', '../../renderer/*'], message: 'server/ runs in plain Node: protocol and npm packages only.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electron],
        patterns: [nodeBuiltins, { group: ['**/server/*', '**/main/*'], message: 'The renderer talks to the relay over Socket.IO and to main through window.parley.' }],
      }],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/shell/**', 'main/preload/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ ...electron, message: 'Keep electron in main/shell and main/preload; logic modules take collaborators as arguments so they run in plain Node.' }],
        patterns: [{ group: ['../renderer/*', '../../renderer/*'], message: 'main/ reaches the renderer only through IPC.' }],
      }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron] }] },
  },
);
