import { checkScreen, expect, test } from './hostFixture';

const PASSPHRASE = 'clinic room passphrase';

test('a device that is not enrolled says so; the enrolment form checks its fields inline and names an unreachable server', async ({ page, host }) => {
  await page.goto(host.url);
  await page.getByLabel('Your name').fill('Priya Shah');
  await page.getByRole('combobox', { name: 'Your role' }).click();
  await page.getByRole('option', { name: 'High-intensity therapist (HIT)' }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();

  const badge = page.getByTestId('sync-badge');
  await expect(badge).toHaveText('Not enrolled');
  await badge.click();
  await expect(page.getByRole('heading', { name: 'Enrol this device with your team' })).toBeVisible();
  await checkScreen(page, 'sync-01-not-enrolled');

  await page.getByLabel('Team server address').fill('sync.example');
  await page.getByLabel('Enrolment code').fill('ABC');
  await page.getByRole('button', { name: 'Enrol this device' }).click();
  await expect(page.getByText('Must be the server address the team gave you, starting https://')).toBeVisible();
  await expect(page.getByText('Must be the 12-character code from your team admin')).toBeVisible();
  await checkScreen(page, 'sync-02-enrol-errors');

  // Nothing listens on port 9: the service's refusal lands on the address field, and nothing changes.
  await page.getByLabel('Team server address').fill('http://127.0.0.1:9');
  await page.getByLabel('Enrolment code').fill('ABCD-EFGH-JKLM');
  await page.getByRole('button', { name: 'Enrol this device' }).click();
  await expect(page.getByText(/Could not be reached as a team sync server/)).toBeVisible();
  await expect(badge).toHaveText('Not enrolled');
  await checkScreen(page, 'sync-03-enrol-unreachable');
});
