import type { z } from 'zod';
import type { ClinicDay, ClinicWeek, DayAppointment, appointmentMethods } from '../../../shared/contract/appointments';
import type { DayQuery as DayQueryInput } from '../../../shared/contract/appointments';
import { ATTENDED_CODES, type ContactType } from '../../../shared/outcomes';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { ClinicsTable, ContactsTable } from '../store/schema';
import { toAppointment } from './appointments';
import { liveClinic, toClinic } from './clinics';
import type { CaseloadContext } from './context';
import { toEpisode } from './episodeAdapter';
import { toAction } from './followUp';
import { refuse, type Trx } from './records';
import { groupSessionNames } from './groups';
import { serviceOutcomes } from './serviceSettings';

type DayQuery = z.output<typeof DayQueryInput>;

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(key(r));
    if (list) list.push(r);
    else out.set(key(r), [r]);
  }
  return out;
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the week holding a date (weeks run Monday to Sunday, as the clinic rota does). */
export function mondayOf(iso: string): string {
  const day = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return addDays(iso, -((day + 6) % 7));
}

interface Scope {
  clinic: ClinicsTable | null;
  clinician: { id: string; displayName: string } | null;
}

/** A clinic's day (everyone booked in it) or a clinician's (default: whoever uses this device). */
async function resolveScope(ctx: CaseloadContext, trx: Trx, q: { clinicId?: string | undefined; clinicianId?: string | undefined }): Promise<Scope> {
  if (q.clinicId) return { clinic: await liveClinic(trx, q.clinicId), clinician: null };
  const id = q.clinicianId ?? ctx.actorId;
  const user = await trx.selectFrom('users').select(['id', 'display_name']).where('id', '=', id).executeTakeFirst();
  if (!user) throw refuse('clinicianId', 'is not in the team directory');
  return { clinic: null, clinician: { id: user.id, displayName: user.display_name } };
}

function bookingsIn(trx: Trx, scope: Scope, from: string, to: string) {
  let q = trx.selectFrom('contacts').selectAll().where('date', '>=', from).where('date', '<=', to).where('deleted_at', 'is', null);
  q = scope.clinic ? q.where('clinic_id', '=', scope.clinic.id) : q.where('clinician_id', '=', scope.clinician!.id);
  return q.orderBy('date').orderBy('start_time').orderBy('id').execute();
}

async function namesOf(trx: Trx, rows: readonly ContactsTable[]) {
  const clinicIds = [...new Set(rows.map((r) => r.clinic_id).filter((id): id is string => !!id))];
  const clinicianIds = [...new Set(rows.map((r) => r.clinician_id))];
  const sessionIds = [...new Set(rows.map((r) => r.group_session_id).filter((id): id is string => !!id))];
  const [clinics, users, group] = await Promise.all([
    clinicIds.length ? trx.selectFrom('clinics').select(['id', 'name']).where('id', 'in', clinicIds).execute() : [],
    clinicianIds.length ? trx.selectFrom('users').select(['id', 'display_name']).where('id', 'in', clinicianIds).execute() : [],
    groupSessionNames(trx, sessionIds),
  ]);
  return {
    clinic: new Map(clinics.map((c) => [c.id, c.name])),
    clinician: new Map(users.map((u) => [u.id, u.display_name])),
    /** A member's group attendance shows the course it was at: "Living well with diabetes, session 2". */
    groupOf: (row: ContactsTable) => (row.group_session_id ? (group.get(row.group_session_id) ?? null) : null),
  };
}

/**
 * One clinic day: each appointment with its patient, the measures `measuresDue` proposes for that contact on the
 * stored episode (the same engine and adapter as the session screen), and the referral's outstanding follow-up
 * actions. A list view: one audit event names every appointment, referral and patient shown.
 */
