import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { CONTENT_SECURITY_POLICY_META } from '../shared/contract/csp';

const root = resolve(__dirname, '..');
// ESM-only packages are bundled into the CommonJS main and worker bundles; the native module stays external.
const bundled = ['kysely', 'zod', 'uuid'];

export default defineConfig({
  main: {
    root,
    build: {
      outDir: resolve(root, 'out/main'),
      externalizeDeps: { exclude: bundled },
      rollupOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          dbWorker: resolve(root, 'electron/services/worker/dbWorker.ts'),
        },
      },
    },
  },
  preload: {
    root,
    // A sandboxed preload can require nothing but 'electron': bundle everything else, emit CommonJS.
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [
      react(),
      {
        name: 'caseload-csp',
        transformIndexHtml: (html) =>
          html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}" />`),
      },
    ],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
