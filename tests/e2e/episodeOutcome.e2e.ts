import type { Page } from '@playwright/test';
import { formatUkDate, todayIso } from '../../shared/domain/dates';
import { classifyEpisode } from '../../shared/outcomes';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { checkScreen, expect, test } from './hostFixture';

/**
 * Issue #8's HIT journey in Chromium: a DDS2 screen in the diabetes clinic offers the referral, triage to the
 * integrated pathway and assessment (F41.1, step 3), six sessions of PHQ-9 and GAD-7 typed by keyboard alone, a
 * discharge with the outcome shown before confirming, and the patient view's classification agreeing with
 * `classifyEpisode` on the stored data.
 */
const PASSPHRASE = 'clinic room passphrase';
const COURSE = [
  { phq9: 18, gad7: 15 },
  { phq9: 16, gad7: 13 },
  { phq9: 13, gad7: 11 },
  { phq9: 10, gad7: 9 },
  { phq9: 8, gad7: 7 },
  { phq9: 6, gad7: 5 },
];

function daysAgo(n: number): string {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return todayIso(d);
}

/** One key per item, filling from item 1 at up to 3 each: the keys a clinician would press for this total. */
function keysFor(total: number, items: number): string[] {
  const keys: string[] = [];
  let left = total;
  for (let i = 0; i < items; i++) {
    const v = Math.min(3, left);
    keys.push(String(v));
    left -= v;
  }
  return keys;
}

