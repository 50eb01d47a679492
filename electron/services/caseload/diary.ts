import { CANCELLATION_CODES } from '../../../shared/contract/appointments';
import { formatUkDate } from '../../../shared/domain/dates';
import type { ContactType } from '../../../shared/outcomes';
import type { ContactsTable } from '../store/schema';
import { carePlanTherapyType } from './carePlan';
import type { CaseloadContext } from './context';
import { newColumns, refuse, type Trx } from './records';

/** A clinician's diary: when a contact sits, whether the clinician is free then, and writing a new contact into it. */
export interface Slot {
  date: string;
  startTime: string;
  durationMinutes: number;
}

export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const clock = (total: number) => `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;

/**
 * A clinician cannot be in two appointments at once. Cancelled bookings (codes 2 and 4) free their time; a
 * contact that happened (or was missed) still held it.
 */
export async function assertClinicianFree(trx: Trx, clinicianId: string, slot: Slot, exceptId: string | null): Promise<void> {
  const start = minutesOf(slot.startTime);
  const end = start + slot.durationMinutes;
  if (end > 24 * 60) throw refuse('durationMinutes', 'must end by midnight');
  const sameDay = await trx
    .selectFrom('contacts')
    .select(['id', 'start_time', 'duration_minutes', 'attendance'])
    .where('clinician_id', '=', clinicianId)
    .where('date', '=', slot.date)
    .where('deleted_at', 'is', null)
    .execute();
  const clash = sameDay
    .filter((c) => c.id !== exceptId && (c.attendance === null || !CANCELLATION_CODES.has(c.attendance)))
    .find((c) => minutesOf(c.start_time) < end && start < minutesOf(c.start_time) + c.duration_minutes);
  if (clash) {
    const clashEnd = clock(minutesOf(clash.start_time) + clash.duration_minutes);
    throw refuse('startTime', `overlaps the clinician's appointment on ${formatUkDate(slot.date)} from ${clash.start_time} to ${clashEnd}`);
  }
}

type ContactFields = Omit<ContactsTable, keyof ReturnType<typeof newColumns> | 'referral_id' | 'therapy_type'>;

/** Inserts a new contact of a referral, stamped with the therapy type its care plan gives it (ref §5.5). */
export async function insertContact(trx: Trx, ctx: CaseloadContext, referralId: string, fields: ContactFields): Promise<ContactsTable> {
  const row: ContactsTable = {
    ...newColumns(ctx),
    referral_id: referralId,
    ...fields,
    therapy_type: await carePlanTherapyType(trx, referralId, fields.type as ContactType),
  };
  await trx.insertInto('contacts').values(row).execute();
  return row;
}
