import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, MIGRATION_NAMES } from '../../../electron/services/store/migrations';

/** Migration 0002 on a database that already has patients from 0001 (in memory; the store test covers encryption). */
describe('0002_clinical_episode', () => {
  it('follows 0001 in order, gives existing patients updated_by (their creator) and a null tombstone, and keeps note versions append-only', async () => {
    expect(MIGRATION_NAMES.slice(0, 3)).toEqual(['0001_foundation', '0002_clinical_episode', '0003_service_ltc_codes']);
    expect(MIGRATION_NAMES).toContain('0005_user_directory');
    expect(MIGRATION_NAMES).toContain('0006_appointments');
    const raw = new Database(':memory:');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    await MIGRATIONS['0001_foundation']!.up(db);
    raw.prepare(`insert into users values ('u1','Ada','hit',null,1,'t','t')`).run();
    raw.prepare(`insert into patients values ('p1','9990000018','Rosa','Parks','1961-04-12','Riverside',3,'u1','t','t')`).run();
    await MIGRATIONS['0002_clinical_episode']!.up(db);

    expect(raw.prepare('select updated_by, deleted_at, version from patients').get()).toEqual({ updated_by: 'u1', deleted_at: null, version: 3 });
    for (const table of ['referrals', 'contacts', 'measures', 'screenings', 'risk_assessments', 'notes', 'note_versions', 'contact_attempts', 'actions', 'service_settings']) {
      const cols = (raw.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      expect(cols, table).toEqual(expect.arrayContaining(['id', 'version', 'created_by', 'updated_by', 'created_at', 'updated_at', 'deleted_at']));
    }
    raw.pragma('foreign_keys = off'); // the rows below test triggers and checks, not references
    raw.prepare(`insert into note_versions (id, version, created_by, updated_by, created_at, updated_at, note_id, note_version, status, body) values ('v1',1,'u1','u1','t','t','n1',1,'signed','x')`).run();
    expect(() => raw.prepare(`update note_versions set body = 'changed'`).run()).toThrow(/append-only/);
    expect(() => raw.prepare(`insert into contacts (id, version, created_by, updated_by, created_at, updated_at, referral_id, date, start_time, duration_minutes, type, mechanism, location, attendance, clinician_id) values ('c1',1,'u1','u1','t','t','r1','2026-01-01','10:00',50,'treatment','01','x',9,'u1')`).run()).toThrow(/CHECK/);
    await db.destroy();
  });
});

describe('0003_service_ltc_codes', () => {
  it('gives settings saved before it an empty LTC code table, so they keep the default codes', async () => {
    const raw = new Database(':memory:');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    await MIGRATIONS['0001_foundation']!.up(db);
    await MIGRATIONS['0002_clinical_episode']!.up(db);
    raw.prepare(`insert into service_settings (id, version, created_by, updated_by, created_at, updated_at, outcome_overrides, source_codes) values ('s1',1,'u1','u1','t','t','{}','{}')`).run();
    await MIGRATIONS['0003_service_ltc_codes']!.up(db);
    expect(raw.prepare('select ltc_codes from service_settings').get()).toEqual({ ltc_codes: '{}' });
    await db.destroy();
  });
});

describe('0005_user_directory', () => {
  it('keeps everyone already in the directory, active (no deactivation time), with their rows unchanged', async () => {
    const raw = new Database(':memory:');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    await MIGRATIONS['0001_foundation']!.up(db);
    raw.prepare(`insert into users (id, display_name, role, supervisor_id, version, created_at, updated_at) values ('u1','Ada','hit',null,3,'t','t')`).run();
    await MIGRATIONS['0005_user_directory']!.up(db);
    expect(raw.prepare('select id, display_name, role, version, deactivated_at, updated_by from users').all()).toEqual([
      { id: 'u1', display_name: 'Ada', role: 'hit', version: 3, deactivated_at: null, updated_by: null },
    ]);
    await db.destroy();
  });
});
