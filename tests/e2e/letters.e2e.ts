import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { extractText, getDocumentProxy } from 'unpdf';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { formatUkDate, todayIso } from '../../shared/domain/dates';
import { checkScreen, expect, test } from './hostFixture';
import { choose, daysAgo, PASSPHRASE } from './support/steps';

/**
 * Issue #10 stage 5 in Chromium: a discharge letter to the GP drafted from the record, edited, finalised,
 * exported as a PDF to the folder chosen through the shell (the host's stand-in for the native dialog), its text
 * read back out of the PDF, then recorded as sent.
 */
const NHS = validNhsNumber(7310);

/** A discharged episode, written through the same contract the screens use: PHQ-9 18 → 6, GAD-7 15 → 5. */
async function seedDischargedEpisode(page: Page): Promise<void> {
  const dates = { received: daysAgo(60), assessed: daysAgo(50), sessions: [daysAgo(40), daysAgo(30), daysAgo(20)], discharged: daysAgo(20) };
  const result = await page.evaluate(
    async ({ nhs, dates }) => {
      type Api = Record<string, (input: unknown) => Promise<{ ok: boolean; value?: { id: string; version: number }; error?: unknown }>>;
      const api = (globalThis as unknown as { api: Api }).api;
      const call = async (method: string, input: unknown) => {
        const r = await api[method]!(input);
        if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
        return r.value!;
      };
      const answers = (total: number, items: number) => Array.from({ length: items }, (_, i) => Math.max(0, Math.min(3, total - 3 * i)));
      const p = await call('patients.create', { nhsNumber: nhs, givenName: 'Zoë', familyName: 'Ní Bhriain', dateOfBirth: '1962-09-19', gpPractice: 'Oakfield Practice' });
      let r = await call('referrals.create', {
        patientId: p.id, receivedDate: dates.received, referrerRole: 'diabetes-specialist-nurse', referrerName: 'Łukasz Nowak, DSN', ltcCodes: ['44054006'],
        reason: 'Low mood and worry about hypos', riskKnown: false, consent: true, urgency: 'routine', pathway: 'integrated-ltc', team: 'Diabetes clinic, Lister Hospital', status: 'in-treatment',
      });
      r = await call('referrals.update', { id: r.id, version: r.version, changes: { problemDescriptor: 'F41.1', step: 3, optedIn: true } });
      const contact = { referralId: r.id, startTime: '10:00', durationMinutes: 50, mechanism: '01', location: 'Lister Hospital', attendance: 5 };
      await call('contacts.create', { ...contact, date: dates.assessed, type: 'assessment' });
      const scores = [[18, 15], [13, 10], [6, 5]] as const;
      for (const [i, date] of dates.sessions.entries()) {
        const c = await call('contacts.create', { ...contact, date, type: 'treatment' });
        await call('measures.record', { referralId: r.id, contactId: c.id, date, instrumentId: 'phq9', answers: answers(scores[i]![0], 9), completedBy: 'patient' });
        await call('measures.record', { referralId: r.id, contactId: c.id, date, instrumentId: 'gad7', answers: answers(scores[i]![1], 7), completedBy: 'patient' });
      }
      await call('referrals.discharge', { id: r.id, version: r.version, endCode: '46', dischargeDate: dates.discharged });
      return r.id;
    },
    { nhs: NHS, dates },
  );
  expect(result).toMatch(/^[0-9a-f-]{36}$/);
}

