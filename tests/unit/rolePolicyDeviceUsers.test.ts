import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineDispatcher } from '../../electron/services/dispatch';
import type { CaseloadEngine } from '../../electron/services/engine';
import { deviceIndexFile } from '../../electron/services/session/deviceUsers';
import { PASSPHRASE, newEngine, removeDir, setUpEngine, tempDir, validNhsNumber } from '../helpers/tempStore';

/**
 * Issue #10 §9: one encrypted store per person on a shared clinic laptop — own data key, own passphrase, own
 * wrong-passphrase delay — with switching that locks one store and opens another, and an audit trail that
 * names the real user. A device set up before stores were per user is simply its first user.
 */
const CLERK_PASSPHRASE = 'clerk passphrase 2026';

const dirs: string[] = [];
const engines: CaseloadEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
  for (const d of dirs.splice(0)) removeDir(d);
});
async function device(): Promise<{ dir: string; engine: CaseloadEngine }> {
  const dir = tempDir();
  dirs.push(dir);
  const engine = await setUpEngine(dir);
  engines.push(engine);
  return { dir, engine };
}

async function auditOf(engine: CaseloadEngine) {
  return engine.context().db.selectFrom('audit_event').select(['actor_id', 'action']).orderBy('seq').execute();
}

describe('one store per user on a shared laptop', () => {
  it('keeps a single-user data folder working as its first user, named once it has been unlocked', async () => {
    const { dir, engine } = await device();
    const patient = await engine.handlers()['patients.create']({ nhsNumber: validNhsNumber(1), givenName: 'Ann', familyName: 'Existing', dateOfBirth: '1960-01-01', gpPractice: 'GP' });
    await engine.close();
    // The layout before stores were per user: the store's files in the data folder, no device index.
    rmSync(deviceIndexFile(dir));
    const upgraded = newEngine(dir);
    engines.push(upgraded);
    expect(upgraded.status()).toMatchObject({ state: 'locked', currentUser: 'primary', deviceUsers: [{ key: 'primary', displayName: null, role: null }] });
    await upgraded.unlock(PASSPHRASE);
    expect(upgraded.status().deviceUsers).toEqual([{ key: 'primary', displayName: 'Dr Ada Lovelace', role: 'hit' }]);
    expect((await upgraded.handlers()['patients.get']({ id: patient.id })).familyName).toBe('Existing');
  });

  it('adds a second person with their own store, key file and passphrase; switching locks one and opens the other', async () => {
    const { dir, engine } = await device();
    const call = createEngineDispatcher(engine);
    const hitId = engine.context().actorId;

    const adding = await call('session.addUser', {});
    expect(adding).toMatchObject({ ok: true, value: { state: 'needs-setup', deviceUsers: [{ key: 'primary' }] } });
    const clerkKey = (adding as { value: { currentUser: string } }).value.currentUser;
    const setUp = await call('session.setup', { passphrase: CLERK_PASSPHRASE, displayName: 'Bea Booking', role: 'booking-clerk' });
    expect(setUp).toMatchObject({ ok: true, value: { state: 'unlocked', owner: { displayName: 'Bea Booking', role: 'booking-clerk' } } });
    expect(existsSync(join(dir, 'users', clerkKey, 'caseload.key'))).toBe(true);
    const keyFiles = [join(dir, 'caseload.key'), join(dir, 'users', clerkKey, 'caseload.key')].map((f) => JSON.parse(readFileSync(f, 'utf8')) as { storeId: string });
    expect(keyFiles[0]!.storeId).not.toBe(keyFiles[1]!.storeId); // two stores, two data keys: neither key file opens the other
    const clerkId = engine.context().actorId;
    expect(clerkId).not.toBe(hitId);
    expect(engine.status().deviceUsers).toEqual([
      { key: 'primary', displayName: 'Dr Ada Lovelace', role: 'hit' },
      { key: clerkKey, displayName: 'Bea Booking', role: 'booking-clerk' },
    ]);
    // The clerk's store holds none of the clinician's records, and its audit names the clerk.
    expect((await engine.handlers()['patients.list']({})).patients).toEqual([]);
    expect((await auditOf(engine)).every((e) => e.actor_id === clerkId)).toBe(true);

    const switched = await call('session.switchUser', { key: 'primary' });
    expect(switched).toMatchObject({ ok: true, value: { state: 'locked', currentUser: 'primary', owner: null } });
    await expect(engine.unlock(CLERK_PASSPHRASE)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await engine.unlock(PASSPHRASE);
    expect(engine.status().owner).toMatchObject({ id: hitId, role: 'hit' });
    const trail = await auditOf(engine);
    expect(trail.every((e) => e.actor_id === hitId)).toBe(true);
    expect(trail.at(-1)?.action).toBe('unlock');

    // Back to the clerk: the clerk's store records the lock that switching made, by the clerk.
    await engine.switchUser(clerkKey);
    await engine.unlock(CLERK_PASSPHRASE);
    expect((await auditOf(engine)).slice(-2)).toEqual([
      { actor_id: clerkId, action: 'lock' },
      { actor_id: clerkId, action: 'unlock' },
    ]);
  });

  it('keeps each person’s wrong-passphrase delay to their own store', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const engine = await setUpEngine(dir, { unlockBackoffBaseMs: 60_000 });
    engines.push(engine);
    await engine.addUser();
    await engine.setup({ passphrase: CLERK_PASSPHRASE, displayName: 'Bea Booking', role: 'booking-clerk' });
    const clerkKey = engine.status().currentUser;
    await engine.switchUser('primary');
    await expect(engine.unlock('not the passphrase')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    await expect(engine.unlock(PASSPHRASE)).rejects.toMatchObject({ code: 'RETRY_AFTER' });
    await engine.switchUser(clerkKey);
    await engine.unlock(CLERK_PASSPHRASE);
    expect(engine.status()).toMatchObject({ state: 'unlocked', owner: { role: 'booking-clerk' } });
  });

  it('starts on whoever used the laptop last, and refuses a user key that is not on this device', async () => {
    const { dir, engine } = await device();
    await engine.addUser();
    await engine.setup({ passphrase: CLERK_PASSPHRASE, displayName: 'Bea Booking', role: 'booking-clerk' });
    const clerkKey = engine.status().currentUser;
    await engine.close();
    const next = newEngine(dir);
    engines.push(next);
    expect(next.status()).toMatchObject({ state: 'locked', currentUser: clerkKey });
    const call = createEngineDispatcher(next);
    expect(await call('session.switchUser', { key: '../../etc' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call('session.switchUser', { key: '01900000-0000-7000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(next.status()).toMatchObject({ state: 'locked', currentUser: clerkKey });
  });

  it('leaves no store behind when a new person abandons setting up, and offers the others still', async () => {
    const { engine } = await device();
    await engine.addUser();
    expect(engine.status()).toMatchObject({ state: 'needs-setup', deviceUsers: [{ key: 'primary' }] });
    await engine.switchUser('primary');
    expect(engine.status()).toMatchObject({ state: 'locked', deviceUsers: [{ key: 'primary' }] });
    expect(engine.status().deviceUsers).toHaveLength(1);
  });
});

describe('the team directory: the admin adds, changes and deactivates people, never deletes them', () => {
  async function adminDevice() {
    const { engine } = await device();
    await engine.addUser();
    await engine.setup({ passphrase: PASSPHRASE, displayName: 'Ari Admin', role: 'admin' });
    return { engine, call: createEngineDispatcher(engine) };
  }

  it('adds a booking clerk, changes their role and supervisor, and deactivates them', async () => {
    const { engine, call } = await adminDevice();
    const sup = await call('users.create', { displayName: 'Sam Supervisor', role: 'supervisor' });
    const clerk = await call('users.create', { displayName: 'Bea Booking', role: 'booking-clerk' });
    expect(clerk).toMatchObject({ ok: true, value: { role: 'booking-clerk', active: true, version: 1 } });
    if (!clerk.ok || !sup.ok) throw new Error('not created');
    const c = clerk.value as { id: string };
    const s = sup.value as { id: string };
    const changed = await call('users.update', { id: c.id, version: 1, changes: { role: 'pwp', supervisorId: s.id } });
    expect(changed).toMatchObject({ ok: true, value: { role: 'pwp', supervisorId: s.id, version: 2 } });
    expect(await call('users.update', { id: c.id, version: 1, changes: { displayName: 'Stale' } })).toMatchObject({ ok: false, error: { code: 'STALE_VERSION' } });
    const gone = await call('users.deactivate', { id: c.id, version: 2 });
    expect(gone).toMatchObject({ ok: true, value: { active: false, version: 3 } });
    const row = await engine.context().db.selectFrom('users').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ deactivated_at: expect.any(String), updated_by: engine.context().actorId });
    // A deactivated person cannot become anyone's supervisor.
    expect(await call('users.update', { id: s.id, version: 1, changes: { supervisorId: c.id } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: [{ path: 'supervisorId', message: 'has been deactivated' }] },
    });
  });

  it('refuses, changing nothing, an admin changing their own role, deactivating themselves, or supervising themselves', async () => {
    const { engine, call } = await adminDevice();
    const me = engine.context().actorId;
    const before = await engine.context().db.selectFrom('audit_head').select('count').executeTakeFirstOrThrow();
    expect(await call('users.update', { id: me, version: 1, changes: { role: 'hit' } })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: [{ path: 'role' }] } });
    expect(await call('users.deactivate', { id: me, version: 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: [{ path: 'id' }] } });
    expect(await call('users.update', { id: me, version: 1, changes: { supervisorId: me } })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: [{ path: 'supervisorId' }] } });
    expect(await call('users.update', { id: me, version: 1, changes: {} })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await engine.context().db.selectFrom('audit_head').select('count').executeTakeFirstOrThrow()).toEqual(before);
    expect(engine.currentRole()).toBe('admin');
  });

  it('refuses the directory’s changes to a clinician, by role and method', async () => {
    const { engine } = await device();
    const result = await createEngineDispatcher(engine)('users.create', { displayName: 'X', role: 'pwp' });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/High-intensity therapist.*users\.create/) } });
  });
});
