import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../../shared/contract/contract';
import { removeDir } from '../../helpers/tempStore';
import { contactInput, harness, patientInput, referralInput, TODAY, type Harness } from '../episode/episodeHarness';

/**
 * Issue #10 stage 2 on the real dispatcher and an encrypted store, with today fixed at Tuesday 30/06/2026:
 * clinics, booking, cancelling and rescheduling (codes 2 and 4, ref §5.4), and the day and week views.
 */
const TUESDAY = TODAY; // 2026-06-30 is a Tuesday
const NEXT_TUESDAY = '2026-07-07';
const WEDNESDAY = '2026-07-01';

let h: Harness;
let clinicId: string;
const referrals: string[] = [];

function booking(referralId: string, overrides: Partial<MethodInput<'appointments.book'>> = {}): MethodInput<'appointments.book'> {
  return { referralId, date: TUESDAY, startTime: '09:00', durationMinutes: 50, type: 'treatment', mechanism: '01', clinicId, ...overrides };
}

/** A refused call names its field, says why, and writes nothing at all. */
async function refusedWithNothingWritten<M extends 'appointments.book' | 'appointments.reschedule' | 'appointments.cancel' | 'clinics.create' | 'clinics.update' | 'contacts.create' | 'contacts.recordAttendance'>(
  method: M,
  input: MethodInput<M>,
  path: string,
  message: RegExp,
): Promise<void> {
  const before = await h.changes();
  const error = await h.refusal(method, input);
  expect(error.code).toBe('VALIDATION');
  expect(error.fields?.map((f) => f.path)).toContain(path);
  expect(error.message).toMatch(message);
  expect(await h.changes()).toBe(before);
}

beforeAll(async () => {
  h = await harness();
  const clinic = await h.call('clinics.create', { name: 'Tuesday diabetes clinic', site: 'Lister Hospital, diabetes centre', weekday: 2, startTime: '09:00', endTime: '13:00', pathway: 'integrated-ltc', ltcCode: '44054006' });
  clinicId = clinic.id;
  for (const [given, family] of [['Eleanor', 'Patel'], ['Tomasz', 'Nowak'], ['Grace', 'Okafor'], ['Sam', 'Reid']] as const) {
    const p = await h.call('patients.create', patientInput({ givenName: given, familyName: family }));
    const r = await h.call('referrals.create', referralInput(p.id, { status: 'in-treatment' }));
    referrals.push(r.id);
  }
});
afterAll(async () => {
  await h.engine.close();
  removeDir(h.dir);
});

describe('clinics', () => {
  it('lists the team’s clinics and refuses a second clinic with the same name, or one that ends before it starts', async () => {
    const { clinics } = await h.call('clinics.list', {});
    expect(clinics.map((c) => [c.name, c.site, c.weekday, c.startTime, c.endTime])).toEqual([['Tuesday diabetes clinic', 'Lister Hospital, diabetes centre', 2, '09:00', '13:00']]);
    await refusedWithNothingWritten('clinics.create', { name: 'TUESDAY diabetes clinic', site: 'Elsewhere', weekday: 2, startTime: '14:00', endTime: '17:00', pathway: 'integrated-ltc' }, 'name', /already the name of a clinic/);
    await refusedWithNothingWritten('clinics.create', { name: 'Backwards clinic', site: 'Elsewhere', weekday: 3, startTime: '14:00', endTime: '13:00', pathway: 'core' }, 'endTime', /after the start time/);
  });
});

