import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineDispatcher } from '../../electron/services/dispatch';
import type { CaseloadEngine } from '../../electron/services/engine';
import { METHOD_NAMES, type MethodName } from '../../shared/contract/contract';
import { todayIso } from '../../shared/domain/dates';
import { ROLES, ROLE_LABELS } from '../../shared/domain/people';
import { METHOD_POLICY, decide, tablesFor } from '../../shared/roles/policy';
import { SYNCED_TABLES, TABLE_POLICY, roleReadsTable } from '../../shared/sync/tables';
import { PASSPHRASE, removeDir, setUpEngine, tempDir, validNhsNumber } from '../helpers/tempStore';

/**
 * Issue #10 §9: every contract method called as every role, on a real encrypted store set up as that role and
 * holding the same records, checked against the one written policy (shared/roles/policy.ts). A refused call is a
 * typed FORBIDDEN naming the role and the method, and writes nothing, not even an audit event.
 */

describe('the role policy names every method and agrees with the sync server’s table policy', () => {
  it('has a rule for every contract method, and none for a method that does not exist', () => {
    expect(METHOD_NAMES.filter((m) => !(m in METHOD_POLICY)), 'add a rule to shared/roles/policy.ts').toEqual([]);
    expect(Object.keys(METHOD_POLICY).filter((m) => !(METHOD_NAMES as string[]).includes(m))).toEqual([]);
  });

  it('refuses a method it does not name (fails closed)', () => {
    for (const role of ROLES) expect(decide(role, 'appointments.bookEverything', {})).toMatchObject({ allowed: false });
  });

  it('never lets a role call a method touching a table the server would withhold from that role (roleReadsTable)', () => {
    const conflicts: string[] = [];
    for (const method of METHOD_NAMES) {
      for (const role of METHOD_POLICY[method].roles) {
        for (const table of tablesFor(role, method)) if (!roleReadsTable(role, table)) conflicts.push(`${role} ${method} ${table}`);
      }
    }
    expect(conflicts).toEqual([]);
  });

  it('reaches, for each role, exactly the tables the server sends that role: clinical roles all, the clerk the non-clinical ones, the admin team settings', () => {
    for (const role of ROLES) {
      const reached = new Set(METHOD_NAMES.filter((m) => METHOD_POLICY[m].roles.includes(role)).flatMap((m) => tablesFor(role, m)));
      expect([...reached].sort(), role).toEqual(SYNCED_TABLES.filter((t) => roleReadsTable(role, t)).sort());
    }
    expect(SYNCED_TABLES.filter((t) => roleReadsTable('booking-clerk', t))).toEqual(SYNCED_TABLES.filter((t) => !TABLE_POLICY[t].clinical));
  });
});

const P = PASSPHRASE;
const TODAY = new Date().toISOString().slice(0, 10);

/** The records each role's store holds before the calls: the same shape in every store. */
interface Seed {
  patientId: string;
  referralId: string;
  dischargeableId: string;
  bookedContactId: string;
  attendedContactId: string;
  draftNoteId: string;
  signableNoteId: string;
  signedNoteId: string;
  actionId: string;
  clinicianId: string;
  renameUserId: string;
  leaverUserId: string;
  draftLetterId: string;
  finalisableLetterId: string;
  finalLetterId: string;
  formulationId: string;
  goalId: string;
  steppableId: string;
  clinicId: string;
  movableBookingId: string;
  cancellableBookingId: string;
  groupId: string;
  joinerReferralId: string;
  pauseReferralId: string;
  openPauseId: string;
  employmentSupportId: string;
}

/** Appointments are booked ahead: a date this many days from today. */
const ahead = (days: number) => todayIso(new Date(Date.now() + days * 86_400_000));

