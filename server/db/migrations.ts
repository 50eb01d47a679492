import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';

/**
 * One ordered list for PostgreSQL and embedded PGlite alike, so both backends hold the same schema. Append
 * only: an applied migration is never edited.
 */
export const SERVER_MIGRATIONS: Record<string, Migration> = {
  '0001_sync_foundation': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('teams')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('supervisor_id', 'uuid', (c) => c.references('users.id'))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('devices')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
        .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text')
        .addColumn('enrol_code_hash', 'text', (c) => c.unique())
        .addColumn('enrol_expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('enrolled_at', 'timestamptz')
        .addColumn('revoked_at', 'timestamptz')
        .addColumn('last_seen_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // The row every push of a team locks first: holding it until commit is what keeps server_seq gap-free
      // in commit order (a sequence object would hand out numbers that commit out of order).
      await db.schema
        .createTable('team_counters')
        .addColumn('team_id', 'uuid', (c) => c.primaryKey().references('teams.id'))
        .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('client_state')
        .addColumn('client_id', 'uuid', (c) => c.primaryKey().references('devices.id'))
        .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
        .addColumn('last_mutation_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('change_log')
        .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
        .addColumn('server_seq', 'bigint', (c) => c.notNull())
        .addColumn('op_id', 'uuid', (c) => c.notNull().unique())
        .addColumn('client_id', 'uuid', (c) => c.notNull().references('devices.id'))
        .addColumn('mutation_seq', 'bigint', (c) => c.notNull())
        .addColumn('table_name', 'text', (c) => c.notNull())
        .addColumn('row_id', 'uuid', (c) => c.notNull())
        .addColumn('row_version', 'integer', (c) => c.notNull())
        .addColumn('tombstone', 'boolean', (c) => c.notNull())
        .addColumn('payload', 'jsonb')
        .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('change_log_pk', ['team_id', 'server_seq'])
        .addUniqueConstraint('change_log_client_mutation', ['client_id', 'mutation_seq'])
        .addCheckConstraint('change_log_tombstone_payload', sql`(tombstone and payload is null) or (not tombstone and payload is not null)`)
        .execute();
      await db.schema.createIndex('change_log_row').on('change_log').columns(['team_id', 'table_name', 'row_id']).execute();
    },
  },
  '0002_scope_conflicts_directory_audit': {
    async up(db: Kysely<unknown>) {
      // Each table's latest state, kept beside the log in the same transaction: scope, re-authorisation and
      // conflict checks read one row here instead of replaying the log. The payload of a deleted row is kept
      // (deleted = true) so its patient and its last content are still known.
      await db.schema
        .createTable('current_rows')
        .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
        .addColumn('table_name', 'text', (c) => c.notNull())
        .addColumn('row_id', 'uuid', (c) => c.notNull())
        .addColumn('patient_id', 'uuid')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('server_seq', 'bigint', (c) => c.notNull())
        .addColumn('payload', 'jsonb')
        .addColumn('deleted', 'boolean', (c) => c.notNull())
        .addPrimaryKeyConstraint('current_rows_pk', ['team_id', 'table_name', 'row_id'])
        .execute();
      await db.schema.createIndex('current_rows_patient').on('current_rows').columns(['team_id', 'patient_id']).execute();
      await db.schema.createIndex('current_rows_row').on('current_rows').columns(['row_id']).execute();
      // Server-made log entries (conflict rows) belong to no outbox entry, so they carry no mutation_seq.
      await db.schema.alterTable('change_log').alterColumn('mutation_seq', (c) => c.dropNotNull()).execute();

      await db.schema
        .createTable('grants')
        .addColumn('team_id', 'uuid', (c) => c.notNull().references('teams.id'))
        .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
        .addColumn('patient_id', 'uuid', (c) => c.notNull())
        .addColumn('granted_by', 'uuid', (c) => c.notNull().references('users.id'))
        .addColumn('granted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('revoked_at', 'timestamptz')
        .addPrimaryKeyConstraint('grants_pk', ['user_id', 'patient_id'])
        .execute();

      await db.schema.alterTable('users').addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true)).execute();
      await db.schema.alterTable('users').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();

      // What each device was last given: patients it holds (backfill progress) and patients it must purge.
      await db.schema
        .createTable('device_scope')
        .addColumn('device_id', 'uuid', (c) => c.notNull().references('devices.id'))
        .addColumn('patient_id', 'uuid', (c) => c.notNull())
        .addColumn('in_scope', 'boolean', (c) => c.notNull())
        // Rows of this patient last changed at or below this seq were filtered from the device's earlier pages.
        .addColumn('backfill_below', 'bigint')
        .addColumn('backfill_served', 'bigint', (c) => c.notNull().defaultTo(0))
        // The team's last seq when the patient left scope: listed in `purge` until the device's cursor passes it.
        .addColumn('left_at_seq', 'bigint')
        .addPrimaryKeyConstraint('device_scope_pk', ['device_id', 'patient_id'])
        .execute();
      await db.schema.alterTable('devices').addColumn('scope_known', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
      // The role the device's last page was filtered by: a wider role since then back-fills the newly allowed tables.
      await db.schema.alterTable('devices').addColumn('scope_role', 'text').execute();

      await db.schema
        .createTable('device_audit')
        .addColumn('device_id', 'uuid', (c) => c.notNull().references('devices.id'))
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('id', 'uuid', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('entity_ids', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('device_audit_pk', ['device_id', 'seq'])
        .execute();
      await db.schema.alterTable('devices').addColumn('audit_head_seq', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('devices').addColumn('audit_head_hash', 'text').execute();
      await db.schema.alterTable('devices').addColumn('history_rewritten_at', 'timestamptz').execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => SERVER_MIGRATIONS };

/** Applies pending migrations; refuses a database that has migrations this server does not know. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`server migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
