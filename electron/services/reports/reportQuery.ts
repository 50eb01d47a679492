import type { ReportFilters } from '../../../shared/contract/reports';
import type { EpisodeInput, ServiceUseRecord } from '../../../shared/outcomes';
import { toEpisode, type EpisodeContactColumns, type EpisodeMeasureColumns, type EpisodeReferralColumns } from '../caseload/episodeAdapter';
import type { Statements } from '../store/database';

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

export interface ReportEpisodes {
  episodes: EpisodeInput[];
  /** Referral id → its service-use records (ref §3), for the healthcare-use figures. */
  serviceUse: Map<string, ServiceUseRecord[]>;
}

const REFERRAL_COLUMNS = 'id, patient_id, caseholder_id, source_code, step, received_date, problem_descriptor, pathway, ltc_codes, discharge_date, end_code';
type ReferralRow = [string, string, string, string, number | null, string, string | null, string, string, string | null, string | null];

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
 * The report's episodes, from the store, through the one adapter (episodeAdapter.ts → the engine's Episode).
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
export function loadReportEpisodes(statements: Statements, q: ReportQuery, serviceUseItems: readonly string[]): ReportEpisodes {
  const { start, end } = q.period;
  const filter = filterSql(q);
  const rows = statements
    .prepare(
      `select ${REFERRAL_COLUMNS} from referrals
       where deleted_at is null and received_date <= :end${filter.sql}
         and (discharge_date is null or discharge_date >= :start
              or id in (select referral_id from contacts where type = 'follow-up' and deleted_at is null and date >= :start and date <= :end))`,
    )
    .raw()
    .all({ ...filter.params, start, end }) as ReferralRow[];
  const seen = new Set<string>();
  const repeatPatients = new Set<string>();
  for (const r of rows) {
    seen.add(r[0]);
    if (r[5] >= start) repeatPatients.add(r[1]); // received in the period (received ≤ end is in the WHERE)
  }
  if (repeatPatients.size > 0) {
    const earlier = statements
      .prepare(
        `select ${REFERRAL_COLUMNS} from referrals
         where deleted_at is null and discharge_date >= :lookback and discharge_date < :start and received_date <= :end${filter.sql}
           and patient_id in (select value from json_each(:patients))`,
      )
      .raw()
      .all({ ...filter.params, start, end, lookback: isoMinusDays(start, REPEAT_LOOKBACK_DAYS), patients: JSON.stringify([...repeatPatients]) }) as ReferralRow[];
    for (const r of earlier) {
      if (seen.has(r[0])) continue;
      seen.add(r[0]);
      rows.push(r);
    }
  }
  if (rows.length === 0) return { episodes: [], serviceUse: new Map() };

  // Each referral's contacts and scores as one JSON array apiece, built by SQLite from the covering indexes: one
  // string per referral costs far less to hand over than a row per contact and per score (a year of a large
  // service is hundreds of thousands of those). Numbers keep every digit: SQLite renders reals so that they
  // read back to the same double. Referral ids go in sorted, so the index is read in its own order.
  const ids = rows.map((r) => r[0]).sort();
  const idsJson = JSON.stringify(ids);
  const contactsOf = new Map<string, EpisodeContactColumns[]>();
  const measuresOf = new Map<string, EpisodeMeasureColumns[]>();
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
  for (const [index, contactsJson, measuresJson] of details) {
    const referralId = ids[index]!;
    contactsOf.set(
      referralId,
      (JSON.parse(contactsJson) as [string, string, string, string, number][]).map(([id, date, startTime, type, attendance]) => ({ id, date, start_time: startTime, type, attendance, deleted_at: null })),
    );
    measuresOf.set(
      referralId,
      (JSON.parse(measuresJson) as [string, string, number, string | null][]).map(([date, instrumentId, total, contactId]) => ({ date, instrument_id: instrumentId, total, contact_id: contactId, deleted_at: null })),
    );
  }
  // Service-use records count with or without a total; in date order, ties as stored (healthcareUseChange keeps
  // the order of a date's records).
  const serviceUse = new Map<string, ServiceUseRecord[]>();
  const useRows = statements
    .prepare(
      `select referral_id, date, answers from measures indexed by measures_service_use
       where referral_id in (select value from json_each(:ids)) and deleted_at is null and instrument_id = 'service-use'
       order by referral_id, date, rowid`,
    )
    .raw()
    .all({ ids: idsJson }) as [string, string, string][];
  for (const [referralId, date, answers] of useRows) {
    const record = { date, counts: countsOf(answers, serviceUseItems) };
    const list = serviceUse.get(referralId);
    if (list) list.push(record);
    else serviceUse.set(referralId, [record]);
  }

  const episodes = rows.map((r) => {
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
    return toEpisode(referral, contactsOf.get(r[0]) ?? [], measuresOf.get(r[0]) ?? []);
  });
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
