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
  /** Store migration 0005: a user leaves the directory by deactivation, never deletion. */
  deactivated_at: string | null;
  updated_by: string | null;
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
  /** The referral a step change ended to open this one (migration 0007). */
  previous_referral_id: string | null;
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
  /** SNOMED CT therapy type (ref §5.5) of the care plan when the contact was made; null without a plan. */
  therapy_type: string | null;
  /** Migration 0006: the clinic it is booked in, the booking it replaces, why it was cancelled. */
  clinic_id?: string | null;
  rescheduled_from_id?: string | null;
  cancellation_reason?: string | null;
  /** Migration 0012: the group session this contact was a member's attendance at. */
  group_session_id?: string | null;
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
  /** Who must do it (a supervision action); null: the caseholder. */
  owner_id: string | null;
  supervision_case_id: string | null;
}
export interface SupervisionSessionsTable extends ClinicalColumns {
  supervisor_id: string;
  held_on: string;
  mode: string;
  supervisee_ids: string;
}
export interface SupervisionCasesTable extends ClinicalColumns {
  session_id: string;
  referral_id: string;
  flags: string;
  discussion: string;
  decision: string;
}
export interface ServiceSettingsTable extends ClinicalColumns {
  outcome_overrides: string;
  source_codes: string;
  /** JSON: condition key → the service's SNOMED CT code (unverified conditions only). */
  ltc_codes: string;
  /** Migration 0012, JSON: instrument id → the service's CodedAssToolType code (ref §5.6 "not found"). */
  tool_codes: string;
}
export interface LettersTable extends ClinicalColumns {
  referral_id: string;
  kind: string;
  recipient: string;
  recipient_name: string;
  body: string;
  status: string;
  letter_version: number;
  supersedes_id: string | null;
  finalised_by: string | null;
  finalised_at: string | null;
  sent_on: string | null;
  sent_to: string | null;
  sent_by: string | null;
}
export interface FormulationsTable extends ClinicalColumns {
  referral_id: string;
  formulation_version: number;
  /** JSON of the diagram (shared/domain/formulation.ts), validated by the contract before it is stored. */
  diagram: string;
  status: 'saved';
}
export interface CarePlansTable extends ClinicalColumns {
  referral_id: string;
  therapy_type: string;
}
export interface CarePlanGoalsTable extends ClinicalColumns {
  referral_id: string;
  description: string;
}
export interface GoalRatingsTable extends ClinicalColumns {
  goal_id: string;
  referral_id: string;
  contact_id: string | null;
  date: string;
  rating: number;
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
/** What this device owes the team server; see electron/services/sync/outbox.ts. */
export interface SyncOutboxTable {
  seq: Generated<number>;
  table_name: string;
  row_id: string;
  base_version: number;
  state: 'pending' | 'sealed' | 'refused';
  op_id: string | null;
  mutation_seq: number | null;
  /** JSON of the whole row as sealed; null while pending and for a tombstone. */
  payload: string | null;
  tombstone: number | null;
  row_version: number | null;
  refused_reason: string | null;
  created_at: string;
}
/** The singleton (id 1): enrolment, pull cursor and the flag that keeps pulled rows out of the outbox. */
export interface SyncStateTable {
  id: number;
  server_url: string | null;
  device_id: string | null;
  user_id: string | null;
  team_id: string | null;
  token: string | null;
  local_owner_id: string | null;
  cursor: number;
  next_mutation_seq: number;
  last_synced_at: string | null;
  applying: number;
  audit_acked_seq: number;
  audit_acked_hash: string | null;
  /** JSON array of patient ids whose purge waits for this device's outbox. */
  deferred_purge: string;
  /** 1 while a pulled page is awaited; see SqliteInbox.cursor. */
  pull_open: number;
}
export interface SyncRowsTable {
  table_name: string;
  row_id: string;
  /** The server_seq of the change this store's row holds (0: none yet, the row is this device's own). */
  server_seq: number;
  latest_seq: number;
  /** JSON of the newest LoggedChange the server sent for the row: its version as the team holds it. */
  latest_change: string;
}
/** The agreed shape the server logs (issue #9): JSON text in fields, theirs and mine. */
export interface SyncConflictsTable extends ClinicalColumns {
  patient_id: string;
  table_name: string;
  row_id: string;
  kind: string;
  fields: string;
  base_version: number;
  theirs: string;
  mine: string;
  mine_by: string;
  status: string;
  resolved_by: string | null;
  resolved_at: string | null;
  resolution_note: string | null;
}
/** Migration 0012 (issue #10 §7, §8, §6). */
export interface GroupsTable extends ClinicalColumns {
  title: string;
  condition: string;
  facilitator_id: string;
  co_facilitator_name: string;
  co_facilitator_role: string;
  location: string;
  starts_on: string;
  planned_sessions: number;
}
export interface GroupMembersTable extends ClinicalColumns {
  group_id: string;
  referral_id: string;
  joined_on: string;
}
export interface GroupSessionsTable extends ClinicalColumns {
  group_id: string;
  date: string;
  start_time: string;
  duration_minutes: number;
}
export interface WaitingPausesTable extends ClinicalColumns {
  referral_id: string;
  start_date: string;
  end_date: string | null;
  reason: string;
}
export interface EmploymentSupportTable extends ClinicalColumns {
  referral_id: string;
  referred_on: string;
  provider: string;
  started_on: string | null;
  ended_on: string | null;
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
  letters: LettersTable;
  care_plans: CarePlansTable;
  care_plan_goals: CarePlanGoalsTable;
  goal_ratings: GoalRatingsTable;
  formulations: FormulationsTable;
  supervision_sessions: SupervisionSessionsTable;
  supervision_cases: SupervisionCasesTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  group_sessions: GroupSessionsTable;
  waiting_pauses: WaitingPausesTable;
  employment_support: EmploymentSupportTable;
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
  sync_outbox: SyncOutboxTable;
  sync_state: SyncStateTable;
  sync_rows: SyncRowsTable;
  sync_conflicts: SyncConflictsTable;
}
