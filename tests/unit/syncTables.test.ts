import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { MIGRATION_NAMES, MIGRATIONS } from '../../electron/services/store/migrations';
import { MAX_SCHEMA_VERSION } from '../../shared/sync/protocol';
import { DEVICE_ONLY_TABLES, OWN_CHANNEL_TABLES, SYNCED_TABLES } from '../../shared/sync/tables';

async function storeTables(): Promise<{ name: string; columns: string[] }[]> {
  const sqlite = new Database(':memory:');
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } }).migrateToLatest();
    if (error) throw error;
    const names = sqlite
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name")
      .all() as { name: string }[];
    return names.map(({ name }) => ({
      name,
      columns: (sqlite.prepare(`select name from pragma_table_info(?)`).all(name) as { name: string }[]).map((c) => c.name),
    }));
  } finally {
    await db.destroy();
  }
}

describe('every store table is either synced or declared not to be (issue #9)', () => {
  it('classifies each table the store migrations make exactly once, and names no table that does not exist', async () => {
    const tables = (await storeTables()).map((t) => t.name);
    const declared = [...SYNCED_TABLES, ...DEVICE_ONLY_TABLES, ...Object.keys(OWN_CHANNEL_TABLES)];
    const unclassified = tables.filter((t) => !declared.includes(t));
    expect(unclassified, 'add each new table to shared/sync/tables.ts: synced, device-only, or its own channel').toEqual([]);
    expect(declared.filter((t) => !tables.includes(t))).toEqual([]);
    expect(new Set(declared).size).toBe(declared.length);
  });

  it('syncs only tables that carry the columns sync relies on (id, version, who and when, tombstone)', async () => {
    const byName = new Map((await storeTables()).map((t) => [t.name, t.columns]));
    for (const table of SYNCED_TABLES) {
      expect(byName.get(table), table).toEqual(
        expect.arrayContaining(['id', 'version', 'created_by', 'updated_by', 'created_at', 'updated_at', 'deleted_at']),
      );
    }
  });

  it('records every write to a synced table in the outbox: each has its insert and update triggers', async () => {
    const sqlite = new Database(':memory:');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    try {
      const { error } = await new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } }).migrateToLatest();
      if (error) throw error;
      const triggers = new Set((sqlite.prepare("select name from sqlite_master where type = 'trigger'").all() as { name: string }[]).map((t) => t.name));
      const missing = SYNCED_TABLES.flatMap((t) => [`${t}_sync_insert`, `${t}_sync_update`]).filter((name) => !triggers.has(name));
      expect(missing, 'a migration that adds a synced table must call recordWritesInOutbox for it').toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('moves the sync schema range with the store: a new migration must be accepted by the server on purpose', () => {
    expect(MAX_SCHEMA_VERSION).toBe(MIGRATION_NAMES.length);
  });
});
