import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { kyselyFor } from '../../electron/services/store/database';
import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/services/store/migrations';

/** Migration 0016 makes `users` again to allow the service lead: a store from before keeps every user and every reference to them. */
describe('migration 0016_service_lead_role', () => {
  // As the app runs its migrations (one transaction: database.ts), and as a plain migrator does (statement by statement).
  it.each([
    ['in the app’s transaction', (sqlite: Database.Database) => kyselyFor(sqlite) as unknown as Kysely<unknown>],
    ['without one', (sqlite: Database.Database) => new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) })],
  ])('keeps each user and each reference to one, allows the service lead, and still refuses an unknown role (%s)', async (_how, kyselyOf) => {
    const sqlite = new Database(':memory:');
    sqlite.pragma('foreign_keys = ON');
    const db = kyselyOf(sqlite);
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
      expect((await migrator.migrateTo('0015_report_entries')).error).toBeUndefined();
      const at = '2026-06-30T10:00:00.000Z';
      sqlite.exec(`insert into users (id, display_name, role, supervisor_id, version, created_at, updated_at) values
        ('s1', 'Sam Supervisor', 'supervisor', null, 1, '${at}', '${at}'),
        ('h1', 'Priya Shah', 'hit', 's1', 2, '${at}', '${at}'),
        ('c1', 'Clerk', 'booking-clerk', null, 1, '${at}', '${at}')`);
      expect(() => sqlite.prepare(`insert into users (id, display_name, role, version, created_at, updated_at) values ('l0', 'Lead', 'service-lead', 1, ?, ?)`).run(at, at)).toThrow(/CHECK/);
      sqlite.exec(`insert into patients (id, nhs_number, given_name, family_name, date_of_birth, gp_practice, version, created_by, updated_by, created_at, updated_at)
        values ('p1', '9990000018', 'Ada', 'Lovelace', '1960-01-01', 'Riverside', 1, 'h1', 'h1', '${at}', '${at}')`);
      const before = sqlite.prepare('select * from users order by id').all();

      const latest = await migrator.migrateToLatest();
      expect(latest.results?.map((r) => `${r.migrationName}:${r.status}`), String(latest.error)).toEqual(['0016_service_lead_role:Success']);
      expect(sqlite.prepare('select * from users order by id').all()).toEqual(before);
      expect(sqlite.pragma('foreign_key_check')).toEqual([]);
      expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      sqlite.prepare(`insert into users (id, display_name, role, version, created_at, updated_at) values ('l1', 'Lead', 'service-lead', 1, ?, ?)`).run(at, at);
      expect(() => sqlite.prepare(`insert into users (id, display_name, role, version, created_at, updated_at) values ('x1', 'X', 'manager', 1, ?, ?)`).run(at, at)).toThrow(/CHECK/);
      // The references still hold: a user who registered a patient cannot go, and an unknown creator is refused.
      expect(() => sqlite.prepare(`delete from users where id = 'h1'`).run()).toThrow(/FOREIGN KEY/);
      expect(() => sqlite.prepare(`update patients set created_by = 'nobody' where id = 'p1'`).run()).toThrow(/FOREIGN KEY/);
      expect((await sql<{ n: number }>`select count(*) as n from sqlite_temp_master`.execute(db)).rows[0]!.n).toBe(0);
    } finally {
      await db.destroy();
    }
  });
});
