import type { z } from 'zod';
import { CANCELLATION_CODES, CANCELLED_BY, type Appointment, type BookableReferral, type BookingInput, type CancelInput, type RescheduleInput, type appointmentMethods } from '../../../shared/contract/appointments';
import { daysBetween, formatUkDate, todayIso } from '../../../shared/domain/dates';
import { ATTENDANCE_LABELS } from '../../../shared/domain/episodeCodes';
import { contactEntryProblems, type ContactType } from '../../../shared/outcomes';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { ClinicsTable, ContactsTable } from '../store/schema';
import { clinicSlotProblem, liveClinic } from './clinics';
import { toContact } from './contacts';
import type { CaseloadContext } from './context';
import { assertUser, liveReferral, nextColumns, notFound, refuse, stale, type Trx } from './records';
import { assertClinicianFree, insertContact, type Slot } from './diary';
import { caseholderScope } from './scope';

/** How far ahead a booking may be made: a year and a day covers an annual review (a local choice, not a data-set rule). */
export const MAX_DAYS_AHEAD = 366;

export function toAppointment(row: ContactsTable): Appointment {
  return { ...toContact(row), clinicId: row.clinic_id ?? null, rescheduledFromId: row.rescheduled_from_id ?? null, cancellationReason: row.cancellation_reason ?? null };
}

/** A booking is for a day still to come (today included) and not beyond MAX_DAYS_AHEAD. */
function assertBookableDate(ctx: CaseloadContext, date: string): void {
  const ahead = daysBetween(todayIso(ctx.now()), date);
  if (ahead < 0) throw refuse('date', 'is in the past; record a contact that already happened from the episode instead');
  if (ahead > MAX_DAYS_AHEAD) throw refuse('date', `is more than ${MAX_DAYS_AHEAD} days ahead; book nearer the time`);
}

function assertInClinic(clinic: ClinicsTable, slot: Slot): void {
  const problem = clinicSlotProblem(clinic, slot);
  if (problem) throw refuse(problem.path, problem.message);
}

/** The referral window rule is the outcomes engine's (ref §4): not before the referral, not after discharge unless a follow-up. */
function assertInEpisode(referral: { received_date: string; discharge_date: string | null }, slot: Slot, type: string): void {
  const window = { referralReceived: referral.received_date, ...(referral.discharge_date ? { dischargeDate: referral.discharge_date } : {}) };
  const problem = contactEntryProblems({ date: slot.date, time: slot.startTime, type: type as ContactType, attendance: 5 }, window)[0];
  if (problem) throw refuse(problem.path, problem.message);
}

export async function bookAppointment(ctx: CaseloadContext, input: z.output<typeof BookingInput>): Promise<Appointment> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await liveReferral(trx, input.referralId);
    assertBookableDate(ctx, input.date);
    assertInEpisode(referral, input, input.type);
    const clinic = input.clinicId ? await liveClinic(trx, input.clinicId) : null;
    if (clinic) assertInClinic(clinic, input);
    const location = input.location || clinic?.site;
    if (!location) throw refuse('location', 'is required for an appointment outside a clinic');
    const clinicianId = input.clinicianId ?? ctx.actorId;
    await assertUser(trx, clinicianId, 'clinicianId');
    await assertClinicianFree(trx, clinicianId, input, null);
    const row = await insertContact(trx, ctx, referral.id, {
      date: input.date,
      start_time: input.startTime,
      duration_minutes: input.durationMinutes,
      type: input.type,
      mechanism: input.mechanism,
      location,
      attendance: null,
      clinician_id: clinicianId,
      clinic_id: clinic?.id ?? null,
      rescheduled_from_id: null,
      cancellation_reason: null,
    });
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'appointment', entityIds: [row.id] }, ctx.now());
    return toAppointment(row);
  });
}

async function liveBooking(trx: Trx, id: string, version: number): Promise<ContactsTable> {
  const row = await trx.selectFrom('contacts').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('appointment');
  if (row.version !== version) throw stale();
  return row;
}

async function successorOf(trx: Trx, id: string): Promise<ContactsTable | undefined> {
  return trx.selectFrom('contacts').selectAll().where('rescheduled_from_id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

function describeAttendance(code: number): string {
  return `${ATTENDANCE_LABELS[code]?.toLowerCase() ?? 'recorded'} (code ${code})`;
}

/** Closes a booked appointment with code 2 or 4; an appointment that happened, or is closed already, is refused. */
function cancelled(ctx: CaseloadContext, row: ContactsTable, by: keyof typeof CANCELLED_BY, reason: string | undefined): ContactsTable {
  if (row.attendance !== null) throw refuse('id', `names an appointment already ${describeAttendance(row.attendance)}`);
  return { ...row, attendance: CANCELLED_BY[by], cancellation_reason: reason || null, ...nextColumns(row, ctx) };
}

export async function cancelAppointment(ctx: CaseloadContext, input: z.output<typeof CancelInput>): Promise<Appointment> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await liveBooking(trx, input.id, input.version);
    const updated = cancelled(ctx, row, input.cancelledBy, input.reason);
    await trx.updateTable('contacts').set(updated).where('id', '=', row.id).where('version', '=', row.version).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'update', entity: 'appointment', entityIds: [row.id] }, ctx.now());
    return toAppointment(updated);
  });
}