describe('booking', () => {
  it('lists the open referrals that can be booked, by name, with nothing clinical, audited as one list read', async () => {
    const audit = await h.auditCount();
    const { referrals: open } = await h.call('appointments.bookable', {});
    expect(open.map((r) => `${r.familyName}, ${r.givenName}`)).toEqual(['Nowak, Tomasz', 'Okafor, Grace', 'Patel, Eleanor', 'Reid, Sam']);
    expect(open.map((r) => r.referralId).sort()).toEqual([...referrals].sort());
    expect(Object.keys(open[0]!).sort()).toEqual(['familyName', 'givenName', 'nhsNumber', 'patientId', 'receivedDate', 'referralId']);
    expect(await h.auditCount()).toBe(audit + 1);
  });

  it('books into a clinic with its site as the location, audited once, as a contact booked ahead (no attendance)', async () => {
    const audit = await h.auditCount();
    const a = await h.call('appointments.book', booking(referrals[0]!, { startTime: '09:00' }));
    expect(a).toMatchObject({ date: TUESDAY, startTime: '09:00', attendance: null, clinicId, location: 'Lister Hospital, diabetes centre', rescheduledFromId: null, cancellationReason: null });
    expect(await h.auditCount()).toBe(audit + 1);
    // The same row the session record reads: the episode lists it as a contact still to happen.
    const detail = await h.call('referrals.get', { id: referrals[0]! });
    expect(detail.contacts.map((c) => [c.id, c.attendance])).toContainEqual([a.id, null]);
  });

  it('refuses a double booking of the clinician at an overlapping time, naming the clash, and writes nothing', async () => {
    await refusedWithNothingWritten('appointments.book', booking(referrals[1]!, { startTime: '09:30' }), 'startTime', /overlaps the clinician's appointment on 30\/06\/2026 from 09:00 to 09:50/);
    // Back to back is not a clash.
    await h.call('appointments.book', booking(referrals[1]!, { startTime: '09:50', durationMinutes: 40 }));
    // A contact booked ahead from the episode (no attendance yet) takes the same diary.
    await refusedWithNothingWritten(
      'contacts.create',
      contactInput(referrals[2]!, TUESDAY, { startTime: '10:00', durationMinutes: 30, attendance: null }),
      'startTime',
      /overlaps the clinician's appointment on 30\/06\/2026 from 09:50 to 10:30/,
    );
  });

  it('refuses dates out of range: the past, more than a year ahead, the wrong weekday for the clinic, outside its hours, before the referral', async () => {
    await refusedWithNothingWritten('appointments.book', booking(referrals[2]!, { date: '2026-06-23' }), 'date', /in the past/);
    await refusedWithNothingWritten('appointments.book', booking(referrals[2]!, { date: '2027-07-06', clinicId: null, location: 'Home visit' }), 'date', /more than 366 days ahead/);
    await refusedWithNothingWritten('appointments.book', booking(referrals[2]!, { date: WEDNESDAY }), 'date', /is a Wednesday; Tuesday diabetes clinic runs on Tuesdays/);
    await refusedWithNothingWritten('appointments.book', booking(referrals[2]!, { startTime: '12:30' }), 'startTime', /within Tuesday diabetes clinic's hours \(09:00–13:00\)/);
    const late = await h.call('patients.create', patientInput({ givenName: 'Ada', familyName: 'Later' }));
    const future = await h.call('referrals.create', referralInput(late.id, { receivedDate: TODAY }));
    await h.call('appointments.book', booking(future.id, { date: NEXT_TUESDAY, startTime: '12:00', durationMinutes: 30 }));
    await refusedWithNothingWritten('appointments.book', booking(referrals[2]!, { clinicId: null }), 'location', /required for an appointment outside a clinic/);
    await refusedWithNothingWritten('appointments.book', booking(referrals[2]!, { clinicId: '00000000-0000-7000-8000-000000000000' }), 'clinicId', /not one of the team’s clinics/);
  });
});

describe('cancel and reschedule', () => {
  it('cancels by the patient with code 2 and a reason; the slot is free again; cancelling twice is refused', async () => {
    const a = await h.call('appointments.book', booking(referrals[2]!, { startTime: '11:00' }));
    const cancelled = await h.call('appointments.cancel', { id: a.id, version: a.version, cancelledBy: 'patient', reason: 'Hospital appointment clash' });
    expect(cancelled).toMatchObject({ attendance: 2, cancellationReason: 'Hospital appointment clash', version: a.version + 1 });
    await refusedWithNothingWritten('appointments.cancel', { id: a.id, version: cancelled.version, cancelledBy: 'service' }, 'id', /already cancelled by the patient \(code 2\)/);
    // A cancelled appointment freed its time: it cannot be marked attended after all (its slot may be rebooked).
    await refusedWithNothingWritten('contacts.recordAttendance', { id: a.id, version: cancelled.version, attendance: 5 }, 'attendance', /was cancelled \(code 2\)/);
    await h.call('appointments.book', booking(referrals[3]!, { startTime: '11:00' }));
  });

  it('reschedules: the booking is closed with code 4 (service), the new one links back; moving the old one again is refused', async () => {
    const a = await h.call('appointments.book', booking(referrals[2]!, { date: NEXT_TUESDAY, startTime: '10:00' }));
    const audit = await h.auditCount();
    const { cancelled, booked } = await h.call('appointments.reschedule', { id: a.id, version: a.version, date: NEXT_TUESDAY, startTime: '11:00', cancelledBy: 'service', reason: 'Clinician on training' });
    expect(cancelled).toMatchObject({ id: a.id, attendance: 4, cancellationReason: 'Clinician on training' });
    expect(booked).toMatchObject({ date: NEXT_TUESDAY, startTime: '11:00', attendance: null, rescheduledFromId: a.id, clinicId, durationMinutes: 50 });
    expect(await h.auditCount()).toBe(audit + 1);
    await refusedWithNothingWritten('appointments.reschedule', { id: a.id, version: cancelled.version, date: NEXT_TUESDAY, startTime: '12:00', cancelledBy: 'patient' }, 'id', /already rescheduled to 07\/07\/2026 at 11:00; reschedule that one instead/);
    // The replacement may be moved in turn, but not onto the clinician's other booking.
    await refusedWithNothingWritten('appointments.reschedule', { id: booked.id, version: booked.version, date: NEXT_TUESDAY, startTime: '12:10', durationMinutes: 20, cancelledBy: 'patient' }, 'startTime', /overlaps/);
    await refusedWithNothingWritten('appointments.reschedule', { id: booked.id, version: booked.version, date: NEXT_TUESDAY, startTime: '11:00', cancelledBy: 'patient' }, 'startTime', /is the time it is booked for already/);
  });

  it('a cancelled appointment may be rebooked once (its code stays), and not twice', async () => {
    const a = await h.call('appointments.book', booking(referrals[3]!, { date: NEXT_TUESDAY, startTime: '09:00' }));
    const c = await h.call('appointments.cancel', { id: a.id, version: a.version, cancelledBy: 'patient' });
    const { cancelled, booked } = await h.call('appointments.reschedule', { id: c.id, version: c.version, date: NEXT_TUESDAY, startTime: '09:00', durationMinutes: 30, cancelledBy: 'service' });
    expect(cancelled).toMatchObject({ attendance: 2, version: c.version });
    expect(booked.rescheduledFromId).toBe(a.id);
    await refusedWithNothingWritten('appointments.reschedule', { id: c.id, version: c.version, date: NEXT_TUESDAY, startTime: '09:40', cancelledBy: 'patient' }, 'id', /already rescheduled/);
  });

  it('a stale version is refused as stale, and an appointment that happened cannot be cancelled or moved', async () => {
    const past = await h.call('contacts.create', contactInput(referrals[3]!, '2026-06-23'));
    await refusedWithNothingWritten('appointments.cancel', { id: past.id, version: past.version, cancelledBy: 'patient' }, 'id', /already attended on time \(code 5\)/);
    await refusedWithNothingWritten('appointments.reschedule', { id: past.id, version: past.version, date: NEXT_TUESDAY, startTime: '12:00', cancelledBy: 'patient' }, 'id', /already happened/);
    const before = await h.changes();
    const error = await h.refusal('appointments.cancel', { id: past.id, version: past.version + 3, cancelledBy: 'patient' });
    expect(error.code).toBe('STALE_VERSION');
    expect(await h.changes()).toBe(before);
  });
});

describe('clinic day and week', () => {
  it('shows the clinic’s day in time order with each patient, the measures due and outstanding actions; cancelled ones due nothing', async () => {
    // A DNA last week leaves Sam Reid a follow-up action.
    await h.call('contacts.create', contactInput(referrals[3]!, '2026-06-16', { attendance: 3 }));
    const audit = await h.auditCount();
    const day = await h.call('clinicDay.day', { date: TUESDAY, clinicId });
    expect(await h.auditCount()).toBe(audit + 1);
    expect(day.clinic?.name).toBe('Tuesday diabetes clinic');
    expect(day.appointments.map((a) => [a.appointment.startTime, a.patient.familyName, a.appointment.attendance])).toEqual([
      ['09:00', 'Patel', null],
      ['09:50', 'Nowak', null],
      ['11:00', 'Okafor', 2],
      ['11:00', 'Reid', null],
    ]);
    const [patel, , okafor, reid] = day.appointments;
    // An LTC (diabetes) treatment contact: PHQ-9 and the anxiety measure at least, each with the engine's reason.
    expect(patel!.measuresDue.map((m) => m.instrumentId)).toEqual(expect.arrayContaining(['phq9', 'gad7']));
    expect(patel!.measuresDue.every((m) => m.reason.length > 0 && m.title.length > 0)).toBe(true);
    expect(okafor!.measuresDue).toEqual([]);
    // A missed contact is due nothing either.
    const missed = await h.call('clinicDay.day', { date: '2026-06-16' });
    expect(missed.appointments.map((a) => [a.appointment.attendance, a.measuresDue])).toEqual([[3, []]]);
    expect(reid!.outstandingActions.map((a) => a.kind)).toEqual(['dna-follow-up']);
    expect(patel!.outstandingActions).toEqual([]);
  });

  it('a clinician’s day holds their appointments in and out of clinics; the week runs Monday to Sunday', async () => {
    await h.call('appointments.book', booking(referrals[0]!, { date: WEDNESDAY, startTime: '14:00', clinicId: null, location: 'Telephone', mechanism: '02', durationMinutes: 30 }));
    const mine = await h.call('clinicDay.day', { date: WEDNESDAY });
    expect(mine.clinician?.displayName).toBe('Dr Ada Lovelace');
    expect(mine.appointments.map((a) => [a.appointment.location, a.clinicName])).toEqual([['Telephone', null]]);
    const week = await h.call('clinicDay.week', { date: WEDNESDAY });
    expect(week.weekStart).toBe('2026-06-29');
    expect(week.days.map((d) => d.date)).toEqual(['2026-06-29', '2026-06-30', '2026-07-01', '2026-07-02', '2026-07-03', '2026-07-04', '2026-07-05']);
    expect(week.days[1]!.appointments.map((a) => [a.startTime, a.patientName])).toEqual([
      ['09:00', 'PATEL, Eleanor'],
      ['09:50', 'NOWAK, Tomasz'],
      ['11:00', 'OKAFOR, Grace'],
      ['11:00', 'REID, Sam'],
    ]);
    expect(week.days[2]!.appointments.map((a) => a.location)).toEqual(['Telephone']);
    const clinicWeek = await h.call('clinicDay.week', { date: NEXT_TUESDAY, clinicId });
    expect(clinicWeek.days[1]!.appointments.map((a) => [a.startTime, a.attendance])).toEqual([
      ['09:00', 2],
      ['09:00', null],
      ['10:00', 4],
      ['11:00', null],
      ['12:00', null],
    ]);
  });

  it('books into a colleague’s diary and shows their day by clinician; a clinic and a clinician together are refused', async () => {
    // A colleague arrives through the team directory (only an admin adds people: shared/roles/policy.ts).
    const tom = { id: uuidv7() };
    const at = new Date().toISOString();
    await h.engine.context().db.insertInto('users').values({ id: tom.id, display_name: 'Tom Ahmed', role: 'pwp', supervisor_id: null, version: 1, created_at: at, updated_at: at }).execute();
    // Tom is free at 09:00 on Tuesday although this device's clinician is not: the clash is per clinician.
    const a = await h.call('appointments.book', booking(referrals[1]!, { date: NEXT_TUESDAY, startTime: '09:00', clinicianId: tom.id }));
    expect(a.clinicianId).toBe(tom.id);
    const day = await h.call('clinicDay.day', { date: NEXT_TUESDAY, clinicianId: tom.id });
    expect(day.clinician).toEqual({ id: tom.id, displayName: 'Tom Ahmed' });
    expect(day.appointments.map((x) => [x.appointment.startTime, x.patient.familyName, x.clinicianName])).toEqual([['09:00', 'Nowak', 'Tom Ahmed']]);
    const both = await h.refusal('clinicDay.day', { date: NEXT_TUESDAY, clinicianId: tom.id, clinicId });
    expect(both.fields?.map((f) => f.path)).toEqual(['clinicId']);
    await refusedWithNothingWritten('appointments.book', booking(referrals[2]!, { date: NEXT_TUESDAY, startTime: '09:20', clinicianId: tom.id }), 'startTime', /overlaps the clinician's appointment on 07\/07\/2026 from 09:00 to 09:50/);
  });

  it('recording attendance on a booked appointment makes it the session’s contact, and the day shows it attended', async () => {
    const day = await h.call('clinicDay.day', { date: TUESDAY, clinicId });
    const patel = day.appointments[0]!.appointment;
    const attended = await h.call('contacts.recordAttendance', { id: patel.id, version: patel.version, attendance: 5 });
    expect(attended.attendance).toBe(5);
    await h.call('measures.record', { referralId: patel.referralId, contactId: patel.id, date: TUESDAY, instrumentId: 'phq9', answers: [1, 1, 1, 1, 1, 1, 1, 1, 0], completedBy: 'patient' });
    const after = await h.call('clinicDay.day', { date: TUESDAY, clinicId });
    expect(after.appointments[0]!.appointment.attendance).toBe(5);
    const detail = await h.call('referrals.get', { id: patel.referralId });
    expect(detail.classification).toBeDefined();
    expect(detail.measures.map((m) => m.contactId)).toContain(patel.id);
  });

  it('refuses a clinic change that would leave bookings outside its weekday or hours; the audit chain verifies', async () => {
    const { clinics } = await h.call('clinics.list', {});
    const version = clinics[0]!.version;
    await refusedWithNothingWritten('clinics.update', { id: clinicId, version, changes: { weekday: 3 } }, 'weekday', /would leave 6 booked appointments outside the clinic \(the first on 30\/06\/2026 at 09:50\)/);
    await refusedWithNothingWritten('clinics.update', { id: clinicId, version, changes: { endTime: '12:00' } }, 'endTime', /would leave 1 booked appointment outside the clinic \(the first on 07\/07\/2026 at 12:00\)/);
    // Hours that still hold every booking may change, and so may the site.
    const changed = await h.call('clinics.update', { id: clinicId, version, changes: { site: 'Lister Hospital, outpatients 2', endTime: '12:30' } });
    expect(changed).toMatchObject({ site: 'Lister Hospital, outpatients 2', endTime: '12:30', version: version + 1 });
    const v = await h.call('audit.verify', {});
    expect(v.problems).toEqual([]);
  });
});
