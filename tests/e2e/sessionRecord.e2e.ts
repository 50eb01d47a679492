import type { Page } from '@playwright/test';
import { formatUkDate, todayIso } from '../../shared/domain/dates';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { checkScreen, expect, test } from './hostFixture';

/**
 * The session record (issue #8 stage 2) in Chromium against the real host: referral, triage and assessment,
 * a session with PHQ-9 and GAD-7 typed by keyboard alone, the item-9 gate and a signed note.
 */
const PASSPHRASE = 'clinic room passphrase';

async function setUp(page: Page, role: string) {
  await page.getByLabel('Your name').fill('Priya Shah');
  await page.getByRole('combobox', { name: 'Your role' }).click();
  await page.getByRole('option', { name: role }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();
  await expect(page.getByRole('heading', { name: 'Caseload' })).toBeVisible();
}

async function addPatient(page: Page, n: number, given: string, family: string) {
  await page.getByRole('button', { name: 'Add patient' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add patient' });
  await dialog.getByLabel('NHS number').fill(validNhsNumber(n));
  await dialog.getByLabel('Given name').fill(given);
  await dialog.getByLabel('Family name').fill(family);
  await dialog.getByLabel('Date of birth').fill('07/03/1958');
  await dialog.getByLabel('GP practice').fill('Riverside Medical Centre');
  await dialog.getByRole('button', { name: 'Add to caseload' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: `${family.toUpperCase()}, ${given}` }).click();
  await expect(page.getByRole('heading', { name: 'Patient' })).toBeVisible();
}

async function choose(page: Page, scope: ReturnType<Page['getByRole']> | Page, label: string, option: string) {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function refer(page: Page, referrer: string, ltc: string | null, pathway: string, screenshot?: string) {
  await page.getByRole('button', { name: 'New referral' }).click();
  const dialog = page.getByRole('dialog', { name: 'New referral' });
  // Inline validation from the contract's schema, before anything is saved.
  await dialog.getByRole('button', { name: 'Save referral' }).click();
  await expect(dialog.getByText('Must be one of the referrer types')).toBeVisible();
  await expect(dialog.getByText('Is required').first()).toBeVisible();
  if (screenshot) await checkScreen(page, `${screenshot}-referral-errors`);
  await choose(page, dialog, 'Referred by', referrer);
  await dialog.getByLabel("Referrer's name").fill('Sister Adaeze Obi');
  await dialog.getByRole('textbox', { name: 'Team' }).fill('Diabetes clinic, Watford General');
  if (ltc) {
    await dialog.getByRole('combobox', { name: 'Long-term conditions' }).click();
    await page.getByRole('option', { name: ltc }).click();
    await dialog.getByRole('combobox', { name: 'Long-term conditions' }).press('Escape');
  }
  await dialog.getByLabel('Reason for referral').fill('Low mood and worry since diagnosis; struggling with insulin routine.');
  await choose(page, dialog, 'Pathway', pathway);
  await dialog.getByLabel('The patient consents to this referral').check();
  if (screenshot) await checkScreen(page, `${screenshot}-referral-form`);
  await dialog.getByRole('button', { name: 'Save referral' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Awaiting single point of access').first()).toBeVisible();
}

async function assess(page: Page, descriptor: string, step: string) {
  await choose(page, page, 'Status', 'In treatment');
  await choose(page, page, 'Problem descriptor', descriptor);
  await choose(page, page, 'Step', step);
  await choose(page, page, 'Opted in', 'Yes');
  await page.getByRole('button', { name: 'Save triage and assessment' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
}

async function recordContact(page: Page, attendance: string, type = 'Treatment') {
  await page.getByRole('button', { name: 'Record a contact' }).click();
  const dialog = page.getByRole('dialog', { name: 'Record a contact' });
  await expect(dialog.getByLabel('Date')).toHaveValue(formatUkDate(todayIso()));
  await choose(page, dialog, 'Type', type);
  await choose(page, dialog, 'Attendance', attendance);
  await dialog.getByRole('button', { name: 'Save contact' }).click();
  await expect(dialog).toBeHidden();
}

test('HIT in a diabetes clinic: refer, triage and assess, then a session by keyboard alone with a signed note', async ({ page, host }) => {
  await page.goto(host.url);
  await setUp(page, 'High-intensity therapist (HIT)');
  await addPatient(page, 4101, 'Eleanor', 'Patel');
  await checkScreen(page, '20-patient-no-referrals');
  await refer(page, 'Diabetes specialist nurse', 'Diabetes type 2', 'Integrated LTC', '21');
  await expect(page.getByText('source H2')).toBeVisible();
  await assess(page, 'F41.1 Generalised anxiety disorder', 'Step 3');
  await expect(page.getByText('Anxiety measure for outcomes: GAD-7')).toBeVisible();
  await checkScreen(page, '22-episode-assessed');

  await recordContact(page, 'Attended on time (5)', 'Assessment and treatment');
  await expect(page.getByRole('heading', { level: 1, name: /^Session / })).toBeVisible();
  await expect(page.getByText('Every session (ref §1).')).toBeVisible();
  await expect(page.getByText(/Integrated LTC pathway with diabetes, assessment/).first()).toBeVisible();

  // Keyboard alone: the entry has focus; 16 keys answer PHQ-9 and GAD-7, Enter saves.
  const entry = page.getByTestId('measure-entry');
  await expect(entry).toBeFocused();
  const phq9 = page.getByTestId('result-phq9');
  const gad7 = page.getByTestId('result-gad7');
  for (const key of ['2', '2', '1', '2', '1', '1', '2', '1']) await page.keyboard.press(key);
  await expect(phq9).toHaveText('8 of 9 answered.');
  await page.keyboard.press('3');
  await expect(phq9).toHaveText('Total 15 · moderately severe · at caseness.');
  await page.keyboard.press('Backspace'); // back to item 9, cleared
  await expect(phq9).toHaveText('8 of 9 answered.');
  await page.keyboard.press('0');
  await expect(phq9).toHaveText('Total 12 · moderate · at caseness.');
  for (const key of ['3', '2', '2', '1', '1', '1', '2']) await page.keyboard.press(key);
  await expect(gad7).toHaveText('Total 12 · moderate · at caseness.');
  await checkScreen(page, '23-session-entry');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('saved-phq9')).toContainText('Total 12');
  await expect(page.getByTestId('saved-gad7')).toContainText('Total 12');

  // LTC measures at assessment: HbA1c typed as a % is stored in mmol/mol; employment hours go in their own field.
  await page.getByLabel('HbA1c (mmol/mol)', { exact: true }).fill('7.5%');
  await page.getByLabel('Employment status and benefits (IDS004) item 2: Hours worked per week').fill('30');
  await page.getByRole('button', { name: 'Save measures' }).click();
  await expect(page.getByTestId('saved-hba1c')).toContainText('Total 58');
  await checkScreen(page, '23b-session-ltc-measures');

  await page.getByLabel('Note').fill('Assessment and first session. Psychoeducation on worry and diabetes self-care.');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByText('Draft, version 1')).toBeVisible();
  await page.getByRole('button', { name: 'Sign note' }).click();
  await expect(page.getByText(/^Signed /)).toBeVisible();
  await expect(page.getByLabel('Note')).toHaveCount(0); // a signed note cannot be edited
  await page.getByLabel('Addendum').fill('Letter to DSN sent.');
  await page.getByRole('button', { name: 'Add addendum' }).click();
  await expect(page.getByText('Letter to DSN sent.')).toBeVisible();
  await checkScreen(page, '24-session-signed');
});

test('PWP with panic: PDSS proposed, a DNA prompts a follow-up, and item 9 blocks signing until a risk review', async ({ page, host }) => {
  await page.goto(host.url);
  await setUp(page, 'Psychological wellbeing practitioner (PWP)');
  await addPatient(page, 4102, 'Tomasz', 'Nowak');
  await refer(page, 'GP', null, 'Core');
  await expect(page.getByText('source A1')).toBeVisible();
  await assess(page, 'F41.0 Panic disorder', 'Step 2');
  await expect(page.getByText('Anxiety measure for outcomes: Panic Disorder Severity Scale')).toBeVisible();

  await recordContact(page, 'Did not attend (no warning) (3)');
  await expect(page.getByText('Follow-up needed')).toBeVisible();
  await expect(page.getByText(/Did not attend on .*: contact the patient/)).toBeVisible();
  await checkScreen(page, '25-episode-dna-follow-up');

  await recordContact(page, 'Attended on time (5)');
  await expect(page.getByText(/the anxiety disorder specific measure for F41.0/)).toBeVisible();
  await expect(page.getByRole('heading', { name: /Panic Disorder Severity Scale/ })).toBeVisible();
  await expect(page.getByTestId('measure-entry')).toBeFocused();
  for (const key of ['1', '1', '2', '1', '1', '1', '0', '1', '1']) await page.keyboard.press(key); // item 9 = 1
  await expect(page.getByRole('alert').filter({ hasText: 'Risk alert' })).toContainText('item 9 answered 1');
  for (const key of ['2', '2', '1', '1', '1', '1', '1']) await page.keyboard.press(key);
  await page.getByLabel('Panic Disorder Severity Scale (PDSS, self-report) total').fill('14');
  await page.getByLabel('Panic Disorder Severity Scale (PDSS, self-report) total').press('Enter');
  await page.getByRole('button', { name: 'Save measures' }).click();
  await expect(page.getByTestId('saved-pdss')).toContainText('Total 14');

  await page.getByLabel('Note').fill('Panic cycle formulation; item 9 discussed.');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByText('Draft, version 1')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign note' })).toBeDisabled();
  await expect(page.getByText('Signing is blocked: a risk alert has no risk review yet.')).toBeVisible();
  await checkScreen(page, '26-session-risk-alert');

  await page.getByRole('button', { name: 'Record risk review' }).click();
  const review = page.getByRole('dialog', { name: /Risk review/ });
  await review.getByRole('button', { name: 'Save risk review' }).click();
  await expect(review.getByText('Must be low, moderate or high')).toBeVisible();
  await review.getByLabel('Protective factors').fill('Partner at home; looking forward to daughter’s wedding');
  await review.getByRole('radio', { name: 'Low' }).check();
  await review.getByLabel('Risk plan').fill('Safety plan agreed; crisis line numbers given; GP informed.');
  await review.getByLabel('Next review').fill(formatUkDate(todayIso()));
  await checkScreen(page, '27-risk-review');
  await review.getByRole('button', { name: 'Save risk review' }).click();
  await expect(review).toBeHidden();
  await expect(page.getByRole('alert').filter({ hasText: 'Risk alert' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign note' }).click();
  await expect(page.getByText(/^Signed /)).toBeVisible();
});
