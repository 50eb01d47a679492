import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import type { Sqlite } from './database';
import { kyselyFor, migrate } from './database';

/**
 * The schema a database must have: tables, indexes, triggers and views exactly as the migrations make them.
 * Checked on every open and before a restore, so a dropped append-only trigger or a hidden trigger added with a
 * database tool is refused rather than trusted (issue: "restore allows injection").
 */
type SchemaRow = { type: string; name: string; tbl_name: string; sql: string | null };

export function fingerprintOf(db: Sqlite): string {
  // Every row counts, names starting "sqlite" included (a LIKE pattern would let `sqliteXhide` through, and a
  // true `sqlite_…` trigger planted with writable_schema still runs). Only the statistics tables ANALYZE may add
  // are left out, by exact name.
  const rows = db
    .prepare(
      `select type, name, tbl_name, sql from sqlite_schema
       where not (type = 'table' and name in ('sqlite_stat1', 'sqlite_stat2', 'sqlite_stat3', 'sqlite_stat4'))
       order by type, name`,
    )
    .all() as SchemaRow[];
  return createHash('sha256').update(JSON.stringify(rows.map((r) => [r.type, r.name, r.tbl_name, r.sql]))).digest('hex');
}

let expected: Promise<string> | null = null;

/** The fingerprint of a fresh database migrated to the latest version, computed once per process. */
export function expectedFingerprint(nativeBinding?: string): Promise<string> {
  expected ??= (async () => {
    const db = new Database(':memory:', { nativeBinding });
    try {
      await migrate(db, kyselyFor(db), ':memory:');
      return fingerprintOf(db);
    } finally {
      db.close();
    }
  })();
  return expected;
}

/** Throws SCHEMA_ALTERED naming the file when the database's schema is not what the migrations make. */
export async function assertSchema(db: Sqlite, file: string, nativeBinding?: string): Promise<void> {
  if (fingerprintOf(db) !== (await expectedFingerprint(nativeBinding))) {
    throw new AppError(
      'SCHEMA_ALTERED',
      `The caseload database ${file} has been altered outside Clinic Caseload (its tables, indexes or triggers are not the ones this version makes). It was not opened.`,
      { file },
    );
  }
}
