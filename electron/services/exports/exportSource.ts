import type { ExportSource } from '../../../shared/exports/source';
import type { CaseloadContext } from '../caseload/context';
import type { Trx } from '../caseload/records';
import { caseholderScope } from '../caseload/scope';

/**
 * The rows an export is made from, read through the caller's scope (shared/roles/scope.ts: own referrals, a
 * supervisor's supervisees' too): the referrals open during the period, their patients, and the contacts and
 * measures of those referrals, and their waiting-time pauses. Soft-deleted rows never leave. Period filtering of dated rows is the mapping's.
 */
export async function readExportSource(trx: Trx, ctx: CaseloadContext, period: { from: string; to: string }): Promise<ExportSource> {
  const scope = await caseholderScope(trx, ctx);
  let referralQuery = trx
    .selectFrom('referrals')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where('received_date', '<=', period.to)
    .where((eb) => eb.or([eb('discharge_date', 'is', null), eb('discharge_date', '>=', period.from)]));
  if (scope !== null) referralQuery = scope.length === 0 ? referralQuery.where((eb) => eb.lit(false)) : referralQuery.where('caseholder_id', 'in', scope);
  const referrals = await referralQuery.orderBy('received_date').orderBy('id').execute();
  const referralIds = referrals.map((r) => r.id);
  const patientIds = [...new Set(referrals.map((r) => r.patient_id))];
  const inChunks = async <T>(ids: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> => {
    const out: T[] = [];
    // SQLite's bound-parameter limit: read in chunks rather than one IN list of a year's referrals.
    for (let i = 0; i < ids.length; i += 500) out.push(...(await read(ids.slice(i, i + 500))));
    return out;
  };
  const patients = await inChunks(patientIds, (chunk) => trx.selectFrom('patients').selectAll().where('id', 'in', chunk).where('deleted_at', 'is', null).execute());
  const contacts = await inChunks(referralIds, (chunk) =>
    trx.selectFrom('contacts').selectAll().where('referral_id', 'in', chunk).where('deleted_at', 'is', null).where('date', '>=', period.from).where('date', '<=', period.to).execute(),
  );
  const measures = await inChunks(referralIds, (chunk) =>
    trx.selectFrom('measures').selectAll().where('referral_id', 'in', chunk).where('deleted_at', 'is', null).where('date', '>=', period.from).where('date', '<=', period.to).execute(),
  );
  const pauses = await inChunks(referralIds, (chunk) => trx.selectFrom('waiting_pauses').selectAll().where('referral_id', 'in', chunk).where('deleted_at', 'is', null).execute());
  const byDateThenId = <T extends { date: string; id: string }>(a: T, b: T) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id);
  return {
    period,
    patients: patients
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((p) => ({ id: p.id, nhsNumber: p.nhs_number, givenName: p.given_name, familyName: p.family_name, dateOfBirth: p.date_of_birth, gpPractice: p.gp_practice })),
    referrals: referrals.map((r) => ({
      id: r.id,
      patientId: r.patient_id,
      receivedDate: r.received_date,
      sourceCode: r.source_code,
      ltcCodes: JSON.parse(r.ltc_codes) as string[],
      problemDescriptor: r.problem_descriptor,
      pathway: r.pathway,
      step: r.step,
      endCode: r.end_code,
      dischargeDate: r.discharge_date,
    })),
    contacts: contacts.sort(byDateThenId).map((c) => ({
      id: c.id,
      referralId: c.referral_id,
      date: c.date,
      startTime: c.start_time,
      durationMinutes: c.duration_minutes,
      type: c.type,
      mechanism: c.mechanism,
      attendance: c.attendance,
      therapyType: c.therapy_type,
    })),
    measures: measures.sort(byDateThenId).map((m) => ({
      id: m.id,
      referralId: m.referral_id,
      contactId: m.contact_id,
      instrumentId: m.instrument_id,
      answers: JSON.parse(m.answers) as ExportSource['measures'][number]['answers'],
      total: m.total,
      date: m.date,
      completedBy: m.completed_by,
    })),
    pauses: pauses
      .sort((a, b) => a.start_date.localeCompare(b.start_date) || a.id.localeCompare(b.id))
      .map((p) => ({ id: p.id, referralId: p.referral_id, startDate: p.start_date, endDate: p.end_date })),
  };
}
