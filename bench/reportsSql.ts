import type { Sqlite } from '../electron/services/store/database';

/**
 * Hand-written SQL for the report figures SQL can state directly (issue #11 item 5: "the practical limit"),
 * run on better-sqlite3 with no ORM, no adapter and no engine. The rules are the engine's, restated:
 * - a contact counts in its referral's window, received to discharge inclusive (ref §4); a follow-up after
 *   discharge counts for the DNA rate; a contact with no attendance code has not happened;
 * - attended = codes 5 and 6 (ref §5.4); treatment = types treatment, assessment-and-treatment,
 *   review-and-treatment (ref §4, §5.4);
 * - finished a course = discharged with two or more attended treatment contacts (ref §4).
 * Paired-score figures (recovery and its kin) need the per-instrument first/last and ADSM rules: they stay in
 * shared/outcomes and are not restated here.
 */
export interface HandwrittenFigures {
  referralsReceived: number;
  ended: number;
  endedBeforeTreatment: number;
  endedTreatedOnce: number;
  finished: number;
  enteredTreatment: number;
  dnaCount: number;
  contactsInPeriod: number;
}

const TREATMENT = `('treatment', 'assessment-and-treatment', 'review-and-treatment')`;

const SQL = `
with r as (
  select id, received_date, discharge_date from referrals
  where deleted_at is null and (:pathway is null or pathway = :pathway)
),
tx as (
  select c.referral_id, count(*) as n, min(c.date) as first_date
  from contacts c join r on r.id = c.referral_id
  where c.deleted_at is null and c.attendance in (5, 6) and c.type in ${TREATMENT}
    and c.date >= r.received_date and (r.discharge_date is null or c.date <= r.discharge_date)
  group by c.referral_id
)
select
  (select count(*) from r where received_date between :start and :end) as referralsReceived,
  (select count(*) from r where discharge_date between :start and :end) as ended,
  (select count(*) from r left join tx on tx.referral_id = r.id where r.discharge_date between :start and :end and tx.n is null) as endedBeforeTreatment,
  (select count(*) from r join tx on tx.referral_id = r.id where r.discharge_date between :start and :end and tx.n = 1) as endedTreatedOnce,
  (select count(*) from r join tx on tx.referral_id = r.id where r.discharge_date between :start and :end and tx.n >= 2) as finished,
  (select count(*) from tx where first_date between :start and :end) as enteredTreatment,
  (select count(*) from contacts c join r on r.id = c.referral_id
     where c.deleted_at is null and c.attendance is not null and c.date between :start and :end and c.date >= r.received_date
       and (r.discharge_date is null or c.date <= r.discharge_date or c.type = 'follow-up') and c.attendance = 3) as dnaCount,
  (select count(*) from contacts c join r on r.id = c.referral_id
     where c.deleted_at is null and c.attendance is not null and c.date between :start and :end and c.date >= r.received_date
       and (r.discharge_date is null or c.date <= r.discharge_date or c.type = 'follow-up')) as contactsInPeriod
`;

export function handwrittenFigures(db: Sqlite, period: { start: string; end: string }, pathway: 'integrated-ltc' | 'core' | null = null): HandwrittenFigures {
  return db.prepare(SQL).get({ start: period.start, end: period.end, pathway }) as HandwrittenFigures;
}
