import { toCsv, type CsvValue } from './csv';
import { dateInPeriod, referralInPeriod, type ExportSource } from './source';

/**
 * The pseudonymised healthcare-utilisation extract for data linkage (issue #11 §3; seed 001's evaluation of
 * healthcare use before and after treatment, ref §3 "CSRI-style" counts). The NHS number is replaced by a keyed
 * HMAC the services compute with a key typed in at export and never stored (so only whoever holds the key can
 * link the extract with another data set pseudonymised the same way); there are no names, no store ids, and every
 * date is coarsened to its month (YYYY-MM). Free text never appears.
 */
export const UTILISATION_ITEMS = ['gp-appointments', 'ae-attendances', 'emergency-admissions', 'outpatient-appointments', 'ambulance-conveyances', 'specialist-nurse-contacts'] as const;

export const PSEUDONYMISED_COLUMNS = [
  'Pseudonym',
  'BirthMonth',
  'ReferralMonth',
  'DischargeMonth',
  'SourceOfReferralIAPT',
  'EndCode',
  'LocalPathway',
  'LongTermConditionCodes',
  'MeasureMonth',
  'RecallMonths',
  ...UTILISATION_ITEMS.map((i) => `Count_${i}`),
] as const;

export const month = (date: string | null): string | null => (date === null ? null : date.slice(0, 7));

/**
 * One row per healthcare-use measure dated in the period, for referrals open during it. `pseudonym` is the keyed
 * HMAC of an NHS number (the services' job: shared/ does no cryptography with secrets it must not hold).
 */
export function pseudonymisedRows(source: ExportSource, pseudonym: (nhsNumber: string) => string, recallMonths: number): { columns: readonly string[]; rows: CsvValue[][] } {
  const patients = new Map(source.patients.map((p) => [p.id, p]));
  const referrals = new Map(source.referrals.filter((r) => referralInPeriod(r, source.period)).map((r) => [r.id, r]));
  const rows = source.measures
    .filter((m) => m.instrumentId === 'service-use' && referrals.has(m.referralId) && dateInPeriod(m.date, source.period))
    .map((m): CsvValue[] => {
      const r = referrals.get(m.referralId)!;
      const p = patients.get(r.patientId)!;
      return [
        pseudonym(p.nhsNumber),
        month(p.dateOfBirth),
        month(r.receivedDate),
        month(r.dischargeDate),
        r.sourceCode || null,
        r.endCode,
        r.pathway,
        r.ltcCodes.join(' ') || null,
        month(m.date),
        recallMonths,
        ...UTILISATION_ITEMS.map((_, i) => (typeof m.answers[i] === 'number' ? (m.answers[i] as number) : null)),
      ];
    });
  return { columns: PSEUDONYMISED_COLUMNS, rows };
}

export function pseudonymisedCsv(source: ExportSource, pseudonym: (nhsNumber: string) => string, recallMonths: number): string {
  const { columns, rows } = pseudonymisedRows(source, pseudonym, recallMonths);
  return toCsv(columns, rows);
}
