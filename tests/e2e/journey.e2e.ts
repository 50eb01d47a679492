import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkScreen, expect, test } from './hostFixture';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';

const PASSPHRASE = 'clinic room passphrase';

async function setUp(page: import('@playwright/test').Page) {
  await page.getByLabel('Your name').fill('Priya Shah');
  await page.getByRole('combobox', { name: 'Your role' }).click();
  await page.getByRole('option', { name: 'High-intensity therapist (HIT)' }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();
  await expect(page.getByRole('heading', { name: 'Caseload' })).toBeVisible();
}

test('first run → add patient → lock → wrong passphrase → unlock → patient still there', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Set up this device' })).toBeVisible();
  await checkScreen(page, '01-setup');

  // Mismatched passphrases are caught inline, before anything is created.
  await page.getByLabel('Your name').fill('Priya Shah');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill('something else entirely');
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();
  await expect(page.getByText('The two passphrases do not match')).toBeVisible();
  await expect(page.getByText('Choose your role')).toBeVisible();
  await checkScreen(page, '02-setup-errors');

  await setUp(page);
  await expect(page.getByText('Priya Shah · High-intensity therapist (HIT)')).toBeVisible();
  await expect(page.getByText('No patients yet on your open caseload')).toBeVisible();
  await checkScreen(page, '03-caseload-empty');

  // Inline validation from the contract's own schema.
  await page.getByRole('button', { name: 'Add patient' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add patient' });
  const good = validNhsNumber(4242);
  const badCheck = good.slice(0, 9) + String((Number(good[9]) + 1) % 10);
  await dialog.getByLabel('NHS number').fill(badCheck);
  await dialog.getByLabel('Given name').click();
  await expect(dialog.getByText('Check digit does not match (Modulus 11)')).toBeVisible();
  await dialog.getByLabel('Date of birth').fill('31/02/1980');
  await dialog.getByLabel('GP practice').click();
  await expect(dialog.getByText('Enter a real date as DD/MM/YYYY')).toBeVisible();
  await checkScreen(page, '04-add-patient-errors');

  await dialog.getByLabel('NHS number').fill(`${good.slice(0, 3)} ${good.slice(3, 6)} ${good.slice(6)}`);
  await dialog.getByLabel('Given name').fill('Grace');
  await dialog.getByLabel('Family name').fill('Okafor');
  await dialog.getByLabel('Date of birth').fill('07/03/1958');
  await dialog.getByLabel('GP practice').fill('Riverside Medical Centre');
  await dialog.getByRole('button', { name: 'Add to caseload' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /OKAFOR, Grace/ });
  await expect(row).toContainText('07/03/1958');
  await expect(row).toContainText(`${good.slice(0, 3)} ${good.slice(3, 6)} ${good.slice(6)}`);
  await checkScreen(page, '05-caseload-one-patient');

  // The same NHS number twice is refused on its field.
  await page.getByRole('button', { name: 'Add patient' }).click();
  await dialog.getByLabel('NHS number').fill(good);
  await dialog.getByLabel('Given name').fill('Someone');
  await dialog.getByLabel('Family name').fill('Else');
  await dialog.getByLabel('Date of birth').fill('01/01/1990');
  await dialog.getByLabel('GP practice').fill('High Street Surgery');
  await dialog.getByRole('button', { name: 'Add to caseload' }).click();
  await expect(dialog.getByText('Is already on the caseload: OKAFOR, Grace', { exact: true })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: 'Unlock your caseload' })).toBeVisible();
  await expect(page.getByText('OKAFOR')).toHaveCount(0);
  await checkScreen(page, '06-unlock');

  await page.getByLabel('Passphrase').fill('not my passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('That passphrase is not right');
  await checkScreen(page, '07-wrong-passphrase');

  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('row', { name: /OKAFOR, Grace/ })).toBeVisible();
  await expect(page.getByRole('row')).toHaveCount(2); // header + the one patient: the duplicate was not saved

  // Change the passphrase: a wrong current one is refused on its field; then the new one unlocks.
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  const change = page.getByRole('dialog', { name: 'Change passphrase' });
  await change.getByLabel('Current passphrase').fill('not the current one');
  await change.getByLabel('New passphrase', { exact: true }).fill('a new clinic passphrase');
  await change.getByLabel('New passphrase again').fill('a new clinic passphrase');
  await change.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(change.getByText('That is not your current passphrase')).toBeVisible();
  await checkScreen(page, '09-change-passphrase');
  await change.getByLabel('Current passphrase').fill(PASSPHRASE);
  await change.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByText(/^Passphrase changed and the caseload re-encrypted/)).toBeVisible();
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByLabel('Passphrase').fill('a new clinic passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('row', { name: /OKAFOR, Grace/ })).toBeVisible();

  // Search narrows the list.
  await page.getByLabel('Search').fill('zzz');
  await expect(page.getByText('No patient on the open caseload matches that search.')).toBeVisible();
  await page.getByLabel('Search').fill(good.slice(0, 5));
  await expect(page.getByRole('row', { name: /OKAFOR, Grace/ })).toBeVisible();
});

