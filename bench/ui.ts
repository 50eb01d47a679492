import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { formatUkDate, todayIso } from '../shared/domain/dates';
import { validNhsNumber } from '../resources/demo/syntheticPatients';
import { CaseloadEngine } from '../electron/services/engine';
import { withUnlockedPage } from './unlockedPage';

/**
 * Issue #8's clinic-feel figures, measured in Chromium against the real host and page:
 * - keys pressed to record PHQ-9 and GAD-7 from the session screen;
 * - key press → updated result on screen, per item (measured inside the page: dispatch → DOM change → next frame);
 * - opening the episode view of a referral with 20 sessions of measures.
 */
export interface UiResult {
  name: string;
  value: number;
  unit: string;
  note: string;
}

const PASSPHRASE = 'bench passphrase for the ui';
/** One patient per timed session, each with today's session still to score. */
const SESSION_PATIENTS = ['Todayone', 'Todaytwo', 'Todaythree'];
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;

/** Item answers adding up to `total`, as evenly as the items allow. */
function spreadTotal(total: number, items: number, max: number): number[] {
  if (total > items * max) throw new RangeError(`${total} does not fit ${items} items of 0–${max}`);
  return Array.from({ length: items }, (_, i) => Math.floor(total / items) + (i < total % items ? 1 : 0));
}

function daysAgo(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return todayIso(d);
}

/** Two patients: one with 20 weekly sessions of PHQ-9 and GAD-7, one with today's session still to score. */
async function seed(dataDir: string): Promise<void> {
  const engine = new CaseloadEngine({ dataDir, kdf: { kind: 'insecure-test-only', N: 1024 } });
  await engine.setup({ passphrase: PASSPHRASE, displayName: 'Bench Clinician', role: 'hit' });
  const h = engine.handlers();
  const episode = async (n: number, family: string, sessions: number) => {
    const patient = await h['patients.create']({ nhsNumber: validNhsNumber(n), givenName: 'Bench', familyName: family, dateOfBirth: '1966-06-06', gpPractice: 'Riverside Medical Centre' });
    const referral = await h['referrals.create']({
      patientId: patient.id,
      receivedDate: daysAgo(7 * sessions + 30),
      referrerRole: 'diabetes-specialist-nurse',
      ltcCodes: ['44054006'],
      reason: 'Bench episode',
      riskKnown: false,
      consent: true,
      urgency: 'routine',
      pathway: 'core',
      team: 'Bench team',
      status: 'in-treatment',
    });
    await h['referrals.update']({ id: referral.id, version: referral.version, changes: { problemDescriptor: 'F41.1', step: 3, optedIn: true } });
    for (let i = sessions; i >= 0; i--) {
      const contact = await h['contacts.create']({
        referralId: referral.id,
        date: daysAgo(7 * i),
        startTime: '10:00',
        durationMinutes: 50,
        type: i === sessions ? 'assessment' : 'treatment',
        mechanism: '01',
        location: 'Bench clinic',
        attendance: 5,
      });
      if (i === 0 && sessions < 20) break; // today's session is left to be scored on screen
      const at = { referralId: referral.id, contactId: contact.id, date: contact.date, completedBy: 'patient' as const };
      await h['measures.record']({ ...at, instrumentId: 'phq9', answers: [...spreadTotal(Math.max(4, 18 - Math.floor((sessions - i) / 2)), 8, 3), 0] });
      await h['measures.record']({ ...at, instrumentId: 'gad7', answers: spreadTotal(Math.max(3, 15 - Math.floor((sessions - i) / 2)), 7, 3) });
    }
  };
  await episode(1, 'Twentysessions', 20);
  for (const [i, family] of SESSION_PATIENTS.entries()) await episode(2 + i, family, 1);
  await engine.close();
}

async function openEpisode(page: Page, family: string): Promise<void> {
  await page.getByRole('button', { name: 'Clinic Caseload' }).click();
  await page.getByRole('button', { name: `${family.toUpperCase()}, Bench` }).click();
  await page.getByRole('heading', { name: 'Patient' }).waitFor();
}

/**
 * Presses one key inside the page and resolves with the time until the result line has changed and the next frame
 * has painted. Kept as page source (it runs in Chromium, not under Node's types).
 */
