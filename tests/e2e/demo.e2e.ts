import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkScreen, expect, test } from './hostFixture';

/**
 * One journey against the demo itself (issue #8 "done means"): the address and passphrase are read from its
 * output, never assumed, since the store issue makes the passphrase random.
 */
const ROOT = resolve(__dirname, '../..');

async function startDemo(dataDir: string): Promise<{ child: ChildProcess; url: string; passphrase: string }> {
  // Its own folder, so a developer's running demo (.demo-data) is left alone; no DISPLAY: this test is the browser.
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host/demo.ts', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DISPLAY: '' } });
  const found = await new Promise<{ url: string; passphrase: string }>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /Address:\s+(\S+)/.exec(out)?.[1];
      const passphrase = /Passphrase:\s+(.+)/.exec(out)?.[1]?.trim();
      if (url && passphrase) ok({ url, passphrase });
    });
    child.on('exit', (code) => fail(new Error(`demo exited early (${code})`)));
  });
  return { child, ...found };
}

test('the demo opens on a synthetic caseload at every stage, marked DEMO, and its screens pass axe', async ({ page }) => {
  test.setTimeout(180_000);
  const root = mkdtempSync(join(tmpdir(), 'caseload-e2e-demo-'));
  const demo = await startDemo(join(root, 'store'));
  try {
    await page.goto(demo.url);
    await page.getByLabel('Passphrase').fill(demo.passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('heading', { name: 'Caseload', exact: true })).toBeVisible();
    await expect(page.getByText('Demo – synthetic data')).toBeVisible();
    await expect(page.getByRole('row', { name: /In treatment/ }).first()).toBeVisible();
    // The list opens on the open caseload; the discharged are a switch away.
    await expect(page.getByRole('row', { name: /Discharged/ })).toHaveCount(0);
    await page.getByRole('checkbox', { name: 'Show discharged patients' }).check();
    await expect(page.getByRole('row', { name: /Discharged/ }).first()).toBeVisible();
    await expect(page.getByText('Risk', { exact: true }).first()).toBeVisible();
    await checkScreen(page, '60-demo-caseload');

    await page.getByRole('combobox', { name: 'Sort by' }).click();
    await page.getByRole('option', { name: 'Highest PHQ-9' }).click();
    await page.getByRole('checkbox', { name: 'Risk flag only' }).check();
    const risky = page.getByRole('row').nth(1);
    await expect(risky).toContainText('Risk');
    await risky.getByRole('button').click();
    await expect(page.getByRole('heading', { name: 'Patient' })).toBeVisible();
    await expect(page.getByTestId('outcome-words')).toBeVisible();
    await checkScreen(page, '61-demo-patient');
    await page.getByRole('button', { name: /Open the referral received/ }).first().click();
    await page.getByRole('button', { name: /Open session on/ }).last().click();
    await expect(page.getByRole('alert').filter({ hasText: 'Risk alert' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign note' })).toBeDisabled();
    await checkScreen(page, '62-demo-session-risk');

    // The backup message names its file, and every close button has a name.
    await page.getByRole('button', { name: 'Backups' }).click();
    const backups = page.getByRole('dialog', { name: 'Backups' });
    await backups.getByRole('button', { name: 'Back up now' }).click();
    await expect(backups.getByText(/^Encrypted backup saved as \/.*\.ccbak/)).toBeVisible();
    await checkScreen(page, '63-demo-backup');
  } finally {
    await new Promise<void>((ok) => {
      if (demo.child.exitCode !== null) return ok();
      demo.child.once('exit', () => ok());
      demo.child.kill('SIGTERM');
    });
    rmSync(root, { recursive: true, force: true });
  }
});
