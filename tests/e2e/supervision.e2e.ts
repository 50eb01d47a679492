import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { checkScreen, expect, startHost, test, type Host } from './hostFixture';
import { call, enrol, pageFor, setUp, startTeamServer, syncNow } from './support/teamJourney';

/**
 * Issue #11 §1 in Chromium: Ada's caseload reaches her supervisor's laptop through the real team server; with the
 * server gone, Sam reviews her flagged cases (risk first, each flag with its reason, trajectories), records the
 * supervision with a decision and an action for Ada; back online, the action shows on Ada's episode screen.
 */
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const ukDate = (iso: string) => iso.split('-').reverse().join('/');

test('a supervisor reviews a supervisee’s caseload offline and records the supervision; the action reaches the clinician', async ({ browser }) => {
  test.setTimeout(240_000);
  const dirs = [mkdtempSync(join(tmpdir(), 'caseload-e2e-team-')), mkdtempSync(join(tmpdir(), 'caseload-e2e-ada-')), mkdtempSync(join(tmpdir(), 'caseload-e2e-sam-'))];
  const server = await startTeamServer(join(dirs[0]!, 'pglite'));
  const hosts = [await startHost(dirs[1]!), await startHost(dirs[2]!)];
  try {
    const [adaHost, samHost] = hosts as [Host, Host];
    const ada = await pageFor(browser, adaHost);
    const sam = await pageFor(browser, samHost);
    await ada.setViewportSize({ width: 1366, height: 768 });
    await sam.setViewportSize({ width: 1366, height: 768 });

    // Ada's caseload, recorded on her laptop and sent to the team.
    await setUp(ada, 'Ada Mensah', 'High-intensity therapist (HIT)');
    await enrol(ada, server.url, server.codes.clinician);
    const referralFor = async (n: number, given: string, family: string, received: string) => {
      const patient = await call<{ id: string }>(ada, 'patients.create', { nhsNumber: validNhsNumber(6100 + n), givenName: given, familyName: family, dateOfBirth: '1961-05-04', gpPractice: 'Riverside Medical Centre' });
      return call<{ id: string }>(ada, 'referrals.create', {
        patientId: patient.id, receivedDate: received, referrerRole: 'diabetes-specialist-nurse', ltcCodes: ['44054006'], reason: 'Low mood since diagnosis',
        riskKnown: false, consent: true, urgency: 'routine', pathway: 'integrated-ltc', team: 'Diabetes clinic', status: 'in-treatment',
      });
    };
    const contact = (referralId: string, date: string, attendance: number) =>
      call<{ id: string }>(ada, 'contacts.create', { referralId, date, startTime: '10:00', durationMinutes: 50, type: 'treatment', mechanism: '01', location: 'Diabetes clinic', attendance });
    const measure = (referralId: string, c: { id: string }, date: string, instrumentId: string, answers: number[]) =>
      call(ada, 'measures.record', { referralId, contactId: c.id, date, instrumentId, answers, completedBy: 'patient' });

    const risky = await referralFor(1, 'Rhys', 'Pritchard', daysAgo(60));
    const first = await contact(risky.id, daysAgo(30), 5);
    await measure(risky.id, first, daysAgo(30), 'phq9', [2, 2, 2, 2, 2, 2, 2, 2, 0]);
    await measure(risky.id, first, daysAgo(30), 'gad7', [3, 3, 2, 2, 2, 2, 2]);
    const last = await contact(risky.id, daysAgo(3), 5);
    await measure(risky.id, last, daysAgo(3), 'phq9', [2, 2, 2, 2, 2, 2, 2, 3, 2]);
    await measure(risky.id, last, daysAgo(3), 'gad7', [2, 2, 2, 2, 2, 2, 2]);
    const missing = await referralFor(2, 'Dana', 'Whitlock', daysAgo(40));
    await contact(missing.id, daysAgo(20), 3);
    await contact(missing.id, daysAgo(10), 3);
    await contact(missing.id, daysAgo(2), 5);
    await syncNow(ada);
    await expect(ada.getByTestId('sync-badge')).toHaveText(/^Online · synced/);

    // Sam's laptop pulls his supervisee's caseload; then the server goes away.
    await setUp(sam, 'Sam Okoye', 'Supervisor');
    await enrol(sam, server.url, server.codes.supervisor);
    await server.stop();

    await sam.getByRole('button', { name: 'Supervision', exact: true }).click();
    await expect(sam.getByRole('heading', { name: 'Supervision' })).toBeVisible();
    await expect(sam.getByRole('checkbox', { name: /Ada Mensah \(2 flagged of 2 open\)/ })).toBeChecked();
    const cases = sam.getByRole('region', { name: /^Case: / });
    await expect(cases.first()).toHaveAccessibleName('Case: Rhys Pritchard'); // risk first
    const rhys = sam.getByRole('region', { name: 'Case: Rhys Pritchard' });
    await expect(rhys).toContainText('PHQ-9 item 9 answered 2');
    await expect(rhys.getByRole('figure', { name: /PHQ-9: 16, 19; caseness 10/ })).toBeVisible();
    const dana = sam.getByRole('region', { name: 'Case: Dana Whitlock' });
    await expect(dana).toContainText('2 appointments not attended (DNA)');
    await checkScreen(sam, 'supervision-10-review-offline');

    // The record: discussed, decided, an action for Ada with a due date.
    await rhys.getByRole('checkbox', { name: 'Discussed in this supervision' }).check();
    await rhys.getByLabel('Discussion').fill('Item 9 raised at the last session; no plan or intent reported.');
    await sam.getByRole('button', { name: 'Record supervision' }).click();
    await expect(rhys.getByText('Is required')).toBeVisible(); // decision: from the contract's schema, inline
    await rhys.getByLabel('Decision').fill('Full risk review at the next session; keep step 3.');
    await rhys.getByLabel('Action for Ada Mensah').fill('Complete a full risk review with Rhys');
    const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await rhys.getByLabel('Due date (DD/MM/YYYY)').fill(ukDate(due));
    await checkScreen(sam, 'supervision-11-record');
    await sam.getByRole('button', { name: 'Record supervision' }).click();
    await expect(sam.getByRole('status').filter({ hasText: 'Supervision recorded: 1 case; offline, it will sync' })).toBeVisible();

    await sam.getByText('This week’s lists', { exact: true }).click();
    await expect(sam.getByRole('heading', { name: /Missing measures/ })).toBeVisible();
    await checkScreen(sam, 'supervision-12-week-lists');

    // Back online: Sam's record reaches the team, and Ada's episode screen shows the action.
    await server.start();
    await syncNow(sam);
    await expect(sam.getByTestId('sync-badge')).toHaveText(/^Online · synced/);
    await syncNow(ada);
    await ada.getByRole('button', { name: 'Clinic Caseload' }).click();
    await ada.getByRole('button', { name: 'PRITCHARD, Rhys' }).click();
    await ada.getByRole('button', { name: /^Open the referral received/ }).first().click();
    await expect(ada.getByText(`Complete a full risk review with Rhys Due ${ukDate(due)}.`)).toBeVisible();
    await checkScreen(ada, 'supervision-13-clinician-action');
  } finally {
    for (const h of hosts) await h.stop();
    await server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
