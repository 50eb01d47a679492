import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { checkScreen, expect, startHost, test, type Host } from './hostFixture';
import { choose, daysAgo } from './support/steps';
import { enrol, pageFor, setUp, startTeamServer, syncNow } from './support/teamJourney';

/**
 * Issue #11 §7 in Chromium: a HIT's finished courses reach the team server; the service lead's laptop pulls the
 * whole team's referrals and scores, and there the service lead runs a year's report, filters it by a long-term
 * condition, opens a figure's definition, exports the figures as CSV, then the data-set CSV files and the FHIR
 * bundle, each read back from the folder the shell chose.
 */
const DIABETES = '44054006';
const COPD = '13645005';

/** One CSV line's cells (RFC 4180 quoting; no line breaks inside cells in these files). */
function csvRow(line: string): string[] {
  return [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)].map((m) => (m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!));
}

/** Finished courses through the contract the screens use: 6 with diabetes (recovered), 2 with COPD (not). */
async function seedService(page: Page): Promise<void> {
  const plan = [
    ...Array.from({ length: 6 }, (_, i) => ({ nhs: validNhsNumber(8100 + i), ltc: DIABETES, scores: [[18, 15], [12, 10], [6, 5]] })),
    ...Array.from({ length: 2 }, (_, i) => ({ nhs: validNhsNumber(8200 + i), ltc: COPD, scores: [[17, 14], [16, 13], [15, 12]] })),
  ];
  const dates = { received: daysAgo(100), assessed: daysAgo(90), sessions: [daysAgo(80), daysAgo(70), daysAgo(60)], discharged: daysAgo(60) };
  const done = await page.evaluate(
    async ({ plan, dates }) => {
      type Api = Record<string, (input: unknown) => Promise<{ ok: boolean; value?: { id: string; version: number }; error?: unknown }>>;
      const api = (globalThis as unknown as { api: Api }).api;
      const call = async (method: string, input: unknown) => {
        const r = await api[method]!(input);
        if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
        return r.value!;
      };
      const answers = (total: number, items: number) => Array.from({ length: items }, (_, i) => Math.max(0, Math.min(3, total - 3 * i)));
      let n = 0;
      for (const [k, p] of plan.entries()) {
        const patient = await call('patients.create', { nhsNumber: p.nhs, givenName: `Report${k}`, familyName: 'Patient', dateOfBirth: '1960-01-01', gpPractice: 'Oakfield Practice' });
        let r = await call('referrals.create', {
          patientId: patient.id, receivedDate: dates.received, referrerRole: 'gp', ltcCodes: [p.ltc], reason: 'Low mood', riskKnown: false, consent: true,
          urgency: 'routine', pathway: 'integrated-ltc', team: 'LTC clinic', status: 'in-treatment',
        });
        r = await call('referrals.update', { id: r.id, version: r.version, changes: { problemDescriptor: 'F41.1', step: 3, optedIn: true } });
        const contact = { referralId: r.id, startTime: '10:00', durationMinutes: 50, mechanism: '01', location: 'Clinic', attendance: 5 };
        await call('contacts.create', { ...contact, date: dates.assessed, type: 'assessment' });
        for (const [i, date] of dates.sessions.entries()) {
          const c = await call('contacts.create', { ...contact, date, type: 'treatment' });
          await call('measures.record', { referralId: r.id, contactId: c.id, date, instrumentId: 'phq9', answers: answers(p.scores[i]![0]!, 9), completedBy: 'patient' });
          await call('measures.record', { referralId: r.id, contactId: c.id, date, instrumentId: 'gad7', answers: answers(p.scores[i]![1]!, 7), completedBy: 'patient' });
        }
        await call('referrals.discharge', { id: r.id, version: r.version, endCode: '46', dischargeDate: dates.discharged });
        n += 1;
      }
      return n;
    },
    { plan, dates },
  );
  expect(done).toBe(8);
}

