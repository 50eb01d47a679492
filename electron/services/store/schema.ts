import type { Generated } from 'kysely';

/** Kysely's view of the caseload database. Column names are snake_case, as stored. */
export interface SettingsTable {
  key: string;
  value: string;
}
export interface UsersTable {
  id: string;
  display_name: string;
  role: string;
  supervisor_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface PatientsTable {
  id: string;
  nhs_number: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  gp_practice: string;
  version: number;
  created_by: string;
  updated_by: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}
/** Columns every clinical table carries (migration 0002): sync replicates any table without reshaping it. */
export interface ClinicalColumns {
  id: string;
  version: number;
  created_by: string;
  updated_by: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}
export interface ReferralsTable extends ClinicalColumns {
  patient_id: string;
  received_date: string;
  referrer_role: string;
  referrer_name: string | null;
  source_code: string;
  ltc_codes: string;
  reason: string;
  risk_known: number;
  risk_details: string | null;
  consent: number;
  urgency: string;
  pathway: string;
  caseholder_id: string;
  team: string;
  status: string;
  problem_descriptor: string | null;
  step: number | null;
  end_code: string | null;
  discharge_date: string | null;
  discuss_in_supervision: number;
  opted_in: number | null;
  ltc_impact: string | null;
  signposting: string | null;
}
export interface ContactsTable extends ClinicalColumns {
  referral_id: string;
  date: string;
  start_time: string;
  duration_minutes: number;
  type: string;
  mechanism: string;
  location: string;
  attendance: number | null;
  clinician_id: string;
  /** Migration 0006: the clinic it is booked in, the booking it replaces, why it was cancelled. */
  clinic_id?: string | null;
  rescheduled_from_id?: string | null;
  cancellation_reason?: string | null;
}
export interface ClinicsTable extends ClinicalColumns {
  name: string;
  site: string;
  weekday: number;
  start_time: string;
  end_time: string;
  pathway: string;
  ltc_code: string | null;
}
export interface MeasuresTable extends ClinicalColumns {
  referral_id: string;
  contact_id: string | null;
  instrument_id: string;
  instrument_version: string;
  answers: string;
  total: number | null;
  risk_flags: string;
  risk_review_id: string | null;
  completed_by: string;
  date: string;
}
export interface ScreeningsTable extends ClinicalColumns {
  patient_id: string;
  instrument_id: string;
  instrument_version: string;
  answers: string;
  total: number | null;
  positive: number | null;
  result_label: string | null;
  date: string;
  referral_offered: number;
}
export interface RiskAssessmentsTable extends ClinicalColumns {
  referral_id: string;
  contact_id: string | null;
  date: string;
  thoughts: number;
  plans: number;
  intent: number;
  protective_factors: string;
  level: string;
  plan: string;
  next_review_date: string;
}
export interface NotesTable extends ClinicalColumns {
  referral_id: string;
  contact_id: string | null;
  parent_note_id: string | null;
  status: string;
  body: string;
  signed_by: string | null;
  signed_at: string | null;
}
export interface NoteVersionsTable extends ClinicalColumns {
  note_id: string;
  note_version: number;
  status: string;
  body: string;
}
export interface ContactAttemptsTable extends ClinicalColumns {
  referral_id: string;
  date: string;
  method: string;
  outcome: string;
  note: string | null;
}
export interface ActionsTable extends ClinicalColumns {
  referral_id: string;
  contact_id: string | null;
  kind: string;
  description: string;
  due_date: string;
  done_at: string | null;
}
export interface ServiceSettingsTable extends ClinicalColumns {
  outcome_overrides: string;
  source_codes: string;
  /** JSON: condition key → the service's SNOMED CT code (unverified conditions only). */
  ltc_codes: string;
}
export interface AuditEventTable {
  seq: number;
  id: string;
  at: string;
  actor_id: string;
  action: string;
  entity: string;
  entity_ids: string;
  prev_hash: string;
  hash: string;
}
export interface AuditHeadTable {
  id: Generated<number>;
  count: number;
  last_hash: string;
}
export interface CaseloadDb {
  settings: SettingsTable;
  users: UsersTable;
  patients: PatientsTable;
  referrals: ReferralsTable;
  contacts: ContactsTable;
  clinics: ClinicsTable;
  measures: MeasuresTable;
  screenings: ScreeningsTable;
  risk_assessments: RiskAssessmentsTable;
  notes: NotesTable;
  note_versions: NoteVersionsTable;
  contact_attempts: ContactAttemptsTable;
  actions: ActionsTable;
  service_settings: ServiceSettingsTable;
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
}
