import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { applyCipher } from '../../electron/services/store/cipher';
import { readDeviceSettings } from '../../electron/services/session/deviceSettings';
import { MAX_HEADER_BYTES, encodeBackup, readBackupBody, readBackupHeader } from '../../electron/services/store/backupFile';
import { PRODUCT_MIN_N, TEST_MIN_N, readKeyFile, serialiseKeyFile, unwrapDataKey } from '../../electron/services/store/keyFile';
import { AppError } from '../../shared/contract/errors';
import { PASSPHRASE, newEngine, removeDir, setUpEngine, snapshotFiles, tempDir, validNhsNumber } from '../helpers/tempStore';

/** Issue #6: crash safety, fail-closed lock, restore guards, backoff, ciphers, key rotation, audit anchoring. */
const dirs: string[] = [];
function dir(): string {
  const d = tempDir('caseload-hardening-');
  dirs.push(d);
  return d;
}
afterEach(() => {
  while (dirs.length) removeDir(dirs.pop()!);
});

const patient = (n: number) => ({ nhsNumber: validNhsNumber(n), givenName: 'Ines', familyName: `Okonkwo ${n}`, dateOfBirth: '1975-03-09', gpPractice: 'Hillside Surgery' });

async function expectCode(p: Promise<unknown>, code: string): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

/** Opens a store's database directly, with the key from its key file: the "someone with a database tool" threat. */
async function rawOpen(d: string, passphrase = PASSPHRASE, file = join(d, 'caseload.db')): Promise<Database.Database> {
  const keyFile = readKeyFile(join(d, 'caseload.key'), TEST_MIN_N);
  const key = await unwrapDataKey(keyFile, passphrase);
  const db = new Database(file);
  applyCipher(db, keyFile.cipher, key);
  return db;
}

async function backupOf(d: string): Promise<string> {
  const engine = newEngine(d);
  await engine.unlock(PASSPHRASE);
  const b = await engine.createBackup();
  await engine.close();
  return b.file;
}

/**
 * Rewrites a backup's database with a database tool and re-encodes it with its own key: the backup of someone
 * who holds the passphrase and edits the file — every hash and tag valid, only the contents changed.
 */
async function alterBackup(path: string, alter: (db: Database.Database) => void): Promise<void> {
  const header = readBackupHeader(path, TEST_MIN_N);
  const key = await unwrapDataKey(header.keyFile, PASSPHRASE);
  const staged = `${path}.altered.db`;
  writeFileSync(staged, readBackupBody(header));
  const db = new Database(staged);
  applyCipher(db, header.keyFile.cipher, key);
  alter(db);
  db.close();
  writeFileSync(path, encodeBackup(header.keyFile, key, header.anchor!, readFileSync(staged), header.createdAt));
  rmSync(staged);
}

describe('crash safety', () => {
  it('a chain head left behind its last event (as a crash between two writes once did) is repaired and told; unlock works', async () => {
    const d = dir();
    await (await setUpEngine(d)).close();
    const db = await rawOpen(d);
    // The old fault: an event written, the head not.
    const last = db.prepare('select * from audit_event order by seq desc limit 1').get() as Record<string, unknown>;
    db.prepare('update audit_head set count = count - 1').run();
    db.close();
    const engine = newEngine(d);
    const status = await engine.unlock(PASSPHRASE);
    expect(status.state).toBe('unlocked');
    expect(status.notices.join(' ')).toMatch(/head was behind its last event/);
    expect((await engine.handlers()['audit.verify']({})).ok).toBe(true);
    const actions = await engine.context().db.selectFrom('audit_event').select(['seq', 'action']).where('seq', '>', last.seq as number).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['audit-head-repaired', 'unlock']);
    await engine.close();
  });

  it('an unexpected failure while opening leads to the problem screen with restore, not a dead end', async () => {
    const d = dir();
    const engine = await setUpEngine(d);
    await engine.createBackup();
    await engine.close();
    const db = await rawOpen(d);
    db.prepare(`delete from settings where key = 'owner_user_id'`).run();
    db.close();
    const fresh = newEngine(d);
    await expectCode(fresh.unlock(PASSPHRASE), 'STORE_CORRUPT');
    const status = fresh.status();
    expect(status).toMatchObject({ state: 'store-error', problem: { code: 'STORE_CORRUPT' }, backupsAvailable: true });
  });
});

