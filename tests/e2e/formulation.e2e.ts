import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { extractText, getDocumentProxy } from 'unpdf';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { formatUkDate } from '../../shared/domain/dates';
import { checkScreen, expect, test } from './hostFixture';
import { choose, daysAgo, PASSPHRASE } from './support/steps';

/**
 * Issue #10 stage 6 in Chromium: a HIT builds an LTC-adapted CBT formulation diagram by keyboard alone — words
 * typed into boxes in place, arrows added and one removed — saves two versions, opens the older one, and exports
 * the PDF for the patient to the folder chosen through the shell, whose text is read back.
 */
const NHS = validNhsNumber(7410);

async function seedEpisode(page: Page, received: string): Promise<void> {
  const id = await page.evaluate(
    async ({ nhs, received }) => {
      type Api = Record<string, (input: unknown) => Promise<{ ok: boolean; value?: { id: string }; error?: unknown }>>;
      const api = (globalThis as unknown as { api: Api }).api;
      const call = async (method: string, input: unknown) => {
        const r = await api[method]!(input);
        if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
        return r.value!;
      };
      const p = await call('patients.create', { nhsNumber: nhs, givenName: 'Siobhán', familyName: 'Ó Súilleabháin', dateOfBirth: '1971-03-02', gpPractice: 'Oakfield Practice' });
      const r = await call('referrals.create', {
        patientId: p.id, receivedDate: received, referrerRole: 'diabetes-specialist-nurse', ltcCodes: ['44054006'],
        reason: 'Fear of hypos', riskKnown: false, consent: true, urgency: 'routine', pathway: 'integrated-ltc', team: 'Diabetes clinic', status: 'in-treatment',
      });
      return r.id;
    },
    { nhs: NHS, received },
  );
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
}

/** Focus a box, Enter to edit it in place, write its items one per line, Ctrl+Enter to finish. */
async function writeBox(page: Page, kind: string, label: string, lines: string[]) {
  await page.locator(`[data-box="${kind}"]`).focus();
  await page.keyboard.press('Enter');
  const editor = page.getByRole('textbox', { name: `${label}, one item per line` });
  await expect(editor).toBeFocused();
  await page.keyboard.press('Control+A'); // the editor opens holding the box's words: these replace them
  await page.keyboard.type(lines.join('\n'));
  await page.keyboard.press('Control+Enter');
  await expect(page.locator(`[data-box="${kind}"]`)).toBeFocused();
}

async function addArrow(page: Page, from: string, to: string) {
  await page.getByLabel('Arrow from', { exact: true }).focus();
  await page.getByLabel('Arrow from', { exact: true }).selectOption({ label: from });
  await page.keyboard.press('Tab');
  await page.getByLabel('leads to', { exact: true }).selectOption({ label: to });
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Add arrow' })).toBeFocused();
  await page.keyboard.press('Enter');
}