async function seed(engine: CaseloadEngine, n: number): Promise<Seed> {
  const h = engine.handlers();
  const clinician = await h['users.create']({ displayName: 'Casey Clinician', role: 'hit' });
  const rename = await h['users.create']({ displayName: 'Rene Rename', role: 'pwp' });
  const leaver = await h['users.create']({ displayName: 'Lee Leaver', role: 'pwp' });
  const patient = await h['patients.create']({ nhsNumber: validNhsNumber(100 + n), givenName: 'Pat', familyName: `Seed${n}`, dateOfBirth: '1970-01-01', gpPractice: 'Seed Surgery' });
  const referral = (status: 'in-treatment' | 'awaiting-spa') =>
    h['referrals.create']({ patientId: patient.id, receivedDate: '2024-01-02', referrerRole: 'gp', ltcCodes: ['44054006'], reason: 'Low mood', riskKnown: false, consent: true, urgency: 'routine', pathway: 'integrated-ltc', team: 'Diabetes', status });
  const r = await referral('in-treatment');
  const other = await referral('awaiting-spa');
  const contact = (date: string, attendance: number | null) =>
    h['contacts.create']({ referralId: r.id, date, startTime: '10:00', durationMinutes: 50, type: 'treatment', mechanism: '01', location: 'Clinic', attendance });
  const booked = await contact('2024-02-01', null);
  const attended = await contact('2024-02-08', 5);
  await contact('2024-02-15', 3); // a DNA: its follow-up action
  const action = await engine.context().db.selectFrom('actions').select('id').where('referral_id', '=', r.id).executeTakeFirstOrThrow();
  const draft = await h['notes.create']({ referralId: r.id, body: 'Draft' });
  const signable = await h['notes.create']({ referralId: r.id, body: 'To sign' });
  const signed = await h['notes.create']({ referralId: r.id, body: 'Signed' });
  await h['notes.sign']({ id: signed.id, version: signed.version });
  const letter = async (final: boolean) => {
    const drafted = await h['letters.draft']({ referralId: r.id, kind: 'dna', recipient: 'gp' });
    if (!final) return drafted;
    const plain = await h['letters.update']({ id: drafted.id, version: drafted.version, recipientName: 'The GP', body: 'Plain letter' });
    return plain;
  };
  const draftLetter = await letter(false);
  const finalisable = await letter(true);
  const toFinalise = await letter(true);
  const finalLetter = await h['letters.finalise']({ id: toFinalise.id, version: toFinalise.version });
  engine.setDestination('letters', tempDir('caseload-role-letters-'));
  const formulation = await h['formulation.save']({ referralId: r.id, baseVersion: 0, diagram: { boxes: { situation: ['Clinic visit'], physical: [], ltc: [], thoughts: ['I will have a hypo'], emotions: [], behaviours: [] }, arrows: [{ from: 'situation', to: 'thoughts' }] } });
  engine.setDestination('formulations', tempDir('caseload-role-formulations-'));
  engine.setDestination('reports', tempDir('caseload-role-reports-'));
  engine.setDestination('exports', tempDir('caseload-role-exports-'));
  const plan = await h['carePlan.addGoal']({ referralId: r.id, description: 'Walk to the shops' });
  const steppable = await referral('in-treatment');
  await h['carePlan.save']({ referralId: steppable.id, version: null, step: 2, therapyType: '748051000000105' });
  const clinic = await h['clinics.create']({ name: 'Tuesday diabetes clinic', site: 'Lister Hospital', weekday: 2, startTime: '09:00', endTime: '17:00', pathway: 'integrated-ltc', ltcCode: null });
  // Bookings ahead on a referral of their own: a booked future appointment rightly holds up discharging its referral.
  const diary = await referral('in-treatment');
  const book = (days: number) =>
    h['appointments.book']({ referralId: diary.id, date: ahead(days), startTime: '09:00', durationMinutes: 50, type: 'treatment', mechanism: '01', clinicId: null, location: 'Clinic room 2', clinicianId: clinician.id });
  const movable = await book(20);
  const cancellable = await book(21);
  const group = await h['groups.create']({ title: 'Living well with diabetes', condition: 'diabetes', coFacilitatorName: 'Priya Shah', coFacilitatorRole: 'Diabetes specialist nurse', location: 'Lister Hospital', startsOn: '2024-02-01', plannedSessions: 6 });
  await h['groups.addMember']({ groupId: group.group.id, referralId: r.id, joinedOn: '2024-02-01' });
  const joiner = await referral('in-treatment');
  const waiting = await referral('awaiting-spa');
  const paused = await h['waiting.addPause']({ referralId: waiting.id, startDate: '2024-03-01', reason: 'Abroad for a family wedding' });
  const support = await h['employment.refer']({ referralId: r.id, referredOn: '2024-02-09', provider: 'IPS employment adviser' });
  return {
    groupId: group.group.id,
    joinerReferralId: joiner.id,
    pauseReferralId: waiting.id,
    openPauseId: paused.pauses[0]!.id,
    employmentSupportId: support.support[0]!.id,
    clinicId: clinic.id,
    movableBookingId: movable.id,
    cancellableBookingId: cancellable.id,
    goalId: plan.goals[0]!.id,
    steppableId: steppable.id,
    patientId: patient.id,
    referralId: r.id,
    dischargeableId: other.id,
    bookedContactId: booked.id,
    attendedContactId: attended.id,
    draftNoteId: draft.id,
    signableNoteId: signable.id,
    signedNoteId: signed.id,
    actionId: action.id,
    clinicianId: clinician.id,
    renameUserId: rename.id,
    leaverUserId: leaver.id,
    draftLetterId: draftLetter.id,
    finalisableLetterId: finalisable.id,
    finalLetterId: finalLetter.id,
    formulationId: formulation.id,
  };
}

