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
  mutation_seq: BigIntColumn;
  table_name: string;
  row_id: string;
  row_version: number;
  tombstone: boolean;
  payload: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  received_at: Generated<Date>;
}

export interface ServerDatabase {
  teams: TeamsTable;
  users: UsersTable;
  devices: DevicesTable;
  team_counters: TeamCountersTable;
  client_state: ClientStateTable;
  change_log: ChangeLogTable;
}
