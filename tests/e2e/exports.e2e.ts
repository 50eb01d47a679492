import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { parseCsv } from '../../shared/exports/csv';
import { formatUkDate, todayIso } from '../../shared/domain/dates';
import { checkScreen, expect, test } from './hostFixture';
import { choose, daysAgo, PASSPHRASE } from './support/steps';

/**
 * Issue #11 §3 in Chromium: a HIT checks a year's completeness, then exports the data-set CSVs and the FHIR
 * bundle to the folder chosen through the shell (the host's stand-in for the native dialog) after the warning,
 * and the files are read back.
 */

/** Three episodes over the last year, through the same contract the screens use; one discharged. */
async function seedYear(page: Page): Promise<void> {
  const episodes = [0, 1, 2].map((i) => ({ nhs: validNhsNumber(8100 + i), received: daysAgo(300 - i * 60), sessions: [daysAgo(280 - i * 60), daysAgo(260 - i * 60)] }));
  await page.evaluate(
    async ({ episodes }) => {
      type Api = Record<string, (input: unknown) => Promise<{ ok: boolean; value?: { id: string; version: number }; error?: unknown }>>;
      const api = (globalThis as unknown as { api: Api }).api;
      const call = async (method: string, input: unknown) => {
        const r = await api[method]!(input);
        if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
        return r.value!;
      };
      const answers = (total: number, items: number) => Array.from({ length: items }, (_, i) => Math.max(0, Math.min(3, total - 3 * i)));
      for (const [i, e] of episodes.entries()) {
        const p = await call('patients.create', { nhsNumber: e.nhs, givenName: ['Zoë', 'Tomasz', 'Amara'][i], familyName: ['Ní Bhriain', 'Kowalski', 'Okafor'][i], dateOfBirth: '1962-09-19', gpPractice: 'Oakfield Practice' });
        let r = await call('referrals.create', {
          patientId: p.id, receivedDate: e.received, referrerRole: 'gp', ltcCodes: ['44054006'], reason: 'Low mood', riskKnown: false, consent: true,
          urgency: 'routine', pathway: i === 2 ? 'core' : 'integrated-ltc', team: 'Diabetes clinic', status: 'in-treatment',
        });
        if (i !== 1) r = await call('referrals.update', { id: r.id, version: r.version, changes: { problemDescriptor: 'F41.1', step: 3, optedIn: true } });
        for (const [k, date] of e.sessions.entries()) {
          const c = await call('contacts.create', { referralId: r.id, date, startTime: '10:00', durationMinutes: 50, type: 'treatment', mechanism: '01', location: 'Clinic', attendance: 5 });
          await call('measures.record', { referralId: r.id, contactId: c.id, date, instrumentId: 'phq9', answers: answers(16 - k * 6, 9), completedBy: 'patient' });
          await call('measures.record', { referralId: r.id, contactId: c.id, date, instrumentId: 'gad7', answers: answers(12 - k * 5, 7), completedBy: 'patient' });
        }
        await call('measures.record', { referralId: r.id, date: e.sessions[0], instrumentId: 'service-use', answers: [4, 1, 0, 2, 0, i], completedBy: 'clinician' });
        if (i === 0) await call('referrals.discharge', { id: r.id, version: r.version, endCode: '46', dischargeDate: e.sessions[1] });
      }
    },
    { episodes },
  );
}