type Table = 'patients' | 'referrals' | 'contacts' | 'notes' | 'actions' | 'users' | 'letters' | 'clinics' | 'waiting_pauses' | 'employment_support';
async function versionOf(engine: CaseloadEngine, table: Table, id: string): Promise<number> {
  const row = await engine.context().db.selectFrom(table).select('version').where('id', '=', id).executeTakeFirstOrThrow();
  return row.version;
}

/** A valid call of each method on a seeded store: what an allowed role's call succeeds with. */
const SAMPLES: Record<MethodName, (s: Seed, e: CaseloadEngine, n: number) => Promise<unknown> | unknown> = {
  'session.status': () => ({}),
  'session.setup': () => ({ passphrase: P, displayName: 'Someone', role: 'hit' }),
  'session.unlock': () => ({ passphrase: P }),
  'session.lock': () => ({}),
  'session.activity': () => ({}),
  'session.changePassphrase': () => ({ current: P, next: P }),
  'session.switchUser': () => ({ key: 'primary' }),
  'session.addUser': () => ({}),
  'users.list': () => ({}),
  'users.create': () => ({ displayName: 'New Starter', role: 'pwp' }),
  'users.update': async (s, e) => ({ id: s.renameUserId, version: await versionOf(e, 'users', s.renameUserId), changes: { displayName: 'Rene Renamed', role: 'hit' } }),
  'users.deactivate': async (s, e) => ({ id: s.leaverUserId, version: await versionOf(e, 'users', s.leaverUserId) }),
  'patients.list': () => ({}),
  'patients.get': (s) => ({ id: s.patientId }),
  'patients.create': (_s, _e, n) => ({ nhsNumber: validNhsNumber(200 + n), givenName: 'New', familyName: 'Patient', dateOfBirth: '1980-05-05', gpPractice: 'Surgery' }),
  'patients.update': async (s, e) => ({ id: s.patientId, version: await versionOf(e, 'patients', s.patientId), changes: { gpPractice: 'Moved Surgery' } }),
  'caseload.list': () => ({}),
  'referrals.create': (s) => ({ patientId: s.patientId, receivedDate: '2024-03-01', referrerRole: 'gp', reason: 'Anxiety', riskKnown: false, consent: true, urgency: 'routine', pathway: 'core', team: 'Core', caseholderId: s.clinicianId }),
  'referrals.get': (s) => ({ id: s.referralId }),
  'referrals.listForPatient': (s) => ({ patientId: s.patientId }),
  'referrals.update': async (s, e) => ({ id: s.referralId, version: await versionOf(e, 'referrals', s.referralId), changes: { discussInSupervision: true } }),
  'referrals.discharge': async (s, e) => ({ id: s.dischargeableId, version: await versionOf(e, 'referrals', s.dischargeableId), endCode: '14', dischargeDate: TODAY }),
  'referrals.previewDischarge': (s) => ({ id: s.referralId, endCode: '46', dischargeDate: TODAY }),
  'carePlan.get': (s) => ({ referralId: s.referralId }),
  'carePlan.save': async (s, e) => ({
    referralId: s.referralId,
    version: (await e.context().db.selectFrom('care_plans').select('version').where('referral_id', '=', s.referralId).executeTakeFirst())?.version ?? null,
    step: 3,
    therapyType: '304891004',
  }),
  'carePlan.addGoal': (s) => ({ referralId: s.referralId, description: 'Sleep through the night' }),
  'carePlan.rateGoals': (s) => ({ referralId: s.referralId, date: '2024-02-08', contactId: s.attendedContactId, ratings: [{ goalId: s.goalId, rating: 4 }] }),
  'carePlan.stepChange': async (s, e) => ({ referralId: s.steppableId, version: await versionOf(e, 'referrals', s.steppableId), toStep: 3, reason: 'Needs CBT', date: TODAY }),
  'contacts.create': (s) => ({ referralId: s.referralId, date: '2030-01-07', startTime: '09:30', durationMinutes: 30, type: 'treatment', mechanism: '02', location: 'Phone', attendance: null, clinicianId: s.clinicianId }),
  'contacts.recordAttendance': async (s, e) => ({ id: s.bookedContactId, version: await versionOf(e, 'contacts', s.bookedContactId), attendance: 5 }),
  'measures.record': (s) => ({ referralId: s.referralId, contactId: s.attendedContactId, date: '2024-02-08', instrumentId: 'phq9', answers: [1, 1, 1, 1, 1, 1, 1, 1, 0], completedBy: 'patient' }),
  'measures.due': (s) => ({ referralId: s.referralId, date: TODAY, type: 'treatment' }),
  'risk.record': (s) => ({ referralId: s.referralId, date: '2024-02-08', thoughts: false, plans: false, intent: false, protectiveFactors: 'Family', level: 'low', plan: 'Review', nextReviewDate: '2030-01-01' }),
  'notes.create': (s) => ({ referralId: s.referralId, body: 'Session went well' }),
  'notes.update': async (s, e) => ({ id: s.draftNoteId, version: await versionOf(e, 'notes', s.draftNoteId), body: 'Edited' }),
  'notes.sign': async (s, e) => ({ id: s.signableNoteId, version: await versionOf(e, 'notes', s.signableNoteId) }),
  'notes.addendum': (s) => ({ id: s.signedNoteId, body: 'Addendum' }),
  'letters.draft': (s) => ({ referralId: s.referralId, kind: 'dna', recipient: 'gp' }),
  'letters.list': (s) => ({ referralId: s.referralId }),
  'letters.update': async (s, e) => ({ id: s.draftLetterId, version: await versionOf(e, 'letters', s.draftLetterId), recipientName: 'The GP', body: 'Edited letter' }),
  'letters.finalise': async (s, e) => ({ id: s.finalisableLetterId, version: await versionOf(e, 'letters', s.finalisableLetterId) }),
  'letters.correct': (s) => ({ id: s.finalLetterId }),
  'letters.export': (s) => ({ id: s.finalLetterId }),
  'exports.preview': () => ({ period: { from: '2025-01-01', to: TODAY } }),
  'exports.dataSet': () => ({ period: { from: '2025-01-01', to: TODAY } }),
  'exports.fhir': () => ({ period: { from: '2025-01-01', to: TODAY } }),
  'exports.pseudonymised': () => ({ period: { from: '2025-01-01', to: TODAY }, linkageKey: 'a linkage key typed in at export' }),
  'letters.recordSent': async (s, e) => ({ id: s.finalLetterId, version: await versionOf(e, 'letters', s.finalLetterId), sentOn: TODAY, sentTo: 'The GP by post' }),
  'formulation.save': async (s, e) => {
    const latest = await e.context().db.selectFrom('formulations').select('formulation_version').where('referral_id', '=', s.referralId).orderBy('formulation_version', 'desc').executeTakeFirst();
    return { referralId: s.referralId, baseVersion: latest?.formulation_version ?? 0, diagram: { boxes: { situation: [], physical: ['Shaky'], ltc: [], thoughts: [], emotions: ['Scared'], behaviours: [] }, arrows: [{ from: 'physical', to: 'emotions' }] } };
  },
  'formulation.list': (s) => ({ referralId: s.referralId }),
  'formulation.get': (s) => ({ id: s.formulationId }),
  'formulation.export': (s) => ({ id: s.formulationId }),
  'actions.complete': async (s, e) => ({ id: s.actionId, version: await versionOf(e, 'actions', s.actionId) }),
  'contactAttempts.record': (s) => ({ referralId: s.referralId, date: '2024-01-05', method: 'telephone', outcome: 'reached' }),
  'screenings.record': (s) => ({ patientId: s.patientId, instrumentId: 'phq4', answers: [0, 1, 0, 1], date: '2024-01-03' }),
  'screenings.list': (s) => ({ patientId: s.patientId }),
  'serviceSettings.get': () => ({}),
  'reports.service': () => ({ period: { start: '2019-01-01', end: '2030-12-31' }, filters: { pathway: 'integrated-ltc' }, splitBy: 'ltc' }),
  'reports.exportCsv': () => ({ period: { start: '2019-01-01', end: '2030-12-31' }, table: 'figures' }),
  'serviceSettings.update': async (_s, e) => ({ version: (await e.context().db.selectFrom('service_settings').select('version').executeTakeFirst())?.version ?? null, outcomes: {} }),
  'audit.verify': () => ({}),
  'backup.create': () => ({}),
  'backup.list': () => ({}),
  'backup.restore': () => ({ file: 'caseload-none.ccbak', passphrase: P, replaceOtherCaseload: false }),
  'files.chooseFolder': () => ({ purpose: 'backups' }),
  'patientMode.start': (s) => ({ contactId: s.attendedContactId, instrumentIds: ['gad7'] }),
  'patientMode.current': () => ({}),
  'patientMode.answer': () => ({ questionnaireNumber: 1, itemNumber: 1, value: 0 }),
  'patientMode.back': () => ({}),
  'patientMode.exit': () => ({ passphrase: P }),
  'clinics.list': () => ({}),
  'clinics.create': () => ({ name: 'Thursday COPD clinic', site: 'QEII Hospital', weekday: 4, startTime: '13:00', endTime: '17:00', pathway: 'integrated-ltc' }),
  'clinics.update': async (s, e) => ({ id: s.clinicId, version: await versionOf(e, 'clinics', s.clinicId), changes: { site: 'Lister Hospital, diabetes centre' } }),
  'appointments.book': (s) => ({ referralId: s.referralId, date: ahead(30), startTime: '14:00', durationMinutes: 50, type: 'treatment', mechanism: '02', location: 'Telephone', clinicianId: s.clinicianId }),
  'appointments.reschedule': async (s, e) => ({ id: s.movableBookingId, version: await versionOf(e, 'contacts', s.movableBookingId), date: ahead(22), startTime: '10:00', cancelledBy: 'patient' }),
  'appointments.cancel': async (s, e) => ({ id: s.cancellableBookingId, version: await versionOf(e, 'contacts', s.cancellableBookingId), cancelledBy: 'service' }),
  'clinicDay.day': () => ({ date: ahead(20) }),
  'clinicDay.week': () => ({ date: ahead(20) }),
  'supervision.review': () => ({}),
  'supervision.weeklyLists': () => ({ weekEnding: TODAY }),
  'supervision.forReferral': (s) => ({ referralId: s.referralId }),
  'supervision.record': (s) => ({ heldOn: TODAY, mode: 'individual', superviseeIds: [s.clinicianId], cases: [{ referralId: s.referralId, discussion: '', decision: 'Continue', actions: [] }] }),
  'sync.status': () => ({}),
  'sync.now': () => ({}),
  'sync.enrol': () => ({ serverUrl: 'http://127.0.0.1:9/', code: 'ABCDEFGHJKLM' }),
  'sync.signOut': () => ({ confirm: 'remove this caseload from this device' }),
  'sync.conflicts': () => ({}),
  'sync.resolveConflict': () => ({ id: '01900000-0000-7000-8000-000000000000', version: 1, fields: {} }),
  'sync.setAsideRefused': () => ({ id: '01900000-0000-7000-8000-000000000000', confirm: 'set this refused change aside' }),
  'appointments.bookable': () => ({}),
  'waiting.get': (s) => ({ referralId: s.pauseReferralId }),
  'waiting.addPause': (s) => ({ referralId: s.pauseReferralId, startDate: '2024-01-10', endDate: '2024-01-20', reason: 'On holiday' }),
  'waiting.endPause': async (s, e) => ({ id: s.openPauseId, version: await versionOf(e, 'waiting_pauses', s.openPauseId), endDate: '2024-04-01' }),
  'employment.get': (s) => ({ referralId: s.referralId }),
  'employment.refer': (s) => ({ referralId: s.referralId, referredOn: '2024-02-10', provider: 'Jobcentre Plus work coach' }),
  'employment.setDates': async (s, e) => ({ id: s.employmentSupportId, version: await versionOf(e, 'employment_support', s.employmentSupportId), startedOn: '2024-02-20', endedOn: null }),
  'groups.list': () => ({}),
  'groups.create': () => ({ title: 'Living well with COPD', condition: 'copd', coFacilitatorName: 'Tom Reed', coFacilitatorRole: 'Respiratory physiotherapist', location: 'QEII Hospital', startsOn: TODAY, plannedSessions: 8 }),
  'groups.get': (s) => ({ id: s.groupId }),
  'groups.addMember': (s) => ({ groupId: s.groupId, referralId: s.joinerReferralId, joinedOn: '2024-02-01' }),
  'groups.recordSession': (s) => ({ groupId: s.groupId, date: '2024-02-22', startTime: '14:00', durationMinutes: 90, mechanism: '01', attendance: [{ referralId: s.referralId, attendance: 5 }, { referralId: s.joinerReferralId, attendance: 3 }] }),
};