test('a HIT builds a formulation diagram by keyboard, keeps every version and exports it as a PDF', async ({ page, host }) => {
  test.setTimeout(180_000);
  await page.goto(host.url);
  await page.getByLabel('Your name').fill('Priya Shah');
  await choose(page, 'Your role', 'High-intensity therapist (HIT)');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();
  await expect(page.getByRole('button', { name: 'Add patient' })).toBeVisible();
  await seedEpisode(page, daysAgo(30));
  await page.reload();

  await page.getByRole('button', { name: 'Ó SÚILLEABHÁIN, Siobhán' }).click();
  await page.getByRole('button', { name: `Open the referral received ${formatUkDate(daysAgo(30))}` }).click();
  await page.getByRole('button', { name: 'Formulation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Formulation' })).toBeVisible();
  await expect(page.getByText('None yet: the first save makes version 1.')).toBeVisible();
  await checkScreen(page, '90-formulation-empty');

  // Words into the boxes, by keyboard, in place.
  await writeBox(page, 'situation', 'Situation or trigger', ['Driving to work alone']);
  await writeBox(page, 'ltc', 'Long-term condition factors', ['Type 1 diabetes', 'Severe hypo at night last year']);
  await writeBox(page, 'physical', 'Physical symptoms', ['Shaky hands, sweating']);
  await writeBox(page, 'thoughts', 'Thoughts', ['I will pass out at the wheel']);
  await writeBox(page, 'emotions', 'Emotions', ['Panic']);
  // A adds an item to a box that already has one.
  await page.locator('[data-box="thoughts"]').focus();
  await page.keyboard.press('a');
  await page.keyboard.type('Nobody would help me');
  await checkScreen(page, '91-formulation-editing-in-place');
  await page.keyboard.press('Control+Enter');
  await writeBox(page, 'behaviours', 'Behaviours', ['Keeps sugars high', 'Checks the meter every 20 minutes']);
  await expect(page.locator('[data-box="thoughts"]')).toHaveAccessibleName(/^Thoughts: I will pass out at the wheel; ?Nobody would help me$/);
  await expect(page.locator('[data-box="thoughts"]')).toHaveAccessibleDescription(/Enter edits its words in place, A adds an item, L starts an arrow from it/);

  // The cycle: arrows between boxes, one added by mistake and removed with Delete.
  await addArrow(page, 'Situation or trigger', 'Thoughts');
  await addArrow(page, 'Thoughts', 'Emotions');
  await addArrow(page, 'Emotions', 'Physical symptoms');
  await addArrow(page, 'Physical symptoms', 'Thoughts');
  await addArrow(page, 'Thoughts', 'Behaviours');
  await addArrow(page, 'Behaviours', 'Thoughts');
  await addArrow(page, 'Long-term condition factors', 'Emotions');
  await addArrow(page, 'Thoughts', 'Emotions'); // again: refused, saying why
  await expect(page.getByText('There is already an arrow: Thoughts leads to Emotions.')).toBeVisible();
  // L on a box starts an arrow from it: the "leads to" menu takes the focus.
  await page.locator('[data-box="ltc"]').focus();
  await page.keyboard.press('l');
  await expect(page.getByLabel('leads to', { exact: true })).toBeFocused();
  await expect(page.getByLabel('Arrow from', { exact: true })).toHaveValue('ltc');
  await page.getByLabel('leads to', { exact: true }).selectOption({ label: 'Thoughts' });
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const mistake = page.locator('[data-arrow="ltc>emotions"]');
  await mistake.focus();
  await expect(mistake).toHaveAttribute('aria-label', 'Long-term condition factors leads to Emotions. Press Delete to remove this arrow.');
  await page.keyboard.press('Delete');
  await expect(mistake).toHaveCount(0);

  // The description a screen reader hears: the boxes, each relation and the maintaining cycles.
  const words = page.locator('#formulation-words');
  await expect(page.getByRole('group', { name: 'Formulation diagram' })).toHaveAttribute('aria-describedby', 'formulation-words');
  await expect(words).toContainText('Long-term condition factors leads to Thoughts');
  await expect(words).not.toContainText('Long-term condition factors leads to Emotions');
  await expect(words).toContainText('Physical symptoms → Thoughts → Emotions → Physical symptoms');
  await expect(words).toContainText('Thoughts → Behaviours → Thoughts');
  await expect(page.getByText('Unsaved changes: save a version before exporting.')).toBeVisible();
  await checkScreen(page, '92-formulation-built');

  // Save (keyboard), then change and save again: both versions are kept.
  await page.getByRole('button', { name: 'Save version' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Saved as version 1.')).toBeVisible();
  await writeBox(page, 'emotions', 'Emotions', ['Panic', 'Shame']);
  await page.getByRole('button', { name: 'Save version' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Saved as version 2.')).toBeVisible();
  await expect(page.getByRole('button', { name: /^View version/ })).toHaveCount(2);

  // The older version opens read only, as it was.
  await page.getByRole('button', { name: 'View version 1' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/Showing version 1, saved .* by Priya Shah/)).toBeVisible();
  await expect(page.locator('[data-box="emotions"]')).toHaveAccessibleName('Emotions: Panic');
  await checkScreen(page, '93-formulation-older-version');
  await page.getByRole('button', { name: 'Back to the latest version' }).click();
  await expect(page.locator('[data-box="emotions"]')).toHaveAccessibleName(/^Emotions: Panic; ?Shame$/);

  // Export: the warning, the folder through the shell, the PDF there and nowhere else.
  await page.getByRole('button', { name: 'Export PDF' }).focus();
  await page.keyboard.press('Enter');
  const exporting = page.getByRole('dialog', { name: 'Export formulation version 2 as PDF' });
  await expect(exporting.getByText('This file leaves the encrypted caseload')).toBeVisible();
  await checkScreen(page, '94-formulation-export-warning');
  await exporting.getByRole('button', { name: 'Choose folder and export' }).click();
  await expect(exporting.getByText('PDF saved')).toBeVisible();
  const files = readdirSync(host.exportDir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^formulation-\d{4}-\d{2}-\d{2}-v2-[0-9a-f]{8}\.pdf$/);
  await checkScreen(page, '95-formulation-exported');
  const pdf = await getDocumentProxy(new Uint8Array(readFileSync(join(host.exportDir, files[0]!))));
  const text = (await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, ' ');
  for (const s of ['Formulation for Siobhán Ó Súilleabháin', 'Version 2', 'I will pass out at the wheel', 'Panic; Shame', 'Long-term condition factors leads to Thoughts', 'Thoughts → Behaviours → Thoughts']) {
    expect(text).toContain(s);
  }
});
