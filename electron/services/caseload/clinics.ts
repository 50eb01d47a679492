import type { z } from 'zod';
import { weekdayName, type Clinic, type ClinicChanges, type ClinicInput, type clinicMethods } from '../../../shared/contract/clinics';
import { formatUkDate } from '../../../shared/domain/dates';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { ClinicsTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { minutesOf } from './diary';
import { meta, newColumns, nextColumns, notFound, refuse, stale, type Trx } from './records';

/** ISO weekday (1 = Monday) of a calendar date, independent of the machine's zone. */
function isoWeekday(iso: string): number {
  const day = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/**
 * Why a slot does not fit a clinic ("Tuesday diabetes clinic" holds only Tuesday mornings' patients), naming the
 * field at fault, or null when it fits.
 */
export function clinicSlotProblem(clinic: ClinicsTable, slot: { date: string; startTime: string; durationMinutes: number }): { path: string; message: string } | null {
  const weekday = isoWeekday(slot.date);
  if (weekday !== clinic.weekday) return { path: 'date', message: `is a ${weekdayName(weekday)}; ${clinic.name} runs on ${weekdayName(clinic.weekday)}s` };
  const start = minutesOf(slot.startTime);
  if (start < minutesOf(clinic.start_time) || start + slot.durationMinutes > minutesOf(clinic.end_time)) {
    return { path: 'startTime', message: `must fit within ${clinic.name}'s hours (${clinic.start_time}–${clinic.end_time})` };
  }
  return null;
}

export function toClinic(row: ClinicsTable): Clinic {
  return {
    id: row.id,
    name: row.name,
    site: row.site,
    weekday: row.weekday,
    startTime: row.start_time,
    endTime: row.end_time,
    pathway: row.pathway as Clinic['pathway'],
    ltcCode: row.ltc_code,
    ...meta(row),
  };
}

export async function liveClinic(trx: Trx, id: string, path = 'clinicId'): Promise<ClinicsTable> {
  const row = await trx.selectFrom('clinics').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw refuse(path, 'is not one of the team’s clinics');
  return row;
}

/** Two live clinics with one name would be told apart only by id on every screen that lists them. */
async function assertNameFree(trx: Trx, name: string, exceptId: string | null): Promise<void> {
  const same = await trx.selectFrom('clinics').select(['id', 'name']).where('deleted_at', 'is', null).execute();
  if (same.some((c) => c.id !== exceptId && c.name.toLocaleLowerCase('en-GB') === name.toLocaleLowerCase('en-GB'))) {
    throw refuse('name', `is already the name of a clinic (${name}); give this one a name the team can tell apart`);
  }
}

export async function listClinics(ctx: CaseloadContext): Promise<Clinic[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('clinics').selectAll().where('deleted_at', 'is', null).orderBy('weekday').orderBy('start_time').orderBy('name').execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'list', entity: 'clinic', entityIds: rows.map((r) => r.id) }, ctx.now());
    return rows.map(toClinic);
  });
}

export async function createClinic(ctx: CaseloadContext, input: z.output<typeof ClinicInput>): Promise<Clinic> {
  return ctx.db.transaction().execute(async (trx) => {
    await assertNameFree(trx, input.name, null);
    const row: ClinicsTable = {
      ...newColumns(ctx),
      name: input.name,
      site: input.site,
      weekday: input.weekday,
      start_time: input.startTime,
      end_time: input.endTime,
      pathway: input.pathway,
      ltc_code: input.ltcCode,
    };
    await trx.insertInto('clinics').values(row).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'clinic', entityIds: [row.id] }, ctx.now());
    return toClinic(row);
  });
}

/**
 * Changes a clinic's details. Appointments already booked keep their date and time: a clinic moving to another
 * weekday or shorter hours does not silently move patients, so the change is refused while bookings would fall outside.
 */
export async function updateClinic(ctx: CaseloadContext, id: string, version: number, changes: z.output<typeof ClinicChanges>): Promise<Clinic> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('clinics').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw notFound('clinic');
    if (row.version !== version) throw stale();
    if (changes.name !== undefined) await assertNameFree(trx, changes.name, id);
    const updated: ClinicsTable = {
      ...row,
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.site !== undefined ? { site: changes.site } : {}),
      ...(changes.weekday !== undefined ? { weekday: changes.weekday } : {}),
      ...(changes.startTime !== undefined ? { start_time: changes.startTime } : {}),
      ...(changes.endTime !== undefined ? { end_time: changes.endTime } : {}),
      ...(changes.pathway !== undefined ? { pathway: changes.pathway } : {}),
      ...(changes.ltcCode !== undefined ? { ltc_code: changes.ltcCode } : {}),
      ...nextColumns(row, ctx),
    };
    if (updated.end_time <= updated.start_time) throw refuse('endTime', `must be after the start time (${updated.start_time})`);
    // Bookings keep their date and time: a change that would leave one outside the clinic's day or hours is refused.
    if (updated.weekday !== row.weekday || updated.start_time !== row.start_time || updated.end_time !== row.end_time) {
      const booked = await trx.selectFrom('contacts').select(['date', 'start_time', 'duration_minutes']).where('clinic_id', '=', id).where('attendance', 'is', null).where('deleted_at', 'is', null).orderBy('date').execute();
      const outside = booked.filter((b) => clinicSlotProblem(updated, { date: b.date, startTime: b.start_time, durationMinutes: b.duration_minutes }) !== null);
      if (outside.length > 0) {
        const path = updated.weekday !== row.weekday ? 'weekday' : updated.start_time !== row.start_time ? 'startTime' : 'endTime';
        throw refuse(path, `would leave ${outside.length} booked appointment${outside.length === 1 ? '' : 's'} outside the clinic (the first on ${formatUkDate(outside[0]!.date)} at ${outside[0]!.start_time}); move or cancel them first`);
      }
    }
    await trx.updateTable('clinics').set(updated).where('id', '=', id).where('version', '=', version).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'update', entity: 'clinic', entityIds: [id] }, ctx.now());
    return toClinic(updated);
  });
}

export function clinicHandlers(context: ContextSource): HandlerMap<typeof clinicMethods> {
  return {
    'clinics.list': async () => ({ clinics: await listClinics(context()) }),
    'clinics.create': (i) => createClinic(context(), i),
    'clinics.update': (i) => updateClinic(context(), i.id, i.version, i.changes),
  };
}