describe('lock fails closed', () => {
  /**
   * A disk with no room left. As root, a real one: a 2 MiB tmpfs holding the store, filled to the last byte.
   * Elsewhere, SQLite's own ceiling: no page may be added to the database.
   */
  async function fullDiskStore(extra: Parameters<typeof setUpEngine>[1]): Promise<{ dir: string; engine: Awaited<ReturnType<typeof setUpEngine>>; cleanup: () => void }> {
    const mountPoint = dir();
    let mounted = false;
    if (process.getuid?.() === 0) mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint]).status === 0;
    const d = join(mountPoint, 'store');
    const engine = await setUpEngine(d, extra);
    const cleanup = () => {
      if (mounted) spawnSync('umount', ['-l', mountPoint]);
    };
    if (mounted) {
      const filler = join(mountPoint, 'filler');
      try {
        for (;;) appendFileSync(filler, Buffer.alloc(64 * 1024));
      } catch {
        for (;;) {
          try {
            appendFileSync(filler, Buffer.alloc(1));
          } catch {
            break;
          }
        }
      }
    } else {
      const pages = (await sql<{ page_count: number }>`pragma page_count`.execute(engine.context().db)).rows[0]!.page_count;
      await sql.raw(`pragma max_page_count = ${pages}`).execute(engine.context().db);
    }
    // Proof the disk is full: writes now fail.
    let failed = false;
    for (let i = 0; i < 500 && !failed; i++) failed = await engine.handlers()['patients.create'](patient(100 + i)).then(() => false, () => true);
    expect(failed).toBe(true);
    return { dir: d, engine, cleanup };
  }

  it.each([
    ['session.lock (also what suspend and screen lock call)', (e: Awaited<ReturnType<typeof setUpEngine>>) => e.handlers()['session.lock']({}).then(() => undefined)],
    ['idle lock', async (e: Awaited<ReturnType<typeof setUpEngine>>) => void (await e.lockIfIdle())],
  ])('%s with a full disk ends locked, key zeroed, and the next unlock says the lock was not recorded', async (_label, lockIt) => {
    let now = Date.parse('2026-11-23T09:00:00Z');
    const { dir: d, engine, cleanup } = await fullDiskStore({ now: () => new Date(now), idleLockMinutes: 1 });
    try {
      now += 2 * 60_000;
      const key = (engine as unknown as { store: { dataKey: Buffer } }).store.dataKey;
      await lockIt(engine);
      expect(engine.status().state).toBe('locked');
      expect(key.every((b) => b === 0)).toBe(true);
      await expectCode(engine.handlers()['patients.list']({}), 'LOCKED');
      rmSync(join(d, '..', 'filler'), { force: true }); // room again
      const reopened = newEngine(d);
      const status = await reopened.unlock(PASSPHRASE);
      expect(status.notices.join(' ')).toMatch(/ended without its lock being recorded/);
      await reopened.close();
    } finally {
      cleanup();
    }
  });
});

