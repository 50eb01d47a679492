import { rmSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { startHost } from '../electron/host/server';

/**
 * A bench's browser on a seeded store: the Chromium test host on `dataDir`, Debian's Chromium at 1366×768, the
 * caseload unlocked with `passphrase`; `use` measures with the page, then browser, host and folder are removed.
 */
export async function withUnlockedPage<T>(dataDir: string, passphrase: string, use: (page: Page) => Promise<T>): Promise<T> {
  const host = await startHost({ worker: { dataDir, kdf: { kind: 'insecure-test-only', N: 1024 } } });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-GB' })).newPage();
    await page.goto(host.url);
    await page.getByLabel('Passphrase').fill(passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Caseload' }).waitFor();
    return await use(page);
  } finally {
    await browser.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
