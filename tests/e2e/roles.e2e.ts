import type { Page } from '@playwright/test';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { checkScreen, expect, test } from './hostFixture';

/**
 * Issue #10 stage 1 in Chromium: on one shared clinic laptop, an admin adds a booking clerk to the team
 * directory; the clerk, with their own encrypted store on the same host, sees no notes UI and is refused a note
 * by the services when calling the contract directly; switching back to the clinician shows her caseload.
 */
const CLINICIAN = 'clinic room passphrase';
const ADMIN = 'admin office passphrase';
const CLERK = 'front desk passphrase';

async function choose(page: Page, scope: Page | ReturnType<Page['getByRole']>, label: string, option: string) {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function setUp(page: Page, name: string, role: string, passphrase: string) {
  await page.getByLabel('Your name').fill(name);
  await choose(page, page, 'Your role', role);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Passphrase again').fill(passphrase);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();
}

async function addPersonToLaptop(page: Page) {
  await page.getByRole('button', { name: 'Switch user' }).click();
  await page.getByRole('button', { name: 'Add another person to this laptop…' }).click();
  await expect(page.getByRole('heading', { name: 'Add a person to this laptop' })).toBeVisible();
}

test('an admin adds a booking clerk; the clerk is refused a note in the UI and by the contract; switching back shows the clinician’s caseload', async ({ page, host }) => {
  // The clinician's caseload, with one patient.
  await page.goto(host.url);
  await setUp(page, 'Priya Shah', 'High-intensity therapist (HIT)', CLINICIAN);
  await page.getByRole('button', { name: 'Add patient' }).click();
  const add = page.getByRole('dialog', { name: 'Add patient' });
  await add.getByLabel('NHS number').fill(validNhsNumber(7171));
  await add.getByLabel('Given name').fill('Aisha');
  await add.getByLabel('Family name').fill('Rahman');
  await add.getByLabel('Date of birth').fill('02/02/1970');
  await add.getByLabel('GP practice').fill('Oakfield Practice');
  await add.getByRole('button', { name: 'Add to caseload' }).click();
  await expect(page.getByRole('button', { name: 'RAHMAN, Aisha' })).toBeVisible();

  // The admin gets their own store on this laptop and keeps the team directory.
  await addPersonToLaptop(page);
  await expect(page.getByRole('radiogroup', { name: 'Who is using this laptop?' })).toContainText('Priya Shah');
  await checkScreen(page, '60-roles-add-person-to-laptop');
  await setUp(page, 'Ari Admin', 'Administrator', ADMIN);
  await expect(page.getByRole('heading', { name: 'Team directory' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Ari Admin · Administrator');
  await expect(page.getByRole('button', { name: 'Add patient' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Add a person' }).click();
  const person = page.getByRole('dialog', { name: 'Add a person to the team' });
  await person.getByRole('button', { name: 'Add to the team' }).click();
  await expect(person.getByText('Is required')).toBeVisible(); // inline, from the contract's schema
  await person.getByLabel('Name').fill('Bea Booking');
  await choose(page, person, 'Role', 'Booking clerk');
  await checkScreen(page, '61-roles-add-booking-clerk');
  await person.getByRole('button', { name: 'Add to the team' }).click();
  const directory = page.getByRole('table', { name: 'Team directory' });
  await expect(directory.getByRole('row', { name: /Bea Booking/ })).toContainText('Booking clerk');
  await expect(directory.getByRole('row', { name: /Bea Booking/ })).toContainText('Active');
  await checkScreen(page, '62-roles-team-directory');

  // The clerk, in their own store: demographics only, and no notes anywhere.
  await addPersonToLaptop(page);
  await setUp(page, 'Bea Booking', 'Booking clerk', CLERK);
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Bea Booking · Booking clerk');
  await expect(page.getByText(/note/i)).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Caseload' })).toHaveCount(0);
  await checkScreen(page, '63-roles-booking-clerk-home');

  // Calling the contract directly, as a page that tried would: refused by the services, naming role and method.
  const direct = await page.evaluate(async () => {
    const api = (globalThis as unknown as { api: Record<string, (input: unknown) => Promise<unknown>> }).api;
    return {
      note: await api['notes.create']!({ referralId: '01900000-0000-7000-8000-000000000000', body: 'Session went well' }),
      caseload: await api['caseload.list']!({}),
      patients: await api['patients.list']!({}),
    };
  });
  expect(direct.note).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Your role (Booking clerk) may not call notes.create.' } });
  expect(direct.caseload).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(direct.patients).toMatchObject({ ok: true, value: { patients: [] } });

  // Switching back: the picker lists everyone on this laptop; the clinician's passphrase opens her caseload.
  await page.getByRole('button', { name: 'Switch user' }).click();
  const picker = page.getByRole('radiogroup', { name: 'Who is using this laptop?' });
  await expect(picker.getByRole('radio')).toHaveCount(3);
  await picker.getByRole('radio', { name: 'Priya Shah · High-intensity therapist (HIT)' }).click();
  await expect(page.getByRole('radio', { name: 'Priya Shah · High-intensity therapist (HIT)' })).toBeChecked();
  await expect(page.getByLabel('Passphrase for Priya Shah')).toBeVisible();
  await checkScreen(page, '64-roles-who-is-using-this-laptop');
  await page.getByLabel('Passphrase for Priya Shah').fill(CLERK);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('That passphrase is not right');
  await page.waitForTimeout(400); // the wrong-passphrase delay (300 ms on the test host)
  await page.getByLabel('Passphrase for Priya Shah').fill(CLINICIAN);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('button', { name: 'RAHMAN, Aisha' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Priya Shah · High-intensity therapist (HIT)');
  await checkScreen(page, '65-roles-back-to-clinician');
});
