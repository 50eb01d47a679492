import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseloadEngine } from '../../electron/services/engine';
import { createTeam, createUser, enrolDevice as issueCode, revokeDevice } from '../../server/directory';
import { openDatabase, type OpenedDatabase } from '../../server/db/open';
import { buildApp } from '../../server/http/app';
import { PASSPHRASE, removeDir, setUpEngine, tempDir, validNhsNumber } from '../helpers/tempStore';

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
    const contact = await h['contacts.create']({ referralId: referral.id, date: '2026-11-16', startTime: '10:00', durationMinutes: 50, type: 'treatment', mechanism: '01', location: 'Clinic', attendance: 5 });
    await h['notes.create']({ referralId: referral.id, contactId: contact.id, body: 'Draft before enrolment.' });
    expect(await h['sync.status']({})).toMatchObject({ enrolled: false, state: 'not-enrolled' });
    expect((await h['sync.status']({})).pendingChanges).toBeGreaterThan(0);

    // A used or mistyped code is refused on its field, and nothing changes.
    await expect(h['sync.enrol']({ serverUrl: url(), code: 'ABCDEFGHJKLM' })).rejects.toMatchObject({ code: 'VALIDATION', fields: [{ path: 'code' }] });
    expect((await h['sync.status']({})).enrolled).toBe(false);

    const enrolled = await h['sync.enrol']({ serverUrl: url(), code: (await issueCode(db, clinicianId, 'ada laptop')).code });
    expect(enrolled).toMatchObject({ enrolled: true, state: 'online', pendingChanges: 0, lastError: null, serverUrl: url() });
    expect(enrolled.lastSyncedAt).not.toBeNull();
    expect(ada.context().actorId).toBe(clinicianId); // the server's user is now the local owner
    // The store still opens as the migrations made it (the identity rewrite touched no schema for good).
    await ada.lock();
    await ada.unlock(PASSPHRASE);
    expect(ada.status().owner?.id).toBe(clinicianId);
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
    expect(signed).toMatchObject({ status: 'signed', sync: 'pending' }); // "Signed offline — not yet synced"
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
    expect((await h['referrals.get']({ id: referral.id })).notes.find((n) => n.id === note.id)?.sync).toBe('synced');
    await sam.handlers()['sync.now']({});
    const samNote = await sam.context().db.selectFrom('notes').select(['status', 'body']).where('id', '=', note.id).executeTakeFirst();
    expect(samNote).toEqual({ status: 'signed', body: 'Session 1: formulation started.' });

    // Online, the barrier runs a round before signing and sends the signature straight after: never "signed offline".
    const second = await h['notes.create']({ referralId: referral.id, body: 'Session 2: exposure plan.' });
    expect(await h['notes.sign']({ id: second.id, version: second.version })).toMatchObject({ status: 'signed', sync: 'synced' });

    // Locking stops sync: no round may outlive the session.
    await sam.lock();
    expect(sam.status().state).toBe('locked');
    await expect(sam.handlers()['sync.now']({})).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(sam.handlers()['sync.status']({})).rejects.toMatchObject({ code: 'LOCKED' });

    // Revoked by the team: the clinician is told in words.
    const devices = await db.selectFrom('devices').select(['id', 'user_id']).where('user_id', '=', clinicianId).execute();
    for (const d of devices) await revokeDevice(db, d.id);
    expect(await h['sync.now']({})).toMatchObject({ state: 'refused', lastError: { code: 'unauthorized', message: expect.stringMatching(/signed out by your team \(revoked\)/) } });
  });

  it('two devices editing one note from the same base: the second gets a conflict, nothing overwritten', async () => {
    const { db } = database;
    const teamId = await createTeam(db, 'East Talking Therapies');
    const supervisorId = await createUser(db, { teamId, displayName: 'Sue Supervisor', role: 'supervisor' });
    const clinicianId = await createUser(db, { teamId, displayName: 'Cal Clinician', role: 'hit', supervisorId });
    const cal = await laptop('cal');
    const sue = await laptop('sue');
    await cal.handlers()['sync.enrol']({ serverUrl: url(), code: (await issueCode(db, clinicianId, 'cal')).code });
    await sue.handlers()['sync.enrol']({ serverUrl: url(), code: (await issueCode(db, supervisorId, 'sue')).code });
    const patient = await cal.handlers()['patients.create']({ nhsNumber: validNhsNumber(91), givenName: 'Ann', familyName: 'Lee', dateOfBirth: '1970-01-01', gpPractice: 'X' });
    const referral = await cal.handlers()['referrals.create']({ patientId: patient.id, receivedDate: '2026-11-01', referrerRole: 'gp', ltcCodes: [], reason: 'r', riskKnown: false, consent: true, urgency: 'routine', pathway: 'core', team: 'T', status: 'in-treatment' });
    const note = await cal.handlers()['notes.create']({ referralId: referral.id, body: 'Base text.' });
    expect(await cal.handlers()['sync.now']({})).toMatchObject({ pendingChanges: 0, lastError: null });
    expect(await sue.handlers()['sync.now']({})).toMatchObject({ lastError: null });
    await cal.handlers()['notes.update']({ id: note.id, version: 1, body: 'Cal’s text.' });
    await sue.handlers()['notes.update']({ id: note.id, version: 1, body: 'Sue’s text.' });
    expect(await cal.handlers()['sync.now']({})).toMatchObject({ pendingChanges: 0, lastError: null });
    // Sue's laptop was locked meanwhile: the round at unlock brings the conflict.
    await sue.lock();
    await sue.unlock(PASSPHRASE);
    await expect.poll(async () => (await sue.handlers()['sync.status']({})).state, { timeout: 10_000 }).toBe('online');
    const sueStatus = await sue.handlers()['sync.status']({});
    expect(sueStatus).toMatchObject({ lastError: null, openConflicts: 1 });
    const [conflict] = await sue.handlers()['sync.conflicts']({ status: 'open' });
    expect(conflict).toMatchObject({ kind: 'document', rowId: note.id, theirs: { fields: { body: 'Cal’s text.' } }, mine: { fields: { body: 'Sue’s text.' } } });
    // A stale or wrong-shaped merge changes nothing; the explicit merge closes it on every device.
    await expect(sue.handlers()['sync.resolveConflict']({ id: conflict!.id, version: conflict!.version + 1, fields: { body: 'x' } })).rejects.toBeTruthy();
    expect((await sue.handlers()['sync.status']({})).openConflicts).toBe(1);
    await sue.handlers()['sync.resolveConflict']({ id: conflict!.id, version: conflict!.version, fields: { body: 'Cal’s and Sue’s text.' } });
    expect(await sue.handlers()['sync.now']({})).toMatchObject({ lastError: null, openConflicts: 0, pendingChanges: 0 });
    expect(await cal.handlers()['sync.now']({})).toMatchObject({ lastError: null, openConflicts: 0 });
    const merged = (await cal.handlers()['referrals.get']({ id: referral.id })).notes.find((n) => n.id === note.id);
    expect(merged).toMatchObject({ body: 'Cal’s and Sue’s text.', sync: 'synced' });
  });

  it('keeps a change the server refused for good, says so, and will not sign out until it is dealt with', async () => {
    const { db } = database;
    const teamId = await createTeam(db, 'West Talking Therapies');
    const clerkId = await createUser(db, { teamId, displayName: 'Kim Clerk', role: 'booking-clerk' });
    const kim = await laptop('kim');
    const h = kim.handlers();
    await h['sync.enrol']({ serverUrl: url(), code: (await issueCode(db, clerkId, 'front desk')).code });
    const patient = await h['patients.create']({ nhsNumber: validNhsNumber(55), givenName: 'Tom', familyName: 'Hart', dateOfBirth: '1980-05-05', gpPractice: 'Y' });
    const referral = await h['referrals.create']({ patientId: patient.id, receivedDate: '2026-11-01', referrerRole: 'gp', ltcCodes: [], reason: 'r', riskKnown: false, consent: true, urgency: 'routine', pathway: 'core', team: 'T', status: 'awaiting-spa' });
    // A booking clerk's device may not write clinical content: the server refuses the note, and the laptop keeps it.
    await h['notes.create']({ referralId: referral.id, body: 'Typed by the front desk.' });
    const status = await h['sync.now']({});
    expect(status).toMatchObject({ lastError: null, refusedChanges: expect.any(Number) });
    expect(status.refusedChanges).toBeGreaterThan(0);
    expect((await h['sync.conflicts']({ status: 'open' })).some((c) => c.kind === 'refused')).toBe(true);
    await expect(h['sync.signOut']({ confirm: 'remove this caseload from this device' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/refused by the team server/) });
    expect(existsSync(kim.paths.db)).toBe(true);
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
