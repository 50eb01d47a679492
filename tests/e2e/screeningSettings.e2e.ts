import type { Page } from '@playwright/test';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { checkScreen, expect, test } from './hostFixture';

/**
 * Issue #8 stage 4 in Chromium: DDS2 in clinic with "offer referral" opening a prefilled referral, the triage
 * contact-attempt log, and a local COPD screen that gives no result until the service sets its cut-off and
 * answers the service's own scale once it sets one; the service's code for COPD then labels the referral.
 */
const PASSPHRASE = 'clinic room passphrase';

async function choose(page: Page, scope: Page | ReturnType<Page['getByRole']>, label: string, option: string) {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function screen(page: Page, which: string, keys: string[]) {
  await page.getByRole('button', { name: 'Screen' }).click();
  const dialog = page.getByRole('dialog', { name: 'Screen' });
  await dialog.getByText(which, { exact: true }).click();
  await dialog.getByTestId('measure-entry').focus();
  for (const k of keys) await page.keyboard.press(k);
  return dialog;
}

test('DDS2 screen offers a prefilled referral; a COPD screen gives a result only once the service sets its cut-off, on the service\'s scale', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByLabel('Your name').fill('Priya Shah');
  await choose(page, page, 'Your role', 'High-intensity therapist (HIT)');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();
  await page.getByRole('button', { name: 'Add patient' }).click();
  const add = page.getByRole('dialog', { name: 'Add patient' });
  await add.getByLabel('NHS number').fill(validNhsNumber(6161));
  await add.getByLabel('Given name').fill('Aisha');
  await add.getByLabel('Family name').fill('Rahman');
  await add.getByLabel('Date of birth').fill('02/02/1970');
  await add.getByLabel('GP practice').fill('Oakfield Practice');
  await add.getByRole('button', { name: 'Add to caseload' }).click();
  await page.getByRole('button', { name: 'RAHMAN, Aisha' }).click();

  const dds2 = await screen(page, 'DDS2 (diabetes)', ['4', '3']);
  await expect(dds2.getByTestId('result-dds2')).toContainText('Mean 3.5');
  await expect(dds2.getByTestId('result-dds2')).toContainText('moderate distress or more (DDS2 mean ≥ 3, Fisher 2008)');
  await checkScreen(page, '40-screen-dds2-positive');
  await dds2.getByRole('button', { name: 'Save and offer referral' }).click();
  const refer = page.getByRole('dialog', { name: 'New referral' });
  await expect(refer.getByLabel('Reason for referral')).toHaveValue(/DDS2.*score 3.5/);
  await choose(page, refer, 'Referred by', 'Diabetes specialist nurse');
  await refer.getByRole('textbox', { name: 'Team' }).fill('Diabetes clinic, Watford General');
  await refer.getByLabel('The patient consents to this referral').check();
  await refer.getByRole('button', { name: 'Save referral' }).click();
  await expect(refer).toBeHidden();

  // Triage: attempts to reach the patient are logged on the episode.
  await choose(page, page, 'Outcome', 'No answer');
  await page.getByRole('button', { name: 'Log attempt' }).click();
  await expect(page.getByRole('table', { name: 'Contact attempts' })).toContainText('No answer');
  await checkScreen(page, '41-episode-contact-attempts');

  await page.getByRole('button', { name: '← Patient' }).click();
  await expect(page.getByRole('table', { name: 'Screens' })).toContainText('Yes');
  const copd = await screen(page, 'COPD', ['2', '3']);
  await expect(copd.getByTestId('result-copd-screen')).toContainText('no screen result: the service has not set a cut-off');
  await expect(copd.getByRole('button', { name: 'Save and offer referral' })).toBeDisabled();
  await page.keyboard.press('Enter');
  await expect(copd).toBeHidden();
  await expect(page.getByRole('table', { name: 'Screens' })).toContainText('No result');

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('COPD two-item screen: positive at a total of').fill('3');
  // The service's own answer scale, one per line, scored 0, 1, 2 in order.
  const answers = page.getByRole('textbox', { name: 'COPD screen answers' });
  await answers.fill('Never');
  await expect(page.getByText('Needs 2 to 11 answers')).toBeVisible();
  await answers.fill('Never\nSometimes\nOften');
  await expect(page.getByText('Each item: 0 Never, 1 Sometimes, 2 Often')).toBeVisible();
  // The unverified COPD code is the service's to correct; the diabetes codes are fixed.
  await expect(page.getByRole('textbox', { name: 'Diabetes type 2' })).toHaveAttribute('readonly', '');
  const copdCode = page.getByRole('textbox', { name: 'COPD', exact: true });
  await copdCode.fill('44054006');
  await expect(page.getByText('Is a diabetes code, which the reference fixes')).toBeVisible();
  await copdCode.fill('185086009');
  // Inline validation from the contract's schema: nothing can be saved while a value is out of range.
  await page.getByLabel('Healthcare use recall period (months)').fill('30');
  await expect(page.getByText('Must be 1 to 24 months')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save service settings' })).toBeDisabled();
  await page.getByLabel('Healthcare use recall period (months)').fill('6');
  await choose(page, page, 'Dietician', 'H2 Other secondary care specialty');
  await checkScreen(page, '42-service-settings');
  await page.getByRole('button', { name: 'Save service settings' }).click();
  await expect(page.getByText('Service settings saved.')).toBeVisible();

  await page.getByRole('button', { name: 'Clinic Caseload' }).click();
  await page.getByRole('button', { name: 'RAHMAN, Aisha' }).click();
  const again = await screen(page, 'COPD', ['2', '1']);
  // The screen offers the service's three answers, not the default four.
  await expect(again.getByRole('button', { name: /^2 Often, .*item 1$/ })).toBeVisible();
  await expect(again.getByRole('button', { name: /^0 Never, .*item 2$/ })).toBeVisible();
  await expect(again.getByRole('button', { name: /^3 / })).toHaveCount(0);
  await expect(again.getByTestId('result-copd-screen')).toContainText('positive screen');
  await expect(again.getByTestId('result-copd-screen')).toContainText('3');
  await again.getByRole('button', { name: 'Save and offer referral' }).click();

  // The offered referral carries COPD under the service's code, and the episode labels it from the service's list.
  const copdReferral = page.getByRole('dialog', { name: 'New referral' });
  await expect(copdReferral.getByText('COPD', { exact: true })).toBeVisible();
  await choose(page, copdReferral, 'Referred by', 'Respiratory nurse');
  await copdReferral.getByRole('textbox', { name: 'Team' }).fill('Respiratory clinic, Lister Hospital');
  await copdReferral.getByLabel('The patient consents to this referral').check();
  await copdReferral.getByRole('button', { name: 'Save referral' }).click();
  await expect(copdReferral).toBeHidden();
  await expect(page.getByText(/Referred by Respiratory nurse .*· COPD$/)).toBeVisible();
});
