import type { ReportFilters } from '../../../shared/contract/reports';
import type { Outcomes, ReportEntry, ServiceUseRecord } from '../../../shared/outcomes';
import { toEpisode, type EpisodeContactColumns, type EpisodeMeasureColumns, type EpisodeReferralColumns } from '../caseload/episodeAdapter';
import type { Statements } from '../store/database';
import { keptReportEntries, rulesKey, type ReferralRows, type ReportRow, type ServiceUseAnswers } from './reportEntries';

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

export interface ReportEntries {
  /** One per referral the period's figures can depend on, from the kept entries or made now (reportEntries.ts). */
  entries: ReportEntry[];
  /** Referral id → its service-use records (ref §3), for the healthcare-use figures. */
  serviceUse: Map<string, ServiceUseRecord[]>;
}

const REFERRAL_COLUMNS = 'id, patient_id, caseholder_id, source_code, step, received_date, problem_descriptor, pathway, ltc_codes, discharge_date, end_code';
type ReferralRow = [string, string, string, string, number | null, string, string | null, string, string, string | null, string | null];
/** What the report reads of each referral before its entry: see ReportRow (reportEntries.ts). */
const ROW_COLUMNS = 'referrals.id, referrals.patient_id, referrals.received_date, e.stamp';
const KEPT_ENTRY = 'left join report_entries e on e.referral_id = referrals.id and e.rules = :rules';

/**
 * The scope and filters as SQL over `referrals`, with named parameters. Each combination of filters is its own
 * statement text (a few dozen at most), so the statement cache keeps them all prepared; lists travel as JSON so
 * that the text does not change with their length.
 */
function filterSql(q: ReportQuery): { sql: string; params: Record<string, unknown> } {
  const f = q.filters;
  const terms: string[] = [];
  const params: Record<string, unknown> = {};
  const add = (term: string, name: string, value: unknown) => {
    terms.push(term);
    params[name] = value;
  };
  if (q.scope !== null) add('caseholder_id in (select value from json_each(:scope))', 'scope', JSON.stringify(q.scope));
  if (f.pathway !== undefined) add('pathway = :pathway', 'pathway', f.pathway);
  if (f.clinicianId !== undefined) add('caseholder_id = :clinicianId', 'clinicianId', f.clinicianId);
  if (f.team !== undefined) add('team = :team', 'team', f.team);
  if (f.step !== undefined) add('step = :step', 'step', f.step);
  if (f.referralSource !== undefined) add('source_code = :referralSource', 'referralSource', f.referralSource);
  // ltc_codes is a JSON array of codes; json_each matches a code exactly, never a prefix.
  if (f.ltcCode !== undefined) add('exists (select 1 from json_each(referrals.ltc_codes) where value = :ltcCode)', 'ltcCode', f.ltcCode);
  return { sql: terms.map((t) => ` and ${t}`).join(''), params };
}

/**
 * The report's entries, one per referral the figures can depend on: kept ones as they are, the rest made from the
 * store through the one adapter (episodeAdapter.ts → the engine's Episode) and kept (reportEntries.ts).
 *
 * Which referrals (issue #11: filter in SQL, keep the rule in shared/outcomes): every figure of `programmeRates`
 * looks at a date in the period — received, first or second treatment, discharge, a contact — or at a referral
 * open at its end; treatment contacts fall inside the referral's window (ref §4). So a referral received after
 * the period or discharged before it adds nothing, except
 * (a) through a follow-up contact in the period, which counts for the DNA rate although it is after discharge;
 * (b) as the earlier referral of a repeat: discharged within 365 days before the period, of a patient with a
 *     referral received in it (repeats are looked for among those received in the period only).
 * Handing the engine more referrals than these never changes a figure: each one filters on its own dates.
 *
 * Plain statements, not the query builder: a year of a large service is tens of thousands of referrals and
 * hundreds of thousands of contacts and scores, and rows as arrays cost a fraction of rows as objects. Contacts
 * and scores come from covering indexes (migration 0013).
 */
