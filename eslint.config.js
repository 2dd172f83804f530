// ESLint: typescript-eslint strict rules, Prettier for layout, and the layering of
// DESIGN.md enforced as import restrictions (the VS Code way).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronOnlyHere = ['src/main/index.ts', 'src/main/electron/**', 'src/preload/**'];

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] }),
      ],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      // Layering: the renderer sees only src/shared and itself; main never reaches into the
      // renderer or preload; shared code depends on nothing of ours.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/renderer',
              from: ['./src/main', './src/preload', './test', './resources'],
              message: 'The renderer may import only src/shared and its own files.',
            },
            {
              target: './src/main',
              from: ['./src/renderer', './src/preload'],
              message: 'The main process does not import the renderer or the preload.',
            },
            {
              target: './src/shared',
              from: ['./src/main', './src/renderer', './src/preload'],
              message: 'src/shared is the contract: it depends on nothing else of ours.',
            },
            {
              target: './src/preload',
              from: ['./src/main', './src/renderer'],
              message: 'The preload builds its client from src/shared only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only the Electron entry and its glue may touch Electron: everything else under
    // src/main runs unchanged in the CLI, the browser host and the tests.
    files: ['src/**/*.{ts,tsx}'],
    ignores: electronOnlyHere,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'Only src/main/index.ts and src/main/electron/ import electron.',
            },
          ],
          patterns: [
            {
              group: ['electron/*'],
              message: 'Only src/main/index.ts and src/main/electron/ import electron.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The renderer talks to the core only through window.rekey.',
            },
          ],
          patterns: [
            { regex: '^node:', message: 'The renderer runs in a sandbox without Node.js.' },
            {
              group: ['fs', 'path', 'child_process', 'os', 'crypto', 'net', 'http', 'https'],
              message: 'The renderer runs in a sandbox without Node.js.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/cli/**/*.ts', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
