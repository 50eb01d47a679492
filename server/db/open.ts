import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations';
import { PGliteDialect } from './pglite-dialect';
import type { ServerDatabase } from './schema';

export interface OpenedDatabase {
  db: Kysely<ServerDatabase>;
  backend: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/**
 * PostgreSQL when a URL is given (a service that outgrows one machine); otherwise embedded PGlite in
 * `dataDir` (or in memory when that is undefined too), so a single-team pilot installs nothing. Both are
 * migrated before use.
 */
export async function openDatabase(options: { databaseUrl?: string | undefined; dataDir?: string | undefined }): Promise<OpenedDatabase> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    const db = new Kysely<ServerDatabase>({ dialect: new PostgresDialect({ pool }) });
    await migrateToLatest(db as Kysely<unknown>);
    return { db, backend: 'postgres', close: () => db.destroy() };
  }
  const pglite = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await pglite.waitReady;
  const db = new Kysely<ServerDatabase>({ dialect: new PGliteDialect(pglite) });
  await migrateToLatest(db as Kysely<unknown>);
  return {
    db,
    backend: 'pglite',
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
