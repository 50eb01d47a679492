// Lint: typescript-eslint's recommended rules plus the layering rule from DESIGN.md §2.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'http', 'https', 'net', 'url', 'util', 'stream', 'events', 'buffer'];
const electronOnly = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'tests/e2e/results/**', 'tests/e2e/artifacts/**', '.demo-data/**', '.electron-native/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [electronOnly] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly],
          patterns: [
            { group: ['**/electron/**', '**/renderer/**', '**/server/**', '**/resources/**', '**/tests/**'], message: 'shared/ imports nothing of ours outside shared/.' },
            { group: NODE_BUILTINS, message: 'shared/ is pure: no Node APIs.' },
            { regex: '^(?!zod$|\\.{1,2}/)', message: 'shared/ may import only zod and its own modules.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'fetch', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly],
          patterns: [
            { group: ['**/electron/**', '**/server/**'], message: 'The renderer talks to the main process only through the contract client.' },
            { group: NODE_BUILTINS, message: 'The renderer never sees Node.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronOnly], patterns: [{ group: ['**/renderer/**', '**/electron/main/**', '**/electron/preload/**', '**/electron/host/**'], message: 'Services are plain Node: they import shared/ and each other only.' }] },
      ],
    },
  },
  {
    // The team server runs where no Electron app is installed: it shares only shared/ (the wire schemas) with the app.
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronOnly], patterns: [{ group: ['**/electron/**', '**/renderer/**', '**/tests/**', '**/bench/**'], message: 'server/ imports shared/ and its own modules only.' }] },
      ],
    },
  },
);
