import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const NATIVE = resolve(ROOT, 'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node');
const electronInstalled = existsSync(resolve(ROOT, 'node_modules/electron/path.txt'));

describe('npm start without the Electron binary', () => {
  it.skipIf(electronInstalled)('says so, points to npm run demo, and leaves the Node build of the native module untouched', () => {
    const before = createHash('sha256').update(readFileSync(NATIVE)).digest('hex');
    const run = spawnSync(process.execPath, ['scripts/start-electron.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 150_000 });
    expect(run.status).toBe(0); // the README's two commands must both succeed on such a machine
    expect(run.stderr).toContain('The Electron binary cannot be downloaded here');
    expect(run.stderr).toContain('npm run demo');
    expect(createHash('sha256').update(readFileSync(NATIVE)).digest('hex')).toBe(before);
  }, 160_000);
});

describe('electron-builder fuses', () => {
  it('turn off RunAsNode, NODE_OPTIONS and inspect arguments, and turn on asar-only loading with integrity checks', () => {
    const yml = readFileSync(resolve(ROOT, 'electron-builder.yml'), 'utf8');
    for (const line of ['runAsNode: false', 'enableNodeOptionsEnvironmentVariable: false', 'enableNodeCliInspectArguments: false', 'enableEmbeddedAsarIntegrityValidation: true', 'onlyLoadAppFromAsar: true']) {
      expect(yml).toContain(line);
    }
  });
});