test('a damaged database is named, left alone, and can be restored from a backup', async ({ page, host }) => {
  await page.goto(host.url);
  await setUp(page);
  await page.getByRole('button', { name: 'Add patient' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add patient' });
  await dialog.getByLabel('NHS number').fill(validNhsNumber(77));
  await dialog.getByLabel('Given name').fill('Tomasz');
  await dialog.getByLabel('Family name').fill('Nowak');
  await dialog.getByLabel('Date of birth').fill('12/12/1971');
  await dialog.getByLabel('GP practice').fill('Oakfield Practice');
  await dialog.getByRole('button', { name: 'Add to caseload' }).click();
  await expect(page.getByRole('row', { name: /NOWAK, Tomasz/ })).toBeVisible();
  await page.getByRole('button', { name: 'Backups' }).click();
  const backups = page.getByRole('dialog', { name: 'Backups' });
  await backups.getByRole('button', { name: 'Back up now' }).click();
  await expect(backups.getByText(new RegExp(`^Encrypted backup saved as ${join(host.dataDir, 'backups')}/caseload-.*\\.ccbak`))).toBeVisible();
  await backups.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: 'Unlock your caseload' })).toBeVisible();

  const restarted = await host.restart();
  const dbFile = join(host.dataDir, 'caseload.db');
  const damaged = Buffer.alloc(readFileSync(dbFile).length, 0x5a);
  writeFileSync(dbFile, damaged);

  await page.goto(restarted.url);
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'The caseload cannot be opened' })).toBeVisible();
  await expect(page.getByText(dbFile, { exact: true })).toBeVisible();
  expect(readFileSync(dbFile).equals(damaged)).toBe(true);
  await checkScreen(page, '08-store-damaged');

  await page.getByLabel('Passphrase at the time of the backup').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(page.getByRole('row', { name: /NOWAK, Tomasz/ })).toBeVisible();
  await restarted.stop();
});

test('backups go to a folder chosen in the shell; restore from the unlock screen needs today’s passphrase; wrong attempts count down and are told', async ({ page, host }) => {
  await page.goto(host.url);
  await setUp(page);
  await page.getByRole('button', { name: 'Backups' }).click();
  const backups = page.getByRole('dialog', { name: 'Backups' });
  await expect(backups.getByText(join(host.dataDir, 'backups'))).toBeVisible();
  await backups.getByRole('button', { name: 'Choose backup folder…' }).click();
  await expect(backups.getByText(`Backups will now be saved in ${host.exportDir}.`)).toBeVisible();
  await backups.getByRole('button', { name: 'Back up now' }).click();
  await expect(backups.getByText(new RegExp(`^Encrypted backup saved as ${host.exportDir}/caseload-`))).toBeVisible();
  await checkScreen(page, '10-backups-dialog');
  await backups.getByRole('button', { name: 'Close' }).click();

  // A patient added after the backup, so the restore visibly goes back in time.
  await page.getByRole('button', { name: 'Add patient' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add patient' });
  await dialog.getByLabel('NHS number').fill(validNhsNumber(91));
  await dialog.getByLabel('Given name').fill('Amara');
  await dialog.getByLabel('Family name').fill('Diallo');
  await dialog.getByLabel('Date of birth').fill('02/02/1992');
  await dialog.getByLabel('GP practice').fill('Northgate Surgery');
  await dialog.getByRole('button', { name: 'Add to caseload' }).click();
  await expect(page.getByRole('row', { name: /DIALLO, Amara/ })).toBeVisible();
  await page.getByRole('button', { name: 'Lock' }).click();

  // A wrong passphrase: the error and a countdown, not a silent spinner.
  await page.getByLabel('Passphrase').fill('not my passphrase at all');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('That passphrase is not right');
  await page.getByLabel('Passphrase').fill('still not my passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('button', { name: /^Wait \d+ s$/ })).toBeDisabled();
  await expect(page.getByRole('alert')).toContainText(/try again in \d+ seconds?/);
  await checkScreen(page, '11-unlock-countdown');

  await page.getByRole('button', { name: 'Restore from a backup…' }).click();
  await expect(page.getByRole('heading', { name: 'Restore from a backup' })).toBeVisible();
  await page.getByLabel('Passphrase at the time of the backup').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(page.getByText('Enter the passphrase that opens this caseload today')).toBeVisible();
  await page.getByLabel('Today’s passphrase'.replace('’', "'")).fill(PASSPHRASE);
  await checkScreen(page, '12-restore-from-unlock');
  await page.getByRole('button', { name: 'Restore this backup' }).click();
  const told = page.getByRole('status').filter({ hasText: 'Since you last opened the caseload' });
  await expect(told).toContainText(/Restored the backup caseload-.*\.ccbak, made on/);
  await expect(page.getByRole('heading', { name: 'Caseload', exact: true })).toBeVisible();
  await expect(page.getByRole('row', { name: /DIALLO, Amara/ })).toHaveCount(0);
  await checkScreen(page, '13-restored-notice');
  await told.getByRole('button', { name: 'Dismiss' }).click();
  await expect(told).toBeHidden();

  // The failed attempts are told at the next good unlock.
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByLabel('Passphrase').fill('wrong once more');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('That passphrase is not right');
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Since you last opened the caseload' })).toContainText('1 wrong passphrase attempt since this caseload was last unlocked');
});

