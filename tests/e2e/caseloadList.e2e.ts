import type { Page } from '@playwright/test';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { checkScreen, expect, test } from './hostFixture';

/** Issue #8 item 9: the caseload for a clinic day — columns, search as clinicians type it, filters, the new row. */
const PASSPHRASE = 'clinic room passphrase';

async function addPatient(page: Page, n: number, given: string, family: string, dob: string) {
  await page.getByRole('button', { name: 'Add patient' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add patient' });
  await dialog.getByLabel('NHS number').fill(validNhsNumber(n));
  await dialog.getByLabel('Given name').fill(given);
  await dialog.getByLabel('Family name').fill(family);
  await dialog.getByLabel('Date of birth').fill(dob);
  await dialog.getByLabel('GP practice').fill('Oakfield Practice');
  await dialog.getByRole('button', { name: 'Add to caseload' }).click();
  await expect(dialog).toBeHidden();
}

test('caseload: the new row has focus and a message; search by surname first, without accents, NHS digits and birth date; filter by status', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByLabel('Your name').fill('Priya Shah');
  await page.getByRole('combobox', { name: 'Your role' }).click();
  await page.getByRole('option', { name: 'Psychological wellbeing practitioner (PWP)' }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();

  await addPatient(page, 7001, 'Margaret', 'Ní Bhriain', '19/09/1962');
  await expect(page.getByRole('status').filter({ hasText: 'Margaret Ní Bhriain added to the caseload.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'NÍ BHRIAIN, Margaret' })).toBeFocused();
  await addPatient(page, 7002, 'Eleanor', 'Patel', '07/03/1958');
  await expect(page.getByRole('button', { name: 'PATEL, Eleanor' })).toBeFocused();

  // Refer Eleanor so the list shows an episode.
  await page.getByRole('button', { name: 'PATEL, Eleanor' }).click();
  await page.getByRole('button', { name: 'New referral' }).click();
  const refer = page.getByRole('dialog', { name: 'New referral' });
  await refer.getByRole('combobox', { name: 'Referred by', exact: true }).click();
  await page.getByRole('option', { name: 'GP', exact: true }).click();
  await refer.getByRole('textbox', { name: 'Team' }).fill('Oakfield Practice');
  await refer.getByLabel('Reason for referral').fill('Low mood');
  await refer.getByLabel('The patient consents to this referral').check();
  await refer.getByRole('button', { name: 'Save referral' }).click();
  await expect(refer).toBeHidden();
  await page.getByRole('button', { name: 'Clinic Caseload' }).click();

  const row = page.getByRole('row', { name: /PATEL, Eleanor/ });
  await expect(row).toContainText('Awaiting single point of access');
  await expect(row).toContainText('Waiting 0 days');
  await expect(page.getByRole('row', { name: /NÍ BHRIAIN/ })).toContainText('Not referred');
  await checkScreen(page, '50-caseload-columns');

  const search = page.getByRole('textbox', { name: 'Search' });
  await search.fill('patel eleanor');
  await expect(page.getByRole('row')).toHaveCount(2);
  await search.fill('ni bhriain');
  await expect(page.getByRole('row', { name: /NÍ BHRIAIN, Margaret/ })).toBeVisible();
  await expect(page.getByRole('row')).toHaveCount(2);
  await search.fill(validNhsNumber(7002).slice(-4));
  await expect(page.getByRole('row', { name: /PATEL, Eleanor/ })).toBeVisible();
  await search.fill('19/09/1962');
  await expect(page.getByRole('row', { name: /NÍ BHRIAIN, Margaret/ })).toBeVisible();
  await expect(page.getByRole('row')).toHaveCount(2);
  await search.fill('');
  await page.getByRole('combobox', { name: 'Status' }).click();
  await page.getByRole('option', { name: 'Awaiting single point of access' }).click();
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('row', { name: /PATEL, Eleanor/ })).toBeVisible();

  // Triage decides "not suitable": end code 11 with where the patient was signposted ends the referral.
  await page.getByRole('button', { name: 'PATEL, Eleanor' }).click();
  await page.getByRole('button', { name: /Open the referral received/ }).click();
  await page.getByRole('button', { name: 'Not suitable…' }).click();
  const discharge = page.getByRole('dialog', { name: 'Discharge' });
  await expect(discharge.getByText('Is required with end code 11 (signposted elsewhere)')).toBeVisible();
  await expect(discharge.getByRole('button', { name: 'Confirm discharge' })).toBeDisabled();
  await discharge.getByLabel('Signposted or referred to').fill('Community mental health team');
  await expect(discharge.getByTestId('discharge-preview')).toContainText('Did not finish a course of treatment');
  await checkScreen(page, '51-not-suitable');
  await discharge.getByRole('button', { name: 'Confirm discharge' }).click();
  await expect(discharge).toBeHidden();
  await expect(page.getByText('Signposted or referred to: Community mental health team')).toBeVisible();
});
