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
