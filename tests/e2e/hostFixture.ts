import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Page } from '@playwright/test';

const ROOT = resolve(__dirname, '../..');
export const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');

export interface Host {
  url: string;
  dataDir: string;
  /** What the host's "choose folder" answers with: its stand-in for Electron's native folder dialog. */
  exportDir: string;
  stop(): Promise<void>;
  restart(): Promise<Host>;
}

/** Starts the real host (same registry, same contract, same page as the demo) on a data folder. */
export async function startHost(dataDir: string, exportDir = mkdtempSync(join(tmpdir(), 'caseload-e2e-exports-'))): Promise<Host> {
  const args = ['--import', 'tsx', 'electron/host/cli.ts', '--data-dir', dataDir, '--export-dir', exportDir, '--insecure-test-kdf', '--unlock-backoff-ms', '300'];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /HOST_URL (\S+)/.exec(out);
      if (m) ok(m[1]!);
    });
    child.on('exit', (code) => fail(new Error(`host exited early (${code})`)));
  });
  const stop = () =>
    new Promise<void>((ok) => {
      if (child.exitCode !== null) return ok();
      child.once('exit', () => ok());
      child.kill('SIGTERM');
    });
  return { url, dataDir, exportDir, stop, restart: async () => (await stop(), startHost(dataDir, exportDir)) };
}

export const test = base.extend<{ host: Host }>({
  host: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'caseload-e2e-'));
    const host = await startHost(dataDir);
    await use(host);
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(host.exportDir, { recursive: true, force: true });
  },
});
export { expect };

/** Every screen passes axe (DESIGN.md §7) and is saved for a person to look at. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(250); // let Mantine's transitions settle so axe sees the final colours
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${name}`).toEqual([]);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
