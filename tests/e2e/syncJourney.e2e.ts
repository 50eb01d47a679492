import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { checkScreen, expect, startHost, test, type Host } from './hostFixture';
import { call, enrol, pageFor, PASSPHRASE, setUp, startTeamServer, syncNow } from './support/teamJourney';

async function openSession(page: Page, family: string, given: string) {
  await page.getByRole('button', { name: 'Clinic Caseload' }).click();
  await page.getByRole('button', { name: `${family.toUpperCase()}, ${given}` }).click();
  await page.getByRole('button', { name: /^Open the referral received/ }).first().click();
  await page.getByRole('button', { name: /^Open session on/ }).first().click();
  await expect(page.getByRole('heading', { name: 'Session note' })).toBeVisible();
}

test('two clinicians edit one note offline, the conflict is resolved by an explicit merge; the supervisor reads every case with the server gone', async ({ browser }) => {
  test.setTimeout(240_000);
  const dirs = [mkdtempSync(join(tmpdir(), 'caseload-e2e-team-')), mkdtempSync(join(tmpdir(), 'caseload-e2e-ada-')), mkdtempSync(join(tmpdir(), 'caseload-e2e-sam-'))];
  const server = await startTeamServer(join(dirs[0]!, 'pglite'));
  const hosts = [await startHost(dirs[1]!), await startHost(dirs[2]!)];
  try {
    const [adaHost, samHost] = hosts as [Host, Host];
    const ada = await pageFor(browser, adaHost);
    const sam = await pageFor(browser, samHost);

    // Ada records a patient, an episode, a session and a draft note before her laptop is enrolled.
    await setUp(ada, 'Ada Mensah', 'High-intensity therapist (HIT)');
    const patient = await call<{ id: string }>(ada, 'patients.create', { nhsNumber: validNhsNumber(5150), givenName: 'Grace', familyName: 'Okafor', dateOfBirth: '1958-03-07', gpPractice: 'Riverside Medical Centre' });
    const referral = await call<{ id: string }>(ada, 'referrals.create', {
      patientId: patient.id, receivedDate: '2026-11-02', referrerRole: 'diabetes-specialist-nurse', ltcCodes: ['44054006'], reason: 'Low mood since diagnosis',
      riskKnown: false, consent: true, urgency: 'routine', pathway: 'integrated-ltc', team: 'Diabetes clinic', status: 'in-treatment',
    });
    const contact = await call<{ id: string }>(ada, 'contacts.create', { referralId: referral.id, date: '2026-11-16', startTime: '10:00', durationMinutes: 50, type: 'treatment', mechanism: '01', location: 'Diabetes clinic', attendance: 5 });
    await call(ada, 'notes.create', { referralId: referral.id, contactId: contact.id, body: 'Session 2: reviewed the activity diary.' });
    await expect(ada.getByTestId('sync-badge')).toHaveText('Not enrolled');

    // Both enrol; Ada's earlier records reach the team, and Sam's laptop pulls his supervisee's caseload.
    await enrol(ada, server.url, server.codes.clinician, 'sync-10-enrol-form');
    await checkScreen(ada, 'sync-11-enrolled-status');
    await setUp(sam, 'Sam Okoye', 'Supervisor');
    await enrol(sam, server.url, server.codes.supervisor);
    await sam.getByRole('button', { name: 'Clinic Caseload' }).click();
    await expect(sam.getByRole('button', { name: 'OKAFOR, Grace' })).toBeVisible();

    // The server goes away. Every case still opens on the supervisor's laptop.
    await server.stop();
    await openSession(sam, 'Okafor', 'Grace');
    await expect(sam.getByRole('textbox', { name: 'Note' })).toHaveValue('Session 2: reviewed the activity diary.');

    // Both edit the same note offline.
    await openSession(ada, 'Okafor', 'Grace');
    await ada.getByRole('textbox', { name: 'Note' }).fill('Session 2: reviewed the activity diary. Grace walked three times this week.');
    await ada.getByRole('button', { name: 'Save draft' }).click();
    await expect(ada.getByText('Not yet synced')).toBeVisible();
    await sam.getByRole('textbox', { name: 'Note' }).fill('Session 2: reviewed the activity diary. Discussed in supervision: keep step 3.');
    await sam.getByRole('button', { name: 'Save draft' }).click();
    await expect(sam.getByText('Not yet synced')).toBeVisible();
    await syncNow(ada);
    await expect(ada.getByTestId('sync-badge')).toHaveText('Offline · 2 changes waiting'); // the note and its kept version
    await checkScreen(ada, 'sync-12-offline-waiting');

    // Sam locks his laptop (sync stops with the session). Back online, Ada's edit lands first; Sam's, from the
    // same base, becomes a conflict at his unlock's round: nothing is overwritten.
    await sam.getByRole('button', { name: 'Lock' }).click();
    await server.start();
    await syncNow(ada);
    await expect(ada.getByTestId('sync-badge')).toHaveText(/^Online · synced/);
    await sam.getByLabel('Passphrase').fill(PASSPHRASE);
    await sam.getByRole('button', { name: 'Unlock' }).click();
    await expect(sam.getByTestId('sync-badge')).toHaveText('1 conflict');
    await openSession(sam, 'Okafor', 'Grace');
    await expect(sam.getByText('Changed on another device too')).toBeVisible();
    await checkScreen(sam, 'sync-13-note-conflict');

    await sam.getByRole('button', { name: 'Open the conflicts inbox', exact: true }).click();
    const theirs = sam.getByRole('region', { name: "The team's record" });
    const mine = sam.getByRole('region', { name: 'Your version' });
    await expect(theirs).toContainText('Grace walked three times this week.');
    await expect(theirs).toContainText('Ada Mensah');
    await expect(mine).toContainText('Discussed in supervision: keep step 3.');
    await sam.getByRole('textbox', { name: 'Merged text' }).fill('Session 2: reviewed the activity diary. Grace walked three times this week. Discussed in supervision: keep step 3.');
    await checkScreen(sam, 'sync-14-conflict-merge');
    await sam.getByRole('button', { name: 'Save merged version' }).click();
    await expect(sam.getByText(/Merged version of the .* saved/)).toBeVisible();
    await syncNow(sam);
    await expect(sam.getByTestId('sync-badge')).toHaveText(/^Online · synced/);

    // The merge reaches Ada at her next round.
    await syncNow(ada);
    await openSession(ada, 'Okafor', 'Grace');
    await expect(ada.getByRole('textbox', { name: 'Note' })).toHaveValue('Session 2: reviewed the activity diary. Grace walked three times this week. Discussed in supervision: keep step 3.');

    // Sam takes the case over. Ada, not yet told, changes Grace's GP practice: the server refuses it, her laptop
    // lets Grace go with the handover, and keeps the refused change for her until she sets it aside.
    const { referral: held } = await call<{ referral: { version: number } }>(sam, 'referrals.get', { id: referral.id });
    await call(sam, 'referrals.update', { id: referral.id, version: held.version, changes: { caseholderId: server.supervisorId } });
    await syncNow(sam);
    const grace = await call<{ version: number }>(ada, 'patients.get', { id: patient.id });
    await call(ada, 'patients.update', { id: patient.id, version: grace.version, changes: { gpPractice: 'Hillside Surgery' } });
    await syncNow(ada);
    await expect(ada.getByTestId('sync-badge')).toHaveText('1 change refused');
    await ada.getByTestId('sync-badge').click();
    const refusedItem = ada.getByRole('region', { name: /not accepted by the team server/ });
    await expect(refusedItem).toContainText('Hillside Surgery');
    await ada.getByRole('button', { name: 'I have copied what I need…' }).click();
    await checkScreen(ada, 'sync-15-refused-set-aside');
    await ada.getByRole('button', { name: 'Set aside', exact: true }).click();
    await expect(ada.getByText(/The refused change to .* was set aside/)).toBeVisible();
    await expect(ada.getByTestId('sync-badge')).toHaveText(/^Online · synced/);
    await ada.getByRole('button', { name: 'Clinic Caseload' }).click();
    await expect(ada.getByRole('button', { name: 'OKAFOR, Grace' })).toHaveCount(0);

    // Sign-out needs the phrase typed exactly; a slip changes nothing.
    await ada.getByTestId('sync-badge').click();
    await ada.getByRole('button', { name: 'Sign out…' }).click();
    const dialog = ada.getByRole('dialog', { name: 'Sign out and remove this caseload' });
    await dialog.getByRole('textbox').fill('remove this caseload');
    await dialog.getByRole('button', { name: 'Sign out and remove' }).click();
    await expect(dialog.getByText('Type “remove this caseload from this device” to confirm')).toBeVisible();
    await checkScreen(ada, 'sync-16-sign-out-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(ada.getByTestId('sync-badge')).toHaveText(/^Online · synced/);
  } finally {
    for (const h of hosts) await h.stop();
    await server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
