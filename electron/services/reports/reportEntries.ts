import { createHash, randomUUID } from 'node:crypto';
import { REPORT_ENTRY_VERSION, type EpisodeInput, type Outcomes, type ReportEntry } from '../../../shared/outcomes';
import type { Statements } from '../store/database';

const rulesKeys = new WeakMap<Outcomes, string>();

/**
 * What an entry was made under: the engine's whole configuration (the service's outcome settings over the
 * reference's defaults) and the version of the entry's rules. A settings change or a new version of the rules
 * makes every kept entry unreadable, and each is made again when a report next needs it.
 */
export function rulesKey(outcomes: Outcomes): string {
  let key = rulesKeys.get(outcomes);
  if (key === undefined) {
    key = `${REPORT_ENTRY_VERSION}:${createHash('sha256').update(JSON.stringify(outcomes.config)).digest('hex').slice(0, 32)}`;
    rulesKeys.set(outcomes, key);
  }
  return key;
}

/**
 * What a report reads of a referral before its entry: its id, patient and date received (for repeat referrals),
 * and the stamp of its kept entry under the current rules, or null where none is kept.
 */
export type ReportRow = [id: string, patientId: string, receivedDate: string, stamp: string | null];

/** A service-use record as stored: its date and its answers in item order. */
export type ServiceUseAnswers = [date: string, answers: unknown[]];

/** A referral's rows as the engine reads them, with its service-use records. */
export interface ReferralRows {
  referralId: string;
  episode: EpisodeInput;
  serviceUse: ServiceUseAnswers[];
}

/** A referral's entry and its service-use records (healthcare use, ref §3), kept together. */
export interface KeptEntry {
  entry: ReportEntry;
  serviceUse: ServiceUseAnswers[];
}

/** Entries this process has read or made, by referral, with the stamp they were kept under: per open store. */
const readEntries = new WeakMap<Statements, Map<string, { stamp: string; kept: KeptEntry }>>();

/**
 * Each referral's report entry (the engine's `reportEntry`: its classification and the facts of its contacts the
 * figures read) and its service-use records, kept in `report_entries` (migration 0015) so that a year's report
 * reads one row per referral instead of every contact and score, and classifies only the referrals written since
 * it last ran.
 *
 * Why a kept entry is never stale: the migration's triggers drop a referral's entry on any write to the referral,
 * its contacts or its scores, whatever makes the write (a screen, sync, a restore), in that write's transaction;
 * an entry made under other rules (rulesKey) is not read (the caller's query joins on the rules); and an entry is
 * made here, inside the report's own transaction, from the rows as that transaction sees them.
 * Why one already read is reused: every entry made gets a random stamp, so an entry read before under the same
 * stamp is the very same entry (one made in a transaction that rolled back has a stamp no kept row carries).
 * Entries are plain data, and nothing changes them once made.
 */
export function keptReportEntries(statements: Statements, outcomes: Outcomes, rows: readonly ReportRow[], rowsOf: (referralIds: readonly string[]) => ReferralRows[]): KeptEntry[] {
  let read = readEntries.get(statements);
  if (!read) readEntries.set(statements, (read = new Map()));
  const unread = rows.filter((r) => r[3] !== null && read.get(r[0])?.stamp !== r[3]).map((r) => r[0]);
  if (unread.length > 0) {
    const kept = statements
      .prepare(`select referral_id, stamp, entry, service_use from report_entries where referral_id in (select value from json_each(:ids))`)
      .raw()
      .all({ ids: JSON.stringify(unread) }) as [string, string, string, string][];
    for (const [referralId, stamp, entry, serviceUse] of kept) {
      read.set(referralId, { stamp, kept: { entry: JSON.parse(entry) as ReportEntry, serviceUse: JSON.parse(serviceUse) as ServiceUseAnswers[] } });
    }
  }
  const missing = rows.filter((r) => r[3] === null).map((r) => r[0]);
  if (missing.length > 0) {
    const rules = rulesKey(outcomes);
    const keep = statements.prepare(`insert or replace into report_entries (referral_id, stamp, rules, entry, service_use) values (?, ?, ?, ?, ?)`);
    for (const { referralId, episode, serviceUse } of rowsOf(missing)) {
      const entry = outcomes.reportEntry(episode);
      const stamp = randomUUID();
      keep.run(referralId, stamp, rules, JSON.stringify(entry), JSON.stringify(serviceUse));
      read.set(referralId, { stamp, kept: { entry, serviceUse } });
    }
  }
  return rows.map((r) => read.get(r[0])!.kept);
}
