import type { z } from 'zod';
import { CANCELLATION_CODES } from '../../../shared/contract/appointments';
import type { Contact, ContactInput, contactMethods } from '../../../shared/contract/contacts';
import { addDays, daysBetween, formatUkDate, todayIso } from '../../../shared/domain/dates';
import { DID_NOT_ATTEND } from '../../../shared/domain/episodeCodes';
import { contactEntryProblems } from '../../../shared/outcomes';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { ContactsTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { assertUser, meta, newColumns, nextColumns, notFound, refuse, stale, type Trx } from './records';
import { assertClinicianFree, insertContact } from './diary';
import { referralInScope } from './scope';

type ParsedContact = z.output<typeof ContactInput>;

/** How long after a missed session the follow-up action is due (a working-week reminder; not a clinical rule). */
const DNA_FOLLOW_UP_DAYS = 2;

export function toContact(row: ContactsTable): Contact {
  return {
    id: row.id,
    referralId: row.referral_id,
    date: row.date,
    startTime: row.start_time,
    durationMinutes: row.duration_minutes,
    type: row.type as Contact['type'],
    mechanism: row.mechanism as Contact['mechanism'],
    location: row.location,
    attendance: row.attendance,
    clinicianId: row.clinician_id,
    therapyType: row.therapy_type,
    groupSessionId: row.group_session_id ?? null,
    ...meta(row),
  };
}

/** Attendance is what happened, so it cannot be recorded for a day that has not come yet. */
export function assertAttendanceDate(ctx: CaseloadContext, date: string, path: string): void {
  if (daysBetween(todayIso(ctx.now()), date) > 0) throw refuse(path, 'cannot be recorded for a contact in the future; book it without attendance');
}

/** A DNA prompts a follow-up action (issue #8 item 5), written in the same transaction as the attendance. */
export async function followUpIfMissed(ctx: CaseloadContext, trx: Trx, contact: ContactsTable): Promise<string[]> {
  if (contact.attendance !== DID_NOT_ATTEND) return [];
  const action = {
    ...newColumns(ctx),
    referral_id: contact.referral_id,
    contact_id: contact.id,
    kind: 'dna-follow-up',
    description: `Did not attend on ${formatUkDate(contact.date)}: contact the patient, review risk and offer another appointment.`,
    due_date: addDays(contact.date, DNA_FOLLOW_UP_DAYS),
    done_at: null,
  };
  await trx.insertInto('actions').values(action).execute();
  return [action.id];
}

export async function createContact(ctx: CaseloadContext, input: ParsedContact): Promise<Contact> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, input.referralId);
    // The referral window rule (ref §4) is the outcomes engine's: before the referral, or after discharge unless a follow-up.
    const window = { referralReceived: referral.received_date, ...(referral.discharge_date ? { dischargeDate: referral.discharge_date } : {}) };
    const problem = contactEntryProblems({ date: input.date, time: input.startTime, type: input.type, attendance: input.attendance ?? 5 }, window)[0];
    if (problem) throw refuse(problem.path, problem.message);
    if (input.attendance !== null) assertAttendanceDate(ctx, input.date, 'attendance');
    const clinician = input.clinicianId ?? ctx.actorId;
    await assertUser(trx, clinician, 'clinicianId');
    // A contact booked ahead (no attendance yet) takes the clinician's time like any appointment.
    if (input.attendance === null) await assertClinicianFree(trx, clinician, input, null);
    const row = await insertContact(trx, ctx, referral.id, {
      date: input.date,
      start_time: input.startTime,
      duration_minutes: input.durationMinutes,
      type: input.type,
      mechanism: input.mechanism,
      location: input.location,
      attendance: input.attendance,
      clinician_id: clinician,
    });
    const actions = await followUpIfMissed(ctx, trx, row);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'contact', entityIds: [row.id, ...actions] }, ctx.now());
    return toContact(row);
  });
}

/** Records what happened at a booked contact; changing a recorded code is allowed (it is versioned and audited). */
export async function recordAttendance(ctx: CaseloadContext, id: string, version: number, attendance: number): Promise<Contact> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('contacts').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw notFound('contact');
    await referralInScope(trx, ctx, row.referral_id, 'contact');
    if (row.version !== version) throw stale();
    // A cancellation freed the clinician's time (and the slot may be booked again): it is not undone from here.
    if (row.attendance !== null && CANCELLATION_CODES.has(row.attendance)) {
      throw refuse('attendance', `cannot be recorded: this appointment was cancelled (code ${row.attendance}); rebook it from the clinic day, or record the contact that happened`);
    }
    assertAttendanceDate(ctx, row.date, 'attendance');
    if (attendance !== 5 && attendance !== 6) {
      const measured = await trx.selectFrom('measures').select('id').where('contact_id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
      if (measured) throw refuse('attendance', 'must be attended (5 or 6): measures were recorded at this contact');
    }
    const updated: ContactsTable = { ...row, attendance, ...nextColumns(row, ctx) };
    await trx.updateTable('contacts').set(updated).where('id', '=', id).where('version', '=', version).execute();
    const actions = row.attendance === DID_NOT_ATTEND ? [] : await followUpIfMissed(ctx, trx, updated);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'update', entity: 'contact', entityIds: [id, ...actions] }, ctx.now());
    return toContact(updated);
  });
}

export function contactHandlers(context: ContextSource): HandlerMap<typeof contactMethods> {
  return {
    'contacts.create': (i) => createContact(context(), i),
    'contacts.recordAttendance': (i) => recordAttendance(context(), i.id, i.version, i.attendance),
  };
}
