import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseloadEngine } from '../../electron/services/engine';
import { createTeam, createUser, enrolDevice as issueCode, revokeDevice } from '../../server/directory';
import { openDatabase, type OpenedDatabase } from '../../server/db/open';
import { buildApp } from '../../server/http/app';
import { removeDir, setUpEngine, tempDir, validNhsNumber } from '../helpers/tempStore';

/**
 * The app's sync runtime end to end: real encrypted stores behind the real registry, the real team server on
 * PGlite over real HTTP. The server is stopped and started on the same port to take the laptops offline.
 */
describe('the app syncing with its team server', () => {
  let database: OpenedDatabase;
  let app: FastifyInstance | null = null;
  let port = 0;
  const url = () => `http://127.0.0.1:${port}`;
  const dirs: string[] = [];
  const engines: CaseloadEngine[] = [];

  async function serverUp(): Promise<void> {
    app = buildApp({ db: database.db });
    const address = await app.listen({ host: '127.0.0.1', port });
    port = Number(new URL(address).port);
  }
  async function serverDown(): Promise<void> {
    await app?.close();
    app = null;
  }
  async function laptop(name: string): Promise<CaseloadEngine> {
    const dir = tempDir('app-sync-');
    dirs.push(dir);
    const engine = await setUpEngine(dir);
    engines.push(engine);
    await engine.handlers()['users.list']({}); // a session in use
    expect(name).toBeTruthy();
    return engine;
  }

  beforeAll(async () => {
    database = await openDatabase({});
    await serverUp();
  });
  afterAll(async () => {
    for (const e of engines) await e.close();
    await serverDown();
    await database.close();
    for (const d of dirs) removeDir(d);
  });

  it('enrols (pushing what was recorded before), syncs a supervisee to the supervisor, survives the server going away, and is refused when revoked', async () => {
    const { db } = database;
    const teamId = await createTeam(db, 'North Talking Therapies');
    const supervisorId = await createUser(db, { teamId, displayName: 'Sam Supervisor', role: 'supervisor' });
    const clinicianId = await createUser(db, { teamId, displayName: 'Ada Clinician', role: 'hit', supervisorId });

    // Ada records a patient and an episode before her laptop is enrolled.
    const ada = await laptop('ada');
    const h = ada.handlers();
    const patient = await h['patients.create']({ nhsNumber: validNhsNumber(31), givenName: 'Grace', familyName: 'Okafor', dateOfBirth: '1958-03-07', gpPractice: 'Riverside' });
    const referral = await h['referrals.create']({ patientId: patient.id, receivedDate: '2026-11-01', referrerRole: 'gp', ltcCodes: ['44054006'], reason: 'Low mood', riskKnown: false, consent: true, urgency: 'routine', pathway: 'integrated-ltc', team: 'Diabetes', status: 'in-treatment' });
    expect(await h['sync.status']({})).toMatchObject({ enrolled: false, state: 'not-enrolled' });
    expect((await h['sync.status']({})).pendingChanges).toBeGreaterThan(0);

    // A used or mistyped code is refused on its field, and nothing changes.
    await expect(h['sync.enrol']({ serverUrl: url(), code: 'ABCDEFGHJKLM' })).rejects.toMatchObject({ code: 'VALIDATION', fields: [{ path: 'code' }] });
    expect((await h['sync.status']({})).enrolled).toBe(false);

    const enrolled = await h['sync.enrol']({ serverUrl: url(), code: (await issueCode(db, clinicianId, 'ada laptop')).code });
    expect(enrolled).toMatchObject({ enrolled: true, state: 'online', pendingChanges: 0, lastError: null, serverUrl: url() });
    expect(enrolled.lastSyncedAt).not.toBeNull();
    expect(ada.context().actorId).toBe(clinicianId); // the server's user is now the local owner
    expect((await h['referrals.get']({ id: referral.id })).referral.caseholderId).toBe(clinicianId);

    // Sam's laptop pulls his supervisee's caseload.
    const sam = await laptop('sam');
    await sam.handlers()['sync.enrol']({ serverUrl: url(), code: (await issueCode(db, supervisorId, 'sam laptop')).code });
    const samList = await sam.handlers()['patients.list']({});
    expect(samList.patients.map((p) => p.id)).toContain(patient.id);

    // The server goes away: Sam can still open the case; Ada keeps working, and signs a note offline.
    await serverDown();
    expect((await sam.handlers()['referrals.get']({ id: referral.id })).referral.id).toBe(referral.id);
    const note = await h['notes.create']({ referralId: referral.id, body: 'Session 1: formulation started.' });
    const started = Date.now();
    const signed = await h['notes.sign']({ id: note.id, version: note.version });
    expect(Date.now() - started).toBeLessThan(5_000); // offline is known at once: the barrier does not hold signing up
    expect(signed.status).toBe('signed');
    const offline = await h['sync.now']({});
    expect(offline).toMatchObject({ state: 'offline', lastError: { code: 'network', message: expect.stringMatching(/^Offline/) } });
    expect(offline.pendingChanges).toBeGreaterThan(0);
    expect(offline.nextAttemptAt).not.toBeNull();
    // Sign-out is refused while the server cannot confirm, naming why, and nothing is removed.
    await expect(h['sync.signOut']({ confirm: 'remove this caseload from this device' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/could not confirm/) });
    expect(existsSync(ada.paths.db)).toBe(true);

    // Back online: Sync now sends everything, and the supervisor receives the signed note.
    await serverUp();
    expect(await h['sync.now']({})).toMatchObject({ state: 'online', pendingChanges: 0, lastError: null });
    await sam.handlers()['sync.now']({});
    const samNote = await sam.context().db.selectFrom('notes').select(['status', 'body']).where('id', '=', note.id).executeTakeFirst();
    expect(samNote).toEqual({ status: 'signed', body: 'Session 1: formulation started.' });

    // Locking stops sync: no round may outlive the session.
    await sam.lock();
    expect(sam.status().state).toBe('locked');

    // Revoked by the team: the clinician is told in words.
    const devices = await db.selectFrom('devices').select(['id', 'user_id']).where('user_id', '=', clinicianId).execute();
    for (const d of devices) await revokeDevice(db, d.id);
    expect(await h['sync.now']({})).toMatchObject({ state: 'refused', lastError: { code: 'unauthorized', message: expect.stringMatching(/signed out by your team \(revoked\)/) } });
  });

  it('signs out only when everything has reached the team, then removes the caseload from the laptop', async () => {
    const { db } = database;
    const teamId = await createTeam(db, 'South Talking Therapies');
    const userId = await createUser(db, { teamId, displayName: 'Bea PWP', role: 'pwp' });
    const bea = await laptop('bea');
    const h = bea.handlers();
    await h['sync.enrol']({ serverUrl: url(), code: (await issueCode(db, userId, 'bea laptop')).code });
    await h['patients.create']({ nhsNumber: validNhsNumber(77), givenName: 'Wei', familyName: 'Chen', dateOfBirth: '1990-10-10', gpPractice: 'Parkview' });
    await expect(h['sync.signOut']({ confirm: 'remove this caseload from this device' })).resolves.toMatchObject({ enrolled: false, state: 'not-enrolled' });
    expect(existsSync(bea.paths.db)).toBe(false);
    expect(existsSync(bea.paths.keyFile)).toBe(false);
    expect(bea.status().state).toBe('needs-setup');
    // The patient reached the team before the files went.
    const logged = await db.selectFrom('change_log').select('row_id').where('table_name', '=', 'patients').execute();
    expect(logged.length).toBeGreaterThan(0);
  });
});
