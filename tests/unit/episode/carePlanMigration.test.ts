import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, MIGRATION_NAMES } from '../../../electron/services/store/migrations';

/** Migration 0007 on a store that already holds an episode: nothing recorded before it changes meaning. */
describe('0007_care_plan', () => {
  it('leaves existing referrals unlinked and existing contacts without a therapy type, and makes sync-ready care plan tables', async () => {
    expect(MIGRATION_NAMES).toContain('0007_care_plan');
    const raw = new Database(':memory:');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    for (const name of MIGRATION_NAMES.filter((n) => n < '0007')) await MIGRATIONS[name]!.up(db);
    raw.pragma('foreign_keys = off'); // the rows below test the new columns, not references
    const meta = `1,'u1','u1','t','t'`;
    raw.prepare(`insert into referrals (id, version, created_by, updated_by, created_at, updated_at, patient_id, received_date, referrer_role, source_code, ltc_codes, reason, risk_known, consent, urgency, pathway, caseholder_id, team, status, discuss_in_supervision) values ('r1',${meta},'p1','2026-01-05','gp','A1','[]','Low mood',0,1,'routine','core','u1','Core','in-treatment',0)`).run();
    raw.prepare(`insert into contacts (id, version, created_by, updated_by, created_at, updated_at, referral_id, date, start_time, duration_minutes, type, mechanism, location, attendance, clinician_id) values ('c1',${meta},'r1','2026-01-12','10:00',50,'treatment','01','Clinic',5,'u1')`).run();
    await MIGRATIONS['0007_care_plan']!.up(db);

    expect(raw.prepare('select previous_referral_id from referrals').get()).toEqual({ previous_referral_id: null });
    expect(raw.prepare('select therapy_type from contacts').get()).toEqual({ therapy_type: null });
    for (const table of ['care_plans', 'care_plan_goals', 'goal_ratings']) {
      const cols = (raw.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      expect(cols, table).toEqual(expect.arrayContaining(['id', 'version', 'created_by', 'updated_by', 'created_at', 'updated_at', 'deleted_at', 'referral_id']));
    }
    await db.destroy();
  });
});
