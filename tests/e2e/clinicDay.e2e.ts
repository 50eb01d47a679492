import type { Page } from '@playwright/test';
import type { RawApi } from '../../shared/contract/client';
import { WEEKDAYS } from '../../shared/contract/clinics';
import { formatUkDate, todayIso } from '../../shared/domain/dates';
import { validNhsNumber } from '../../resources/demo/syntheticPatients';
import { checkScreen, expect, test } from './hostFixture';

/**
 * Issue #10 stage 2 in Chromium against the real host: a clinic on today's weekday, three appointments booked
 * in it (a double booking refused on screen), one rescheduled, one cancelled by the patient, the clinic day and
 * the week, and attendance recorded from the day.
 */
const PASSPHRASE = 'clinic room passphrase';

function daysFromToday(n: number): string {
  const d = new Date();
  d.setDate(d.getDate() + n);
  return todayIso(d);
}

/** Patients and referrals come through the page's own contract client: their screens are other tests' subject. */
async function seedPatients(page: Page): Promise<void> {
  const lastWeek = daysFromToday(-7);
  await page.evaluate(
    async ({ people, lastWeek }) => {
      // In the page, globalThis is the window whose `api` the host's bridge script built.
      const api = (globalThis as unknown as { api: RawApi }).api;
      for (const [n, given, family, nhs] of people) {
        const p = await api['patients.create']({ nhsNumber: nhs, givenName: given, familyName: family, dateOfBirth: '1961-04-12', gpPractice: 'Riverside Medical Centre' });
        if (!p.ok) throw new Error(p.error.message);
        const r = await api['referrals.create']({ patientId: p.value.id, receivedDate: '2026-01-05', referrerRole: 'diabetes-specialist-nurse', ltcCodes: ['44054006'], reason: 'Low mood since diagnosis', riskKnown: false, consent: true, urgency: 'routine', pathway: 'integrated-ltc', team: 'Diabetes clinic', status: 'in-treatment' });
        if (!r.ok) throw new Error(r.error.message);
        // Eleanor missed last week's session, so she has a follow-up action outstanding.
        if (n === 1) {
          const c = await api['contacts.create']({ referralId: r.value.id, date: lastWeek, startTime: '10:00', durationMinutes: 50, type: 'treatment', mechanism: '01', location: 'Lister Hospital', attendance: 3 });
          if (!c.ok) throw new Error(c.error.message);
        }
      }
    },
    {
      people: [
        [1, 'Eleanor', 'Patel', validNhsNumber(8101)],
        [2, 'Tomasz', 'Nowak', validNhsNumber(8102)],
        [3, 'Grace', 'Okafor', validNhsNumber(8103)],
      ] as [number, string, string, string][],
      lastWeek,
    },
  );
}

async function choose(page: Page, scope: ReturnType<Page['getByRole']>, label: string, option: string | RegExp) {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option }).click();
}

async function book(page: Page, family: string, time: string, screenshot?: string) {
  await page.getByRole('button', { name: 'Book appointment' }).click();
  const dialog = page.getByRole('dialog', { name: 'Book an appointment' });
  await dialog.getByRole('combobox', { name: 'Patient' }).fill(family);
  await page.getByRole('option', { name: new RegExp(family.toUpperCase()) }).click();
  await dialog.getByLabel('Start time').fill(time);
  if (screenshot) await checkScreen(page, screenshot);
  await dialog.getByRole('button', { name: 'Book appointment' }).click();
  return dialog;
}

