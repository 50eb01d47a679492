import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, type MethodName } from '../../shared/contract/contract';
import { AppErrorShape } from '../../shared/contract/errors';
import { BOX_KINDS, type BoxKind } from '../../shared/domain/formulation';
import { createEngineDispatcher } from '../../electron/services/dispatch';
import type { CaseloadEngine } from '../../electron/services/engine';
import { addDays, todayIso } from '../../shared/domain/dates';
import { PASSPHRASE, removeDir, setUpEngine, tempDir, validNhsNumber } from '../helpers/tempStore';

/**
 * Every contract method gets ≥ 1,000 random payloads through the real dispatcher and a real encrypted store.
 * Only typed errors or contract-valid results come back; a rejected payload writes nothing (SQLite's
 * total_changes() does not move); an accepted one writes exactly its effect plus its audit rows.
 */
const RUNS = 1000;

/** Audit rows an accepted call appends (reads are audited too: a list is one event naming its rows). */
const AUDIT_ROWS: Record<MethodName, number> = {
  'session.status': 0,
  'session.setup': 1,
  'session.unlock': 0,
  'session.lock': 1,
  'session.activity': 0,
  'session.changePassphrase': 1,
  'session.switchUser': 1, // the lock of the store it leaves
  'session.addUser': 1, // the lock of the store it leaves
  'users.list': 1,
  'users.create': 1,
  'users.update': 1,
  'users.deactivate': 1,
  'patients.list': 1,
  'patients.get': 1,
  'patients.create': 1,
  'patients.update': 1,
  'caseload.list': 1,
  'referrals.create': 1,
  'referrals.get': 1,
  'referrals.listForPatient': 1,
  'referrals.update': 1,
  'referrals.discharge': 1,
  'referrals.previewDischarge': 1, // a view: its audit event is its only write
  'carePlan.get': 1,
  'carePlan.save': 1, // names the referral too when the step changed
  'carePlan.addGoal': 1,
  'carePlan.rateGoals': 1, // one event naming every rating of the session
  'carePlan.stepChange': 1, // one event naming the ended and the opened referral
  'contacts.create': 1, // a DNA's follow-up action is named in the same event
  'contacts.recordAttendance': 1,
  'clinics.list': 1,
  'clinics.create': 1,
  'clinics.update': 1,
  'appointments.book': 1,
  'appointments.reschedule': 1, // one event names the closed booking and its replacement
  'appointments.cancel': 1,
  'clinicDay.day': 1,
  'clinicDay.week': 1,
  'measures.record': 1,
  'measures.due': 1,
  'risk.record': 1, // names the measures whose alerts it answers
  'notes.create': 1,
  'notes.update': 1,
  'notes.sign': 1,
  'notes.addendum': 1,
  'actions.complete': 1,
  'supervision.review': 1, // one view event naming the flagged referrals shown
  'supervision.weeklyLists': 1,
  'supervision.forReferral': 1,
  'supervision.record': 1, // one event naming the session, each case and each action
  'letters.draft': 1,
  'letters.list': 1,
  'letters.update': 1,
  'letters.finalise': 1,
  'letters.correct': 1,
  'letters.export': 1, // names the letter and the file, never its content
  'letters.recordSent': 1,
  'formulation.save': 1,
  'formulation.list': 1, // one event naming the referral and every version
  'formulation.get': 1,
  'formulation.export': 1, // names the version and the file, never its content
  'exports.preview': 1, // a view naming the referrals it counted
  'exports.dataSet': 1, // names the files and the referrals whose data left
  'exports.fhir': 1,
  'exports.pseudonymised': 1, // never the key
  'contactAttempts.record': 1,
  'screenings.record': 1,
  'screenings.list': 1,
  'serviceSettings.get': 1,
  'serviceSettings.update': 1,
  'reports.service': 1, // a view of aggregate figures: one event, naming no referral
  'reports.exportCsv': 1, // names the file
  'audit.verify': 0,
  'backup.create': 1,
  'backup.list': 0,
  'backup.restore': 2,
  'files.chooseFolder': 0,
  'patientMode.start': 1,
  'patientMode.current': 0,
  'patientMode.answer': 0, // one more when it completes a questionnaire: its measure (checked below)
  'patientMode.back': 0,
  'patientMode.exit': 1, // plus one per wrong passphrase tried since (checked below)
  // Sync on a device that is not enrolled: status and "Sync now" only read; enrolment cannot reach a server,
  // sign-out has nothing to leave, and there is no conflict to resolve.
  'sync.status': 0,
  'sync.now': 0,
  'sync.enrol': 0,
  'sync.signOut': 0,
  'sync.conflicts': 1, // the inbox is a view of patient data: one audit event naming what it showed
  'sync.resolveConflict': 0,
  'sync.setAsideRefused': 0,
  'appointments.bookable': 1,
  'waiting.get': 1,
  'waiting.addPause': 1,
  'waiting.endPause': 1,
  'employment.get': 1,
  'employment.refer': 1,
  'employment.setDates': 1,
  'groups.list': 1,
  'groups.create': 1,
  'groups.get': 1,
  'groups.addMember': 1,
  'groups.recordSession': 1, // one event naming the session, each member's contact and any DNA follow-up
};

/** Where `version: CURRENT` is looked up for each optimistic-concurrency method. */
const VERSIONED_TABLE: Partial<Record<MethodName, 'patients' | 'referrals' | 'contacts' | 'notes' | 'actions' | 'users' | 'letters' | 'clinics' | 'waiting_pauses' | 'employment_support'>> = {
  'waiting.endPause': 'waiting_pauses',
  'employment.setDates': 'employment_support',
  'letters.update': 'letters',
  'letters.finalise': 'letters',
  'letters.recordSent': 'letters',
  'users.update': 'users',
  'users.deactivate': 'users',
  'patients.update': 'patients',
  'referrals.update': 'referrals',
  'referrals.discharge': 'referrals',
  'contacts.recordAttendance': 'contacts',
  'clinics.update': 'clinics',
  'appointments.reschedule': 'contacts',
  'appointments.cancel': 'contacts',
  'notes.update': 'notes',
  'notes.sign': 'notes',
  'actions.complete': 'actions',
};
/** Versions named by `referralId` rather than `id`: the plan's (null before it exists) and the referral's. */
const VERSION_BY_REFERRAL: Partial<Record<MethodName, 'care_plans' | 'referrals'>> = {
  'carePlan.save': 'care_plans',
  'carePlan.stepChange': 'referrals',
};

/**
 * The foundation's methods run first, on a small store: a backup copies the whole database each time, so
 * fuzzing it after the clinical methods have added thousands of rows would only measure copying.
 */
const CLINICAL_DOMAINS = new Set(['exports', 'caseload', 'referrals', 'contacts', 'clinics', 'appointments', 'clinicDay', 'measures', 'risk', 'notes', 'letters', 'formulation', 'carePlan', 'actions', 'contactAttempts', 'screenings', 'serviceSettings', 'waiting', 'employment', 'groups']);
const FUZZ_ORDER = [...METHOD_NAMES.filter((m) => !CLINICAL_DOMAINS.has(m.split('.')[0]!)), ...METHOD_NAMES.filter((m) => CLINICAL_DOMAINS.has(m.split('.')[0]!))];

/**
 * Setup is refused on a set-up store, there is no backup (or refused change) with a fuzzed name or id, and choosing a folder
 * is the shell's (the engine's registry never answers it).
 */
const NEVER_ACCEPTED: MethodName[] = ['session.setup', 'backup.restore', 'files.chooseFolder', 'sync.enrol', 'sync.signOut', 'sync.resolveConflict', 'sync.setAsideRefused'];