describe('restore guards', () => {
  it('a healthy locked store is never replaced with an old passphrase alone; today’s passphrase lets it', async () => {
    const d = dir();
    const engine = await setUpEngine(d);
    await engine.handlers()['patients.create'](patient(1));
    const backup = await engine.createBackup();
    await engine.changePassphrase(PASSPHRASE, 'the passphrase of today');
    await engine.handlers()['patients.create'](patient(2));
    await engine.close();
    const before = snapshotFiles(d);
    const locked = newEngine(d);
    const missing = await expectCode(locked.restoreBackup({ file: backup.file, passphrase: PASSPHRASE, replaceOtherCaseload: false }), 'VALIDATION');
    expect(missing.fields?.[0]?.path).toBe('currentPassphrase');
    const wrong = await expectCode(locked.restoreBackup({ file: backup.file, passphrase: PASSPHRASE, currentPassphrase: PASSPHRASE, replaceOtherCaseload: false }), 'WRONG_PASSPHRASE');
    expect(wrong.fields?.[0]?.path).toBe('currentPassphrase');
    expect(snapshotFiles(d)).toEqual(before);
    const status = await locked.restoreBackup({ file: backup.file, passphrase: PASSPHRASE, currentPassphrase: 'the passphrase of today', replaceOtherCaseload: false });
    expect(status.state).toBe('unlocked');
    expect(status.notices[0]).toContain(backup.file);
    expect((await locked.handlers()['patients.list']({})).patients).toHaveLength(1);
    // The restored store opens with the backup's passphrase: the backup brought its own key.
    await locked.lock();
    await locked.unlock(PASSPHRASE);
    await locked.close();
  });

  it('a backup of another caseload needs the explicit confirmation, and that restore is audited as such', async () => {
    const mine = dir();
    const theirs = dir();
    await (await setUpEngine(mine)).close();
    const other = await setUpEngine(theirs);
    await other.handlers()['patients.create'](patient(7));
    const foreign = await other.createBackup();
    await other.close();
    mkdirSync(join(mine, 'backups'), { recursive: true });
    copyFileSync(foreign.path, join(mine, 'backups', foreign.file));
    const engine = newEngine(mine);
    await engine.unlock(PASSPHRASE);
    expect((await engine.handlers()['backup.list']({})).backups).toEqual([expect.objectContaining({ file: foreign.file, otherCaseload: true })]);
    await expectCode(engine.restoreBackup({ file: foreign.file, passphrase: PASSPHRASE, replaceOtherCaseload: false }), 'OTHER_CASELOAD');
    expect(engine.status().state).toBe('unlocked');
    await engine.lock();
    const before = snapshotFiles(mine);
    await expectCode(engine.restoreBackup({ file: foreign.file, passphrase: PASSPHRASE, currentPassphrase: PASSPHRASE, replaceOtherCaseload: false }), 'OTHER_CASELOAD');
    expect(snapshotFiles(mine)).toEqual(before);
    await engine.unlock(PASSPHRASE);
    await engine.restoreBackup({ file: foreign.file, passphrase: PASSPHRASE, replaceOtherCaseload: true });
    const last = await engine.context().db.selectFrom('audit_event').select('action').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last.action).toBe('restore-other-caseload');
    expect((await engine.handlers()['patients.list']({})).patients.map((p) => p.familyName)).toEqual(['Okonkwo 7']);
    await engine.close();
  });

  it.each([
    ['append-only triggers dropped', 'drop trigger audit_event_no_update; drop trigger audit_event_no_delete'],
    ['a hidden trigger added', `create trigger hide_views after insert on audit_event when new.action = 'view' begin select 1; end`],
    ['an index added', 'create index sneaky on patients (gp_practice)'],
  ])('refuses a backup whose schema was altered (%s), changing nothing', async (_label, alteration) => {
    const d = dir();
    const engine = await setUpEngine(d);
    const backup = await engine.createBackup();
    await engine.close();
    await alterBackup(backup.path, (db) => db.exec(alteration));
    const before = snapshotFiles(d);
    const err = await expectCode(newEngine(d).restoreBackup({ file: backup.file, passphrase: PASSPHRASE, currentPassphrase: PASSPHRASE, replaceOtherCaseload: false }), 'BACKUP_INVALID');
    expect(err.message).toMatch(/altered/);
    expect(snapshotFiles(d)).toEqual(before);
  });

  it('refuses a backup whose audit chain was rewritten, changing nothing', async () => {
    const d = dir();
    const engine = await setUpEngine(d);
    await engine.handlers()['patients.create'](patient(3));
    const backup = await engine.createBackup();
    await engine.close();
    await alterBackup(backup.path, (db) => {
      // A trigger-free edit of history, then the triggers put back so the schema itself looks untouched.
      const triggers = db.prepare(`select sql from sqlite_schema where type = 'trigger' and tbl_name = 'audit_event'`).all() as { sql: string }[];
      db.exec('drop trigger audit_event_no_update; drop trigger audit_event_no_delete');
      db.prepare(`update audit_event set entity_ids = '[]' where seq = 2`).run();
      for (const t of triggers) db.exec(t.sql);
    });
    const err = await expectCode(newEngine(d).restoreBackup({ file: backup.file, passphrase: PASSPHRASE, currentPassphrase: PASSPHRASE, replaceOtherCaseload: false }), 'BACKUP_INVALID');
    expect(err.message).toMatch(/audit trail/);
  });

  it('refuses an oversized header and out-of-range passphrase protection before reading the body', async () => {
    const d = dir();
    await (await setUpEngine(d)).close();
    const file = await backupOf(d);
    const path = join(d, 'backups', file);
    const bytes = readFileSync(path);
    const huge = Buffer.from(bytes);
    huge.writeUInt32BE(MAX_HEADER_BYTES + 1, 8);
    writeFileSync(path, huge);
    expect((await expectCode(newEngine(d).restoreBackup({ file, passphrase: PASSPHRASE, currentPassphrase: PASSPHRASE, replaceOtherCaseload: false }), 'BACKUP_INVALID')).message).toMatch(/header is too large/);
    for (const N of [2 ** 4, 2 ** 24]) {
      const headerLength = bytes.readUInt32BE(8);
      const header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8'));
      header.keyFile.kdf.N = N;
      const json = Buffer.from(JSON.stringify(header));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(json.length);
      writeFileSync(path, Buffer.concat([bytes.subarray(0, 8), length, json, bytes.subarray(12 + headerLength)]));
      const err = await expectCode(newEngine(d).restoreBackup({ file, passphrase: PASSPHRASE, currentPassphrase: PASSPHRASE, replaceOtherCaseload: false }), 'BACKUP_INVALID');
      expect(err.message).toMatch(/key is damaged|passphrase protection/);
    }
  });

  it('when the caseload files are gone but backups remain, setup offers restore and the backup passphrase alone restores', async () => {
    const d = dir();
    const engine = await setUpEngine(d);
    await engine.handlers()['patients.create'](patient(4));
    const backup = await engine.createBackup();
    await engine.close();
    for (const f of readdirSync(d)) if (f.startsWith('caseload.db') || f === 'caseload.key') removeDir(join(d, f));
    const fresh = newEngine(d);
    expect(fresh.status()).toMatchObject({ state: 'needs-setup', backupsAvailable: true });
    const status = await fresh.restoreBackup({ file: backup.file, passphrase: PASSPHRASE, replaceOtherCaseload: false });
    expect(status.state).toBe('unlocked');
    expect((await fresh.handlers()['patients.list']({})).patients).toHaveLength(1);
    await fresh.close();
  });

  it('an altered live database is refused on open, with trusted_schema off on every connection', async () => {
    const d = dir();
    const engine = await setUpEngine(d);
    expect((await sql<{ trusted_schema: number }>`pragma trusted_schema`.execute(engine.context().db)).rows[0]!.trusted_schema).toBe(0);
    await engine.close();
    const db = await rawOpen(d);
    db.exec('drop trigger audit_event_no_delete');
    db.close();
    const fresh = newEngine(d);
    await expectCode(fresh.unlock(PASSPHRASE), 'SCHEMA_ALTERED');
    expect(fresh.status()).toMatchObject({ state: 'store-error', problem: { code: 'SCHEMA_ALTERED' } });
  });
});