test('a HIT drafts a discharge letter to the GP from the record, edits and finalises it, exports the PDF and records it as sent', async ({ page, host }) => {
  test.setTimeout(180_000);
  await page.goto(host.url);
  await page.getByLabel('Your name').fill('Priya Shah');
  await choose(page, 'Your role', 'High-intensity therapist (HIT)');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();
  await expect(page.getByRole('button', { name: 'Add patient' })).toBeVisible();
  await seedDischargedEpisode(page);
  await page.reload();

  // From the caseload (her referral is discharged, so the list must show the discharged) to the patient, the
  // referral, and its letters.
  await page.getByRole('checkbox', { name: 'Show discharged patients' }).check();
  await page.getByRole('button', { name: 'NÍ BHRIAIN, Zoë' }).click();
  await page.getByRole('button', { name: `Open the referral received ${formatUkDate(daysAgo(60))}` }).click();
  await page.getByRole('button', { name: 'Letters' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Letters' })).toBeVisible();
  await expect(page.getByLabel('Letter', { exact: true })).toHaveValue('discharge'); // suggested from the discharged episode
  await expect(page.getByText('No letters yet.')).toBeVisible();
  await checkScreen(page, '80-letters-empty');

  await page.getByRole('button', { name: 'Draft from the record' }).click();
  const body = page.getByRole('textbox', { name: 'Letter' });
  await expect(body).toHaveValue(/Zoë Ní Bhriain was discharged from Diabetes clinic, Lister Hospital/);
  await expect(body).toHaveValue(/PHQ-9 \(depression\): first 18 on .*; last 6 on /);
  await expect(body).toHaveValue(/GAD-7 \(anxiety\): first 15 on .*; last 5 on /);
  await expect(body).toHaveValue(/they have since moved below caseness \(recovered\)/);
  await expect(page.getByText('1 gap marked')).toBeVisible();
  await checkScreen(page, '81-letters-draft-filled');

  // Finalising with the gap left is refused, naming it, on the field.
  await page.getByRole('button', { name: 'Finalise letter' }).click();
  await expect(page.getByText(/still has a gap to fill/i)).toBeVisible();

  // The clinician edits: the recipient, and the gap filled in their own words.
  await page.getByRole('textbox', { name: 'To' }).fill('Dr Amara Okafor\nOakfield Practice\n12 Station Road, Watford');
  const filled = (await body.inputValue()).replace('[to complete: where they can turn if difficulties return]', 'Zoë has a relapse-prevention blueprint and can self-refer again through the Lister clinic.');
  await body.fill(filled);
  await expect(page.getByRole('button', { name: 'Finalise letter' })).toBeDisabled();
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('button', { name: 'Finalise letter' })).toBeEnabled();
  await page.getByRole('button', { name: 'Finalise letter' }).click();
  await expect(page.getByRole('heading', { name: 'Discharge letter, version 1 (final)' })).toBeVisible();
  await expect(page.getByLabel('Final letter')).toContainText('Re: Zoë Ní Bhriain, born 19/09/1962');
  await checkScreen(page, '82-letters-final');

  // Export: the warning first, then the folder chosen through the shell; the PDF lands only there.
  await page.getByRole('button', { name: 'Export PDF…' }).click();
  const exporting = page.getByRole('dialog', { name: 'Export letter as PDF' });
  await expect(exporting.getByText('This file leaves the encrypted caseload')).toBeVisible();
  await checkScreen(page, '83-letters-export-warning');
  await exporting.getByRole('button', { name: 'Choose folder and export' }).click();
  await expect(exporting.getByText('PDF saved')).toBeVisible();
  const files = readdirSync(host.exportDir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^letter-discharge-\d{4}-\d{2}-\d{2}-v1-[0-9a-f]{8}\.pdf$/);
  await expect(exporting.getByText(join(host.exportDir, files[0]!))).toBeVisible();
  await checkScreen(page, '84-letters-exported');
  await exporting.getByRole('button', { name: 'Done' }).click();

  const pdf = await getDocumentProxy(new Uint8Array(readFileSync(join(host.exportDir, files[0]!))));
  // Lines wrap where the page is full: compare the words, not the line breaks.
  const text = (await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, ' ');
  expect(text).toContain('Re: Zoë Ní Bhriain, born 19/09/1962, NHS number');
  expect(text).toContain(NHS.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3'));
  expect(text).toContain('Dr Amara Okafor');
  expect(text).toContain(`first 18 on ${formatUkDate(daysAgo(40))}`);
  expect(text).toContain(`last 6 on ${formatUkDate(daysAgo(20))}`);
  expect(text).toContain('first 15 on');
  expect(text).toContain('they have since moved below caseness (recovered)');
  expect(text).toContain('relapse-prevention blueprint');

  // "Sent" is the clinician's record: when and to whom.
  await page.getByLabel('Sent to, and how').fill('Dr Amara Okafor by NHSmail');
  await page.getByRole('button', { name: 'Record as sent' }).click();
  await expect(page.getByText(`Sent ${formatUkDate(todayIso())} to Dr Amara Okafor by NHSmail.`)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Letters' })).toContainText(`Sent ${formatUkDate(todayIso())}`);
  await checkScreen(page, '85-letters-sent');

  // A correction: a new version from the final letter's words, which replaces it once final itself.
  await page.getByRole('button', { name: 'Make a correction' }).click();
  await expect(page.getByRole('heading', { name: 'Discharge letter, version 2 (draft)' })).toBeVisible();
  const correction = page.getByRole('textbox', { name: 'Letter' });
  await correction.fill((await correction.inputValue()).replace('Lister clinic.', 'Lister clinic, or ask the practice nurse at the annual diabetes review.'));
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('button', { name: 'Finalise letter' }).click();
  await expect(page.getByRole('heading', { name: 'Discharge letter, version 2 (final)' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Letters' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('row', { name: /Discharge .* 1 Superseded/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /Discharge .* 2 Final, not sent/ })).toBeVisible();
  await checkScreen(page, '86-letters-correction-final');
});
