import type { Page } from '@playwright/test';
import { formatUkDate, todayIso } from '../../shared/domain/dates';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { checkScreen, expect, test } from './hostFixture';

/**
 * Locked patient mode (issue #10 item 5) in Chromium against the real host: handed over from the session record,
 * only the questions are shown, nothing else can be reached (by the page or by calling the contract), a reload
 * comes back to the same question, and only the clinician's passphrase — throttled as unlock is — leaves it,
 * with the answers in the session as patient-completed.
 */
const PASSPHRASE = 'clinic room passphrase';

async function setUp(page: Page) {
  await page.getByLabel('Your name').fill('Priya Shah');
  await page.getByRole('combobox', { name: 'Your role' }).click();
  await page.getByRole('option', { name: 'High-intensity therapist (HIT)' }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();
  await expect(page.getByRole('heading', { name: 'Caseload' })).toBeVisible();
}

/** The page's own contract client (`window.api`): what a page that tried to do more would call. */
function callFromPage(page: Page, method: string, input: unknown) {
  return page.evaluate(([m, i]) => (globalThis as unknown as { api: Record<string, (x: unknown) => Promise<unknown>> }).api[m as string]!(i), [method, input] as const);
}

async function seedSession(page: Page) {
  const value = async (method: string, input: unknown) => {
    const r = (await callFromPage(page, method, input)) as { ok: boolean; value: { id: string } };
    expect(r.ok, method).toBe(true);
    return r.value;
  };
  const patient = await value('patients.create', { nhsNumber: validNhsNumber(5101), givenName: 'Eleanor', familyName: 'Patel', dateOfBirth: '1958-03-07', gpPractice: 'Riverside Medical Centre' });
  const referral = await value('referrals.create', {
    patientId: patient.id,
    receivedDate: '2026-01-05',
    referrerRole: 'diabetes-specialist-nurse',
    ltcCodes: ['44054006'],
    reason: 'Low mood and worry since diagnosis',
    riskKnown: false,
    consent: true,
    urgency: 'routine',
    pathway: 'integrated-ltc',
    team: 'Diabetes clinic, Watford General',
    status: 'in-treatment',
  });
  await value('contacts.create', { referralId: referral.id, date: todayIso(), startTime: '10:00', durationMinutes: 50, type: 'treatment', mechanism: '01', location: 'Diabetes outpatient clinic', attendance: 5 });
  return referral.id;
}

test('locked patient mode: only the questions, nothing else reachable, left only with the passphrase, answers in the session', async ({ page, host }) => {
  await page.goto(host.url);
  await setUp(page);
  const referralId = await seedSession(page);

  // To the session record through the screens, as the clinician would.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Clinic Caseload' }).click();
  await page.getByRole('button', { name: 'PATEL, Eleanor' }).click();
  await page.getByRole('button', { name: `Open the referral received ${formatUkDate('2026-01-05')}` }).click();
  await page.getByRole('button', { name: `Open session on ${formatUkDate(todayIso())} at 10:00` }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Session / })).toBeVisible();

  await page.getByRole('button', { name: 'Hand to patient…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Hand to the patient' });
  // The measures due come ticked; screens and score-entry shells are never offered.
  await expect(dialog.getByRole('checkbox', { name: 'PHQ-9 (depression) (due)' })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: 'GAD-7 (anxiety) (due)' })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: /PHQ-4|PDSS|HbA1c/ })).toHaveCount(0);
  for (const name of [/PHQ-9/, /GAD-7/, /WSAS/, /Phobia/]) await dialog.getByRole('checkbox', { name }).uncheck();
  await dialog.getByRole('button', { name: 'Hand over' }).click();
  await expect(dialog.getByText('Choose at least one questionnaire')).toBeVisible(); // nothing starts
  await dialog.getByRole('checkbox', { name: /PHQ-9/ }).check();
  await dialog.getByRole('checkbox', { name: /GAD-7/ }).check();
  await checkScreen(page, '60-patient-mode-hand-over');
  await dialog.getByRole('button', { name: 'Hand over' }).click();

  // Only the question: no app header, no lock or settings, no name, no record.
  await expect(page.getByRole('heading', { level: 1, name: 'Question 1 of 9' })).toBeVisible();
  await expect(page.getByText('PHQ-9 (depression) · questionnaire 1 of 2')).toBeVisible();
  for (const gone of ['Patel', 'Eleanor', 'Clinic Caseload', 'Riverside', 'Priya Shah']) await expect(page.getByText(gone)).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Settings|Lock|Backups|Episode/ })).toHaveCount(0);
  await checkScreen(page, '61-patient-mode-question');

  // Keyboard alone: a digit picks (shown selected), Enter moves on, Backspace goes back.
  await page.keyboard.press('2');
  await expect(page.getByRole('radio', { name: /More than half the days/ })).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Question 2 of 9' })).toBeVisible();
  // A key pressed while the answer is still being saved is ignored on purpose, so go back once that has settled.
  await expect(async () => {
    await page.keyboard.press('Backspace');
    await expect(page.getByRole('heading', { level: 1, name: 'Question 1 of 9' })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  await expect(page.getByRole('radio', { name: /More than half the days/ })).toBeChecked();
  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Question 2 of 9' })).toBeVisible();
  await page.keyboard.press('Enter'); // no answer chosen: it says so and stays
  await expect(page.getByRole('alert')).toHaveText('Choose an answer first.');
  await expect(page.getByRole('heading', { level: 1, name: 'Question 2 of 9' })).toBeVisible();

  // The services refuse everything else the page might try, and a reload comes back to the same question.
  for (const [method, input] of [['patients.list', {}], ['referrals.get', { id: referralId }], ['caseload.list', {}], ['backup.create', {}], ['session.activity', {}]] as const) {
    expect(await callFromPage(page, method, input), method).toMatchObject({ ok: false, error: { code: 'PATIENT_MODE' } });
  }
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Question 2 of 9' })).toBeVisible();
  await expect(page.getByText('Patel')).toHaveCount(0);

  for (let i = 2; i <= 9; i++) {
    await expect(page.getByRole('heading', { level: 1, name: `Question ${i} of 9` })).toBeVisible();
    await page.keyboard.press('1'); // item 9 too: a risk alert the clinician is told of at once
    await page.keyboard.press('Enter');
  }
  await expect(page.getByText('GAD-7 (anxiety) · questionnaire 2 of 2')).toBeVisible();
  await checkScreen(page, '62-patient-mode-second-questionnaire');
  for (let i = 1; i <= 7; i++) {
    await expect(page.getByRole('heading', { level: 1, name: `Question ${i} of 7` })).toBeVisible();
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
  }
  await expect(page.getByRole('heading', { level: 1, name: 'Thank you' })).toBeVisible();
  await checkScreen(page, '63-patient-mode-finished');

  // A wrong passphrase is refused and throttled (the host's unlock delay is 300 ms, doubling).
  await page.getByLabel('Clinician’s passphrase').fill('not the passphrase');
  await page.getByRole('button', { name: 'End and return to the record' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'That passphrase is not right' })).toBeVisible();
  await checkScreen(page, '64-patient-mode-wrong-passphrase');
  expect(await callFromPage(page, 'patientMode.exit', { passphrase: 'still not it' })).toMatchObject({ ok: false, error: { code: expect.stringMatching(/WRONG_PASSPHRASE|RETRY_AFTER/) } });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Thank you' })).toBeVisible();

  await page.waitForTimeout(1300); // past the doubled delay
  await page.getByLabel('Clinician’s passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'End and return to the record' }).click();

  // Back on the session record (the reload forgot where it was, so from the caseload), answers saved as the patient's.
  await expect(page.getByText(/Patient questionnaires ended: 2 saved to this session as patient-completed/)).toBeVisible();
  await expect(page.getByText(/wrong passphrase attempts? since/)).toBeVisible();
  await expect(page.getByText(/^Risk alert: the patient's PHQ-9 item 9/)).toBeVisible();
  await checkScreen(page, '65a-patient-mode-ended-notices');
  await page.getByRole('button', { name: 'PATEL, Eleanor' }).click();
  await page.getByRole('button', { name: `Open the referral received ${formatUkDate('2026-01-05')}` }).click();
  await page.getByRole('button', { name: `Open session on ${formatUkDate(todayIso())} at 10:00` }).click();
  await expect(page.getByTestId('saved-phq9')).toContainText('Total 9');
  await expect(page.getByRole('alert').filter({ hasText: 'Risk alert' })).toBeVisible();
  await expect(page.getByTestId('saved-gad7')).toContainText('Total 14');
  const detail = (await callFromPage(page, 'referrals.get', { id: referralId })) as { ok: true; value: { measures: { instrumentId: string; completedBy: string }[] } };
  expect(detail.value.measures.map((m) => [m.instrumentId, m.completedBy])).toEqual([
    ['phq9', 'patient'],
    ['gad7', 'patient'],
  ]);
  await checkScreen(page, '65-patient-mode-answers-in-session');
});

test('the clinician can end the mode mid-questionnaire; a lock during the mode ends it and unlocking returns to the session', async ({ page, host }) => {
  await page.goto(host.url);
  await setUp(page);
  await seedSession(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Clinic Caseload' }).click();
  await page.getByRole('button', { name: 'PATEL, Eleanor' }).click();
  await page.getByRole('button', { name: `Open the referral received ${formatUkDate('2026-01-05')}` }).click();
  await page.getByRole('button', { name: `Open session on ${formatUkDate(todayIso())} at 10:00` }).click();

  await page.getByRole('button', { name: 'Hand to patient…' }).click();
  await page.getByRole('dialog', { name: 'Hand to the patient' }).getByRole('button', { name: 'Hand over' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Question 1 of 9' })).toBeVisible();
  await page.keyboard.press('3');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Clinician: end questionnaires' }).click();
  await expect(page.getByRole('heading', { name: 'For the clinician' })).toBeVisible();
  await checkScreen(page, '66-patient-mode-clinician-end');
  await page.getByRole('button', { name: 'Back to the questions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Question 2 of 9' })).toBeVisible();

  // Locking (as the idle lock or a screen lock would) ends the mode; the page shows the unlock screen, never the record.
  expect(await callFromPage(page, 'session.lock', {})).toMatchObject({ ok: true, value: { state: 'locked' } });
  await expect(page.getByRole('heading', { name: 'Unlock your caseload' })).toBeVisible({ timeout: 15_000 });
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Session / })).toBeVisible();
  await expect(page.getByTestId('saved-phq9')).toHaveCount(0); // the unfinished PHQ-9 was never written
  await expect(page.getByRole('button', { name: 'Hand to patient…' })).toBeVisible();
});