/**
 * Allowed calls that still do not succeed here, and why: the policy lets them through and something else answers.
 * Everything else an allowed role calls must succeed.
 */
const ALLOWED_BUT_NOT_OK: Partial<Record<MethodName, string>> = {
  'session.setup': 'ALREADY_SET_UP', // the store is set up
  'backup.restore': 'NOT_FOUND', // there is no such backup
  'files.chooseFolder': 'UNKNOWN_METHOD', // the shell answers it, in front of the worker
  'sync.enrol': 'VALIDATION', // nothing listens at the sample's server address
  'sync.signOut': 'VALIDATION', // the store is not enrolled: there is nothing to sign out of
  'sync.resolveConflict': 'NOT_FOUND', // there is no such conflict
  'sync.setAsideRefused': 'NOT_FOUND', // there is no such refused change
  // The mode is off whenever these run: a lock ends the mode patientMode.start opened.
  'patientMode.current': 'NOT_FOUND',
  'patientMode.answer': 'NOT_FOUND',
  'patientMode.back': 'NOT_FOUND',
  'patientMode.exit': 'NOT_FOUND',
  // The seeded clinician is not the store owner's supervisee (tests/unit/supervision records a real supervision).
  'supervision.record': 'VALIDATION',
};

/** Calls that end the session or leave it: after them the test opens the role's store again. */
const LEAVES_SESSION: MethodName[] = ['session.lock', 'session.switchUser', 'session.addUser'];
/** Run last, so the records other calls name are still as seeded. */
const LAST: MethodName[] = ['sync.signOut', 'backup.restore', 'session.changePassphrase'];
const ORDER = [...METHOD_NAMES.filter((m) => !LAST.includes(m)), ...LAST];

