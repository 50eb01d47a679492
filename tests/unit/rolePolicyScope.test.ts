import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineDispatcher } from '../../electron/services/dispatch';
import type { CaseloadEngine } from '../../electron/services/engine';
import type { Role } from '../../shared/domain/people';
import { caseholdersInScope } from '../../shared/roles/scope';
import { PASSPHRASE, removeDir, setUpEngine, tempDir, validNhsNumber } from '../helpers/tempStore';

/**
 * Issue #10 §9: PWPs and HITs see their own caseload, a supervisor their supervisees' too, the booking clerk the
 * whole team's patients (demographics), on a real store holding several clinicians' patients (as a synced store
 * would). A patient out of scope is "not found", never shown.
 */
describe('whose patients each role sees', () => {
  let dir: string;
  let engine: CaseloadEngine;
  const names: Record<string, string> = {};
  const referrals: Record<string, string> = {};
  /** Records of the stranger's referral, written while it was still this clinician's (as a reassignment leaves them). */
  const strangers: { noteId?: string; contactId?: string; actionId?: string } = {};

  beforeAll(async () => {
    dir = tempDir();
    engine = await setUpEngine(dir);
    const h = engine.handlers();
    const me = engine.context().actorId;
    const supervisee = await h['users.create']({ displayName: 'Sue Supervisee', role: 'pwp', supervisorId: me });
    const stranger = await h['users.create']({ displayName: 'Stan Stranger', role: 'hit' });
    const patient = async (n: number, family: string, caseholderId: string | null, registeredBy = me) => {
      const p = await h['patients.create']({ nhsNumber: validNhsNumber(500 + n), givenName: 'Pat', familyName: family, dateOfBirth: '1970-01-01', gpPractice: 'GP' });
      if (caseholderId) referrals[family] = (await h['referrals.create']({ patientId: p.id, receivedDate: '2024-01-02', referrerRole: 'gp', ltcCodes: [], reason: 'Low mood', riskKnown: false, consent: true, urgency: 'routine', pathway: 'core', team: 'Core', status: 'in-treatment', caseholderId })).id;
      if (registeredBy !== me) await sql`update patients set created_by = ${registeredBy} where id = ${p.id}`.execute(engine.context().db);
      names[family] = p.id;
    };
    await patient(1, 'Mine', me);
    await patient(2, 'Supervisees', supervisee.id);
    await patient(3, 'Strangers', me);
    const contact = { referralId: referrals.Strangers!, startTime: '10:00', durationMinutes: 50, type: 'treatment', mechanism: '01', location: 'Clinic' } as const;
    strangers.contactId = (await h['contacts.create']({ ...contact, date: '2024-02-01', attendance: null })).id;
    await h['contacts.create']({ ...contact, date: '2024-02-08', attendance: 3 });
    strangers.actionId = (await engine.context().db.selectFrom('actions').select('id').where('referral_id', '=', referrals.Strangers!).executeTakeFirstOrThrow()).id;
    strangers.noteId = (await h['notes.create']({ referralId: referrals.Strangers!, body: 'Draft' })).id;
    await sql`update referrals set caseholder_id = ${stranger.id} where id = ${referrals.Strangers}`.execute(engine.context().db);
    await patient(4, 'RegisteredByMe', null);
    await patient(5, 'RegisteredByStranger', null, stranger.id);
  });
  afterAll(async () => {
    await engine.close();
    removeDir(dir);
  });

  async function as(role: Role) {
    await sql`update users set role = ${role} where id = (select value from settings where key = 'owner_user_id')`.execute(engine.context().db);
    await engine.lock();
    await engine.unlock(PASSPHRASE);
    return createEngineDispatcher(engine);
  }
  const familiesIn = (result: unknown, key: 'patients' | 'rows') => ((result as { value: Record<string, { familyName: string }[]> }).value[key] ?? []).map((p) => p.familyName).sort();

  it.each([
    ['hit', ['Mine', 'RegisteredByMe']],
    ['pwp', ['Mine', 'RegisteredByMe']],
    ['supervisor', ['Mine', 'RegisteredByMe', 'Supervisees']],
  ] as const)('a %s sees %j on the caseload and the patient list', async (role, expected) => {
    const call = await as(role);
    expect(familiesIn(await call('caseload.list', {}), 'rows')).toEqual([...expected].sort());
    expect(familiesIn(await call('patients.list', {}), 'patients')).toEqual([...expected].sort());
    expect(await call('patients.get', { id: names.Strangers })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('patients.get', { id: names.Mine })).toMatchObject({ ok: true });
  });

  // Reads by id of a patient's records answer an out-of-scope id exactly as an unknown one, and so do writes
  // that name an out-of-scope referral: nothing is shown, nothing is written.
  const readsById = (referralId: string, patientId: string) =>
    [
      ['referrals.get', { id: referralId }],
      ['referrals.listForPatient', { patientId }],
      ['referrals.previewDischarge', { id: referralId, endCode: '46', dischargeDate: '2024-03-01' }],
      ['measures.due', { referralId, date: '2024-02-01', type: 'treatment', final: false }],
      ['screenings.list', { patientId }],
    ] as const;
  const writesById = (referralId: string) =>
    [
      ['referrals.update', { id: referralId, version: 1, changes: { reason: 'Changed' } }],
      ['referrals.discharge', { id: referralId, version: 1, endCode: '46', dischargeDate: '2024-03-01' }],
      ['notes.create', { referralId, body: 'A note' }],
      ['contactAttempts.record', { referralId, date: '2024-02-01', method: 'telephone', outcome: 'no-answer' }],
      ['carePlan.get', { referralId }],
      ['carePlan.addGoal', { referralId, description: 'A goal' }],
      ['formulation.list', { referralId }],
      ['formulation.save', { referralId, baseVersion: 0, diagram: { boxes: { situation: ['A'], physical: [], ltc: [], thoughts: [], emotions: [], behaviours: [] }, arrows: [] } }],
    ] as const;
  // Writes by a record's own id reach the patient through its referral: the same answer.
  const writesByRecordId = () =>
    [
      ['notes.update', { id: strangers.noteId!, version: 1, body: 'Edited' }],
      ['notes.sign', { id: strangers.noteId!, version: 1 }],
      ['notes.addendum', { id: strangers.noteId!, body: 'Addendum' }],
      ['contacts.recordAttendance', { id: strangers.contactId!, version: 1, attendance: 5 }],
      ['actions.complete', { id: strangers.actionId!, version: 1 }],
    ] as const;

  it.each(['hit', 'pwp', 'supervisor'] as const)('a %s cannot read or write an out-of-scope referral by id', async (role) => {
    const call = await as(role);
    const auditBefore = await sql<{ n: number }>`select count(*) as n from audit_event`.execute(engine.context().db);
    for (const [method, input] of [...readsById(referrals.Strangers!, names.Strangers!), ...writesById(referrals.Strangers!), ...writesByRecordId()]) {
      expect(await call(method, input as never), `${role} ${method}`).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    const stranger = await sql<{ version: number; reason: string; status: string }>`select version, reason, status from referrals where id = ${referrals.Strangers}`.execute(engine.context().db);
    expect(stranger.rows[0]).toEqual({ version: 1, reason: 'Low mood', status: 'in-treatment' });
    const notes = await sql<{ n: number; v: number; status: string }>`select count(*) as n, max(version) as v, min(status) as status from notes where referral_id = ${referrals.Strangers}`.execute(engine.context().db);
    expect(notes.rows[0]).toEqual({ n: 1, v: 1, status: 'draft' }); // no new note, no addendum, not edited or signed
    const contact = await sql<{ attendance: number | null }>`select attendance from contacts where id = ${strangers.contactId}`.execute(engine.context().db);
    expect(contact.rows[0]!.attendance).toBeNull();
    const action = await sql<{ done_at: string | null }>`select done_at from actions where id = ${strangers.actionId}`.execute(engine.context().db);
    expect(action.rows[0]!.done_at).toBeNull();
    expect((await sql<{ n: number }>`select count(*) as n from care_plan_goals`.execute(engine.context().db)).rows[0]!.n).toBe(0);
    expect((await sql<{ n: number }>`select count(*) as n from formulations`.execute(engine.context().db)).rows[0]!.n).toBe(0);
    const auditAfter = await sql<{ n: number }>`select count(*) as n from audit_event`.execute(engine.context().db);
    // Unlock writes its own events; the refused calls add none.
    expect(auditAfter.rows[0]!.n).toBe(auditBefore.rows[0]!.n);
    for (const [method, input] of readsById(referrals.Mine!, names.Mine!)) {
      expect(await call(method, input as never), `${role} ${method} own`).toMatchObject({ ok: true });
    }
  });

  it("a supervisor reads their supervisee's referral by id; a HIT does not", async () => {
    const supervisor = await as('supervisor');
    for (const [method, input] of readsById(referrals.Supervisees!, names.Supervisees!)) {
      expect(await supervisor(method, input as never), method).toMatchObject({ ok: true });
    }
    const hit = await as('hit');
    expect(await hit('referrals.get', { id: referrals.Supervisees! })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('the booking clerk finds every patient of the team, and the admin none', async () => {
    const clerk = await as('booking-clerk');
    expect(familiesIn(await clerk('patients.list', {}), 'patients')).toHaveLength(5);
    expect(await clerk('patients.get', { id: names.Strangers })).toMatchObject({ ok: true });
    const admin = await as('admin');
    expect(await admin('patients.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(caseholdersInScope('admin', 'x', [])).toEqual([]);
  });
});