test('clinic day: book three in a clinic, reschedule one, the patient cancels one, day and week views, attendance from the day', async ({ page, host }) => {
  const today = todayIso();
  const nextWeek = daysFromToday(7);
  const weekday = WEEKDAYS[((new Date().getDay() + 6) % 7)]!;
  await page.goto(host.url);
  await page.getByLabel('Your name').fill('Priya Shah');
  await page.getByRole('combobox', { name: 'Your role' }).click();
  await page.getByRole('option', { name: 'High-intensity therapist (HIT)' }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create encrypted caseload' }).click();
  await expect(page.getByRole('heading', { name: 'Caseload' })).toBeVisible();
  await seedPatients(page);

  await page.getByRole('button', { name: 'Clinic day' }).click();
  await expect(page.getByRole('heading', { name: 'Clinic day' })).toBeVisible();
  await expect(page.getByText(`Nothing booked on ${formatUkDate(today)}.`)).toBeVisible();

  // A clinic on today's weekday, so today's appointments can be attended.
  await page.getByRole('button', { name: 'New clinic' }).click();
  const clinicForm = page.getByRole('dialog', { name: 'New clinic' });
  await clinicForm.getByLabel('Clinic name').fill(`${weekday} diabetes clinic`);
  await clinicForm.getByLabel('Site').fill('Lister Hospital');
  await choose(page, clinicForm, 'Weekday', weekday);
  await clinicForm.getByLabel('Starts').fill('08:00');
  await clinicForm.getByLabel('Ends').fill('07:00');
  await clinicForm.getByLabel('Site').click();
  await expect(clinicForm.getByText('Must be after the start time')).toBeVisible();
  await checkScreen(page, 'clinic-day-new-clinic');
  await clinicForm.getByLabel('Ends').fill('18:00');
  await choose(page, clinicForm, 'Long-term condition', 'Diabetes type 2');
  await clinicForm.getByRole('button', { name: 'Save clinic' }).click();
  await expect(clinicForm).toBeHidden();
  await choose(page, page.getByRole('main'), 'Show', `${weekday} diabetes clinic · Lister Hospital`);
  await expect(page.getByText(`${weekday} diabetes clinic, Lister Hospital`)).toBeVisible();

  // Three appointments; a fourth at an overlapping time is refused on its field and books nothing.
  for (const [family, time] of [['Patel', '09:00'], ['Nowak', '10:00'], ['Okafor', '11:00']] as const) {
    const dialog = await book(page, family, time, family === 'Patel' ? 'clinic-day-book' : undefined);
    await expect(dialog).toBeHidden();
  }
  const clash = await book(page, 'Okafor', '09:30');
  await expect(clash.getByText(`Overlaps the clinician's appointment on ${formatUkDate(today)} from 09:00 to 09:50`)).toBeVisible();
  await checkScreen(page, 'clinic-day-double-booking');
  await clash.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByTestId('clinic-day-row')).toHaveCount(3);

  // The clinic cannot move to another weekday while patients are booked in it; its site can change.
  await page.getByRole('button', { name: 'Change clinic' }).click();
  const edit = page.getByRole('dialog', { name: `Change ${weekday} diabetes clinic` });
  const otherDay = WEEKDAYS[(WEEKDAYS.indexOf(weekday as (typeof WEEKDAYS)[number]) + 1) % 7]!;
  await choose(page, edit, 'Weekday', otherDay);
  await edit.getByRole('button', { name: 'Save clinic' }).click();
  await expect(edit.getByText('Would leave 3 booked appointments outside the clinic (the first on ' + formatUkDate(today) + ' at 09:00); move or cancel them first')).toBeVisible();
  await checkScreen(page, 'clinic-day-change-clinic-refused');
  await choose(page, edit, 'Weekday', weekday);
  await edit.getByLabel('Site').fill('Lister Hospital, outpatients 2');
  await edit.getByRole('button', { name: 'Save clinic' }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByText(`${weekday} diabetes clinic, Lister Hospital, outpatients 2`)).toBeVisible();

  // Okafor moves to next week at the patient's request.
  await page.getByRole('button', { name: 'Reschedule OKAFOR, Grace' }).click();
  const move = page.getByRole('dialog', { name: 'Reschedule appointment' });
  await move.getByLabel('New date').fill(formatUkDate(nextWeek));
  await move.getByLabel('Reason').fill('Hospital appointment the same morning');
  await checkScreen(page, 'clinic-day-reschedule');
  await move.getByRole('button', { name: 'Book the new time' }).click();
  await expect(move).toBeHidden();
  const okafor = page.getByTestId('clinic-day-row').filter({ hasText: 'OKAFOR, Grace' });
  await expect(okafor.getByText('Cancelled by the patient (2)')).toBeVisible();
  await expect(okafor.getByText(`Moved to ${formatUkDate(nextWeek)} 11:00`)).toBeVisible();

  // Nowak cancels.
  await page.getByRole('button', { name: 'Cancel NOWAK, Tomasz' }).click();
  const cancel = page.getByRole('dialog', { name: 'Cancel appointment' });
  await cancel.getByLabel(/The patient/).check();
  await cancel.getByLabel('Reason').fill('Unwell');
  await cancel.getByRole('button', { name: 'Cancel the appointment' }).click();
  await expect(cancel).toBeHidden();
  const nowak = page.getByTestId('clinic-day-row').filter({ hasText: 'NOWAK, Tomasz' });
  await expect(nowak.getByText('Cancelled by the patient (2)')).toBeVisible();
  await expect(nowak.getByText('Unwell')).toBeVisible();

  // The day: who is due, the measures due, and Eleanor's outstanding DNA follow-up.
  const patel = page.getByTestId('clinic-day-row').filter({ hasText: 'PATEL, Eleanor' });
  await expect(patel.getByText('PHQ-9', { exact: true })).toBeVisible();
  await expect(patel.getByText(/Did not attend on/)).toBeVisible();
  await expect(nowak.getByText('PHQ-9', { exact: true })).toHaveCount(0);
  await checkScreen(page, 'clinic-day-day');

  // Attendance from the day view: Eleanor attended; her session opens from the row.
  await patel.getByRole('combobox', { name: 'Attendance for PATEL, Eleanor' }).selectOption({ label: 'Attended on time (5)' });
  await patel.getByRole('button', { name: 'Record attendance for PATEL, Eleanor' }).click();
  await expect(patel.getByText('Attended on time (5)')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Attendance recorded for PATEL, Eleanor.' })).toBeVisible();
  await checkScreen(page, 'clinic-day-attended');

  // The week, this one and the next (where Okafor's new booking is).
  await page.getByRole('main').locator('label').filter({ hasText: /^Week$/ }).click();
  const todayColumn = page.getByRole('region', { name: new RegExp(formatUkDate(today).slice(0, 5)) });
  await expect(todayColumn.getByTestId('week-appointment')).toHaveCount(3);
  await expect(todayColumn.getByText('09:00 PATEL, Eleanor')).toBeVisible();
  await checkScreen(page, 'clinic-day-week');
  await page.getByRole('button', { name: 'Next week' }).click();
  await expect(page.getByText('11:00 OKAFOR, Grace')).toBeVisible();
  await page.getByRole('button', { name: `${weekday} ${formatUkDate(nextWeek).slice(0, 5)}` }).click();
  await expect(page.getByTestId('clinic-day-row')).toHaveCount(1);
  await expect(page.getByTestId('clinic-day-row').getByText('Booked')).toBeVisible();

  // The attended appointment is the session's contact.
  await page.getByRole('button', { name: 'Today' }).click();
  await page.getByRole('button', { name: 'Open the session with PATEL, Eleanor' }).click();
  await expect(page.getByTestId('measure-entry')).toBeVisible();
  // A colleague's diary (booked by clinician) is covered by tests/unit/appointments: a colleague reaches this
  // store only through the team directory (sync), which only an admin edits.
});