describe('wrong passphrases', () => {
  it('the count survives a restart; the failures are told and audited at the next good unlock', async () => {
    const d = dir();
    await (await setUpEngine(d)).close();
    let now = Date.parse('2026-11-23T09:00:00Z');
    const first = newEngine(d, { unlockBackoffBaseMs: 1000, now: () => new Date(now) });
    await expectCode(first.unlock('wrong number one'), 'WRONG_PASSPHRASE');
    const restarted = newEngine(d, { unlockBackoffBaseMs: 1000, now: () => new Date(now) });
    expect((await expectCode(restarted.unlock(PASSPHRASE), 'RETRY_AFTER')).retryAfterMs).toBe(1000);
    now += 1000;
    await expectCode(restarted.unlock('wrong number two'), 'WRONG_PASSPHRASE');
    now += 2000;
    const status = await restarted.unlock(PASSPHRASE);
    expect(status.notices.join(' ')).toMatch(/^2 wrong passphrase attempts since this caseload was last unlocked/);
    const events = await restarted.context().db.selectFrom('audit_event').select(['action', 'at']).orderBy('seq', 'desc').limit(3).execute();
    expect(events.map((e) => e.action)).toEqual(['unlock', 'unlock-failed', 'unlock-failed']);
    expect(events[2]!.at).toBe('2026-11-23T09:00:00.000Z');
    await restarted.lock();
    expect((await restarted.unlock(PASSPHRASE)).notices).toEqual([]); // told once
    await restarted.close();
  });
});

describe('ciphers and key files', () => {
  it('a new store calibrates its cipher, records it in the device settings and a version 2 key file', async () => {
    const d = dir();
    const engine = await setUpEngine(d, { cipher: 'calibrate' });
    const calibrated = readDeviceSettings(join(d, 'caseload.device.json')).calibratedCipher;
    expect(['aegis-256', 'sqlcipher-v4']).toContain(calibrated);
    const json = JSON.parse(readFileSync(join(d, 'caseload.key'), 'utf8'));
    expect(json).toMatchObject({ version: 2, cipher: calibrated, storeId: expect.any(String), anchor: { count: 1 } });
    await engine.close();
  });

  it('AEGIS-256 is authenticated: one flipped byte is refused, never read', async () => {
    const d = dir();
    const engine = await setUpEngine(d, { cipher: 'aegis-256' });
    for (let i = 0; i < 30; i++) await engine.handlers()['patients.create'](patient(i * 13));
    await engine.close();
    const file = join(d, 'caseload.db');
    const bytes = readFileSync(file);
    bytes[4096 + 200] = bytes[4096 + 200]! ^ 0x01;
    writeFileSync(file, bytes);
    await expectCode(newEngine(d).unlock(PASSPHRASE), 'STORE_CORRUPT');
  });

  it('a version 1 SQLCipher store (before ciphers were recorded) opens, migrates to AEGIS-256 on a machine calibrated to it, and keeps its data', async () => {
    const d = dir();
    const old = await setUpEngine(d, { cipher: 'sqlcipher-v4' });
    const kept = await old.handlers()['patients.create'](patient(5));
    const oldBackup = await old.createBackup();
    await old.close();
    const v2 = readKeyFile(join(d, 'caseload.key'), TEST_MIN_N);
    // A store from before key files recorded ciphers and anchors has no record of a version 2 key file either.
    const legacy = await rawOpen(d);
    legacy.prepare(`delete from settings where key = 'key_file_version'`).run();
    legacy.close();
    const { storeId: _s, anchor: _a, anchorMac: _m, cipher: _c, ...v1 } = serialiseKeyFile(v2) as Record<string, unknown>;
    writeFileSync(join(d, 'caseload.key'), JSON.stringify({ ...v1, version: 1 }));
    const engine = newEngine(d, { cipher: 'aegis-256' });
    await engine.unlock(PASSPHRASE);
    const key = readKeyFile(join(d, 'caseload.key'), TEST_MIN_N);
    expect(key).toMatchObject({ cipher: 'aegis-256', storeId: v2.storeId });
    expect((await engine.handlers()['patients.list']({})).patients.map((p) => p.id)).toEqual([kept.id]);
    expect((await engine.handlers()['audit.verify']({})).ok).toBe(true);
    const actions = (await engine.context().db.selectFrom('audit_event').select('action').execute()).map((r) => r.action);
    expect(actions).toContain('change-cipher');
    await engine.close();
    expect(readdirSync(d).filter((f) => f.includes('.next') || f.includes('swap'))).toEqual([]);
    // The migrated file no longer opens as SQLCipher, and an old SQLCipher backup still restores.
    const asSqlcipher = new Database(join(d, 'caseload.db'));
    applyCipher(asSqlcipher, 'sqlcipher-v4', await unwrapDataKey(key, PASSPHRASE));
    expect(() => asSqlcipher.prepare('select count(*) from sqlite_master').get()).toThrow(/not a database/);
    asSqlcipher.close();
    const restorer = newEngine(d, { cipher: 'aegis-256' });
    const restored = await restorer.restoreBackup({ file: oldBackup.file, passphrase: PASSPHRASE, currentPassphrase: PASSPHRASE, replaceOtherCaseload: false });
    expect(restored.state).toBe('unlocked');
    await restorer.close();
  });

  it('an unknown cipher in the key file gets its own error, not "corrupt"', async () => {
    const d = dir();
    await (await setUpEngine(d)).close();
    const json = JSON.parse(readFileSync(join(d, 'caseload.key'), 'utf8'));
    writeFileSync(join(d, 'caseload.key'), JSON.stringify({ ...json, cipher: 'rot13-ultra' }));
    const engine = newEngine(d);
    expect(engine.status()).toMatchObject({ state: 'store-error', problem: { code: 'UNKNOWN_CIPHER' } });
    await expectCode(engine.unlock(PASSPHRASE), 'UNKNOWN_CIPHER');
  });

  it('a product key file below the scrypt floor is raised to N ≥ 2^17 at the next unlock', async () => {
    const d = dir();
    await (await setUpEngine(d, { kdf: { kind: 'insecure-test-only', N: 2 ** 14 } })).close();
    const product = newEngine(d, { kdf: { kind: 'calibrate', targetMs: 1 } });
    await product.unlock(PASSPHRASE);
    expect(readKeyFile(join(d, 'caseload.key'), TEST_MIN_N).kdf.N).toBeGreaterThanOrEqual(PRODUCT_MIN_N);
    await product.lock();
    expect((await product.unlock(PASSPHRASE)).state).toBe('unlocked');
    await product.close();
  }, 30_000);
});

