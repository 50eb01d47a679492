import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { formatUkDate, todayIso } from '../../shared/domain/dates';
import { checkScreen, expect, test } from './hostFixture';
import { daysAgo } from './support/steps';
import { call, setUp } from './support/teamJourney';

/**
 * Issue #10 stage 7 in Chromium: a HIT runs "Living well with diabetes" with a diabetes specialist nurse; a group
 * session records attendance and PHQ-9 for four members, each counting in the member's own episode. Then the
 * waiting clock with a patient-initiated pause (IDS108) and a referral to employment support.
 */
const MEMBERS = [
  [6101, 'Eleanor', 'Patel'],
  [6102, 'Tomasz', 'Nowak'],
  [6103, 'Grace', 'Okafor'],
  [6104, 'Samuel', 'Reid'],
] as const;
/** PHQ-9 then GAD-7 answers, typed one key each: a different total per member. */
const ANSWERS = [
  ['2', '2', '1', '2', '1', '1', '2', '1', '0', '2', '1', '1', '1', '1', '1', '1'],
  ['1', '1', '1', '1', '1', '1', '1', '1', '0', '1', '1', '1', '1', '1', '1', '1'],
  ['3', '3', '2', '2', '2', '2', '1', '1', '0', '3', '2', '2', '2', '2', '1', '1'],
  ['0', '1', '0', '1', '0', '1', '0', '1', '0', '0', '1', '0', '1', '0', '1', '0'],
];
const sum = (keys: readonly string[]) => keys.reduce((t, k) => t + Number(k), 0);

