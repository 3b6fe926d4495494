// Lint rules that matter here: correctness basics from eslint/typescript-eslint, and the process
// boundaries of the architecture. Each folder runs in one environment and may import only what that
// environment has (see README "Architecture" and docs DESIGN "Processes and folders").
//
// Folder boundaries use eslint-plugin-boundaries (issue 19), not `no-restricted-imports` path patterns:
// those matched the import string, so whether `'../../../main/x'` was caught depended on how deep the
// importing file sat. The plugin resolves each import to a file and classifies both ends by folder.
// Chosen over eslint-plugin-import-x's `no-restricted-paths` because it is an allow-list (an import
// that no policy allows is an error, so a new folder or a new cross-folder import fails until it is
// written down here), it tells `import type` from value imports (the preload may use types that it
// must not bundle), `boundaries/no-unknown-files` fails a file in a folder that has no zone, and it
// has no native dependency (import-x resolves through unrs-resolver, a prebuilt binary).
// `no-restricted-imports` stays for what is about packages rather than folders: electron, Node
// built-ins, socket.io in protocol/.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import boundaries from 'eslint-plugin-boundaries';

const electron = { name: 'electron', message: 'Only main/shell and main/preload may import electron.' };
const nodeBuiltins = {
  regex: `^(node:|(${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(/|$))`,
  message: 'The renderer runs in a browser sandbox: no Node APIs.',
};

// One zone per top-level folder that holds code (build/ and docs/ hold none); main/ has three: the
// Electron wiring, the sandboxed preload, and the plain modules. The first matching descriptor wins.
// `partialMatch: false` matches from the project root, so test/main/x.test.ts is `test`, not `main`.
const zones = ['protocol', 'server', 'main/preload', 'main/shell', 'main', 'renderer', 'test', 'bench', 'scripts', 'deploy'];
const zoneType = (folder) => ({ 'main/preload': 'preload', 'main/shell': 'shell' })[folder] ?? folder;
// The tool configs at the root (eslint, vite, vitest, playwright) belong to no folder: a file category.
const rootConfigs = '*.{js,mjs,cjs,ts}';

const to = (...types) => ({ to: { element: { type: types } } });
// Policies are read in order and the last one that matches decides. Each zone first refuses every
// local import (so the error carries the zone's own message, unknown targets included), then allows.
const zone = (type, message, ...allow) => {
  const from = type === 'config' ? { file: { categories: 'config' } } : { element: { type } };
  return [{ from, disallow: { to: { module: { origin: 'local' } } }, message }, { from, allow }];
};

// What each zone may import from the others (and from itself). Anything else local is an error.
const policies = [
  ...zone('protocol', 'protocol/ holds types and schemas only and imports nothing of ours.', to('protocol')),
  ...zone('server', 'server/ runs in plain Node: it may import protocol/ (and npm packages) only.', to('server', 'protocol')),
  ...zone('main', 'main/ modules are plain Node and may import protocol/ and server/ (the embedded relay); Electron objects stay in main/shell, the page is reached only through IPC.', to('main', 'protocol', 'server')),
  ...zone('shell', 'main/shell wires main/ modules and the relay to Electron; it never imports the renderer or the preload.', to('shell', 'main', 'protocol', 'server')),
  // The sandboxed preload can only require('electron'): everything else is bundled into it, so at run
  // time it takes only protocol/desktop-api.ts and one constant (see main/preload/api.ts); types are free.
  ...zone('preload', 'The sandboxed preload may bundle only protocol/desktop-api.ts and main/security/window-options.ts, and import types from protocol/ and main/ipc/result.ts (main/preload/api.ts).',
    to('preload'),
    { to: { file: { path: ['protocol/desktop-api.ts', 'main/security/window-options.ts'] } } },
    { to: { file: { path: ['protocol/**', 'main/ipc/result.ts'] } }, dependency: { kind: 'type' } },
  ),
  ...zone('renderer', 'The renderer talks to the relay over Socket.IO and to main through window.parley: it may import protocol/ only.', to('renderer', 'protocol')),
  // protocol/schemas.ts pulls zod into the bundle (DESIGN: schemas stay out of the renderer).
  { from: { element: { type: 'renderer' } }, disallow: { to: { file: { path: 'protocol/schemas.ts' } }, dependency: { kind: 'value' } }, message: 'Schemas stay out of the renderer bundle (DESIGN): only `import type` from protocol/schemas.ts.' },
  ...zone('test', 'test/ may import any zone.', to('*')),
  // Benchmarks run in Node: the relay, the renderer's DOM-free model, the local cluster, test helpers.
  ...zone('bench', 'bench/ runs in Node: it may import protocol/, server/, renderer/model/, deploy/ and test/ helpers only.',
    to('bench', 'protocol', 'server', 'deploy', 'test'),
    { to: { file: { path: 'renderer/model/**' } } },
  ),
  ...zone('scripts', 'scripts/ are build tools: they may import protocol/ only.', to('scripts', 'protocol')),
  // deploy/azure/windows/server.cjs loads the built relay next to it on the server: ./dist/ exists only there.
  ...zone('deploy', 'deploy/ may import protocol/ and, at run time on the host, the built ./dist/server/cli.js only.', to('deploy', 'protocol'), { dependency: { source: './dist/server/cli.js' } }),
  ...zone('config', 'Root config files may import protocol/ and scripts/ only.', to('protocol', 'scripts')),
];

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
    plugins: { boundaries },
    settings: {
      'boundaries/root-path': import.meta.dirname,
      'boundaries/elements': zones.map((folder) => ({ type: zoneType(folder), pattern: folder, partialMatch: false })),
      'boundaries/files': [{ category: 'config', pattern: rootConfigs }],
      // Relative imports without an extension, as tsc and esbuild resolve them.
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'] } },
      'boundaries/legacy-templates': false,
    },
    rules: {
      // checkUnknownLocals: an import of a file that does not exist (yet) is judged by its path too.
      'boundaries/dependencies': ['error', { default: 'disallow', checkUnknownLocals: true, policies }],
      'boundaries/no-unknown-files': 'error', // every linted file belongs to a zone above
    },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electron, { name: 'socket.io', message: 'protocol/ holds types and schemas only.' }, { name: 'socket.io-client', message: 'protocol/ holds types and schemas only.' }],
        patterns: [{ ...nodeBuiltins, message: 'protocol/ is bundled into the renderer and the preload: no Node APIs.' }],
      }],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron] }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { paths: [electron], patterns: [nodeBuiltins] }] },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/shell/**', 'main/preload/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ ...electron, message: 'Keep electron in main/shell and main/preload; logic modules take collaborators as arguments so they run in plain Node.' }],
      }],
    },
  },
  {
    // A sandboxed preload's require() knows electron and nothing else; npm code would be bundled in.
    files: ['main/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: '^(?!electron$)[^.]',
          allowTypeImports: true,
          message: 'The sandboxed preload may import electron and nothing else: no Node APIs, no npm code such as zod (see main/preload/api.ts).',
        }],
      }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}', 'deploy/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron] }] },
  },
);