describe.each(ROLES)('as %s, every contract method is allowed or refused as the policy says', (role) => {
  let dir: string;
  let engine: CaseloadEngine;
  let call: ReturnType<typeof createEngineDispatcher>;
  let seeded: Seed;
  const n = ROLES.indexOf(role);

  beforeAll(async () => {
    dir = tempDir();
    engine = await setUpEngine(dir);
    seeded = await seed(engine, n);
    // The seed was written as a HIT through the handlers; the store now becomes this role's own, as if set up so.
    await sql`update users set role = ${role} where id = (select value from settings where key = 'owner_user_id')`.execute(engine.context().db);
    await engine.lock();
    await engine.unlock(P);
    expect(engine.currentRole()).toBe(role);
    call = createEngineDispatcher(engine);
  });
  afterAll(async () => {
    await engine.close();
    removeDir(dir);
  });

  const written = async () => {
    const db = engine.context().db;
    const changes = (await sql<{ n: number }>`select total_changes() as n`.execute(db)).rows[0]!.n;
    const audit = (await db.selectFrom('audit_head').select('count').executeTakeFirst())?.count ?? 0;
    return { changes, audit };
  };

  it.each(ORDER)('%s', async (method) => {
    const input = await SAMPLES[method](seeded, engine, n);
    const before = await written();
    const result = await call(method, input);
    const decision = decide(role, method, input);
    if (!decision.allowed) {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('FORBIDDEN');
      expect(result.error.message).toContain(ROLE_LABELS[role]);
      expect(result.error.message).toContain(method);
      expect(engine.status().state).toBe('unlocked');
      expect(await written()).toEqual(before);
      return;
    }
    if (!result.ok) {
      expect(result.error.code).not.toBe('FORBIDDEN');
      expect({ method, code: result.error.code, message: result.error.message }).toEqual({ method, code: ALLOWED_BUT_NOT_OK[method], message: expect.any(String) });
    } else {
      expect(ALLOWED_BUT_NOT_OK[method]).toBeUndefined();
    }
    if (method === 'patientMode.start') {
      expect(engine.status().patientMode).toBe(true);
      await engine.lock();
    }
    if (LEAVES_SESSION.includes(method) || method === 'patientMode.start') {
      expect(engine.status().state).not.toBe('unlocked');
      await engine.switchUser('primary');
      await engine.unlock(P);
    }
  });
});