/**
 * Moves a booking: the original is closed as cancelled by whoever asked (unless it was cancelled already, when it
 * is rebooked as it stands) and a new booking links back to it. A booking is moved once; its replacement is the
 * one to move next, so the chain of moves stays a single line.
 */
export async function rescheduleAppointment(ctx: CaseloadContext, input: z.output<typeof RescheduleInput>): Promise<{ cancelled: Appointment; booked: Appointment }> {
  return ctx.db.transaction().execute(async (trx) => {
    const original = await liveBooking(trx, input.id, input.version);
    const moved = await successorOf(trx, original.id);
    if (moved) throw refuse('id', `names an appointment already rescheduled to ${formatUkDate(moved.date)} at ${moved.start_time}; reschedule that one instead`);
    if (original.attendance !== null && !CANCELLATION_CODES.has(original.attendance)) {
      throw refuse('id', `names an appointment that already happened: ${describeAttendance(original.attendance)}; book a new one instead`);
    }
    const referral = await liveReferral(trx, original.referral_id);
    const slot: Slot = { date: input.date, startTime: input.startTime, durationMinutes: input.durationMinutes ?? original.duration_minutes };
    if (original.attendance === null && slot.date === original.date && slot.startTime === original.start_time) throw refuse('startTime', 'is the time it is booked for already; choose a new date or time');
    assertBookableDate(ctx, slot.date);
    assertInEpisode(referral, slot, original.type);
    const clinicId = input.clinicId === undefined ? (original.clinic_id ?? null) : input.clinicId;
    const clinic = clinicId ? await liveClinic(trx, clinicId) : null;
    if (clinic) assertInClinic(clinic, slot);
    const location = input.location || (input.clinicId !== undefined && clinic ? clinic.site : original.location);
    await assertClinicianFree(trx, original.clinician_id, slot, original.id);

    const closed = original.attendance === null ? cancelled(ctx, original, input.cancelledBy, input.reason) : original;
    if (closed !== original) await trx.updateTable('contacts').set(closed).where('id', '=', original.id).where('version', '=', original.version).execute();
    const row = await insertContact(trx, ctx, original.referral_id, {
      date: slot.date,
      start_time: slot.startTime,
      duration_minutes: slot.durationMinutes,
      type: original.type,
      mechanism: original.mechanism,
      location,
      attendance: null,
      clinician_id: original.clinician_id,
      clinic_id: clinic?.id ?? null,
      rescheduled_from_id: original.id,
      cancellation_reason: null,
    });
    await appendAudit(trx, { actorId: ctx.actorId, action: 'update', entity: 'appointment', entityIds: [original.id, row.id] }, ctx.now());
    return { cancelled: toAppointment(closed), booked: toAppointment(row) };
  });
}

/** The day and week views are clinicDay.ts's. */
/** Open referrals the person may book, with who they are for; a list read, audited naming every patient shown. */
export async function bookableReferrals(ctx: CaseloadContext): Promise<{ referrals: BookableReferral[] }> {
  return ctx.db.transaction().execute(async (trx) => {
    const scope = await caseholderScope(trx, ctx);
    let q = trx
      .selectFrom('referrals')
      .innerJoin('patients', 'patients.id', 'referrals.patient_id')
      .select(['referrals.id as referralId', 'patients.id as patientId', 'patients.nhs_number as nhsNumber', 'patients.given_name as givenName', 'patients.family_name as familyName', 'referrals.received_date as receivedDate'])
      .where('referrals.deleted_at', 'is', null)
      .where('referrals.discharge_date', 'is', null)
      .where('referrals.status', '!=', 'discharged')
      .where('patients.deleted_at', 'is', null);
    if (scope !== null) q = q.where('referrals.caseholder_id', 'in', scope.length ? scope : ['']);
    const referrals = await q.orderBy('patients.family_name').orderBy('patients.given_name').orderBy('referrals.received_date').execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'list', entity: 'bookable-referrals', entityIds: [...new Set(referrals.map((r) => r.patientId))] }, ctx.now());
    return { referrals };
  });
}

export function appointmentHandlers(context: ContextSource): Omit<HandlerMap<typeof appointmentMethods>, 'clinicDay.day' | 'clinicDay.week'> {
  return {
    'appointments.bookable': () => bookableReferrals(context()),
    'appointments.book': (i) => bookAppointment(context(), i),
    'appointments.reschedule': (i) => rescheduleAppointment(context(), i),
    'appointments.cancel': (i) => cancelAppointment(context(), i),
  };
}
