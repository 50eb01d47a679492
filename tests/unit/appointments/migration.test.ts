import Database from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, MIGRATION_NAMES } from '../../../electron/services/store/migrations';

const contact = (id: string, from: string | null) =>
  `insert into contacts (id, version, created_by, updated_by, created_at, updated_at, referral_id, date, start_time, duration_minutes, type, mechanism, location, attendance, clinician_id, rescheduled_from_id)
   values ('${id}',1,'u1','u1','t','t','r1','2026-07-07','10:00',50,'treatment','01','x',null,'u1',${from === null ? 'null' : `'${from}'`})`;

/** Migration 0006 on a store that already holds contacts (in memory; the store test covers encryption). */
describe('0006_appointments', () => {
  it('leaves existing contacts outside any clinic and uncancelled, adds clinics, and lets a booking be rescheduled only once', async () => {
    const raw = new Database(':memory:');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    for (const name of MIGRATION_NAMES.filter((n) => n < '0006')) await MIGRATIONS[name]!.up(db);
    raw.pragma('foreign_keys = off'); // the rows below test the new columns and index, not references
    raw.prepare(`insert into contacts (id, version, created_by, updated_by, created_at, updated_at, referral_id, date, start_time, duration_minutes, type, mechanism, location, attendance, clinician_id) values ('c0',1,'u1','u1','t','t','r1','2026-01-01','10:00',50,'treatment','01','x',5,'u1')`).run();
    await MIGRATIONS['0006_appointments']!.up(db);

    expect(raw.prepare('select clinic_id, rescheduled_from_id, cancellation_reason, attendance from contacts').get()).toEqual({ clinic_id: null, rescheduled_from_id: null, cancellation_reason: null, attendance: 5 });
    const cols = (raw.prepare(`pragma table_info(clinics)`).all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(expect.arrayContaining(['id', 'version', 'created_by', 'updated_by', 'created_at', 'updated_at', 'deleted_at', 'name', 'site', 'weekday', 'start_time', 'end_time', 'pathway', 'ltc_code']));
    expect(() => raw.prepare(`insert into clinics (id, version, created_by, updated_by, created_at, updated_at, name, site, weekday, start_time, end_time, pathway) values ('k1',1,'u1','u1','t','t','n','s',8,'09:00','12:00','core')`).run()).toThrow(/CHECK/);
    raw.prepare(contact('c1', 'c0')).run();
    expect(() => raw.prepare(contact('c2', 'c0')).run()).toThrow(/UNIQUE/);
    // A tombstoned replacement no longer holds the link, so the booking can be moved again.
    raw.prepare(`update contacts set deleted_at = 't' where id = 'c1'`).run();
    raw.prepare(contact('c2', 'c0')).run();
    await db.destroy();
  });
});