describe('the booking clerk’s narrower permissions', () => {
  let dir: string;
  let engine: CaseloadEngine;
  let seeded: Seed;
  beforeAll(async () => {
    dir = tempDir();
    engine = await setUpEngine(dir);
    seeded = await seed(engine, 9);
    await sql`update users set role = 'booking-clerk' where id = (select value from settings where key = 'owner_user_id')`.execute(engine.context().db);
    await engine.lock();
    await engine.unlock(P);
  });
  afterAll(async () => {
    await engine.close();
    removeDir(dir);
  });

  it('books a contact for a named clinician, but may not record its attendance nor book for themselves', async () => {
    const call = createEngineDispatcher(engine);
    const booking = (await SAMPLES['contacts.create'](seeded, engine, 9)) as Record<string, unknown>;
    const attended = await call('contacts.create', { ...booking, date: '2024-02-20', attendance: 3 });
    expect(attended).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('without attendance') } });
    const { clinicianId: _, ...forSelf } = booking;
    expect(await call('contacts.create', forSelf)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const booked = await call('contacts.create', booking);
    expect(booked).toMatchObject({ ok: true, value: { attendance: null, clinicianId: seeded.clinicianId } });
  });

  it('may not open a note even by calling the contract directly, and the refusal is not audited as a view', async () => {
    const call = createEngineDispatcher(engine);
    for (const method of ['notes.create', 'referrals.get', 'measures.record', 'risk.record', 'screenings.list', 'caseload.list', 'letters.draft', 'letters.export'] as const) {
      const result = await call(method, await SAMPLES[method](seeded, engine, 9));
      expect(result, method).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    const notes = await engine.context().db.selectFrom('notes').select('id').execute();
    expect(notes).toHaveLength(3);
  });
});