const junk = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.string(),
  fc.integer(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 3 }),
);
/** Mostly a valid value, sometimes a plausible-but-wrong one, sometimes junk: so both outcomes are common. */
const field = <T,>(valid: fc.Arbitrary<T>, wrong: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: wrong }, { weight: 1, arbitrary: junk });
const nhs = field(fc.integer({ min: 0, max: 200_000 }).map(validNhsNumber), fc.oneof(fc.stringMatching(/^\d{10}$/), fc.string()));
const isoDate = field(
  fc.date({ min: new Date('1900-01-02T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.oneof(fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/), fc.string()),
);
const name = field(
  fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0),
  fc.oneof(fc.string({ minLength: 101, maxLength: 130 }), fc.constant('   '), fc.constant('')),
);
const patientFields = { nhsNumber: nhs, givenName: name, familyName: name, dateOfBirth: isoDate, gpPractice: name };
/** 'CURRENT' is replaced by the harness with the store's real passphrase or record version at call time. */
const CURRENT = 'CURRENT';
const passphrase = fc.oneof(fc.constant(CURRENT), fc.string({ minLength: 10, maxLength: 40 }), fc.string({ maxLength: 12 }));

/** Episode dates cluster after the seeded referral (received 2020-01-01) so both outcomes stay common. */
const episodeDate = field(
  fc.date({ min: new Date('2019-09-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.oneof(fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/), fc.string()),
);
const bool = field(fc.boolean(), fc.constantFrom('yes', 1, null));
const clinicalText = field(fc.string({ minLength: 1, maxLength: 40 }).filter((t) => t.trim().length > 0), fc.oneof(fc.constant(''), fc.string({ minLength: 2001, maxLength: 2010 })));
/** A period around the seeded episodes (2020): valid, reversed or over five years, or junk. */
const exportPeriod = field(
  fc.record({ from: fc.constantFrom('2019-04-01', '2020-01-01', '2020-02-01'), to: fc.constantFrom('2020-03-31', '2021-03-31', '2024-12-31') }),
  fc.oneof(fc.constant({ from: '2020-03-01', to: '2020-01-01' }), fc.constant({ from: '2010-01-01', to: '2020-01-01' }), fc.record({ from: fc.string(), to: fc.string() })),
);
const toolCodes = field(fc.constantFrom({}, { wsas: '1234567' }), fc.constantFrom({ phq9: '123456' }, { wsas: '12' }, { 'NOT AN ID': '1234567' }));
const answersOf = (n: number, min: number, max: number) =>
  field(fc.array(fc.oneof({ weight: 20, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constant(null) }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: -2, max: 9 }), { maxLength: n + 1 }));

/** Diagrams: mostly valid; otherwise a box with bad items, an unknown box, an arrow to itself or repeated. */
const boxKind = field(fc.constantFrom(...BOX_KINDS), fc.constant('feelings'));
const boxItems = field(fc.array(fc.string({ minLength: 1, maxLength: 40 }).filter((t) => t.trim().length > 0), { maxLength: 2 }), fc.array(clinicalText, { minLength: 1, maxLength: 2 }));
const arrowPairs = BOX_KINDS.flatMap((from) => BOX_KINDS.filter((to) => to !== from).map((to) => ({ from, to })));
const formulationDiagram = fc.record({
  boxes: fc.oneof(
    { weight: 12, arbitrary: fc.record(Object.fromEntries(BOX_KINDS.map((k) => [k, fc.oneof({ weight: 30, arbitrary: boxItems }, { weight: 1, arbitrary: junk })])) as Record<BoxKind, fc.Arbitrary<unknown>>) },
    { weight: 1, arbitrary: fc.record({ thoughts: fc.array(fc.string(), { maxLength: 2 }) }) },
  ),
  arrows: field(fc.uniqueArray(fc.constantFrom(...arrowPairs), { maxLength: 4, selector: (a) => `${a.from}>${a.to}` }), fc.array(fc.record({ from: boxKind, to: boxKind }), { minLength: 1, maxLength: 3 })),
});

/** Rows the store holds when a method's turn comes: what its payloads may name. */
interface Pools {
  users: string[];
  patients: string[];
  openReferrals: string[];
  newReferrals: string[];
  contacts: { id: string; referralId: string; date: string }[];
  notes: string[];
  /** Filled drafts, drafts with gaps and final letters, so each letter method meets both outcomes. */
  letters: string[];
  finalLetters: string[];
  /** Saved formulation versions. */
  formulations: string[];
  actions: string[];
  goals: { id: string; referralId: string }[];
  /** Open referrals (not the seeded ones) whose care plan has set a step: what a step change can end. */
  stepped: string[];
  clinics: string[];
  /** Contacts still booked ahead or cancelled: what a reschedule or cancellation may name. */
  bookings: string[];
  /** In the supervisor's store: their supervisees and the referrals those hold. */
  supervisees: string[];
  superviseeReferrals: string[];
  /** Groups members may join (the fuzz's own), and the seeded ones sessions are recorded for, with their active members. */
  groups: string[];
  sessionGroups: { id: string; members: string[] }[];
  openPauses: string[];
  /** Seeded referrals still waiting, with no pause yet: where waiting.addPause may put one. */
  waitingReferrals: string[];
  employmentSupport: string[];
}

/** Booking dates run from today to a little past the 366 days ahead a booking may be made. */
const daysAhead = (n: number) => {
  const d = new Date();
  d.setDate(d.getDate() + n);
  return todayIso(d);
};
const bookingDate = field(fc.integer({ min: 0, max: 380 }).map(daysAhead), fc.oneof(fc.integer({ min: 1, max: 400 }).map((n) => daysAhead(-n)), fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/)));
const clockTimes = Array.from({ length: 12 * 12 }, (_, i) => `${String(7 + Math.floor(i / 12)).padStart(2, '0')}:${String((i % 12) * 5).padStart(2, '0')}`);
const bookingTime = field(fc.constantFrom(...clockTimes), fc.constantFrom('25:00', '9am', '12:60'));

function payloads(method: MethodName, ids: () => string[], pools: Pools = { users: [], patients: [], openReferrals: [], newReferrals: [], contacts: [], notes: [], letters: [], finalLetters: [], formulations: [], actions: [], goals: [], stepped: [], clinics: [], bookings: [], supervisees: [], superviseeReferrals: [], groups: [], sessionGroups: [], openPauses: [], waitingReferrals: [], employmentSupport: [] }): fc.Arbitrary<unknown> {
  const id = fc.oneof(fc.constantFrom(...ids(), '00000000-0000-7000-8000-000000000000'), fc.uuid(), fc.string());
  const pick = (xs: string[]) => field(xs.length ? fc.constantFrom(...xs) : fc.uuid(), id);
  const referralId = pick(pools.openReferrals);
  const attended = pools.contacts.length ? fc.constantFrom(...pools.contacts) : fc.constant({ id: '00000000-0000-7000-8000-000000000000', referralId: '', date: '2020-01-01' });
  const measure = (instrument: string, answers: fc.Arbitrary<unknown>) =>
    attended.chain((c) =>
      fc.record(
        { referralId: field(fc.constant(c.referralId), id), contactId: field(fc.constant(c.id), id), date: field(fc.constant(c.date), episodeDate), instrumentId: field(fc.constant(instrument), fc.string()), answers, completedBy: field(fc.constantFrom('patient', 'clinician'), fc.constant('nurse')) },
        { requiredKeys: ['referralId', 'date', 'instrumentId', 'answers', 'completedBy'] },
      ),
    );
  const screening = (instrument: string, answers: fc.Arbitrary<unknown>) =>
    fc.record({ patientId: pick(pools.patients), instrumentId: field(fc.constant(instrument), fc.constant('phq9')), answers, date: episodeDate, referralOffered: bool }, { requiredKeys: ['patientId', 'instrumentId', 'answers', 'date'] });
  const referralChanges = fc.record(
    {
      status: field(fc.constantFrom('awaiting-spa', 'awaiting-triage', 'waiting-assessment', 'waiting-treatment', 'in-treatment'), fc.constant('discharged')),
      pathway: field(fc.constantFrom('integrated-ltc', 'core'), fc.constant('ltc')),
      problemDescriptor: field(fc.constantFrom('F41.1', 'F41.0', 'F32', null), fc.constant('F99')),
      step: field(fc.constantFrom(2, 3, 4, null), fc.constant(5)),
      discussInSupervision: bool,
      optedIn: field(fc.constantFrom(true, false, null), fc.constant('yes')),
      team: clinicalText,
    },
    { requiredKeys: [] },
  );
  const reportRequest = fc.record(
    {
      period: field(fc.constantFrom({ start: '2019-01-01', end: '2030-12-31' }, { start: '2020-01-01', end: '2020-03-31' }), fc.constantFrom({ start: '2025-12-31', end: '2025-01-01' }, { start: '2025-02-30', end: '2025-03-01' }, { start: '2025-01-01' })),
      filters: field(
        fc.constantFrom({}, { pathway: 'integrated-ltc' }, { ltcCode: '44054006' }, { step: 3 }, { team: 'Seed team' }, { referralSource: 'A1' }),
        fc.constantFrom({ pathway: 'ltc' }, { step: 5 }, { ltcCode: '4405%' }, { team: '' }, { postcode: 'N1' }),
      ),
      splitBy: field(fc.constantFrom('pathway', 'ltc', 'clinician', 'step', 'referralSource'), fc.constant('postcode')),
      unitCosts: field(fc.constantFrom({}, { 'gp-appointments': 39 }), fc.constantFrom({ 'gp-appointments': -1 }, { taxi: 3 }, { 'ae-attendances': Number.NaN })),
    },
    { requiredKeys: [] },
  );
  const shaped: Partial<Record<MethodName, fc.Arbitrary<unknown>>> = {
    'session.setup': fc.record({ passphrase, displayName: name, role: field(fc.constantFrom('pwp', 'hit'), fc.constant('nurse')) }, { requiredKeys: [] }),
    'session.unlock': fc.record({ passphrase }, { requiredKeys: [] }),
    'session.changePassphrase': fc.record({ current: passphrase, next: passphrase }, { requiredKeys: ['current', 'next'] }),
    'users.create': fc.record({ displayName: name, role: field(fc.constantFrom('pwp', 'hit', 'supervisor', 'admin', 'booking-clerk'), fc.constant('doctor')), supervisorId: field(fc.constant(null), id) }, { requiredKeys: ['displayName', 'role'] }),
    'users.update': fc.record(
      {
        id: pick(pools.users),
        version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })),
        changes: field(
          fc.record({ displayName: name, role: field(fc.constantFrom('pwp', 'hit', 'supervisor', 'booking-clerk'), fc.constant('doctor')), supervisorId: field(fc.constantFrom(null, ...pools.users.slice(0, 5)), id) }, { requiredKeys: [] }),
          junk,
        ),
      },
      { requiredKeys: ['id', 'version', 'changes'] },
    ),
    'users.deactivate': fc.record({ id: pick(pools.users), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })) }, { requiredKeys: ['id', 'version'] }),
    'session.switchUser': fc.record({ key: field(fc.constant('primary'), fc.oneof(fc.uuid(), fc.constant('../primary'))) }, { requiredKeys: [] }),
    'patients.list': fc.record({ query: field(fc.string({ maxLength: 20 }), fc.string({ minLength: 101, maxLength: 120 })) }, { requiredKeys: [] }),
    'patients.get': fc.record({ id }, { requiredKeys: [] }),
    'patients.create': fc.record(patientFields, { requiredKeys: ['nhsNumber', 'givenName', 'familyName', 'dateOfBirth', 'gpPractice'] }),
    'patients.update': fc.record(
      { id: field(fc.constantFrom(...ids()), id), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })), changes: field(fc.record(patientFields, { requiredKeys: [] }), junk) },
      { requiredKeys: ['id', 'version', 'changes'] },
    ),
    'caseload.list': fc.record(
      {
        query: field(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('patel eleanor', '3003', '19/09/1962', 'ní')), fc.string({ minLength: 101, maxLength: 120 })),
        status: field(fc.constantFrom('awaiting-spa', 'in-treatment', 'discharged'), fc.constant('open')),
        pathway: field(fc.constantFrom('integrated-ltc', 'core'), fc.constant('ltc')),
        riskOnly: bool,
      },
      { requiredKeys: [] },
    ),
    'referrals.create': fc.record(
      {
        patientId: pick(pools.patients),
        receivedDate: episodeDate,
        referrerRole: field(fc.constantFrom('gp', 'diabetes-specialist-nurse', 'self', 'consultant'), fc.constant('pharmacist')),
        ltcCodes: field(fc.subarray(['44054006', '13645005', '84114007']), fc.constantFrom(['12345'], ['999999999'])),
        reason: clinicalText,
        riskKnown: bool,
        consent: bool,
        urgency: field(fc.constantFrom('routine', 'urgent'), fc.constant('soon')),
        pathway: field(fc.constantFrom('integrated-ltc', 'core'), fc.constant('ltc')),
        team: clinicalText,
      },
      { requiredKeys: ['patientId', 'receivedDate', 'referrerRole', 'reason', 'riskKnown', 'consent', 'urgency', 'pathway', 'team'] },
    ),
    'referrals.get': fc.record({ id: referralId }, { requiredKeys: [] }),
    'referrals.listForPatient': fc.record({ patientId: pick(pools.patients) }, { requiredKeys: [] }),
    'referrals.update': fc.record({ id: referralId, version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })), changes: field(referralChanges, junk) }, { requiredKeys: ['id', 'version', 'changes'] }),
    'referrals.discharge': fc.record(
      { id: pick(pools.newReferrals), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })), endCode: field(fc.constantFrom('46', '47', '11', '14'), fc.constant('42')), dischargeDate: episodeDate },
      { requiredKeys: ['id', 'version', 'endCode', 'dischargeDate'] },
    ),
    'referrals.previewDischarge': fc.record(
      { id: field(fc.constantFrom(...pools.openReferrals, ...pools.newReferrals.slice(0, 20)), id), endCode: field(fc.constantFrom('46', '47', '11', '14'), fc.constant('42')), dischargeDate: episodeDate },
      { requiredKeys: ['id', 'endCode', 'dischargeDate'] },
    ),
    'carePlan.get': fc.record({ referralId: field(fc.constantFrom(...pools.openReferrals, ...pools.newReferrals.slice(0, 20)), id) }, { requiredKeys: [] }),
    'carePlan.save': fc.record(
      {
        referralId: field(fc.constantFrom(...pools.openReferrals, ...pools.newReferrals), id),
        version: field(fc.constant(CURRENT), fc.constantFrom(null, 0, 7)),
        step: field(fc.constantFrom(2, 3, 4), fc.constantFrom(1, 5, '3')),
        // Low- and high-intensity codes both, so a step's mismatch is common; employment support is never a step's.
        therapyType: field(fc.constantFrom('748051000000105', '975131000000104', '304891004', '443730003'), fc.constantFrom('1098051000000103', '42', '')),
      },
      { requiredKeys: ['referralId', 'version', 'step', 'therapyType'] },
    ),
    'carePlan.addGoal': fc.record({ referralId, description: field(fc.string({ minLength: 1, maxLength: 40 }).filter((t) => t.trim().length > 0), fc.oneof(fc.constant(' '), fc.string({ minLength: 301, maxLength: 310 }))) }, { requiredKeys: ['referralId', 'description'] }),
    'carePlan.rateGoals': (pools.goals.length ? fc.constantFrom(...pools.goals) : fc.constant({ id: '00000000-0000-7000-8000-000000000000', referralId: '' })).chain((g) =>
      fc.record(
        {
          referralId: field(fc.constant(g.referralId), id),
          date: field(fc.constantFrom('2020-03-01', '2024-06-30'), episodeDate),
          ratings: field(fc.array(fc.record({ goalId: field(fc.constant(g.id), id), rating: field(fc.integer({ min: 0, max: 10 }), fc.constantFrom(-1, 11, 2.5)) }), { minLength: 1, maxLength: 1 }), fc.constant([])),
        },
        { requiredKeys: ['referralId', 'date', 'ratings'] },
      ),
    ),
    'carePlan.stepChange': fc.record(
      {
        referralId: pick(pools.stepped),
        version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })),
        toStep: field(fc.constantFrom(2, 3, 4), fc.constant(1)),
        reason: clinicalText,
        date: field(fc.constant('2025-12-31'), episodeDate),
        caseholderId: field(pools.users.length ? fc.constantFrom(...pools.users.slice(0, 5)) : fc.constant(undefined), fc.constant('00000000-0000-7000-8000-000000000000')),
      },
      { requiredKeys: ['referralId', 'version', 'toStep', 'reason', 'date'] },
    ),
    'contacts.create': fc.record(
      {
        referralId,
        date: episodeDate,
        startTime: field(fc.constantFrom('09:00', '13:30', '16:45'), fc.constantFrom('25:00', '9am')),
        durationMinutes: field(fc.integer({ min: 1, max: 480 }), fc.integer({ min: -5, max: 0 })),
        type: field(fc.constantFrom('assessment', 'treatment', 'review-and-treatment', 'follow-up'), fc.constant('group')),
        mechanism: field(fc.constantFrom('01', '02', '11'), fc.constant('03')),
        location: clinicalText,
        attendance: field(fc.constantFrom(null, 2, 3, 4, 5, 5, 5, 6, 7), fc.integer({ min: -1, max: 9 })),
      },
      { requiredKeys: ['referralId', 'date', 'startTime', 'durationMinutes', 'type', 'mechanism', 'location', 'attendance'] },
    ),
    'contacts.recordAttendance': fc.record(
      { id: pick(pools.contacts.map((c) => c.id)), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })), attendance: field(fc.integer({ min: 2, max: 7 }), fc.integer({ min: -1, max: 9 })) },
      { requiredKeys: ['id', 'version', 'attendance'] },
    ),
    'clinics.create': fc.record(
      {
        name: field(fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t.trim().length > 0).map((t) => `Clinic ${t}`), fc.oneof(fc.constant(''), fc.string({ minLength: 121, maxLength: 130 }))),
        site: clinicalText,
        weekday: field(fc.integer({ min: 1, max: 7 }), fc.integer({ min: -1, max: 9 })),
        startTime: field(fc.constantFrom('08:00', '09:00', '13:30'), fc.constant('9am')),
        endTime: field(fc.constantFrom('12:00', '17:00', '18:30'), fc.constantFrom('07:00', '25:00')),
        pathway: field(fc.constantFrom('integrated-ltc', 'core'), fc.constant('ltc')),
        ltcCode: field(fc.constantFrom(null, '44054006', '13645005'), fc.constant('123')),
      },
      { requiredKeys: ['name', 'site', 'weekday', 'startTime', 'endTime', 'pathway'] },
    ),
    'clinics.update': fc.record(
      {
        id: pick(pools.clinics),
        version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })),
        changes: field(fc.record({ site: clinicalText, weekday: field(fc.integer({ min: 1, max: 7 }), fc.constant(0)), endTime: field(fc.constantFrom('17:00', '19:00'), fc.constant('06:00')) }, { requiredKeys: [] }), junk),
      },
      { requiredKeys: ['id', 'version', 'changes'] },
    ),
    'appointments.book': fc.record(
      {
        referralId,
        date: bookingDate,
        startTime: bookingTime,
        durationMinutes: field(fc.integer({ min: 5, max: 90 }), fc.integer({ min: -5, max: 4 })),
        type: field(fc.constantFrom('assessment', 'treatment', 'review-and-treatment'), fc.constant('group')),
        mechanism: field(fc.constantFrom('01', '02', '11'), fc.constant('03')),
        clinicId: field(fc.oneof(fc.constant(null), pools.clinics.length ? fc.constantFrom(...pools.clinics) : fc.constant(null)), id),
        location: field(fc.constantFrom('Lister Hospital', 'Telephone', 'Home visit'), fc.string({ minLength: 121, maxLength: 125 })),
      },
      { requiredKeys: ['referralId', 'date', 'startTime', 'durationMinutes', 'type', 'mechanism'] },
    ),
    'appointments.reschedule': fc.record(
      {
        id: pick(pools.bookings),
        version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })),
        date: bookingDate,
        startTime: bookingTime,
        durationMinutes: field(fc.integer({ min: 5, max: 90 }), fc.constant(0)),
        cancelledBy: field(fc.constantFrom('patient', 'service'), fc.constant('clinician')),
        reason: fc.string({ maxLength: 20 }),
        clinicId: field(fc.constant(null), id),
      },
      { requiredKeys: ['id', 'version', 'date', 'startTime', 'cancelledBy'] },
    ),
    'appointments.cancel': fc.record(
      { id: pick(pools.bookings), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })), cancelledBy: field(fc.constantFrom('patient', 'service'), fc.constant(3)), reason: fc.string({ maxLength: 20 }) },
      { requiredKeys: ['id', 'version', 'cancelledBy'] },
    ),
    'clinicDay.day': fc.record({ date: bookingDate, clinicId: field(pools.clinics.length ? fc.constantFrom(...pools.clinics) : fc.uuid(), id) }, { requiredKeys: ['date'] }),
    'clinicDay.week': fc.record({ date: bookingDate, clinicId: field(pools.clinics.length ? fc.constantFrom(...pools.clinics) : fc.uuid(), id) }, { requiredKeys: ['date'] }),
    'measures.record': fc.oneof(measure('phq9', answersOf(9, 0, 3)), measure('gad7', answersOf(7, 0, 3)), measure('pdss', answersOf(1, 0, 28)), measure('wsas', answersOf(5, 0, 8))),
    'measures.due': fc.record({ referralId, date: episodeDate, type: field(fc.constantFrom('assessment', 'treatment', 'follow-up', 'other'), fc.constant('group')), final: bool }, { requiredKeys: ['referralId', 'date', 'type'] }),
    'risk.record': fc.record(
      { referralId, date: episodeDate, thoughts: bool, plans: bool, intent: bool, protectiveFactors: fc.string({ maxLength: 20 }), level: field(fc.constantFrom('low', 'moderate', 'high'), fc.constant('severe')), plan: clinicalText, nextReviewDate: field(fc.constant('2026-12-31'), episodeDate) },
      { requiredKeys: ['referralId', 'date', 'thoughts', 'plans', 'intent', 'protectiveFactors', 'level', 'plan', 'nextReviewDate'] },
    ),
    'notes.create': fc.record({ referralId, body: clinicalText }, { requiredKeys: ['referralId', 'body'] }),
    'notes.update': fc.record({ id: pick(pools.notes), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })), body: clinicalText }, { requiredKeys: ['id', 'version', 'body'] }),
    'notes.sign': fc.record({ id: pick(pools.notes), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })) }, { requiredKeys: ['id', 'version'] }),
    'notes.addendum': fc.record({ id: pick(pools.notes), body: clinicalText }, { requiredKeys: ['id', 'body'] }),
    'letters.draft': fc.record(
      { referralId, kind: field(fc.constantFrom('dna', 'assessment', 'opt-in-failure', 'discharge'), fc.constant('thank-you')), recipient: field(fc.constantFrom('gp', 'referrer'), fc.constant('patient')) },
      { requiredKeys: ['referralId', 'kind', 'recipient'] },
    ),
    'letters.list': fc.record({ referralId }, { requiredKeys: [] }),
    'exports.preview': fc.record({ period: exportPeriod, toolCodes }, { requiredKeys: ['period'] }),
    // Mostly reversed periods: each accepted export writes eight files with an fsync each, and ~200 of them say enough.
    'exports.dataSet': fc.record(
      { period: fc.oneof({ weight: 2, arbitrary: exportPeriod }, { weight: 8, arbitrary: fc.constant({ from: '2020-03-01', to: '2020-01-01' }) }), toolCodes },
      { requiredKeys: ['period'] },
    ),
    'exports.fhir': fc.record({ period: exportPeriod, toolCodes }, { requiredKeys: ['period'] }),
    'exports.pseudonymised': fc.record(
      { period: exportPeriod, linkageKey: field(fc.string({ minLength: 16, maxLength: 40 }), fc.string({ maxLength: 15 })) },
      { requiredKeys: ['period', 'linkageKey'] },
    ),
    'letters.update': fc.record({ id: pick(pools.letters), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })), recipientName: name, body: clinicalText }, { requiredKeys: ['id', 'version', 'recipientName', 'body'] }),
    'letters.finalise': fc.record({ id: pick(pools.letters), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })) }, { requiredKeys: ['id', 'version'] }),
    'letters.correct': fc.record({ id: pick(pools.letters) }, { requiredKeys: [] }),
    // Mostly drafts and wrong ids: each accepted export renders a PDF, the slow part, and ~150 of them say enough.
    'letters.export': fc.record({ id: fc.oneof({ weight: 2, arbitrary: pick(pools.finalLetters) }, { weight: 8, arbitrary: pick(pools.letters.filter((l) => !pools.finalLetters.includes(l))) }) }, { requiredKeys: [] }),
    'formulation.save': fc.record(
      { referralId, baseVersion: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })), diagram: field(formulationDiagram, junk) },
      { requiredKeys: ['referralId', 'baseVersion', 'diagram'] },
    ),
    'formulation.list': fc.record({ referralId }, { requiredKeys: [] }),
    'formulation.get': fc.record({ id: pick(pools.formulations) }, { requiredKeys: [] }),
    // Each accepted export renders a PDF, the slow part: half real versions say enough.
    'formulation.export': fc.record({ id: fc.oneof(pick(pools.formulations), id) }, { requiredKeys: [] }),
    'letters.recordSent': fc.record(
      { id: pick(pools.letters), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })), sentOn: field(fc.constant(new Date().toISOString().slice(0, 10)), episodeDate), sentTo: name },
      { requiredKeys: ['id', 'version', 'sentOn', 'sentTo'] },
    ),
    'waiting.get': fc.record({ referralId: pick([...pools.openReferrals, ...pools.newReferrals]) }, { requiredKeys: [] }),
    'waiting.addPause': fc.record(
      { referralId: pick(pools.waitingReferrals), startDate: episodeDate, endDate: field(episodeDate, fc.constant('2019-01-01')), reason: clinicalText },
      { requiredKeys: ['referralId', 'startDate', 'reason'] },
    ),
    'waiting.endPause': fc.record({ id: pick(pools.openPauses), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })), endDate: episodeDate }, { requiredKeys: ['id', 'version', 'endDate'] }),
    'employment.get': fc.record({ referralId }, { requiredKeys: [] }),
    'employment.refer': fc.record({ referralId, referredOn: episodeDate, provider: name }, { requiredKeys: ['referralId', 'referredOn', 'provider'] }),
    'employment.setDates': fc.record(
      { id: pick(pools.employmentSupport), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })), startedOn: fc.oneof(fc.constant(null), episodeDate), endedOn: fc.oneof(fc.constant(null), episodeDate) },
      { requiredKeys: ['id', 'version', 'startedOn', 'endedOn'] },
    ),
    'groups.create': fc.record(
      {
        title: name,
        condition: field(fc.constantFrom('diabetes', 'copd', 'persistent-pain', 'cardiac', 'ibs', 'other'), fc.constant('asthma')),
        coFacilitatorName: name,
        coFacilitatorRole: name,
        location: name,
        startsOn: episodeDate,
        plannedSessions: field(fc.integer({ min: 1, max: 24 }), fc.integer({ min: -1, max: 40 })),
      },
      { requiredKeys: ['title', 'condition', 'coFacilitatorName', 'coFacilitatorRole', 'location', 'startsOn', 'plannedSessions'] },
    ),
    'groups.get': fc.record({ id: pick([...pools.groups, ...pools.sessionGroups.map((g) => g.id)]) }, { requiredKeys: [] }),
    // Referrals received on 2020-01-01 and kept open: random ones were received on random days, so joining them
    // would be refused too often for the property to say anything.
    'groups.addMember': fc.record({ groupId: pick(pools.groups), referralId: pick([...pools.openReferrals, ...pools.waitingReferrals]), joinedOn: episodeDate }, { requiredKeys: ['groupId', 'referralId', 'joinedOn'] }),
    'groups.recordSession': (pools.sessionGroups.length ? fc.constantFrom(...pools.sessionGroups) : fc.constant({ id: '00000000-0000-7000-8000-000000000000', members: [] as string[] })).chain((g) =>
      fc.record(
        {
          groupId: field(fc.constant(g.id), id),
          date: episodeDate,
          startTime: bookingTime,
          durationMinutes: field(fc.integer({ min: 15, max: 120 }), fc.integer({ min: -5, max: 14 })),
          mechanism: field(fc.constantFrom('01', '02', '11'), fc.constant('03')),
          attendance: field(
            fc.tuple(...g.members.map((m) => fc.record({ referralId: fc.constant(m), attendance: field(fc.integer({ min: 2, max: 7 }), fc.constantFrom(1, 8, 'DNA')) }))),
            fc.oneof(fc.constant([]), fc.constant(g.members.slice(1).map((m) => ({ referralId: m, attendance: 5 }))), fc.constant(g.members.map(() => ({ referralId: g.members[0], attendance: 5 })))),
          ),
        },
        { requiredKeys: ['groupId', 'date', 'startTime', 'durationMinutes', 'mechanism', 'attendance'] },
      ),
    ),
    'supervision.review': fc.record({ superviseeIds: field(fc.constant([] as string[]), fc.array(id, { minLength: 1, maxLength: 2 })) }, { requiredKeys: [] }),
    'supervision.weeklyLists': fc.record({ weekEnding: episodeDate, superviseeIds: field(fc.constant([] as string[]), fc.array(id, { minLength: 1, maxLength: 2 })) }, { requiredKeys: ['weekEnding'] }),
    'supervision.forReferral': fc.record({ referralId }, { requiredKeys: [] }),
    'supervision.record': fc.record(
      {
        heldOn: episodeDate,
        mode: field(fc.constantFrom('individual', 'group'), fc.constant('solo')),
        superviseeIds: field(fc.constant(pools.supervisees.slice(0, 1)), fc.array(id, { maxLength: 2 })),
        cases: fc.array(
          fc.record(
            { referralId: pick(pools.superviseeReferrals), discussion: fc.string({ maxLength: 20 }), decision: clinicalText, actions: fc.array(fc.record({ description: clinicalText, ownerId: pick(pools.supervisees), dueDate: episodeDate }, { requiredKeys: ['description', 'ownerId', 'dueDate'] }), { maxLength: 1 }) },
            { requiredKeys: ['referralId', 'decision', 'actions'] },
          ),
          // One case at most: each case and action compounds the chance of a wrong field, and an accepted record
          // must stay common enough for the property to say something.
          { maxLength: 1 },
        ),
      },
      { requiredKeys: ['heldOn', 'mode', 'superviseeIds', 'cases'] },
    ),
    'actions.complete': fc.record({ id: pick(pools.actions), version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })) }, { requiredKeys: ['id', 'version'] }),
    'contactAttempts.record': fc.record(
      { referralId, date: episodeDate, method: field(fc.constantFrom('telephone', 'letter'), fc.constant('pigeon')), outcome: field(fc.constantFrom('reached', 'no-answer'), fc.constant('maybe')), note: fc.string({ maxLength: 20 }) },
      { requiredKeys: ['referralId', 'date', 'method', 'outcome'] },
    ),
    'screenings.record': fc.oneof(screening('phq4', answersOf(4, 0, 3)), screening('dds2', answersOf(2, 1, 6)), screening('copd-screen', answersOf(2, 0, 3))),
    'screenings.list': fc.record({ patientId: pick(pools.patients) }, { requiredKeys: [] }),
    'serviceSettings.update': fc.record(
      {
        version: field(fc.constant(CURRENT), fc.integer({ min: -1, max: 4 })),
        outcomes: field(
          fc.record({ instruments: fc.constantFrom({}, { 'copd-screen': { screenThreshold: 3 } }, { phq9: { screenThreshold: 3 } }), dds2Rule: fc.constantFrom('fisher-2008-mean-3', 'dds-guidance-mean-2') }, { requiredKeys: [] }),
          junk,
        ),
        sourceCodes: field(fc.constantFrom({}, { dietician: 'H2' }), fc.constant({ gp: 'Z9' })),
        // Asthma's code only, so the referral payloads' codes stay on the list whichever order the methods run in.
        ltcCodes: field(fc.constantFrom({}, { asthma: '1234567' }), fc.constantFrom({ 'diabetes-type-1': '123456' }, { asthma: '44054006' }, { asthma: '12' })),
        toolCodes: field(fc.constantFrom({}, { wsas: '1234567' }), fc.constantFrom({ phq9: '123456' }, { wsas: '12' }, { 'NOT AN ID': '1234567' })),
      },
      { requiredKeys: ['version', 'outcomes'] },
    ),
    'backup.restore': fc.record(
      { file: fc.oneof(fc.constant('caseload-x.ccbak'), fc.constant('../caseload.key'), fc.string()), passphrase, currentPassphrase: passphrase, replaceOtherCaseload: field(fc.boolean(), fc.string()) },
      { requiredKeys: [] },
    ),
    'reports.service': reportRequest,
    'reports.exportCsv': fc.tuple(reportRequest, field(fc.constantFrom('figures', 'split', 'effect-sizes', 'hba1c', 'healthcare-use', 'waiting-pauses'), fc.constant('patients'))).map(([r, table]) => ({ ...(r as object), table })),
    'files.chooseFolder': fc.record({ purpose: field(fc.constant('backups'), fc.string()) }, { requiredKeys: [] }),
    'patientMode.start': fc.record(
      {
        contactId: pick(pools.contacts.map((c) => c.id)),
        instrumentIds: field(
          fc.subarray(['phq9', 'gad7', 'wsas', 'phq15', 'dds17', 'phobia'], { minLength: 1 }),
          fc.constantFrom([], ['phq4'], ['pdss'], ['hba1c'], ['phq9', 'phq9'], ['nope'], Array(9).fill('phq9')),
        ),
      },
      { requiredKeys: ['contactId', 'instrumentIds'] },
    ),
    'patientMode.answer': fc.record(
      {
        questionnaireNumber: field(fc.constant(CURRENT), fc.integer({ min: 0, max: 4 })),
        itemNumber: field(fc.constant(CURRENT), fc.integer({ min: 0, max: 12 })),
        value: field(fc.integer({ min: 0, max: 3 }), fc.oneof(fc.constantFrom('na', 9, -1, 1.5), fc.integer())),
      },
      { requiredKeys: ['questionnaireNumber', 'itemNumber', 'value'] },
    ),
    'patientMode.exit': fc.record({ passphrase }, { requiredKeys: [] }),
    // Port 9 on loopback: nothing listens, so a well-formed enrolment is refused at once without leaving this machine.
    'sync.enrol': fc.record(
      { serverUrl: field(fc.constantFrom('http://127.0.0.1:9', 'https://127.0.0.1:9/'), fc.constantFrom('ftp://127.0.0.1', 'team server', '')), code: field(fc.stringMatching(/^[A-Z2-9]{12}$/), fc.string({ maxLength: 11 })) },
      { requiredKeys: [] },
    ),
    'sync.signOut': fc.record({ confirm: field(fc.constant('remove this caseload from this device'), fc.string()) }, { requiredKeys: [] }),
    'sync.conflicts': fc.record({ status: field(fc.constantFrom('open', 'resolved'), fc.constant('all')) }, { requiredKeys: [] }),
    'sync.setAsideRefused': fc.record({ id, confirm: field(fc.constant('set this refused change aside'), fc.string()) }, { requiredKeys: [] }),
    'sync.resolveConflict': fc.record(
      { id, version: field(fc.integer({ min: 1, max: 3 }), fc.integer({ min: -1, max: 0 })), fields: field(fc.dictionary(fc.constantFrom('body', 'level'), fc.string({ maxLength: 20 })), junk), note: fc.string({ maxLength: 20 }) },
      { requiredKeys: ['id', 'version', 'fields'] },
    ),
  };
  const base = shaped[method] ?? fc.constant({});
  return fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 3 }) });
}

