import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { todayIso } from '../../shared/domain/dates';
import { checkScreen, expect, startHost, test, type Host } from './hostFixture';
import { call, enrol, pageFor, setUp, startTeamServer, syncNow } from './support/teamJourney';

/**
 * Issue #10 "Done means" in Chromium: a booking clerk, whose front-desk laptop holds the team's demographics and
 * referrals through sync, books a clinician's clinic day, sees no clinical column, and is refused a note both in the
 * UI (there is none) and by the contract; the clinician's laptop then shows the booking in her own day.
 */
test('a booking clerk books a clinic day for a clinician and is refused a note', async ({ browser }) => {
  test.setTimeout(180_000);
  const dirs = [mkdtempSync(join(tmpdir(), 'caseload-e2e-team-')), mkdtempSync(join(tmpdir(), 'caseload-e2e-ada-')), mkdtempSync(join(tmpdir(), 'caseload-e2e-bea-'))];
  const server = await startTeamServer(join(dirs[0]!, 'pglite'));
  const hosts = [await startHost(dirs[1]!), await startHost(dirs[2]!)];
  try {
    const [adaHost, beaHost] = hosts as [Host, Host];
    const ada = await pageFor(browser, adaHost);
    const bea = await pageFor(browser, beaHost);

    // Ada's caseload: two patients with open referrals, on the team server.
    await setUp(ada, 'Ada Mensah', 'High-intensity therapist (HIT)');
    for (const [n, given, family] of [[5301, 'Eleanor', 'Patel'], [5302, 'Tomasz', 'Nowak']] as const) {
      const patient = await call<{ id: string }>(ada, 'patients.create', { nhsNumber: validNhsNumber(n), givenName: given, familyName: family, dateOfBirth: '1961-04-12', gpPractice: 'Riverside Medical Centre' });
      await call(ada, 'referrals.create', {
        patientId: patient.id, receivedDate: '2026-11-02', referrerRole: 'diabetes-specialist-nurse', ltcCodes: ['44054006'], reason: 'Low mood since diagnosis',
        riskKnown: false, consent: true, urgency: 'routine', pathway: 'integrated-ltc', team: 'Diabetes clinic', status: 'waiting-treatment',
      });
    }
    await enrol(ada, server.url, server.codes.clinician);

    // Bea at the front desk: her laptop receives the team directory and every patient's demographics and referrals.
    await setUp(bea, 'Bea Booking', 'Booking clerk');
    await enrol(bea, server.url, server.codes.clerk);
    await bea.getByRole('button', { name: 'Clinic day' }).click();
    await expect(bea.getByRole('heading', { name: 'Clinic day' })).toBeVisible();
    // No "my appointments" for a clerk: the day shown is the first clinician's.
    await expect(bea.getByText("Ada Mensah's appointments")).toBeVisible();

    for (const [family, time] of [['Patel', '09:00'], ['Nowak', '10:00']] as const) {
      await bea.getByRole('button', { name: 'Book appointment' }).click();
      const dialog = bea.getByRole('dialog', { name: 'Book an appointment' });
      await dialog.getByRole('combobox', { name: 'Patient' }).fill(family);
      await bea.getByRole('option', { name: new RegExp(family.toUpperCase()) }).click();
      await dialog.getByLabel('Start time').fill(time);
      await dialog.getByLabel('Location').fill('Diabetes centre, room 4');
      if (family === 'Patel') await checkScreen(bea, 'clerk-01-book-for-clinician');
      await dialog.getByRole('button', { name: 'Book appointment' }).click();
      await expect(dialog).toBeHidden();
    }
    const rows = bea.getByTestId('clinic-day-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText('PATEL, Eleanor');
    // Who is booked when, and nothing clinical: no measures, no actions, no attendance, no session to open.
    const table = bea.getByRole('table', { name: 'Appointments' });
    await expect(table.getByRole('columnheader', { name: 'Measures due' })).toHaveCount(0);
    await expect(table.getByRole('columnheader', { name: 'Outstanding actions' })).toHaveCount(0);
    await expect(table.getByRole('button', { name: /^Record attendance/ })).toHaveCount(0);
    await expect(bea.getByText(/note/i)).toHaveCount(0);
    await checkScreen(bea, 'clerk-02-clinic-day');

    // The contract refuses her a note whatever the page tries, naming role and method.
    const refused = await bea.evaluate(async () => {
      const api = (globalThis as unknown as { api: Record<string, (input: unknown) => Promise<unknown>> }).api;
      return api['notes.create']!({ referralId: '01900000-0000-7000-8000-000000000000', body: 'Seen at the desk' });
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Your role (Booking clerk) may not call notes.create.' } });

    // The bookings reach Ada's own day at her next sync.
    await syncNow(bea);
    await syncNow(ada);
    await ada.getByRole('button', { name: 'Clinic day' }).click();
    await expect(ada.getByTestId('clinic-day-row')).toHaveCount(2);
    const day = await call<{ appointments: { patient: { familyName: string }; appointment: { startTime: string } }[] }>(ada, 'clinicDay.day', { date: todayIso() });
    expect(day.appointments.map((a) => [a.patient.familyName, a.appointment.startTime])).toEqual([['Patel', '09:00'], ['Nowak', '10:00']]);
  } finally {
    for (const h of hosts) await h.stop();
    await server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