test('a service lead filters a year’s service report by LTC and exports the figures, the data-set CSV files and the FHIR bundle', async ({ browser }) => {
  test.setTimeout(240_000);
  const dirs = [mkdtempSync(join(tmpdir(), 'caseload-e2e-team-')), mkdtempSync(join(tmpdir(), 'caseload-e2e-ada-')), mkdtempSync(join(tmpdir(), 'caseload-e2e-lee-'))];
  const server = await startTeamServer(join(dirs[0]!, 'pglite'));
  const hosts = [await startHost(dirs[1]!), await startHost(dirs[2]!)];
  try {
    const [adaHost, host] = hosts as [Host, Host];
    // Ada, a HIT in the diabetes and COPD clinics, records her finished courses and syncs them to the team.
    const ada = await pageFor(browser, adaHost);
    await setUp(ada, 'Ada Mensah', 'High-intensity therapist (HIT)');
    await enrol(ada, server.url, server.codes.clinician);
    await seedService(ada);
    await syncNow(ada);

    // The service lead's laptop: reports and exports only, over the whole team, from what sync brought.
    const page = await pageFor(browser, host);
    await page.setViewportSize({ width: 1366, height: 768 });
    await setUp(page, 'Lee Morgan', 'Service lead');
    await enrol(page, server.url, server.codes.lead);
    const header = page.getByRole('banner');
    for (const clinical of ['Clinic day', 'Groups', 'Supervision']) await expect(header.getByRole('button', { name: clinical })).toHaveCount(0);
    await reportAndExport(page, host);
  } finally {
    for (const h of hosts) await h.stop();
    await server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});

async function reportAndExport(page: Page, host: Host): Promise<void> {
  await page.getByRole('button', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { name: 'Service reports' })).toBeVisible();
  await checkScreen(page, '90-reports-empty');

  // The whole year first: all 8 finished, 6 of 8 recovered.
  await page.getByRole('button', { name: 'Run report' }).click();
  const figures = page.getByRole('table', { name: 'All figures' });
  await expect(figures.getByRole('row', { name: /^Finished a course of treatment/ })).toContainText('8');
  await expect(figures.getByRole('row', { name: /^Recovery rate/ })).toContainText('75.0% (6 of 8)');

  // Filtered by diabetes: the 6, all recovered.
  await choose(page, 'Long-term condition', 'Diabetes type 2');
  await page.getByRole('button', { name: 'Run report' }).click();
  await expect(figures.getByRole('row', { name: /^Recovery rate/ })).toContainText('100.0% (6 of 6)');
  await expect(figures.getByRole('row', { name: /^Finished a course of treatment/ })).toContainText('6');
  await checkScreen(page, '91-reports-diabetes');

  // A figure's definition, one click away, with its reference row.
  await page.getByRole('button', { name: 'Definition of Recovery rate' }).click();
  const definition = page.getByRole('dialog');
  await expect(definition).toContainText('below caseness');
  await expect(definition).toContainText('ref §4 Recovery');
  await checkScreen(page, '92-reports-definition');
  await page.keyboard.press('Escape');

  // Export: the warning, the folder through the shell, then the file read back.
  await page.getByRole('button', { name: 'Export CSV…' }).first().click();
  const exporting = page.getByRole('dialog', { name: 'Export outcomes and waits as CSV' });
  await expect(exporting.getByText('This file leaves the encrypted caseload')).toBeVisible();
  await checkScreen(page, '93-reports-export-warning');
  await exporting.getByRole('button', { name: 'Choose folder and export' }).click();
  await expect(exporting.getByText('CSV saved')).toBeVisible();
  const files = readdirSync(host.exportDir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^service-report-figures-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}T\d{6}\.csv$/);
  const rows = readFileSync(join(host.exportDir, files[0]!), 'utf8').replace(/^\ufeff/, '').trim().split('\r\n').map(csvRow);
  expect(rows[0]!.slice(0, 4)).toEqual(['figure', 'label', 'kind', 'value']);
  const row = (id: string) => rows.find((r) => r[0] === id)!;
  expect(row('finished')[3]).toBe('6');
  expect(row('recovery')[3]).toBe('1');
  // Every figure here is from 6 referrals or counts 0, so none is suppressed (zeros are kept); each row says so.
  expect(row('endCode.46')[3]).toBe('6');
  expect(row('endCode.12')[3]).toBe('0');
  expect(rows.slice(1).every((r) => r[9] === 'false')).toBe(true);
  await checkScreen(page, '94-reports-exported');
  await exporting.getByRole('button', { name: 'Done' }).click();

  // The data set and the FHIR bundle of the whole team's year, from the exports screen.
  await page.getByRole('button', { name: 'Exports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Exports' })).toBeVisible();
  await page.getByRole('button', { name: 'Choose folder and export CSV files' }).click();
  await expect(page.getByText('Data-set CSV files saved')).toBeVisible();
  const ids101 = readdirSync(host.exportDir).find((f) => f.includes('IDS101'))!;
  const referrals = readFileSync(join(host.exportDir, ids101), 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
  expect(referrals).toHaveLength(9); // the header and Ada's 8 referrals
  await page.getByRole('button', { name: 'Choose folder and export FHIR bundle' }).click();
  await expect(page.getByText('FHIR bundle saved')).toBeVisible();
  await checkScreen(page, '95-reports-lead-exports');
  const bundle = JSON.parse(readFileSync(join(host.exportDir, readdirSync(host.exportDir).find((f) => f.endsWith('.json'))!), 'utf8')) as { resourceType: string; entry: { resource: { resourceType: string } }[] };
  expect(bundle.resourceType).toBe('Bundle');
  expect(bundle.entry.filter((e) => e.resource.resourceType === 'Patient')).toHaveLength(8);
}