describe('contract fuzzing', () => {
  let dir: string;
  let engine: CaseloadEngine;
  let call: ReturnType<typeof createEngineDispatcher>;
  let currentPassphrase = PASSPHRASE;
  const knownIds: string[] = [];
  const seededReferrals: string[] = [];
  const seededGroups: string[] = [];
  let pools: Pools;

  /** Reads what the store holds now, so each method's payloads can name real rows (bounded, for speed). */
  async function refreshPools(): Promise<Pools> {
    const db = engine.context().db;
    // The waiting list's referrals are kept for the waiting.* methods: a random contact or discharge would end their wait.
    const newReferrals = await db.selectFrom('referrals').select(['id', 'step']).where('status', '!=', 'discharged').where('id', 'not in', seededReferrals).where('team', '!=', 'Waiting list').limit(300).execute();
    const contacts = await db.selectFrom('contacts').select(['id', 'referral_id', 'date']).where('referral_id', 'in', seededReferrals).where('attendance', 'in', [5, 6]).orderBy('created_at', 'desc').limit(40).execute();
    // Drafts and signed notes both, so signing, editing and addenda each meet both outcomes.
    const drafts = await db.selectFrom('notes').select('id').where('status', '=', 'draft').limit(150).execute();
    const signed = await db.selectFrom('notes').select('id').where('status', '=', 'signed').where('parent_note_id', 'is', null).limit(150).execute();
    const notes = [...drafts, ...signed];
    const actions = await db.selectFrom('actions').select('id').where('done_at', 'is', null).limit(300).execute();
    const filled = await db.selectFrom('letters').select('id').where('status', '=', 'draft').where('body', 'not like', '%[to complete:%').limit(150).execute();
    const gapped = await db.selectFrom('letters').select('id').where('status', '=', 'draft').where('body', 'like', '%[to complete:%').limit(150).execute();
    const finals = await db.selectFrom('letters').select('id').where('status', '=', 'final').limit(150).execute();
    const formulations = await db.selectFrom('formulations').select('id').limit(150).execute();
    const users = await db.selectFrom('users').select('id').where('deactivated_at', 'is', null).where('id', '!=', engine.context().actorId).limit(300).execute();
    const supervisees = await db.selectFrom('users').select('id').where('supervisor_id', '=', engine.context().actorId).execute();
    const superviseeReferrals = supervisees.length
      ? await db.selectFrom('referrals').select('id').where('caseholder_id', 'in', supervisees.map((u) => u.id)).where('deleted_at', 'is', null).execute()
      : [];
    const goals = await db.selectFrom('care_plan_goals').innerJoin('referrals', 'referrals.id', 'care_plan_goals.referral_id').select(['care_plan_goals.id', 'care_plan_goals.referral_id']).where('referrals.status', '!=', 'discharged').limit(100).execute();
    const clinics = await db.selectFrom('clinics').select('id').limit(100).execute();
    const sessionGroupIds = seededGroups;
    const groups = await db.selectFrom('groups').select('id').where('id', 'not in', sessionGroupIds.length ? sessionGroupIds : ['']).orderBy('created_at', 'desc').limit(150).execute();
    const members = sessionGroupIds.length
      ? await db
          .selectFrom('group_members')
          .innerJoin('referrals', 'referrals.id', 'group_members.referral_id')
          .select(['group_members.group_id', 'group_members.referral_id'])
          .where('group_members.group_id', 'in', sessionGroupIds)
          .where('referrals.status', '!=', 'discharged')
          .execute()
      : [];
    const openPauses = await db.selectFrom('waiting_pauses').select('id').where('end_date', 'is', null).limit(300).execute();
    const employmentSupport = await db.selectFrom('employment_support').select('id').limit(100).execute();
    const waitingReferrals = await db.selectFrom('referrals').select('id').where('team', '=', 'Waiting list').where('id', 'not in', db.selectFrom('waiting_pauses').select('referral_id').where('start_date', '=', '2020-03-01')).limit(100).execute();
    const bookings = await db.selectFrom('contacts').select('id').where((eb) => eb.or([eb('attendance', 'is', null), eb('attendance', 'in', [2, 4])])).orderBy('created_at', 'desc').limit(300).execute();
    return {
      users: users.map((u) => u.id),
      patients: knownIds,
      openReferrals: seededReferrals,
      newReferrals: newReferrals.map((r) => r.id),
      contacts: contacts.map((c) => ({ id: c.id, referralId: c.referral_id, date: c.date })),
      notes: notes.map((n) => n.id),
      letters: [...filled, ...gapped, ...finals].map((l) => l.id),
      finalLetters: finals.map((l) => l.id),
      formulations: formulations.map((x) => x.id),
      actions: actions.map((a) => a.id),
      goals: goals.map((g) => ({ id: g.id, referralId: g.referral_id })),
      stepped: newReferrals.filter((r) => r.step !== null).map((r) => r.id),
      clinics: clinics.map((c) => c.id),
      bookings: bookings.map((b) => b.id),
      supervisees: supervisees.map((u) => u.id),
      superviseeReferrals: superviseeReferrals.map((r) => r.id),
      groups: groups.map((g) => g.id),
      sessionGroups: sessionGroupIds.map((id) => ({ id, members: members.filter((m) => m.group_id === id).map((m) => m.referral_id) })),
      openPauses: openPauses.map((p) => p.id),
      waitingReferrals: waitingReferrals.map((r) => r.id),
      employmentSupport: employmentSupport.map((e) => e.id),
    };
  }

  beforeAll(async () => {
    dir = tempDir();
    engine = await setUpEngine(dir);
    call = createEngineDispatcher(engine);
    const letterFolder = join(dir, 'letters-out');
    mkdirSync(letterFolder);
    engine.setDestination('letters', letterFolder);
    const formulationFolder = join(dir, 'formulations-out');
    mkdirSync(formulationFolder);
    engine.setDestination('formulations', formulationFolder);
    const reportFolder = join(dir, 'reports-out');
    mkdirSync(reportFolder);
    engine.setDestination('reports', reportFolder);
    const exportFolder = join(dir, 'exports-out');
    mkdirSync(exportFolder);
    engine.setDestination('exports', exportFolder);
    const p = await engine.handlers()['patients.create']({ nhsNumber: validNhsNumber(1), givenName: 'Seed', familyName: 'Patient', dateOfBirth: '1970-01-01', gpPractice: 'Seed Surgery' });
    knownIds.push(p.id);
    // Seeded open episodes, each with an attended session and a DNA, so every method has rows to name.
    for (const pathway of ['integrated-ltc', 'core'] as const) {
      const r = await engine.handlers()['referrals.create']({ patientId: p.id, receivedDate: '2020-01-01', referrerRole: 'gp', ltcCodes: ['44054006'], reason: 'Seed', riskKnown: false, consent: true, urgency: 'routine', pathway, team: 'Seed team', status: 'in-treatment' });
      seededReferrals.push(r.id);
      const contact = { referralId: r.id, startTime: '10:00', durationMinutes: 50, type: 'treatment', mechanism: '01', location: 'Clinic' } as const;
      await engine.handlers()['contacts.create']({ ...contact, date: '2020-02-01', attendance: 5 });
      await engine.handlers()['contacts.create']({ ...contact, date: '2020-02-08', attendance: 3 });
      // More missed sessions, each leaving a follow-up action open, so actions.complete meets enough real ones
      // (each can be completed once) whatever the random contacts before it happened to create.
      for (let week = 2; week < 42; week++) {
        await engine.handlers()['contacts.create']({ ...contact, date: addDays('2020-02-01', 7 * week), attendance: 3 });
      }
      await engine.handlers()['notes.create']({ referralId: r.id, body: 'Seed note' });
      await engine.handlers()['employment.refer']({ referralId: r.id, referredOn: '2020-01-10', provider: 'Seed employment adviser' });
    }
    // Courses the seeded episodes belong to: each takes 24 sessions at most, so several keep recordSession accepting.
    for (let g = 0; g < 6; g++) {
      const group = await engine.handlers()['groups.create']({ title: `Seed course ${g}`, condition: 'diabetes', coFacilitatorName: 'Seed Nurse', coFacilitatorRole: 'Diabetes specialist nurse', location: 'Seed clinic', startsOn: '2020-01-01', plannedSessions: 24 });
      for (const referralId of seededReferrals) await engine.handlers()['groups.addMember']({ groupId: group.group.id, referralId, joinedOn: '2020-01-01' });
      seededGroups.push(group.group.id);
    }
    // Referrals still waiting, each paused from March 2020 until further notice: what waiting.endPause ends.
    for (let i = 0; i < 120; i++) {
      const r = await engine.handlers()['referrals.create']({ patientId: p.id, receivedDate: '2020-01-01', referrerRole: 'gp', ltcCodes: [], reason: 'Waiting', riskKnown: false, consent: true, urgency: 'routine', pathway: 'core', team: 'Waiting list', status: 'waiting-treatment' });
      await engine.handlers()['waiting.addPause']({ referralId: r.id, startDate: '2020-03-01', reason: 'Away' });
    }
    // Referrals on step 2 with a care plan, so carePlan.stepChange meets enough it can end (each ends once).
    for (let i = 0; i < 40; i++) {
      const r = await engine.handlers()['referrals.create']({ patientId: p.id, receivedDate: '2020-01-01', referrerRole: 'gp', ltcCodes: [], reason: 'Stepping', riskKnown: false, consent: true, urgency: 'routine', pathway: 'core', team: 'Seed team', status: 'in-treatment' });
      await engine.handlers()['carePlan.save']({ referralId: r.id, version: null, step: 2, therapyType: '748051000000105' });
    }
    // And some not paused yet; each takes a few random pauses before they overlap or close its wait.
    for (let i = 0; i < 60; i++) {
      await engine.handlers()['referrals.create']({ patientId: p.id, receivedDate: '2020-01-01', referrerRole: 'gp', ltcCodes: [], reason: 'Waiting', riskKnown: false, consent: true, urgency: 'routine', pathway: 'core', team: 'Waiting list', status: 'waiting-treatment' });
    }
  });
  afterAll(async () => {
    await engine.close();
    removeDir(dir);
  });

  async function changes(): Promise<number> {
    const r = await sql<{ n: number }>`select total_changes() as n`.execute(engine.context().db);
    return r.rows[0]!.n;
  }
  async function auditCount(): Promise<number> {
    const r = await engine.context().db.selectFrom('audit_head').select('count').executeTakeFirst();
    return r?.count ?? 0;
  }

  /**
   * The patient mode's own methods need the mode on, with a question on screen: a fresh attended session on a
   * seeded episode, so its questionnaires are not yet recorded there. Set up outside the measured call.
   */
  let modeContacts = 0;
  async function ensurePatientMode(): Promise<void> {
    const h = engine.handlers();
    if (engine.status().patientMode) {
      if ((await h['patientMode.current']({})).stage === 'question') return;
      await h['patientMode.exit']({ passphrase: currentPassphrase });
    }
    const date = `2021-0${1 + (modeContacts % 9)}-${String(1 + (Math.floor(modeContacts / 9) % 28)).padStart(2, '0')}`;
    modeContacts++;
    const contact = await h['contacts.create']({ referralId: seededReferrals[0]!, date, startTime: '11:00', durationMinutes: 30, type: 'treatment', mechanism: '01', location: 'Clinic', attendance: 5 });
    await h['patientMode.start']({ contactId: contact.id, instrumentIds: ['phq9', 'gad7', 'wsas'] });
  }
  async function endPatientMode(): Promise<void> {
    if (engine.status().patientMode) await engine.handlers()['patientMode.exit']({ passphrase: currentPassphrase });
  }

  async function resolveCurrent(method: MethodName, payload: unknown): Promise<unknown> {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
    const p = { ...(payload as Record<string, unknown>) };
    if (p.questionnaireNumber === CURRENT || p.itemNumber === CURRENT) {
      const view = await engine.handlers()['patientMode.current']({});
      if (view.stage === 'question') {
        if (p.questionnaireNumber === CURRENT) p.questionnaireNumber = view.questionnaireNumber;
        if (p.itemNumber === CURRENT) p.itemNumber = view.itemNumber;
      }
    }
    for (const key of ['passphrase', 'current', 'next', 'currentPassphrase']) if (p[key] === CURRENT) p[key] = currentPassphrase;
    if (p.baseVersion === CURRENT) {
      const referralId = typeof p.referralId === 'string' ? p.referralId : '';
      const latest = await engine.context().db.selectFrom('formulations').select('formulation_version').where('referral_id', '=', referralId).orderBy('formulation_version', 'desc').executeTakeFirst();
      p.baseVersion = latest?.formulation_version ?? 0;
    }
    if (p.version === CURRENT) {
      const db = engine.context().db;
      const byReferral = VERSION_BY_REFERRAL[method];
      if (method === 'serviceSettings.update') {
        p.version = (await db.selectFrom('service_settings').select('version').executeTakeFirst())?.version ?? null;
      } else if (byReferral) {
        const referralId = typeof p.referralId === 'string' ? p.referralId : '';
        const row = byReferral === 'care_plans'
          ? await db.selectFrom('care_plans').select('version').where('referral_id', '=', referralId).where('deleted_at', 'is', null).executeTakeFirst()
          : await db.selectFrom('referrals').select('version').where('id', '=', referralId).executeTakeFirst();
        p.version = row?.version ?? (byReferral === 'care_plans' ? null : 1);
      } else {
        const table = VERSIONED_TABLE[method] ?? 'patients';
        const row = typeof p.id === 'string' ? await db.selectFrom(table).select('version').where('id', '=', p.id).executeTakeFirst() : undefined;
        p.version = row?.version ?? 1;
      }
    }
    return p;
  }

  /** The directory is the admin's: users.* run in an admin's own store on this device, everything else in the HIT's. */
  let adminKey: string | null = null;
  let supervisorKey: string | null = null;
  const SUPERVISOR_ONLY: MethodName[] = ['supervision.review', 'supervision.weeklyLists', 'supervision.record'];
  const storeOf = (method: MethodName) =>
    method.startsWith('users.') && adminKey ? adminKey : SUPERVISOR_ONLY.includes(method) && supervisorKey ? supervisorKey : 'primary';
  /**
   * A supervisor's own store holding a supervisee's open referral, written as sync would have brought it (the
   * directory entry and the caseholder arrive from the team server, not through this device's handlers).
   */
  async function setUpSupervisorStore(): Promise<void> {
    await engine.addUser();
    await engine.setup({ passphrase: currentPassphrase, displayName: 'Sam Supervisor', role: 'supervisor' });
    supervisorKey = engine.status().currentUser;
    const h = engine.handlers();
    const db = engine.context().db;
    const now = new Date().toISOString();
    const supervisee = '01900000-0000-7000-8000-00000000a11c';
    await db.insertInto('users').values({ id: supervisee, display_name: 'Ada Supervisee', role: 'hit', supervisor_id: engine.context().actorId, version: 1, created_at: now, updated_at: now, deactivated_at: null, updated_by: null }).execute();
    const p = await h['patients.create']({ nhsNumber: validNhsNumber(2), givenName: 'Sup', familyName: 'Case', dateOfBirth: '1970-01-01', gpPractice: 'Seed Surgery' });
    for (let i = 0; i < 3; i++) {
      const r = await h['referrals.create']({ patientId: p.id, receivedDate: '2020-01-01', referrerRole: 'gp', ltcCodes: ['44054006'], reason: 'Seed', riskKnown: false, consent: true, urgency: 'routine', pathway: 'core', team: 'Seed team', status: 'in-treatment' });
      await db.updateTable('referrals').set({ caseholder_id: supervisee }).where('id', '=', r.id).execute();
    }
  }
  async function openStoreFor(method: MethodName): Promise<void> {
    if (SUPERVISOR_ONLY.includes(method) && !supervisorKey) await setUpSupervisorStore();
    if (method.startsWith('users.') && !adminKey) {
      await engine.addUser();
      await engine.setup({ passphrase: currentPassphrase, displayName: 'Ari Admin', role: 'admin' });
      adminKey = engine.status().currentUser;
      await engine.handlers()['users.create']({ displayName: 'Sam Supervisor', role: 'supervisor' });
    }
    if (engine.status().currentUser !== storeOf(method)) await engine.switchUser(storeOf(method));
    if (engine.status().state !== 'unlocked') await engine.unlock(currentPassphrase);
  }

  it.each(FUZZ_ORDER)('%s: 1,000 random payloads give typed errors or valid results, and rejected ones write nothing', async (method) => {
    let accepted = 0;
    let rejected = 0;
    let wrongPassphrases = 0;
    const inPatientMode = method.startsWith('patientMode.') && method !== 'patientMode.start';
    await openStoreFor(method);
    pools = await refreshPools();
    await fc.assert(
      fc.asyncProperty(payloads(method, () => knownIds, pools), async (generated) => {
        let payload = generated;
        if (engine.status().state !== 'unlocked') await engine.unlock(currentPassphrase);
        if (inPatientMode) await ensurePatientMode();
        payload = await resolveCurrent(method, payload);
        const measuresBefore = method === 'patientMode.answer' ? (await engine.context().db.selectFrom('measures').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n : 0;
        const changesBefore = await changes();
        const auditBefore = await auditCount();
        const result = await call(method, payload);
        if (!result.ok) {
          rejected++;
          expect(AppErrorShape.safeParse(result.error).success).toBe(true);
          expect(result.error.code).not.toBe('INTERNAL');
          if (result.error.code === 'VALIDATION') expect(result.error.fields?.length).toBeGreaterThan(0);
          if (result.error.code === 'WRONG_PASSPHRASE') wrongPassphrases++;
          expect(engine.status().state).toBe('unlocked'); // a rejected call changes no state either
          expect(await changes()).toBe(changesBefore);
          return;
        }
        accepted++;
        expect(contract[method].output.safeParse(result.value).success).toBe(true);
        if (method === 'session.lock' || method === 'session.switchUser' || method === 'session.addUser') {
          expect(engine.status().state).not.toBe('unlocked');
          await engine.switchUser(storeOf(method));
          await engine.unlock(currentPassphrase);
          return;
        }
        if (method === 'session.changePassphrase') currentPassphrase = (contract[method].input.parse(payload) as { next: string }).next;
        let auditRows = AUDIT_ROWS[method];
        if (method === 'patientMode.answer') {
          const measuresAfter = (await engine.context().db.selectFrom('measures').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
          auditRows += measuresAfter - measuresBefore;
          expect(measuresAfter - measuresBefore).toBeLessThanOrEqual(1);
        }
        if (method === 'patientMode.exit') {
          auditRows += wrongPassphrases; // told and audited at the right passphrase, as unlock does
          wrongPassphrases = 0;
        }
        expect(await auditCount()).toBe(auditBefore + auditRows);
        if (method === 'patientMode.start') await endPatientMode(); // or every later method would meet the mode
        if (method === 'patients.create' || method === 'patients.update') {
          const saved = result.value as { id: string; nhsNumber: string };
          const stored = await engine.context().db.selectFrom('patients').select(['nhs_number']).where('id', '=', saved.id).executeTakeFirstOrThrow();
          expect(stored.nhs_number).toBe(saved.nhsNumber);
          if (method === 'patients.create') knownIds.push(saved.id);
        }
      }),
      { numRuns: RUNS },
    );
    await endPatientMode();
    expect(accepted + rejected).toBe(RUNS);
    // Both branches must really be exercised, or the property says nothing.
    expect(rejected).toBeGreaterThan(0);
    if (!NEVER_ACCEPTED.includes(method)) expect(accepted).toBeGreaterThan(RUNS / 20);
  });

  it('the audit chain still verifies after all that', async () => {
    const v = await engine.handlers()['audit.verify']({});
    expect(v.problems).toEqual([]);
    expect(v.count).toBeGreaterThan(1000);
  });
});