test('a group session records attendance and PHQ-9 for four members, each counting in their own episode', async ({ page, host }) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await setUp(page, 'Hana Hughes', 'High-intensity therapist (HIT)');
  const referrals: string[] = [];
  for (const [n, given, family] of MEMBERS) {
    const patient = await call<{ id: string }>(page, 'patients.create', { nhsNumber: validNhsNumber(n), givenName: given, familyName: family, dateOfBirth: '1962-03-04', gpPractice: 'Riverside Medical Centre' });
    const referral = await call<{ id: string }>(page, 'referrals.create', {
      patientId: patient.id, receivedDate: daysAgo(30), referrerRole: 'diabetes-specialist-nurse', ltcCodes: ['44054006'], reason: 'Low mood and worry about diabetes',
      riskKnown: false, consent: true, urgency: 'routine', pathway: 'integrated-ltc', team: 'Diabetes clinic', status: 'in-treatment',
    });
    referrals.push(referral.id);
  }

  // A new course: the condition suggests the title; a missing co-facilitator is said inline.
  await page.getByRole('button', { name: 'Groups', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Group courses' })).toBeVisible();
  await page.getByRole('button', { name: 'New group course' }).click();
  const dialog = page.getByRole('dialog', { name: 'New group course' });
  await expect(dialog.getByLabel('Course title')).toHaveValue('Living well with diabetes');
  await dialog.getByRole('button', { name: 'Create course' }).click();
  await expect(dialog.getByText('Is required').first()).toBeVisible();
  await dialog.getByLabel('Co-facilitator').fill('Priya Shah');
  await dialog.getByLabel('Their role').fill('Diabetes specialist nurse');
  await dialog.getByLabel('Where it meets').fill('Lister Hospital, education room');
  await dialog.getByLabel('First session').fill(formatUkDate(daysAgo(7)));
  await checkScreen(page, '95-group-new');
  await dialog.getByRole('button', { name: 'Create course' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Living well with diabetes' })).toBeVisible();
  await expect(page.getByText(/run with Priya Shah \(Diabetes specialist nurse\)/)).toBeVisible();

  // Four members from the caseload.
  for (const [, given, family] of MEMBERS) {
    await page.getByRole('button', { name: 'Add member' }).click();
    const add = page.getByRole('dialog', { name: /^Add a member/ });
    await add.getByRole('combobox', { name: 'Patient' }).fill(family);
    await page.getByRole('option', { name: new RegExp(`^${family.toUpperCase()}, ${given}`) }).click();
    await add.getByRole('button', { name: 'Add member' }).click();
    await expect(page.getByRole('table', { name: 'Members' }).getByRole('button', { name: `${given} ${family}` })).toBeVisible();
  }

  // The session: everyone attended, one arrived late but was seen.
  await page.getByRole('button', { name: 'Record a session' }).click();
  const record = page.getByRole('dialog', { name: /^Record session 1/ });
  await record.getByRole('combobox', { name: 'Attendance of Tomasz Nowak' }).click();
  await page.getByRole('option', { name: '6 · Arrived late but seen' }).click();
  await checkScreen(page, '96-group-record-session');
  await record.getByRole('button', { name: 'Save session' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(`^Session 1 · ${formatUkDate(todayIso())}`) })).toBeVisible();

  // PHQ-9 and GAD-7 for each member, by keyboard on their own session screen.
  for (const [i, [, given, family]] of MEMBERS.entries()) {
    await page.getByRole('button', { name: `Enter measures for ${given} ${family}, session 1` }).click();
    await expect(page.getByRole('heading', { level: 1, name: /^Session / })).toBeVisible();
    await expect(page.getByTestId('measure-entry')).toBeFocused();
    for (const key of ANSWERS[i]!) await page.keyboard.press(key);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('saved-phq9')).toContainText(`Total ${sum(ANSWERS[i]!.slice(0, 9))}`);
    await page.getByRole('button', { name: 'Groups', exact: true }).click();
    await page.getByRole('button', { name: 'Living well with diabetes' }).click();
  }
  for (const [i, referralId] of referrals.entries()) {
    await expect(page.getByTestId(`measures-1-${referralId}`)).toContainText(`PHQ-9 ${sum(ANSWERS[i]!.slice(0, 9))}`);
  }
  await checkScreen(page, '97-group-session-measures');

  // Each member's episode holds the group contact, and the outcome engine counts it.
  for (const [i, referralId] of referrals.entries()) {
    const detail = await call<{ contacts: { groupSessionId: string | null; attendance: number }[]; classification: { treatmentContacts: number; phq9: { first: { total: number } | null } } }>(page, 'referrals.get', { id: referralId });
    expect(detail.contacts.filter((c) => c.groupSessionId !== null).map((c) => c.attendance)).toEqual([i === 1 ? 6 : 5]);
    expect(detail.classification.treatmentContacts).toBe(1);
    expect(detail.classification.phq9.first?.total).toBe(sum(ANSWERS[i]!.slice(0, 9)));
  }
  await page.getByRole('button', { name: 'Grace Okafor', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Contacts' })).toContainText('Treatment (group)');
  await checkScreen(page, '98-group-member-episode');
});

test('the waiting clock shows a patient-initiated pause beside the wait, and a referral to employment support is kept with its dates', async ({ page, host }) => {
  await page.goto(host.url);
  await setUp(page, 'Pat Price', 'Psychological wellbeing practitioner (PWP)');
  const patient = await call<{ id: string }>(page, 'patients.create', { nhsNumber: validNhsNumber(6201), givenName: 'Wendy', familyName: 'Waite', dateOfBirth: '1970-05-06', gpPractice: 'Riverside Medical Centre' });
  await call(page, 'referrals.create', {
    patientId: patient.id, receivedDate: daysAgo(50), referrerRole: 'gp', ltcCodes: [], reason: 'Worry and low mood',
    riskKnown: false, consent: true, urgency: 'routine', pathway: 'core', team: 'Riverside PWP team', status: 'waiting-treatment',
  });
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Clinic Caseload' }).click();
  await page.getByRole('button', { name: 'WAITE, Wendy' }).click();
  await page.getByRole('button', { name: `Open the referral received ${formatUkDate(daysAgo(50))}` }).click();
  await expect(page.getByTestId('waiting-clock')).toContainText('Waiting 50 days (7 weeks 1 day)');

  // A pause the patient asked for: the end before the start is said inline; the wait itself does not change.
  await page.getByRole('button', { name: 'Pause at the patient’s request' }).click();
  const pause = page.getByRole('dialog', { name: /^Pause in waiting/ });
  await pause.getByLabel('From').fill(formatUkDate(daysAgo(20)));
  await pause.getByLabel('Until (optional)').fill(formatUkDate(daysAgo(25)));
  await pause.getByLabel('Reason').fill('Abroad for a family wedding');
  await pause.getByRole('button', { name: 'Save pause' }).click();
  await expect(pause.getByText('Must be after the start date')).toBeVisible();
  await pause.getByLabel('Until (optional)').fill(formatUkDate(daysAgo(6)));
  await pause.getByRole('button', { name: 'Save pause' }).click();
  await expect(page.getByTestId('paused-days')).toContainText('for 14 days of that wait');
  await expect(page.getByTestId('waiting-clock')).toContainText('Waiting 50 days');
  await expect(page.getByRole('table', { name: 'Waiting-time pauses' })).toContainText('Abroad for a family wedding');

  // Employment support, referred and then started.
  await page.getByRole('button', { name: 'Refer to employment support' }).click();
  const refer = page.getByRole('dialog', { name: 'Refer to employment support' });
  await refer.getByLabel('Referred to').fill('IPS employment adviser');
  await refer.getByLabel('Referred on').fill(formatUkDate(daysAgo(10)));
  await refer.getByRole('button', { name: 'Save referral' }).click();
  await page.getByRole('button', { name: 'Record dates of support from IPS employment adviser' }).click();
  const dates = page.getByRole('dialog', { name: 'Employment support from IPS employment adviser' });
  await dates.getByLabel('Support started').fill(formatUkDate(daysAgo(12)));
  await dates.getByRole('button', { name: 'Save dates' }).click();
  await expect(dates.getByText(/before the referral to support/)).toBeVisible();
  await dates.getByLabel('Support started').fill(formatUkDate(daysAgo(3)));
  await dates.getByRole('button', { name: 'Save dates' }).click();
  await expect(page.getByRole('table', { name: 'Employment support' })).toContainText(formatUkDate(daysAgo(3)));
  await checkScreen(page, '99-waiting-pause-employment');
});
