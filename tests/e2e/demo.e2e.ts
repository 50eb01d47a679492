import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkScreen, expect, test } from './hostFixture';

/**
 * `npm run demo` itself, as a person meets it: the address and passphrase it prints, the DEMO badge on every
 * screen, and a caseload of synthetic referrals at every stage (issue #8 item 11), each screen checked by axe.
 */
const ROOT = resolve(__dirname, '../..');

async function startDemo(dataDir: string): Promise<{ child: ChildProcess; address: string; passphrase: string }> {
  const env = { ...process.env };
  delete env.DISPLAY; // no Chromium of its own: this test is the browser
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host/demo.ts', '--data-dir', dataDir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const printed = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Press Ctrl+C')) ok(out);
    });
    child.on('exit', (code) => fail(new Error(`the demo exited (${code})`)));
  });
  return { child, address: /Address: +(\S+)/.exec(printed)![1]!, passphrase: /Passphrase: +(\S+)/.exec(printed)![1]! };
}

test('npm run demo: unlock with the printed passphrase, DEMO on every screen, referrals at every stage', async ({ page }) => {
  const root = mkdtempSync(join(tmpdir(), 'caseload-e2e-demo-'));
  const demo = await startDemo(join(root, 'store'));
  try {
    await page.goto(demo.address);
    await expect(page.getByRole('heading', { name: 'Unlock your caseload' })).toBeVisible();
    await expect(page.getByText('Demo – synthetic data')).toBeVisible();
    await checkScreen(page, '40-demo-unlock');
    await page.getByLabel('Passphrase').fill(demo.passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('heading', { name: 'Caseload' })).toBeVisible();
    await expect(page.getByText('Demo – synthetic data')).toBeVisible();
    await checkScreen(page, '41-demo-caseload');

    // The patient ten sessions into treatment: the episode shows the chart and the live classification.
    await page.getByRole('button', { name: /, Farid$/ }).first().click();
    await expect(page.getByRole('heading', { name: 'Patient' })).toBeVisible();
    await page.getByRole('button', { name: /^Open the referral received/ }).first().click();
    await expect(page.locator('.recharts-surface').first()).toBeVisible();
    await expect(page.getByText(/recovered/i).first()).toBeVisible();
    await checkScreen(page, '42-demo-episode');

    // The backup message names its file, and its close button has a name.
    await page.getByRole('button', { name: 'Backups' }).click();
    const backups = page.getByRole('dialog', { name: 'Backups' });
    await backups.getByRole('button', { name: 'Back up now' }).click();
    await expect(backups.getByText(/^Encrypted backup saved as \/.*\.ccbak/)).toBeVisible();
    await checkScreen(page, '43-demo-backup');
    await backups.getByRole('button', { name: 'Close' }).click();
  } finally {
    await new Promise<void>((ok) => {
      if (demo.child.exitCode !== null) return ok();
      demo.child.once('exit', () => ok());
      demo.child.kill('SIGTERM');
    });
    rmSync(root, { recursive: true, force: true });
  }
});