describe('key rotation', () => {
  it('after a passphrase change an old backup opens only itself, never the current database', async () => {
    const d = dir();
    const engine = await setUpEngine(d);
    const backup = await engine.createBackup();
    await engine.changePassphrase(PASSPHRASE, 'rotated passphrase now');
    await engine.close();
    const oldKey = await unwrapDataKey(readBackupHeader(backup.path, TEST_MIN_N).keyFile, PASSPHRASE);
    const current = new Database(join(d, 'caseload.db'));
    applyCipher(current, readKeyFile(join(d, 'caseload.key'), TEST_MIN_N).cipher, oldKey);
    expect(() => current.prepare('select count(*) from sqlite_master').get()).toThrow(/not a database/);
    current.close();
    expect(readdirSync(d).filter((f) => f.includes('replaced'))).toEqual([]);
  });

  it('a crash after the commit point finishes the swap at the next unlock; before it, the copy is dropped', async () => {
    const d = dir();
    const engine = await setUpEngine(d);
    await engine.handlers()['patients.create'](patient(9));
    await engine.close();
    // Before the commit point: a stray copy and journal, the key file unchanged.
    writeFileSync(join(d, 'caseload.db.next'), Buffer.alloc(4096, 3));
    writeFileSync(join(d, 'caseload.swap.json'), JSON.stringify({ reason: 'rotate', stamp: '20261123T090000000Z' }));
    const fresh = newEngine(d);
    await fresh.unlock(PASSPHRASE);
    expect(existsSync(join(d, 'caseload.db.next'))).toBe(false);
    expect((await fresh.handlers()['patients.list']({})).patients).toHaveLength(1);
    await fresh.close();
  });
});