export function loadReportEntries(statements: Statements, outcomes: Outcomes, q: ReportQuery, serviceUseItems: readonly string[]): ReportEntries {
  const { start, end } = q.period;
  const filter = filterSql(q);
  const rules = rulesKey(outcomes);
  const rows = statements
    .prepare(
      // Three disjoint parts, each a range of referrals_period (migration 0014), which without filters holds
      // every column read here: open at the end, discharged since the start, discharged before it with a
      // follow-up in it.
      `select ${ROW_COLUMNS} from referrals indexed by referrals_period ${KEPT_ENTRY}
       where discharge_date is null and received_date <= :end and deleted_at is null${filter.sql}
       union all
       select ${ROW_COLUMNS} from referrals indexed by referrals_period ${KEPT_ENTRY}
       where discharge_date >= :start and received_date <= :end and deleted_at is null${filter.sql}
       union all
       select ${ROW_COLUMNS} from referrals ${KEPT_ENTRY}
       where discharge_date < :start and deleted_at is null${filter.sql}
         and id in (select referral_id from contacts where type = 'follow-up' and deleted_at is null and date >= :start and date <= :end)`,
    )
    .raw()
    .all({ ...filter.params, start, end, rules }) as ReportRow[];
  const seen = new Set<string>();
  const repeatPatients = new Set<string>();
  for (const r of rows) {
    seen.add(r[0]);
    if (r[2] >= start) repeatPatients.add(r[1]); // received in the period (received ≤ end is in the WHERE)
  }
  if (repeatPatients.size > 0) {
    // Every referral discharged in the year before the period is one range of referrals_period; of those, the
    // patients with a referral in the period are kept (reading them by patient costs a lookup per patient).
    const earlier = statements
      .prepare(
        `select ${ROW_COLUMNS} from referrals indexed by referrals_period ${KEPT_ENTRY}
         where discharge_date >= :lookback and discharge_date < :start and received_date <= :end and deleted_at is null${filter.sql}`,
      )
      .raw()
      .all({ ...filter.params, start, end, rules, lookback: isoMinusDays(start, REPEAT_LOOKBACK_DAYS) }) as ReportRow[];
    for (const r of earlier) {
      if (seen.has(r[0]) || !repeatPatients.has(r[1])) continue;
      seen.add(r[0]);
      rows.push(r);
    }
  }
  if (rows.length === 0) return { entries: [], serviceUse: new Map() };

  const kept = keptReportEntries(statements, outcomes, rows, (ids) => episodesOf(statements, ids));
  // Healthcare use (ref §3): the service-use records kept with each entry, as counts per item — for the LTC-pathway
  // referrals discharged in the period only, as only their finished courses are counted (ltcOutcomes.ts).
  const serviceUse = new Map<string, ServiceUseRecord[]>();
  kept.forEach((k, i) => {
    if (k.serviceUse.length === 0 || !k.entry.ok || k.entry.episode.pathway !== 'integrated-ltc') return;
    const discharged = k.entry.episode.dischargeDate;
    if (discharged === undefined || discharged < start || discharged > end) return;
    serviceUse.set(rows[i]![0], k.serviceUse.map(([date, answers]) => ({ date, counts: countsOf(answers, serviceUseItems) })));
  });
  return { entries: kept.map((k) => k.entry), serviceUse };
}

/**
 * These referrals as the engine reads them, through the one adapter (episodeAdapter.ts): each referral's contacts
 * and scores as one JSON array apiece, built by SQLite from the covering indexes (migration 0013) — one string per
 * referral costs far less to hand over than a row per contact and per score. Numbers keep every digit: SQLite
 * renders reals so that they read back to the same double. Ids go in sorted, so the index is read in its order.
 */
function episodesOf(statements: Statements, referralIds: readonly string[]): ReferralRows[] {
  const ids = [...referralIds].sort();
  const idsJson = JSON.stringify(ids);
  const byId = new Map((statements.prepare(`select ${REFERRAL_COLUMNS} from referrals where id in (select value from json_each(:ids))`).raw().all({ ids: idsJson }) as ReferralRow[]).map((r) => [r[0], r]));
  const details = statements
    .prepare(
      `select j.key,
         (select json_group_array(json_array(c.id, c.date, c.start_time, c.type, c.attendance))
            from contacts c indexed by contacts_episode
            where c.referral_id = j.value and c.deleted_at is null and c.attendance is not null),
         (select json_group_array(json_array(m.date, m.instrument_id, m.total, m.contact_id))
            from measures m indexed by measures_episode
            where m.referral_id = j.value and m.deleted_at is null and m.total is not null)
       from json_each(:ids) j`,
    )
    .raw()
    .all({ ids: idsJson }) as [number, string, string][];
  // Service-use records count with or without a total; in date order, ties as stored (healthcareUseChange keeps
  // the order of a date's records).
  const useOf = new Map<string, ServiceUseAnswers[]>();
  const useRows = statements
    .prepare(
      `select referral_id, date, answers from measures indexed by measures_service_use
       where referral_id in (select value from json_each(:ids)) and deleted_at is null and instrument_id = 'service-use'
       order by referral_id, date, rowid`,
    )
    .raw()
    .all({ ids: idsJson }) as [string, string, string][];
  for (const [referralId, date, answers] of useRows) {
    const list = useOf.get(referralId);
    if (list) list.push([date, JSON.parse(answers) as unknown[]]);
    else useOf.set(referralId, [[date, JSON.parse(answers) as unknown[]]]);
  }
  return details.map(([index, contactsJson, measuresJson]) => {
    const r = byId.get(ids[index]!)!;
    const referral: EpisodeReferralColumns = {
      id: r[0],
      patient_id: r[1],
      caseholder_id: r[2],
      source_code: r[3],
      step: r[4],
      received_date: r[5],
      problem_descriptor: r[6],
      pathway: r[7],
      ltc_codes: r[8],
      discharge_date: r[9],
      end_code: r[10],
    };
    const contacts: EpisodeContactColumns[] = (JSON.parse(contactsJson) as [string, string, string, string, number][]).map(([id, date, startTime, type, attendance]) => ({ id, date, start_time: startTime, type, attendance, deleted_at: null }));
    const measures: EpisodeMeasureColumns[] = (JSON.parse(measuresJson) as [string, string, number, string | null][]).map(([date, instrumentId, total, contactId]) => ({ date, instrument_id: instrumentId, total, contact_id: contactId, deleted_at: null }));
    return { referralId: r[0], episode: toEpisode(referral, contacts, measures), serviceUse: useOf.get(r[0]) ?? [] };
  });
}

/** A service-use record's answers are stored in item order (measures.record); a skipped or n/a item counts 0. */
function countsOf(answers: readonly unknown[], items: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  items.forEach((id, i) => {
    const v = answers[i];
    counts[id] = typeof v === 'number' && Number.isFinite(v) ? v : 0;
  });
  return counts;
}