const TIMED_KEY = `([key, id]) => new Promise((resolve) => {
  const target = document.querySelector('[data-testid="' + id + '"]');
  const before = target.textContent;
  const started = performance.now();
  const observer = new MutationObserver(() => {
    if (target.textContent === before) return;
    observer.disconnect();
    requestAnimationFrame(() => resolve(performance.now() - started));
  });
  observer.observe(target, { childList: true, characterData: true, subtree: true });
  (document.activeElement || document.body).dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
})`;

async function timedKey(page: Page, key: string, resultTestId: string): Promise<number> {
  return (await page.evaluate(`(${TIMED_KEY})(${JSON.stringify([key, resultTestId])})`)) as number;
}

export async function uiBench(): Promise<UiResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'caseload-bench-ui-'));
  await seed(dataDir);
  return withUnlockedPage(dataDir, PASSPHRASE, async (page) => {

    // The session screen: count every key pressed until PHQ-9 and GAD-7 are saved, timing each item; one
    // session per patient, and the median of their 95th percentiles (this machine is shared and noisy).
    const keyCounts: number[] = [];
    const sessionP95s: number[] = [];
    const allItemTimes: number[] = [];
    for (const family of SESSION_PATIENTS) {
      await openEpisode(page, family);
      await page.getByRole('button', { name: `Open the referral received ${formatUkDate(daysAgo(7 + 30))}` }).click();
      await page.getByRole('button', { name: new RegExp(`^Open session on ${formatUkDate(todayIso())}`) }).click();
      await page.getByTestId('measure-entry').waitFor();
      let keys = 0;
      const itemTimes: number[] = [];
      for (const k of ['2', '1', '2', '1', '1', '2', '1', '1', '0']) {
        itemTimes.push(await timedKey(page, k, 'result-phq9'));
        keys++;
      }
      for (const k of ['2', '2', '1', '1', '1', '2', '1']) {
        itemTimes.push(await timedKey(page, k, 'result-gad7'));
        keys++;
      }
      await page.keyboard.press('Enter');
      keys++;
      await page.getByTestId('saved-gad7').waitFor();
      const savedPhq9 = await page.getByTestId('saved-phq9').textContent();
      if (!savedPhq9?.includes('Total 11')) throw new Error(`PHQ-9 was not saved as typed: ${savedPhq9}`);
      keyCounts.push(keys);
      sessionP95s.push(p95(itemTimes));
      allItemTimes.push(...itemTimes);
    }
    const keys = Math.max(...keyCounts);
    const keyP95 = median(sessionP95s);

    // Opening the episode view with 20 sessions: click → contacts table and outcome chart drawn.
    const openTimes: number[] = [];
    const received = formatUkDate(daysAgo(7 * 20 + 30));
    for (let r = 0; r < RUNS; r++) {
      await openEpisode(page, 'Twentysessions');
      const started = Date.now();
      await page.getByRole('button', { name: `Open the referral received ${received}` }).click();
      await page.getByRole('table', { name: 'Contacts' }).waitFor();
      await page.locator('.recharts-surface').first().waitFor();
      openTimes.push(Date.now() - started);
    }

    return [
      {
        name: 'ux.keystrokes_phq9_gad7',
        value: keys,
        unit: 'keys',
        note: `goal ≤ 18 — ${keys <= 18 ? 'met' : 'NOT met'}; from the session screen (the entry has focus on arrival): 9 + 7 item keys and Enter to save, checked by the saved totals`,
      },
      {
        name: 'ux.key_to_total_p95_ms',
        value: Number(keyP95.toFixed(1)),
        unit: 'ms',
        note: `goal ≤ 50 — ${keyP95 <= 50 ? 'met' : 'NOT met'}; 95th percentile over the 16 items of key press → result line changed → next frame painted, measured in the page; median of ${sessionP95s.length} sessions' p95 (${sessionP95s.map((v) => v.toFixed(1)).join(', ')} ms; median key ${median(allItemTimes).toFixed(1)} ms)`,
      },
      {
        name: 'renderer.patient_view_ms',
        value: Number(median(openTimes).toFixed(0)),
        unit: 'ms',
        note: `goal ≤ 300 — ${median(openTimes) <= 300 ? 'met' : 'NOT met'}; click → contacts table and outcome chart of an episode with 20 sessions of PHQ-9 and GAD-7 drawn; median of ${RUNS} (${openTimes.join(', ')} ms)`,
      },
    ];
  });
}