async function choose(page: Page, scope: Page | ReturnType<Page['getByRole']>, label: string, option: string) {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('HIT in a diabetes clinic: DDS2 screen → referral → integrated pathway → F41.1 step 3 → six sessions by keyboard → discharge; the patient view says recovered and reliably improved', async ({ page, host }) => {
  test.setTimeout(240_000);
  await page.goto(host.url);
  await page.getByLabel('Your name').fill('Priya Shah');
  await choose(page, page, 'Your role', 'High-intensity therapist (HIT)');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();

  await page.getByRole('button', { name: 'Add patient' }).click();
  const add = page.getByRole('dialog', { name: 'Add patient' });
  await add.getByLabel('NHS number').fill(validNhsNumber(5150));
  await add.getByLabel('Given name').fill('Margaret');
  await add.getByLabel('Family name').fill('Ní Bhriain');
  await add.getByLabel('Date of birth').fill('19/09/1962');
  await add.getByLabel('GP practice').fill('Oakfield Practice');
  await add.getByRole('button', { name: 'Add to caseload' }).click();
  await page.getByRole('button', { name: 'NÍ BHRIAIN, Margaret' }).click();

  // In the diabetes clinic: the DDS2 screen, positive, offers the referral prefilled from it.
  const received = daysAgo(70);
  await page.getByRole('button', { name: 'Screen' }).click();
  const screening = page.getByRole('dialog', { name: 'Screen' });
  await screening.getByText('DDS2 (diabetes)', { exact: true }).click();
  await screening.getByTestId('measure-entry').focus();
  for (const k of ['4', '3']) await page.keyboard.press(k);
  await expect(screening.getByTestId('result-dds2')).toContainText('moderate distress or more');
  await screening.getByRole('button', { name: 'Save and offer referral' }).click();
  const refer = page.getByRole('dialog', { name: 'New referral' });
  await expect(refer.getByLabel('Reason for referral')).toHaveValue(/DDS2/);
  await refer.getByLabel('Received').fill(formatUkDate(received));
  await choose(page, refer, 'Referred by', 'Diabetes specialist nurse');
  await refer.getByRole('textbox', { name: 'Team' }).fill('Diabetes clinic, Watford General');
  await choose(page, refer, 'Pathway', 'Integrated LTC');
  await refer.getByLabel('The patient consents to this referral').check();
  await refer.getByRole('button', { name: 'Save referral' }).click();
  await expect(refer).toBeHidden();
  // Triage to the integrated pathway, then assessment: F41.1, step 3.
  await choose(page, page, 'Pathway', 'Integrated LTC');
  await choose(page, page, 'Status', 'In treatment');
  await choose(page, page, 'Problem descriptor', 'F41.1 Generalised anxiety disorder');
  await choose(page, page, 'Step', 'Step 3');
  await page.getByRole('button', { name: 'Save triage and assessment' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();

  const dates: string[] = [];
  for (const [i, s] of COURSE.entries()) {
    const date = daysAgo(56 - i * 7);
    dates.push(date);
    await page.getByRole('button', { name: 'Record a contact' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record a contact' });
    await dialog.getByLabel('Date').fill(formatUkDate(date));
    await choose(page, dialog, 'Type', 'Treatment');
    await dialog.getByRole('button', { name: 'Save contact' }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Session ${formatUkDate(date)}`, exact: false })).toBeVisible();
    await expect(page.getByTestId('measure-entry')).toBeFocused();
    for (const key of [...keysFor(s.phq9, 9), ...keysFor(s.gad7, 7)]) await page.keyboard.press(key);
    await expect(page.getByTestId('result-gad7')).toContainText(`Total ${s.gad7}`);
    if (i > 0) await expect(page.getByTestId('result-phq9')).toContainText(`since the first score (${COURSE[0]!.phq9})`);
    if (i === 5) await checkScreen(page, '30-sixth-session-entry');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('saved-gad7')).toContainText(`Total ${s.gad7}`);
    await page.getByRole('button', { name: '← Episode' }).click();
  }
  await expect(page.getByTestId('outcome-words')).toContainText('Recovered so far');
  await checkScreen(page, '31-episode-before-discharge');

  await page.getByRole('button', { name: 'Discharge' }).click();
  const discharge = page.getByRole('dialog', { name: 'Discharge' });
  await discharge.getByLabel('Discharge date').fill(formatUkDate(daysAgo(40)));
  await choose(page, discharge, 'End code', '46 Mutually agreed completion of treatment');
  await expect(discharge.getByText(/before the last contact/i)).toBeVisible();
  await expect(discharge.getByRole('button', { name: 'Confirm discharge' })).toBeDisabled();
  const dischargeDate = todayIso();
  await discharge.getByLabel('Discharge date').fill(formatUkDate(dischargeDate));
  await expect(discharge.getByTestId('discharge-preview')).toContainText('Recovered');
  await expect(discharge.getByTestId('discharge-preview')).toContainText('Reliably improved');
  await checkScreen(page, '32-discharge-preview');
  await discharge.getByRole('button', { name: 'Confirm discharge' }).click();
  await expect(discharge).toBeHidden();
  await expect(page.getByText('3-month follow-up', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: '← Patient' }).click();
  const words = page.getByTestId('outcome-words');
  const expected = classifyEpisode({
    referralReceived: received,
    problemDescriptor: 'F41.1',
    pathway: 'integrated-ltc',
    contacts: dates.map((date, i) => ({ id: `c${i}`, date, type: 'treatment', attendance: 5 })),
    measures: COURSE.flatMap((s, i) => [
      { date: dates[i]!, instrumentId: 'phq9', total: s.phq9, contactId: `c${i}` },
      { date: dates[i]!, instrumentId: 'gad7', total: s.gad7, contactId: `c${i}` },
    ]),
    dischargeDate,
    endCode: '46',
  });
  expect(expected).toMatchObject({ recovered: true, reliablyImproved: true, finishedCourse: true });
  await expect(words).toContainText('Recovered');
  await expect(words).toContainText('Reliably improved');
  await expect(words).toContainText('Finished a course of treatment');
  await expect(words).toContainText(`${expected.waitDays} days to first treatment`);
  await expect(page.getByText(expected.reasons.recovered.replace(/(\d{4})-(\d{2})-(\d{2})/g, '$3/$2/$1'))).toBeVisible();
  await expect(page.getByRole('table', { name: 'Timeline' })).toContainText('Discharged');
  await checkScreen(page, '33-patient-view-discharged');
});