describe('audit anchoring', () => {
  it('a database rolled back to an earlier copy is detected on open; an ordinary crash (database ahead) is not mistaken for one', async () => {
    const d = dir();
    const engine = await setUpEngine(d);
    await engine.close();
    const early = join(d, 'early-copy.db');
    copyFileSync(join(d, 'caseload.db'), early);
    await engine.unlock(PASSPHRASE);
    await engine.handlers()['patients.create'](patient(11));
    await engine.close();
    const anchor = readKeyFile(join(d, 'caseload.key'), TEST_MIN_N).anchor!;
    expect(anchor.count).toBeGreaterThan(3);
    // Database ahead of the key file (a crash after commit, before the anchor was written): opens.
    const db = await rawOpen(d);
    db.close();
    const ahead = newEngine(d);
    await ahead.unlock(PASSPHRASE);
    await ahead.handlers()['patients.create'](patient(12));
    const keyBefore = readFileSync(join(d, 'caseload.key'));
    (ahead as unknown as { store: { sqlite: Database.Database } }).store.sqlite.close(); // crash: no lock, no anchor
    writeFileSync(join(d, 'caseload.key'), keyBefore);
    const afterCrash = newEngine(d);
    expect((await afterCrash.unlock(PASSPHRASE)).state).toBe('unlocked');
    await afterCrash.close();
    // Rolled back: the early copy put in place of today's database.
    copyFileSync(early, join(d, 'caseload.db'));
    for (const f of ['caseload.db-wal', 'caseload.db-shm']) removeDir(join(d, f));
    const rolledBack = newEngine(d);
    const err = await expectCode(rolledBack.unlock(PASSPHRASE), 'STORE_ROLLED_BACK');
    expect(err.file).toBe(join(d, 'caseload.db'));
    expect(rolledBack.status().state).toBe('store-error');
  });
});

describe('backup destination', () => {
  it('accepts only an existing, writable, absolute folder; backups and the list then use it and name the full path', async () => {
    const d = dir();
    const elsewhere = dir();
    const engine = await setUpEngine(d);
    await expectCode(Promise.resolve().then(() => engine.setDestination('backups', 'relative/folder')), 'VALIDATION');
    await expectCode(Promise.resolve().then(() => engine.setDestination('backups', join(elsewhere, 'missing'))), 'VALIDATION');
    engine.setDestination('backups', elsewhere);
    const b = await engine.createBackup();
    expect(b.path).toBe(join(elsewhere, b.file));
    expect(existsSync(b.path)).toBe(true);
    const list = await engine.handlers()['backup.list']({});
    expect(list).toEqual({ folder: elsewhere, backups: [expect.objectContaining({ file: b.file, path: b.path, otherCaseload: false })] });
    const audit = await engine.context().db.selectFrom('audit_event').select('action').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit.action).toBe('backup');
    await engine.close();
  });
});

