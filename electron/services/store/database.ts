import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import { Kysely, SqliteAdapter, SqliteDialect, type DialectAdapter } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { AppError } from '../../../shared/contract/errors';
import { applyCipher, type Cipher } from './cipher';
import { MIGRATIONS, MIGRATION_NAMES } from './migrations';
import type { CaseloadDb } from './schema';

export type Sqlite = Database.Database;

export interface OpenOptions {
  /** Create the file when it does not exist (first run only). */
  create: boolean;
  /** Path to a native build for another runtime (Electron); tests use the Node build. */
  nativeBinding?: string | undefined;
  /** The page cipher the key file records; ignored for `plaintext`. */
  cipher: Cipher;
  /** Plain (unencrypted) database: for the benchmark's comparison only. */
  plaintext?: boolean;
}

/**
 * Opens the encrypted database with the raw 256-bit data key and the cipher its key file names (cipher.ts),
 * then proves the key and the file at once: a wrong key or a damaged page only surfaces on the first read
 * (TOOLCHAIN.md), so read sqlite_master and run quick_check before any write.
 */
export function openEncrypted(file: string, dataKey: Buffer | null, options: OpenOptions): Sqlite {
  if (!options.create && !existsSync(file)) {
    throw new AppError('STORE_MISSING', `The caseload database ${file} is missing.`, { file });
  }
  let db: Sqlite;
  try {
    db = new Database(file, { fileMustExist: !options.create, nativeBinding: options.nativeBinding });
  } catch (err) {
    throw new AppError('STORE_CORRUPT', `The caseload database ${file} could not be opened (${(err as Error).message}).`, { file });
  }
  try {
    if (!options.plaintext) {
      if (!dataKey) throw new Error('data key must be 32 bytes');
      applyCipher(db, options.cipher, dataKey);
    }
    // A schema entry (trigger, view, default) must never run functions with side effects: a tampered backup
    // could otherwise carry code into the store.
    db.pragma('trusted_schema = OFF');
    db.prepare('select count(*) from sqlite_master').get();
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check: ${String(check)}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('temp_store = MEMORY'); // temp b-trees stay in memory, never in plaintext temp files
    return db;
  } catch (err) {
    db.close();
    if (err instanceof AppError) throw err;
    throw new AppError('STORE_CORRUPT', `The caseload database ${file} is damaged or does not match its key file (${(err as Error).message}).`, { file });
  }
}

/** SQLite does run DDL inside transactions; Kysely's adapter says otherwise, which would leave migrations half-applied. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
class CaseloadSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** Prepares statements once per distinct SQL text and reuses them: preparing costs about as much as running a small one. */
export interface Statements {
  prepare(sql: string): Database.Statement;
}

const STATEMENT_CACHE_SIZE = 1_000;

function cachedStatements(db: Sqlite): Statements & { close(): void } {
  const cache = new Map<string, Database.Statement>();
  return {
    prepare(sql) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // most recently used goes last, so the oldest is evicted first
      } else {
        statement = db.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
    close: () => db.close(),
  };
}

const statementsOf = new WeakMap<Kysely<CaseloadDb>, Statements>();

export function kyselyFor(db: Sqlite): Kysely<CaseloadDb> {
  const statements = cachedStatements(db);
  const kysely = new Kysely<CaseloadDb>({ dialect: new CaseloadSqliteDialect({ database: statements }) });
  statementsOf.set(kysely, statements);
  return kysely;
}

/**
 * The same connection as `db`, for the few hot paths (applying a pulled page) where building each query through
 * Kysely costs more than running it. Statements run here join whatever transaction `db` has open.
 */
export function statementsFor(db: Kysely<CaseloadDb>): Statements {
  const statements = statementsOf.get(db);
  if (!statements) throw new Error('not a store opened with kyselyFor');
  return statements;
}

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Applies pending migrations in one transaction; refuses a database written by a newer app version. */
export async function migrate(db: Sqlite, kysely: Kysely<CaseloadDb>, file: string): Promise<void> {
  const hasTable = db.prepare(`select 1 from sqlite_master where type='table' and name='kysely_migration'`).get();
  if (hasTable) {
    const applied = (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
    const unknown = applied.filter((name) => !MIGRATION_NAMES.includes(name));
    if (unknown.length > 0) {
      throw new AppError(
        'NEWER_DATABASE',
        `The caseload database ${file} was written by a newer version of Clinic Caseload (it has ${unknown.join(', ')}). Update the app to open it.`,
        { file },
      );
    }
  }
  const { error } = await new Migrator({ db: kysely, provider }).migrateToLatest();
  if (error) throw error;
}
