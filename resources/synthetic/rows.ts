import type { CaseloadDb } from '../../electron/services/store/schema';
import type { SyntheticPatientRecord } from './service';

/** The tables a synthetic service fills, in an order that satisfies every foreign key. */
export const LOAD_ORDER = ['patients', 'referrals', 'contacts', 'risk_assessments', 'measures', 'notes', 'note_versions', 'contact_attempts', 'actions'] as const;
export type LoadTable = (typeof LOAD_ORDER)[number];
export type TableRows = { [T in LoadTable]: CaseloadDb[T][] };

export function emptyRows(): TableRows {
  return { patients: [], referrals: [], contacts: [], risk_assessments: [], measures: [], notes: [], note_versions: [], contact_attempts: [], actions: [] };
}

/** Appends one patient's rows, table by table. */
export function addRows(into: TableRows, record: SyntheticPatientRecord): TableRows {
  into.patients.push(record.patient);
  for (const { rows } of record.episodes) {
    into.referrals.push(rows.referral);
    into.contacts.push(...rows.contacts);
    into.risk_assessments.push(...rows.riskAssessments);
    into.measures.push(...rows.measures);
    into.notes.push(...rows.notes);
    into.note_versions.push(...rows.noteVersions);
    into.contact_attempts.push(...rows.contactAttempts);
    into.actions.push(...rows.actions);
  }
  return into;
}

export function rowCount(rows: TableRows): number {
  return LOAD_ORDER.reduce((n, t) => n + rows[t].length, 0);
}