describe('OS keychain sealing (safeStorage)', () => {
  const fakeKeychain = (backend: string, available = true) => ({
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain: string) => Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`),
    decryptString: (sealed: Buffer) => {
      const text = sealed.toString();
      if (!text.startsWith('sealed:')) throw new Error('foreign');
      return Buffer.from(text.slice(7), 'hex').toString();
    },
  });

  it('makes one secret per computer, reuses it, and refuses basic_text, no keychain, or one that cannot open it', async () => {
    const { loadDeviceSecret } = await import('../../electron/services/shell/deviceSecret');
    const d = dir();
    const file = join(d, 'secret.bin');
    expect(loadDeviceSecret(fakeKeychain('basic_text'), file, 'linux')).toBeNull();
    expect(loadDeviceSecret(fakeKeychain('gnome_libsecret', false), file, 'linux')).toBeNull();
    expect(existsSync(file)).toBe(false);
    const first = loadDeviceSecret(fakeKeychain('kwallet5'), file, 'linux');
    expect(first).toHaveLength(32);
    expect(loadDeviceSecret(fakeKeychain('kwallet5'), file, 'linux')).toEqual(first);
    expect(loadDeviceSecret(fakeKeychain('whatever'), file, 'win32')).toEqual(first); // the Linux-only backend check
    writeFileSync(file, 'made by another keychain');
    expect(loadDeviceSecret(fakeKeychain('kwallet5'), file, 'linux')).toBeNull();
  });

  it('a sealed key file opens only with the computer’s secret; its backups stay portable', async () => {
    const d = dir();
    const secret = Buffer.alloc(32, 7);
    const engine = await setUpEngine(d, { deviceSecret: secret });
    await engine.handlers()['patients.create'](patient(21));
    const backup = await engine.createBackup();
    await engine.close();
    const onDisk = JSON.parse(readFileSync(join(d, 'caseload.key'), 'utf8'));
    expect(onDisk.sealed).toBeDefined();
    expect(onDisk.wrapped).toBeUndefined();
    const elsewhere = newEngine(d);
    expect(elsewhere.status()).toMatchObject({ state: 'store-error', problem: { code: 'KEYCHAIN_UNAVAILABLE' } });
    await expectCode(elsewhere.unlock(PASSPHRASE), 'KEYCHAIN_UNAVAILABLE');
    await expectCode(newEngine(d, { deviceSecret: Buffer.alloc(32, 8) }).unlock(PASSPHRASE), 'KEYCHAIN_UNAVAILABLE');
    expect((await newEngine(d, { deviceSecret: secret }).unlock(PASSPHRASE)).state).toBe('unlocked');
    // The backup carries the passphrase wrap in the clear: it restores on a computer without that keychain.
    const other = dir();
    mkdirSync(join(other, 'backups'));
    copyFileSync(backup.path, join(other, 'backups', backup.file));
    const restored = await newEngine(other).restoreBackup({ file: backup.file, passphrase: PASSPHRASE, replaceOtherCaseload: false });
    expect(restored.state).toBe('unlocked');
  });
});

describe('what a security review tried', () => {
  it.each(['sqliteXhide', 'SQLiteYhide'])('a trigger named %s, hidden in plain sight, is refused on open and in a backup', async (name) => {
    const d = dir();
    const engine = await setUpEngine(d);
    const backup = await engine.createBackup();
    await engine.close();
    const hide = `create trigger ${name} before insert on audit_event when new.action = 'view' begin select raise(ignore); end`;
    await alterBackup(backup.path, (db) => db.exec(hide));
    expect((await expectCode(newEngine(d).restoreBackup({ file: backup.file, passphrase: PASSPHRASE, currentPassphrase: PASSPHRASE, replaceOtherCaseload: false }), 'BACKUP_INVALID')).message).toMatch(/altered/);
    const db = await rawOpen(d);
    db.exec(hide);
    db.close();
    await expectCode(newEngine(d).unlock(PASSPHRASE), 'SCHEMA_ALTERED');
  });

  it('a restore after a crash inside a committed passphrase change keeps today’s data, with the key file that opens it', async () => {
    const d = dir();
    const engine = await setUpEngine(d);
    const backup = await engine.createBackup();
    await engine.handlers()['patients.create'](patient(31)); // today's work, after the backup
    await engine.close();
    const before = join(d, 'before-change.db');
    copyFileSync(join(d, 'caseload.db'), before);
    await engine.unlock(PASSPHRASE);
    await engine.changePassphrase(PASSPHRASE, 'the changed passphrase');
    await engine.close();
    // Put the files as a kill after the commit point (the key file) and before the move would leave them.
    const anchor = readKeyFile(join(d, 'caseload.key'), TEST_MIN_N).anchor;
    copyFileSync(join(d, 'caseload.db'), join(d, 'caseload.db.next'));
    copyFileSync(before, join(d, 'caseload.db'));
    writeFileSync(join(d, 'caseload.swap.json'), JSON.stringify({ reason: 'rotate', stamp: '20261123T090000000Z', anchor }));
    const restorer = newEngine(d);
    await restorer.restoreBackup({ file: backup.file, passphrase: PASSPHRASE, currentPassphrase: 'the changed passphrase', replaceOtherCaseload: false });
    await restorer.close();
    // The replaced pair is today's rotated database with the key file that opens it: the changed passphrase.
    const stamp = readdirSync(d).find((f) => f.startsWith('caseload.key.replaced-'))!.slice('caseload.key.replaced-'.length);
    const keptKey = readKeyFile(join(d, `caseload.key.replaced-${stamp}`), TEST_MIN_N);
    const kept = new Database(join(d, `caseload.db.replaced-${stamp}`));
    applyCipher(kept, keptKey.cipher, await unwrapDataKey(keptKey, 'the changed passphrase'));
    expect((kept.prepare('select family_name from patients').all() as { family_name: string }[]).map((r) => r.family_name)).toEqual(['Okonkwo 31']);
    kept.close();
    expect(readdirSync(d).filter((f) => f.includes('.next'))).toEqual([]);
  });

  it('a header edited to claim this caseload, or a later date, is refused: the header is tagged with the data key', async () => {
    const mine = dir();
    const theirs = dir();
    await (await setUpEngine(mine)).close();
    const other = await setUpEngine(theirs);
    const foreign = await other.createBackup();
    await other.close();
    const myId = readKeyFile(join(mine, 'caseload.key'), TEST_MIN_N).storeId;
    const bytes = readFileSync(foreign.path);
    const length = bytes.readUInt32BE(8);
    const header = JSON.parse(bytes.subarray(12, 12 + length).toString('utf8'));
    header.keyFile.storeId = myId;
    header.createdAt = '2030-01-01T00:00:00.000Z';
    const json = Buffer.from(JSON.stringify(header));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(json.length);
    mkdirSync(join(mine, 'backups'));
    writeFileSync(join(mine, 'backups', foreign.file), Buffer.concat([bytes.subarray(0, 8), len, json, bytes.subarray(12 + length)]));
    const engine = newEngine(mine);
    await engine.unlock(PASSPHRASE);
    expect((await expectCode(engine.restoreBackup({ file: foreign.file, passphrase: PASSPHRASE, replaceOtherCaseload: false }), 'BACKUP_INVALID')).message).toMatch(/header has been altered/);
    await engine.close();
  });

  it('a backup that could not be opened once swapped in (its owner removed) is refused before anything changes', async () => {
    const d = dir();
    const engine = await setUpEngine(d);
    const backup = await engine.createBackup();
    await engine.close();
    await alterBackup(backup.path, (db) => {
      db.pragma('foreign_keys = OFF');
      db.prepare(`delete from users`).run();
    });
    const before = snapshotFiles(d);
    expect((await expectCode(newEngine(d).restoreBackup({ file: backup.file, passphrase: PASSPHRASE, currentPassphrase: PASSPHRASE, replaceOtherCaseload: false }), 'BACKUP_INVALID')).message).toMatch(/damaged/);
    expect(snapshotFiles(d)).toEqual(before);
  });

  it('an anchor removed or edited by hand in the key file is refused, and so is a key file turned back into version 1', async () => {
    const d = dir();
    await (await setUpEngine(d, { cipher: 'sqlcipher-v4' })).close(); // version 1 key files meant SQLCipher
    const json = JSON.parse(readFileSync(join(d, 'caseload.key'), 'utf8'));
    writeFileSync(join(d, 'caseload.key'), JSON.stringify({ ...json, anchor: null }));
    await expectCode(newEngine(d).unlock(PASSPHRASE), 'KEYFILE_CORRUPT');
    writeFileSync(join(d, 'caseload.key'), JSON.stringify({ ...json, anchor: { ...json.anchor, count: 1 } }));
    await expectCode(newEngine(d).unlock(PASSPHRASE), 'STORE_ROLLED_BACK');
    const { anchor: _a, anchorMac: _m, storeId: _s, cipher: _c, ...v1 } = json;
    writeFileSync(join(d, 'caseload.key'), JSON.stringify({ ...v1, version: 1 }));
    expect((await expectCode(newEngine(d, { cipher: 'sqlcipher-v4' }).unlock(PASSPHRASE), 'STORE_ROLLED_BACK')).message).toMatch(/older than its database/);
  });

  it('the wait never exceeds the cap after a clock jump, a damaged count means the longest wait, and failures survive a damaged store until told', async () => {
    const d = dir();
    await (await setUpEngine(d)).close();
    let now = Date.parse('2027-11-23T09:00:00Z'); // a year fast
    const engine = newEngine(d, { unlockBackoffBaseMs: 1000, now: () => new Date(now) });
    await expectCode(engine.unlock('wrong one'), 'WRONG_PASSPHRASE');
    now = Date.parse('2026-11-23T09:00:00Z'); // corrected
    expect((await expectCode(engine.unlock(PASSPHRASE), 'RETRY_AFTER')).retryAfterMs).toBe(60_000);
    writeFileSync(join(d, 'caseload.attempts.json'), '{"fail');
    expect((await expectCode(engine.unlock(PASSPHRASE), 'RETRY_AFTER')).retryAfterMs).toBe(60_000);
    now += 60_000;
    await expectCode(engine.unlock('wrong two'), 'WRONG_PASSPHRASE');
    now += 60_000;
    // The right passphrase on a damaged database: the problem screen, and the failure is still to be told.
    const db = await rawOpen(d);
    db.prepare(`delete from settings where key = 'owner_user_id'`).run();
    db.close();
    await expectCode(engine.unlock(PASSPHRASE), 'STORE_CORRUPT');
    expect(JSON.parse(readFileSync(join(d, 'caseload.attempts.json'), 'utf8')).failedAt).toHaveLength(1);
  });
});

describe('backups from before this version', () => {
  it('a version 1 backup (the foundation’s format: no store id, anchor or tag; SQLCipher) still restores', async () => {
    const d = dir();
    const engine = await setUpEngine(d, { cipher: 'sqlcipher-v4' });
    const kept = await engine.handlers()['patients.create'](patient(41));
    const backup = await engine.createBackup();
    await engine.handlers()['patients.create'](patient(42));
    await engine.close();
    const header = readBackupHeader(backup.path, TEST_MIN_N);
    const body = readBackupBody(header);
    const { storeId: _s, anchor: _a, anchorMac: _m, cipher: _c, ...v1Key } = header.rawKeyFile as Record<string, unknown>;
    const json = Buffer.from(
      JSON.stringify({
        format: 'clinic-caseload-backup',
        version: 1,
        createdAt: header.createdAt,
        keyFile: { ...v1Key, version: 1 },
        dbBytes: body.length,
        dbSha256: header.dbSha256,
      }),
    );
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    writeFileSync(backup.path, Buffer.concat([Buffer.from('CCBAK01\n', 'ascii'), length, json, body]));
    const restorer = newEngine(d, { cipher: 'sqlcipher-v4' });
    const status = await restorer.restoreBackup({ file: backup.file, passphrase: PASSPHRASE, currentPassphrase: PASSPHRASE, replaceOtherCaseload: false });
    expect(status.state).toBe('unlocked');
    expect((await restorer.handlers()['patients.list']({})).patients.map((p) => p.id)).toEqual([kept.id]);
    expect(readKeyFile(join(d, 'caseload.key'), TEST_MIN_N)).toMatchObject({ cipher: 'sqlcipher-v4', anchor: { count: expect.any(Number) } });
    await restorer.close();
  });
});