export async function clinicDay(ctx: CaseloadContext, q: DayQuery): Promise<ClinicDay> {
  return ctx.db.transaction().execute(async (trx) => {
    const scope = await resolveScope(ctx, trx, q);
    const rows = await bookingsIn(trx, scope, q.date, q.date);
    const referralIds = [...new Set(rows.map((r) => r.referral_id))];
    const ids = rows.map((r) => r.id);
    // A booking clerk's day is who is booked when: measures and follow-up actions are clinical (DESIGN §6).
    const clinical = ctx.role !== 'booking-clerk' && referralIds.length > 0;
    const [referrals, contacts, measures, actions, successors, names] = await Promise.all([
      referralIds.length ? trx.selectFrom('referrals').selectAll().where('id', 'in', referralIds).execute() : [],
      clinical ? trx.selectFrom('contacts').selectAll().where('referral_id', 'in', referralIds).execute() : [],
      clinical ? trx.selectFrom('measures').selectAll().where('referral_id', 'in', referralIds).execute() : [],
      clinical
        ? trx.selectFrom('actions').selectAll().where('referral_id', 'in', referralIds).where('done_at', 'is', null).where('deleted_at', 'is', null).orderBy('due_date').execute()
        : [],
      ids.length ? trx.selectFrom('contacts').select(['id', 'date', 'start_time', 'rescheduled_from_id']).where('rescheduled_from_id', 'in', ids).where('deleted_at', 'is', null).execute() : [],
      namesOf(trx, rows),
    ]);
    const patientIds = [...new Set(referrals.map((r) => r.patient_id))];
    const patients = patientIds.length ? await trx.selectFrom('patients').selectAll().where('id', 'in', patientIds).execute() : [];
    const referralById = new Map(referrals.map((r) => [r.id, r]));
    const patientById = new Map(patients.map((p) => [p.id, p]));
    const contactsOf = groupBy(contacts, (c) => c.referral_id);
    const measuresOf = groupBy(measures, (m) => m.referral_id);
    const actionsOf = groupBy(actions, (a) => a.referral_id);
    const successorOf = new Map(successors.map((s) => [s.rescheduled_from_id!, s]));
    const outcomes = await serviceOutcomes(trx);

    const appointments: DayAppointment[] = rows.map((row) => {
      const referral = referralById.get(row.referral_id)!;
      const patient = patientById.get(referral.patient_id)!;
      let due: DayAppointment['measuresDue'] = [];
      // Measures are taken at a contact still to come or one attended (5 or 6, ref §5.4), never at one cancelled or missed.
      if (clinical && (row.attendance === null || ATTENDED_CODES.has(row.attendance))) {
        try {
          const episode = toEpisode(referral, contactsOf.get(referral.id) ?? [], measuresOf.get(referral.id) ?? []);
          due = outcomes.measuresDue(episode, { date: row.date, type: row.type as ContactType, final: false }).map((d) => ({ ...d, title: outcomes.instrument(d.instrumentId).title }));
        } catch {
          // An episode the engine cannot read (a malformed stored row) still shows its appointment; its session
          // screen names the problem when opened.
        }
      }
      const next = successorOf.get(row.id);
      return {
        appointment: toAppointment(row),
        patient: { id: patient.id, nhsNumber: patient.nhs_number, givenName: patient.given_name, familyName: patient.family_name, dateOfBirth: patient.date_of_birth },
        referralStatus: referral.status,
        clinicName: row.clinic_id ? (names.clinic.get(row.clinic_id) ?? null) : null,
        groupName: names.groupOf(row),
        clinicianName: names.clinician.get(row.clinician_id) ?? row.clinician_id,
        measuresDue: due,
        outstandingActions: (actionsOf.get(referral.id) ?? []).map(toAction),
        rescheduledTo: next ? { id: next.id, date: next.date, startTime: next.start_time } : null,
      };
    });
    await appendAudit(
      trx,
      { actorId: ctx.actorId, action: 'list', entity: 'clinic-day', entityIds: [...ids, ...referralIds, ...patientIds] },
      ctx.now(),
    );
    return { date: q.date, clinic: scope.clinic ? toClinic(scope.clinic) : null, clinician: scope.clinician, appointments };
  });
}

/** Monday to Sunday around a date: each day's appointments, lighter than the day view (no measures). */
export async function clinicWeek(ctx: CaseloadContext, q: DayQuery): Promise<ClinicWeek> {
  return ctx.db.transaction().execute(async (trx) => {
    const scope = await resolveScope(ctx, trx, q);
    const weekStart = mondayOf(q.date);
    const dates = Array.from({ length: 7 }, (_, i) => addDays(weekStart, i));
    const rows = await bookingsIn(trx, scope, dates[0]!, dates[6]!);
    const referralIds = [...new Set(rows.map((r) => r.referral_id))];
    const referrals = referralIds.length ? await trx.selectFrom('referrals').select(['id', 'patient_id']).where('id', 'in', referralIds).execute() : [];
    const patientIds = [...new Set(referrals.map((r) => r.patient_id))];
    const patients = patientIds.length ? await trx.selectFrom('patients').select(['id', 'given_name', 'family_name']).where('id', 'in', patientIds).execute() : [];
    const patientOf = new Map(referrals.map((r) => [r.id, patients.find((p) => p.id === r.patient_id)!]));
    const names = await namesOf(trx, rows);
    const byDate = groupBy(rows, (r) => r.date);
    const days = dates.map((date) => ({
      date,
      appointments: (byDate.get(date) ?? []).map((r) => {
        const p = patientOf.get(r.referral_id)!;
        return {
          id: r.id,
          referralId: r.referral_id,
          patientName: `${p.family_name.toUpperCase()}, ${p.given_name}`,
          date: r.date,
          startTime: r.start_time,
          durationMinutes: r.duration_minutes,
          type: r.type as ContactType,
          attendance: r.attendance,
          clinicName: r.clinic_id ? (names.clinic.get(r.clinic_id) ?? null) : null,
          groupName: names.groupOf(r),
          location: r.location,
        };
      }),
    }));
    await appendAudit(trx, { actorId: ctx.actorId, action: 'list', entity: 'clinic-week', entityIds: [...rows.map((r) => r.id), ...referralIds, ...patientIds] }, ctx.now());
    return { weekStart, clinic: scope.clinic ? toClinic(scope.clinic) : null, clinician: scope.clinician, days };
  });
}

export function clinicDayHandlers(context: ContextSource): Pick<HandlerMap<typeof appointmentMethods>, 'clinicDay.day' | 'clinicDay.week'> {
  return {
    'clinicDay.day': (i) => clinicDay(context(), i),
    'clinicDay.week': (i) => clinicWeek(context(), i),
  };
}
