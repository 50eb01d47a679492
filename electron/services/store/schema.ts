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
  created_at: string;
  updated_at: string;
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
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
}
