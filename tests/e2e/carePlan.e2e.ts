import type { Page } from '@playwright/test';
import { formatUkDate, todayIso } from '../../shared/domain/dates';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { checkScreen, expect, test } from './hostFixture';

/**
 * Issue #10 stage 4 in Chromium: a PWP writes the care plan (step 2, guided self-help), adds two goals in the
 * patient's words, rates them at two sessions by keyboard and sees them charted, then steps the patient up; the
 * new high-intensity referral shows source N1 and links back to the first, which has ended.
 */
const PASSPHRASE = 'low intensity clinic';

function daysAgo(n: number): string {
  const d = new Date(`${todayIso()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

async function choose(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('a PWP plans care, rates goals, and steps a patient up: the new HI referral shows source N1 linked to the first', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByLabel('Your name').fill('Sam Lowe');
  await choose(page, 'Your role', 'Psychological wellbeing practitioner (PWP)');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();
  await expect(page.getByRole('banner')).toContainText('Sam Lowe');

  // The referral and two attended sessions, through the same contract the screens use.
  const sessions = [daysAgo(21), daysAgo(7)];
  await page.evaluate(
    async ({ nhsNumber, received, sessions }) => {
      const api = (globalThis as unknown as { api: Record<string, (input: unknown) => Promise<{ ok: boolean; value: { id: string } }>> }).api;
      const patient = await api['patients.create']!({ nhsNumber, givenName: 'Aisha', familyName: 'Rahman', dateOfBirth: '1970-02-02', gpPractice: 'Oakfield Practice' });
      const referral = await api['referrals.create']!({
        patientId: patient.value.id,
        receivedDate: received,
        referrerRole: 'gp',
        ltcCodes: ['13645005'],
        reason: 'Low mood since COPD diagnosis',
        riskKnown: false,
        consent: true,
        urgency: 'routine',
        pathway: 'integrated-ltc',
        team: 'Oakfield PWP team',
        status: 'in-treatment',
      });
      for (const date of sessions) {
        await api['contacts.create']!({ referralId: referral.value.id, date, startTime: '10:00', durationMinutes: 30, type: 'treatment', mechanism: '02', location: 'Telephone', attendance: 5 });
      }
    },
    { nhsNumber: validNhsNumber(8282), received: daysAgo(40), sessions },
  );
  // Back to the caseload, which reads the store again.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Clinic Caseload' }).click();
  await page.getByRole('button', { name: 'RAHMAN, Aisha' }).click();
  await page.getByRole('button', { name: `Open the referral received ${formatUkDate(daysAgo(40))}` }).click();
  await page.getByRole('button', { name: 'Care plan' }).click();
  await expect(page.getByRole('heading', { name: 'Care plan' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Step up or down…' })).toBeDisabled();
  await expect(page.getByText('Save the care plan with a step to be able to step the patient up or down.')).toBeVisible();
  await checkScreen(page, '69-care-plan-new');

  // Step and intervention: the intervention list follows the step (ref §5.5, §5.7); a missing one is said inline.
  await choose(page, 'Step', 'Step 2 · low intensity');
  await page.getByRole('button', { name: 'Save care plan' }).click();
  await expect(page.getByText('Must be a therapy type from the list')).toBeVisible();
  await page.getByRole('combobox', { name: 'Intervention (therapy type)' }).click();
  await expect(page.getByRole('option', { name: 'Cognitive behavioural therapy (CBT)' })).toHaveCount(0);
  await page.getByRole('option', { name: 'Guided self-help (book)', exact: true }).click();
  await page.getByRole('button', { name: 'Save care plan' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Care plan saved.' })).toBeVisible();

  // Goals in the patient's words.
  const goal = page.getByLabel("New goal, in the patient's words");
  await page.getByRole('button', { name: 'Add goal' }).click();
  await expect(page.getByText('Is required')).toBeVisible();
  await goal.fill('Walk to the shops without stopping');
  await page.getByRole('button', { name: 'Add goal' }).click();
  await expect(goal).toHaveValue('');
  await goal.fill('Sleep through the night');
  await goal.press('Enter');
  await expect(page.getByLabel(/^Goal 2: Sleep through the night/)).toBeVisible();

  // Ratings at each session, by keyboard alone: a date, Tab, a digit, Tab, a digit, Enter.
  const date = page.getByRole('textbox', { name: 'Date' });
  const rate = async (on: string, first: string, second: string) => {
    await date.fill(formatUkDate(on));
    await date.press('Tab');
    await page.keyboard.type(first);
    await page.keyboard.press('Tab');
    await page.keyboard.type(second);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'Ratings saved.' })).toBeVisible();
  };
  // The first ratings from the session record: the care plan opens with that session's date.
  await page.getByRole('button', { name: '← Referral' }).click();
  await page.getByRole('button', { name: `Open session on ${formatUkDate(sessions[0]!)} at 10:00` }).click();
  await page.getByRole('button', { name: 'Care plan: rate the goals at this session' }).click();
  await expect(date).toHaveValue(formatUkDate(sessions[0]!));
  await expect(page.getByText(`Recorded with the session on ${formatUkDate(sessions[0]!)}.`)).toBeVisible();
  await date.press('Tab');
  await page.keyboard.type('11');
  await page.keyboard.press('Enter');
  await expect(page.getByText(/Must be a whole number from 0 to 10/)).toBeVisible();
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('2');
  await page.keyboard.press('Tab');
  await page.keyboard.type('3');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Ratings saved.' })).toBeVisible();
  await rate(sessions[1]!, '5', '6');
  const table = page.getByRole('table', { name: 'Goal ratings by session' });
  await expect(table.getByRole('row', { name: /Walk to the shops/ })).toContainText('25');
  await expect(table.getByRole('row', { name: /Sleep through the night/ })).toContainText('36');
  await expect(page.locator('.recharts-line')).toHaveCount(2);
  await checkScreen(page, '70-care-plan-goals');

  // Step up: what will happen is said before it happens.
  await page.getByRole('button', { name: 'Step up or down…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Step up or down' });
  await dialog.getByRole('button', { name: 'Step up' }).click();
  await expect(dialog.getByText('Is required')).toBeVisible();
  await dialog.getByLabel('Reason').fill('PHQ-9 unchanged after guided self-help; needs CBT for depression with COPD');
  const preview = dialog.getByTestId('step-change-preview');
  await expect(preview).toContainText('end code 46 (Mutually agreed completion of treatment)');
  await expect(preview).toContainText('step 3, source N1 (Stepped up from low intensity)');
  await checkScreen(page, '71-care-plan-step-up');
  await dialog.getByRole('button', { name: 'Step up' }).click();

  // The new high-intensity referral: source N1, step 3, linked to the first.
  await expect(page.getByRole('heading', { name: `Referral received ${formatUkDate(todayIso())}` })).toBeVisible();
  await expect(page.getByText(/source N1/)).toBeVisible();
  await expect(page.getByTestId('previous-referral')).toContainText('Stepped up from the previous referral');
  await checkScreen(page, '72-stepped-up-referral');

  await page.getByRole('button', { name: 'Care plan' }).click();
  await expect(page.getByTestId('stepped-from')).toContainText(`Stepped up from step 2: referral received ${formatUkDate(daysAgo(40))}, ended ${formatUkDate(todayIso())} (end code 46)`);
  await expect(page.getByText(/step 3 · intervention not recorded/)).toBeVisible();
  await checkScreen(page, '73-hi-care-plan-linked');

  // The first referral has ended, its plan kept as it was, and points to the new one.
  await page.getByRole('button', { name: `referral received ${formatUkDate(daysAgo(40))}` }).click();
  await expect(page.getByText('Discharged', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Care plan' }).click();
  await expect(page.getByTestId('stepped-to')).toContainText('new referral, source N1');
  await expect(page.getByText('This referral has ended; its care plan is kept as it was.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add goal' })).toHaveCount(0);
  await checkScreen(page, '74-ended-care-plan');
});
