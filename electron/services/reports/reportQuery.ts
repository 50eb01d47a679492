import type { ExpressionBuilder } from 'kysely';
import type { ReportFilters } from '../../../shared/contract/reports';
import type { EpisodeInput, ServiceUseRecord } from '../../../shared/outcomes';
import { toEpisode, type EpisodeContactColumns, type EpisodeMeasureColumns } from '../caseload/episodeAdapter';
import type { Trx } from '../caseload/records';
import type { CaseloadDb } from '../store/schema';

/** ref §4 "Repeat referral": an earlier referral discharged up to 365 days before one received in the period. */
const REPEAT_LOOKBACK_DAYS = 365;

function isoMinusDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

export interface ReportQuery {
  period: { start: string; end: string };
  filters: ReportFilters;
  /** Caseholders in the caller's scope, or null for the whole team. */
  scope: string[] | null;
}

/**
 * The referrals a period's figures can depend on, in SQL (issue #11: filter in SQL, keep the rule in
 * shared/outcomes). Every figure of `programmeRates` looks at a date in the period — received, first or second
 * treatment, discharge, a contact — or at a referral open at its end; treatment contacts fall inside the
 * referral's window (ref §4), so a referral received after the period or discharged before it adds nothing,
 * except (a) as the earlier referral of a repeat (discharged within 365 days before the period) and (b) through
 * a follow-up contact in the period, which counts for the DNA rate although it is after discharge. Handing the
 * engine more referrals than these never changes a figure: each one filters on its own dates.
 */
function relevantReferrals(q: ReportQuery) {
  const lookback = isoMinusDays(q.period.start, REPEAT_LOOKBACK_DAYS);
  const f = q.filters;
  return (eb: ExpressionBuilder<CaseloadDb, 'referrals'>) => {
    // Correlated, through contacts_referral: only the referrals discharged long before the period reach it (OR
    // stops at the first true term), where an uncorrelated list would scan every contact of the service.
    const followUpInPeriod = eb.exists(
      eb
        .selectFrom('contacts')
        .select('contacts.id')
        .whereRef('contacts.referral_id', '=', 'referrals.id')
        .where('contacts.type', '=', 'follow-up')
        .where('contacts.date', '>=', q.period.start)
        .where('contacts.date', '<=', q.period.end)
        .where('contacts.deleted_at', 'is', null),
    );
    const conditions = [
      eb('referrals.deleted_at', 'is', null),
      eb('referrals.received_date', '<=', q.period.end),
      eb.or([eb('referrals.discharge_date', 'is', null), eb('referrals.discharge_date', '>=', lookback), followUpInPeriod]),
    ];
    if (q.scope !== null) conditions.push(q.scope.length === 0 ? eb.lit(false) : eb('referrals.caseholder_id', 'in', q.scope));
    if (f.pathway !== undefined) conditions.push(eb('referrals.pathway', '=', f.pathway));
    if (f.clinicianId !== undefined) conditions.push(eb('referrals.caseholder_id', '=', f.clinicianId));
    if (f.team !== undefined) conditions.push(eb('referrals.team', '=', f.team));
    if (f.step !== undefined) conditions.push(eb('referrals.step', '=', f.step));
    if (f.referralSource !== undefined) conditions.push(eb('referrals.source_code', '=', f.referralSource));
    // ltc_codes is a JSON array of codes; json_each matches a code exactly, never a prefix.
    if (f.ltcCode !== undefined) conditions.push(eb.exists(eb.selectFrom(eb.fn<{ value: string }>('json_each', ['referrals.ltc_codes']).as('ltc')).select('ltc.value').where('ltc.value', '=', f.ltcCode)));
    return eb.and(conditions);
  };
}

export interface ReportEpisodes {
  episodes: EpisodeInput[];
  /** Referral id → its service-use records (ref §3), for the healthcare-use figures. */
  serviceUse: Map<string, ServiceUseRecord[]>;
}

const groupBy = <T extends { referral_id: string }>(rows: readonly T[]): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(row.referral_id);
    if (list) list.push(row);
    else out.set(row.referral_id, [row]);
  }
  return out;
};

/**
 * The report's episodes, from the store, through the one adapter (episodeAdapter.ts → the engine's Episode).
 * Three reads, each with the referral filter as a subquery, and only the columns the adapter reads.
 */
export async function loadReportEpisodes(trx: Trx, q: ReportQuery, serviceUseItems: readonly string[]): Promise<ReportEpisodes> {
  const where = relevantReferrals(q);
  const referrals = await trx
    .selectFrom('referrals')
    .select(['id', 'patient_id', 'caseholder_id', 'source_code', 'step', 'received_date', 'problem_descriptor', 'pathway', 'ltc_codes', 'discharge_date', 'end_code'])
    .where(where)
    .execute();
  if (referrals.length === 0) return { episodes: [], serviceUse: new Map() };
  const ids = trx.selectFrom('referrals').select('referrals.id').where(where);
  const contacts = await trx
    .selectFrom('contacts')
    .select(['referral_id', 'id', 'date', 'start_time', 'type', 'attendance', 'deleted_at'])
    .where('referral_id', 'in', ids)
    .where('deleted_at', 'is', null)
    .where('attendance', 'is not', null)
    .execute();
  const measures = await trx
    .selectFrom('measures')
    .select(['referral_id', 'date', 'instrument_id', 'total', 'contact_id', 'deleted_at', 'answers'])
    .where('referral_id', 'in', ids)
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('total', 'is not', null), eb('instrument_id', '=', 'service-use')]))
    .execute();
  const contactsOf = groupBy<EpisodeContactColumns & { referral_id: string }>(contacts);
  const measuresOf = groupBy<EpisodeMeasureColumns & { referral_id: string; answers: string }>(measures);
  const serviceUse = new Map<string, ServiceUseRecord[]>();
  for (const [referralId, list] of measuresOf) {
    const records = list.filter((m) => m.instrument_id === 'service-use').map((m) => ({ date: m.date, counts: countsOf(m.answers, serviceUseItems) }));
    if (records.length > 0) serviceUse.set(referralId, records);
  }
  const episodes = referrals.map((r) => toEpisode(r, contactsOf.get(r.id) ?? [], measuresOf.get(r.id) ?? []));
  return { episodes, serviceUse };
}

/** A service-use record's answers are stored in item order (measures.record); a skipped or n/a item counts 0. */
function countsOf(answers: string, items: readonly string[]): Record<string, number> {
  const values = JSON.parse(answers) as unknown[];
  const counts: Record<string, number> = {};
  items.forEach((id, i) => {
    const v = values[i];
    counts[id] = typeof v === 'number' && Number.isFinite(v) ? v : 0;
  });
  return counts;
}