test('a HIT exports a year’s data-set CSVs and FHIR bundle after the warning, and the files read back', async ({ page, host }) => {
  test.setTimeout(180_000);
  await page.goto(host.url);
  await page.getByLabel('Your name').fill('Priya Shah');
  await choose(page, 'Your role', 'High-intensity therapist (HIT)');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();
  await expect(page.getByRole('button', { name: 'Add patient' })).toBeVisible();
  await seedYear(page);

  await page.getByRole('button', { name: 'Exports' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Exports' })).toBeVisible();
  await expect(page.getByText('These files leave the encrypted caseload')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'To', exact: true })).toHaveValue(formatUkDate(todayIso()));
  await checkScreen(page, '90-exports');

  // A reversed period is refused on its field, and nothing is written.
  await page.getByRole('textbox', { name: 'From', exact: true }).fill(formatUkDate(daysAgo(1)));
  await page.getByRole('textbox', { name: 'To', exact: true }).fill(formatUkDate(daysAgo(30)));
  await page.getByRole('button', { name: 'Check completeness' }).click();
  await expect(page.getByText('Must not end before it starts')).toBeVisible();
  await page.getByRole('textbox', { name: 'From', exact: true }).fill(formatUkDate(daysAgo(364)));
  await page.getByRole('textbox', { name: 'To', exact: true }).fill(formatUkDate(todayIso()));

  // A code the reference does not give is the service's: a malformed one is refused on its field.
  const wsas = page.getByRole('textbox', { name: /Work and Social Adjustment/ });
  await wsas.fill('12');
  await page.getByRole('button', { name: 'Check completeness' }).click();
  await expect(page.getByText('Must be a SNOMED CT code: 6 to 18 digits')).toBeVisible();
  await wsas.fill('');

  await page.getByRole('button', { name: 'Check completeness' }).click();
  await expect(page.getByText('3 referrals in the period.')).toBeVisible();
  const gaps = page.getByRole('table', { name: 'Fields not recorded' });
  await expect(gaps.getByRole('row', { name: /IDS603 PresentingComplaint 1 of 3/ })).toBeVisible();
  await checkScreen(page, '91-exports-completeness');
  expect(readdirSync(host.exportDir)).toEqual([]);

  await page.getByRole('button', { name: 'Choose folder and export CSV files' }).click();
  await expect(page.getByText('Data-set CSV files saved')).toBeVisible();
  await checkScreen(page, '92-exports-csv-saved');
  const files = readdirSync(host.exportDir).sort();
  expect(files.filter((f) => f.endsWith('.csv')).map((f) => f.split('-')[1])).toEqual(['IDS101', 'IDS108', 'IDS201', 'IDS202', 'IDS602', 'IDS603', 'IDS606', 'IDS607']);
  const read = (table: string) => parseCsv(readFileSync(join(host.exportDir, files.find((f) => f.includes(table))!), 'utf8'));
  const ids101 = read('IDS101');
  expect(ids101).toHaveLength(4);
  expect(ids101.map((r) => r[3]).slice(1)).toEqual(['A1', 'A1', 'A1']);
  expect(ids101.slice(1).map((r) => r[5]).sort()).toEqual(['', '', '46']);
  const ids607 = read('IDS607');
  expect(ids607).toHaveLength(13);
  expect(new Set(ids607.slice(1).map((r) => `${r[3]}=${r[4]}`))).toEqual(new Set(['phq9=720433000', 'gad7=445455005']));
  expect(read('IDS603').slice(1).map((r) => r[1]).sort()).toEqual(['', 'F411', 'F411']);
  expect(read('IDS201').slice(1).map((r) => r[8]).sort()).toEqual(['N', 'N', 'Y', 'Y', 'Y', 'Y']);

  await page.getByRole('button', { name: 'Choose folder and export FHIR bundle' }).click();
  await expect(page.getByText('FHIR bundle saved')).toBeVisible();
  await expect(page.getByText(/3 patients, 12 questionnaire responses, 12 observations/)).toBeVisible();
  await checkScreen(page, '93-exports-fhir-saved');
  const bundleFile = readdirSync(host.exportDir).find((f) => f.endsWith('.json'))!;
  const bundle = JSON.parse(readFileSync(join(host.exportDir, bundleFile), 'utf8'));
  expect(bundle.resourceType).toBe('Bundle');
  const patients = bundle.entry.filter((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Patient');
  expect(patients.map((p: { resource: { name: { family: string }[] } }) => p.resource.name[0]!.family).sort()).toEqual(['Kowalski', 'Ní Bhriain', 'Okafor']);
  const phq = bundle.entry.filter((e: { resource: { resourceType: string; code?: { coding: { code: string }[] } } }) => e.resource.resourceType === 'Observation' && e.resource.code!.coding[0]!.code === '720433000');
  expect(phq.map((e: { resource: { valueQuantity: { value: number } } }) => e.resource.valueQuantity.value).sort()).toEqual([10, 10, 10, 16, 16, 16]);
  // The pseudonymised extract: the key typed in, never stored; no names, NHS numbers or days.
  await page.getByLabel('Linkage key', { exact: true }).fill('evaluation linkage key 2026');
  await page.getByRole('button', { name: 'Choose folder and export extract' }).click();
  await expect(page.getByText('Pseudonymised extract saved')).toBeVisible();
  await expect(page.getByLabel('Linkage key', { exact: true })).toHaveValue('');
  await checkScreen(page, '94-exports-pseudonymised-saved');
  const extract = readFileSync(join(host.exportDir, readdirSync(host.exportDir).find((f) => f.includes('pseudonymised'))!), 'utf8');
  const rows = parseCsv(extract);
  expect(rows).toHaveLength(4);
  for (const r of rows.slice(1)) expect(r[0]).toMatch(/^[0-9a-f]{64}$/);
  for (const word of ['Zoë', 'Kowalski', 'Okafor', validNhsNumber(8100), 'evaluation linkage key']) expect(extract).not.toContain(word);
  expect(extract).not.toMatch(/\d{4}-\d{2}-\d{2}/);

  // No patient data in any file name.
  for (const f of readdirSync(host.exportDir)) expect(f).toMatch(/^caseload-[A-Za-z0-9-]+-\d{4}-\d{2}-\d{2}_to_\d{4}-\d{2}-\d{2}\.(csv|json|txt)$/);
});
