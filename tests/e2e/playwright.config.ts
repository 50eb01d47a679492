import { defineConfig } from '@playwright/test';

/** Debian's Chromium, no browser download; one worker (2-core machines). */
export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  outputDir: './results',
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    viewport: { width: 1366, height: 768 },
    locale: 'en-GB',
    actionTimeout: 15_000,
    timezoneId: 'Europe/London',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
