import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { checkScreen, expect, type Host } from '../hostFixture';

/**
 * The team-server journeys' helpers (syncJourney and supervision e2e): the real team server on PGlite in its own process, a page per laptop, set-up, enrolment, Sync now, and a
 * contract call through the page's own bridge.
 */
const ROOT = resolve(__dirname, '../../..');
export const PASSPHRASE = 'clinic room passphrase';

export interface TeamServer {
  url: string;
  codes: { clinician: string; supervisor: string; clerk: string; lead: string };
  clinicianId: string;
  supervisorId: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The real team server on PGlite in a temp folder, in its own process (tests/e2e/support/teamServer.ts). */
export async function startTeamServer(dataDir: string): Promise<TeamServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'tests/e2e/support/teamServer.ts', dataDir], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const waiters: { pattern: RegExp; ok: (m: RegExpExecArray) => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      const m = w.pattern.exec(out);
      if (m) {
        out = out.slice(m.index + m[0].length);
        waiters.splice(waiters.indexOf(w), 1);
        w.ok(m);
      }
    }
  });
  const next = (pattern: RegExp) => new Promise<RegExpExecArray>((ok) => waiters.push({ pattern, ok }));
  const ready = await next(/TEAM_SERVER (\{.*\})\n/);
  const info = JSON.parse(ready[1]!) as Pick<TeamServer, 'url' | 'codes' | 'clinicianId' | 'supervisorId'>;
  const command = async (line: string, answer: RegExp) => {
    const done = next(answer);
    child.stdin!.write(`${line}\n`);
    await done;
  };
  return {
    ...info,
    stop: () => command('stop', /STOPPED\n/),
    start: () => command('start', /STARTED\n/),
    close: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}

export async function pageFor(browser: Browser, host: Host): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(host.url);
  return page;
}

export async function setUp(page: Page, name: string, role: string) {
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('combobox', { name: 'Your role' }).click();
  await page.getByRole('option', { name: role }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();
  // A booking clerk starts at the patient list, a service lead at the service's reports, everyone else at their caseload.
  const home: Record<string, string> = { 'Booking clerk': 'Patients', 'Service lead': 'Service reports' };
  await expect(page.getByRole('heading', { name: home[role] ?? 'Caseload' })).toBeVisible();
}

/** A contract call through the page's own `window.api` (the same bridge the screens use). */
export async function call<T>(page: Page, method: string, input: unknown): Promise<T> {
  const result = await page.evaluate(async ([m, i]) => (globalThis as unknown as { api: Record<string, (x: unknown) => Promise<unknown>> }).api[m as string]!(i), [method, input] as const);
  const envelope = result as { ok: boolean; value?: T; error?: unknown };
  if (!envelope.ok) throw new Error(`${method}: ${JSON.stringify(envelope.error)}`);
  return envelope.value as T;
}

export async function enrol(page: Page, url: string, code: string, screenshot?: string) {
  await page.getByTestId('sync-badge').click();
  await page.getByLabel('Team server address').fill(url);
  await page.getByLabel('Enrolment code').fill(code);
  if (screenshot) await checkScreen(page, screenshot);
  await page.getByRole('button', { name: 'Enrol this device' }).click();
  await expect(page.getByTestId('sync-badge')).toHaveText(/^Online · synced/);
}

export async function syncNow(page: Page) {
  await page.getByTestId('sync-badge').click();
  await page.getByRole('tab', { name: 'Status' }).click();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('button', { name: 'Sync now' })).toBeEnabled();
}

