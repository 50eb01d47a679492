import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the team server's PostgreSQL schema (server/db/migrations.ts). */

/** int8 comes back as a string from `pg` and as a number from PGlite; code reads it through Number(). */
type BigIntColumn = ColumnType<string | number | bigint, number, number>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface TeamsTable {
  id: string;
  name: string;
  created_at: Timestamp;
}
export interface UsersTable {
  id: string;
  team_id: string;
  display_name: string;
  role: string;
  supervisor_id: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
}
export interface DevicesTable {
  id: string;
  team_id: string;
  user_id: string;
  label: string;
  token_hash: string | null;
  enrol_code_hash: string | null;
  enrol_expires_at: Timestamp;
  enrolled_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_seen_at: Timestamp | null;
  created_at: Timestamp;
  scope_known: ColumnType<boolean, boolean | undefined, boolean>;
  scope_role: string | null;
  audit_head_seq: ColumnType<string | number | bigint, number | undefined, number>;
  audit_head_hash: string | null;
  history_rewritten_at: Timestamp | null;
}
export interface TeamCountersTable {
  team_id: string;
  last_seq: BigIntColumn;
}
export interface ClientStateTable {
  client_id: string;
  team_id: string;
  last_mutation_seq: BigIntColumn;
}
export interface ChangeLogTable {
  team_id: string;
  server_seq: BigIntColumn;
  op_id: string;
  client_id: string;
  mutation_seq: ColumnType<string | number | bigint | null, number | null, number | null>;
  table_name: string;
  row_id: string;
  row_version: number;
  tombstone: boolean;
  payload: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  received_at: Generated<Date>;
}

type Json = ColumnType<Record<string, unknown> | null, string | null, string | null>;

export interface CurrentRowsTable {
  team_id: string;
  table_name: string;
  row_id: string;
  patient_id: string | null;
  version: number;
  server_seq: BigIntColumn;
  payload: Json;
  deleted: boolean;
}
export interface GrantsTable {
  team_id: string;
  user_id: string;
  patient_id: string;
  granted_by: string;
  granted_at: Timestamp;
  revoked_at: Timestamp | null;
}
export interface DeviceScopeTable {
  device_id: string;
  patient_id: string;
  in_scope: boolean;
  backfill_below: ColumnType<string | number | bigint | null, number | null, number | null>;
  backfill_served: ColumnType<string | number | bigint, number | undefined, number>;
  left_at_seq: ColumnType<string | number | bigint | null, number | null, number | null>;
}
export interface DeviceAuditTable {
  device_id: string;
  seq: BigIntColumn;
  id: string;
  at: string;
  actor_id: string;
  action: string;
  entity: string;
  entity_ids: string;
  prev_hash: string;
  hash: string;
  received_at: Generated<Date>;
}

export interface ServerDatabase {
  current_rows: CurrentRowsTable;
  grants: GrantsTable;
  device_scope: DeviceScopeTable;
  device_audit: DeviceAuditTable;
  teams: TeamsTable;
  users: UsersTable;
  devices: DevicesTable;
  team_counters: TeamCountersTable;
  client_state: ClientStateTable;
  change_log: ChangeLogTable;
}
