import type { MethodName, ParsedInput } from '../contract/contract';
import { ROLES, ROLE_LABELS, type Role } from '../domain/people';
import type { SyncedTable } from '../sync/tables';

/**
 * Who may call which contract method: the one written role policy (issue #10 §9, DESIGN §6), enforced by the
 * services at dispatch before any handler runs (electron/services/dispatch.ts). It must never grant a role a
 * table the sync server's row filter (shared/sync/tables.ts roleReadsTable) withholds from it; a unit test
 * (tests/unit/rolePolicy.test.ts) holds the two together and calls every method as every role.
 *
 * - PWP and HIT: their own caseload. Supervisor: their supervisees' caseloads too (the row scope: scope.ts).
 * - Booking clerk: demographics, referrals and appointments (contact booking), for the whole team; never notes,
 *   measures, risk, screenings, formulations or follow-up actions.
 * - Admin: the team directory and the service's settings; no patient records.
 * - Service lead: evidences the service (issue #11): reports and data exports over the whole team, and the
 *   service's settings; never a patient's record on screen, and never writes one (no caseload, notes, risk,
 *   formulation or supervision) — what the reports and exports read, and nothing else, reaches their device.
 * - Everyone: their own session, lock, store backups and audit check, and sync of their own store.
 *
 * Adding a contract method: give it a rule here (the type makes a missing one a compile error, and a test
 * fails too), naming the synced tables it reads or writes so the agreement test can check it.
 */

export const CLINICAL_ROLES = ['pwp', 'hit', 'supervisor'] as const satisfies readonly Role[];
const CLINICAL: readonly Role[] = CLINICAL_ROLES;
const CLINICAL_AND_CLERK: readonly Role[] = [...CLINICAL_ROLES, 'booking-clerk'];
const ADMIN: readonly Role[] = ['admin'];
/** Those who report on a service: clinicians over their own scope, the service lead over the whole team. */
const REPORTING: readonly Role[] = [...CLINICAL_ROLES, 'service-lead'];
const EVERYONE: readonly Role[] = ROLES;

/** A narrower permission for one role: allowed only for inputs it permits, with the tables it then touches. */
export interface RoleLimit<M extends MethodName = MethodName> {
  permits: (input: ParsedInput<M>) => boolean;
  /** Why an input outside the limit is refused, in words for the person. */
  refusal: string;
  tables: readonly SyncedTable[];
}

export interface MethodRule<M extends MethodName = MethodName> {
  roles: readonly Role[];
  /** Synced tables whose rows the method reads or writes, side effects included (a DNA's follow-up action). */
  tables: readonly SyncedTable[];
  limits?: Partial<Record<Role, RoleLimit<M>>>;
}

type Policy = { [M in MethodName]: MethodRule<M> };

const EPISODE: readonly SyncedTable[] = ['patients', 'referrals', 'contacts', 'measures', 'risk_assessments', 'notes', 'note_versions', 'actions', 'contact_attempts'];

export const METHOD_POLICY: Policy = {
  // The session, its lock and the store's own upkeep belong to whoever's store it is.
  'session.status': { roles: EVERYONE, tables: [] },
  'session.setup': { roles: EVERYONE, tables: [] },
  'session.unlock': { roles: EVERYONE, tables: [] },
  'session.lock': { roles: EVERYONE, tables: [] },
  'session.activity': { roles: EVERYONE, tables: [] },
  'session.changePassphrase': { roles: EVERYONE, tables: [] },
  'session.switchUser': { roles: EVERYONE, tables: [] },
  'session.addUser': { roles: EVERYONE, tables: [] },
  'backup.create': { roles: EVERYONE, tables: [] },
  'backup.list': { roles: EVERYONE, tables: [] },
  'backup.restore': { roles: EVERYONE, tables: [] },
  'files.chooseFolder': { roles: EVERYONE, tables: [] },
  'audit.verify': { roles: EVERYONE, tables: [] },

  // The team directory: everyone reads it (caseholders, supervisors by name); only the admin changes it.
  'users.list': { roles: EVERYONE, tables: [] },
  'users.create': { roles: ADMIN, tables: [] },
  'users.update': { roles: ADMIN, tables: [] },
  'users.deactivate': { roles: ADMIN, tables: [] },

  // Demographics: the clerk books for the whole team, so finds and registers patients.
  'patients.list': { roles: CLINICAL_AND_CLERK, tables: ['patients'] },
  'patients.get': { roles: CLINICAL_AND_CLERK, tables: ['patients'] },
  'patients.create': { roles: CLINICAL_AND_CLERK, tables: ['patients'] },
  'patients.update': { roles: CLINICAL_AND_CLERK, tables: ['patients'] },
  // The caseload row carries last scores and the risk flag: clinical.
  'caseload.list': { roles: CLINICAL, tables: ['patients', 'referrals', 'contacts', 'measures', 'risk_assessments'] },

  // Referrals: the clerk registers them and sees a patient's list; the episode view and clinical decisions are not theirs.
  'referrals.create': {
    roles: CLINICAL_AND_CLERK,
    tables: ['patients', 'referrals'],
    limits: {
      'booking-clerk': {
        permits: (input) => input.caseholderId !== undefined,
        refusal: 'a booking clerk names the clinician who holds the referral',
        tables: ['patients', 'referrals'],
      },
    },
  },
  'referrals.listForPatient': { roles: CLINICAL_AND_CLERK, tables: ['referrals'] },
  'referrals.get': { roles: CLINICAL, tables: EPISODE },
  'referrals.update': { roles: CLINICAL, tables: ['referrals'] },
  'referrals.discharge': { roles: CLINICAL, tables: EPISODE },
  'referrals.previewDischarge': { roles: CLINICAL, tables: EPISODE },

  // Care plan, goals and step changes (issue #10 item 2): clinical decisions, never the clerk's.
  'carePlan.get': { roles: CLINICAL, tables: ['patients', 'referrals', 'care_plans', 'care_plan_goals', 'goal_ratings'] },
  'carePlan.save': { roles: CLINICAL, tables: ['patients', 'referrals', 'care_plans', 'care_plan_goals', 'goal_ratings'] },
  'carePlan.addGoal': { roles: CLINICAL, tables: ['patients', 'referrals', 'care_plans', 'care_plan_goals', 'goal_ratings'] },
  'carePlan.rateGoals': { roles: CLINICAL, tables: ['patients', 'referrals', 'contacts', 'care_plans', 'care_plan_goals', 'goal_ratings'] },
  'carePlan.stepChange': { roles: CLINICAL, tables: ['patients', 'referrals', 'contacts'] },

  // Appointments: the clerk books; what happened at the contact (attendance, a DNA's follow-up action) is the clinician's.
  'contacts.create': {
    roles: CLINICAL_AND_CLERK,
    tables: ['referrals', 'contacts', 'actions'],
    limits: {
      'booking-clerk': {
        permits: (input) => input.attendance === null && input.clinicianId !== undefined,
        refusal: 'a booking clerk books a contact for a named clinician, without attendance (the clinician records what happened)',
        tables: ['referrals', 'contacts'],
      },
    },
  },
  'contacts.recordAttendance': { roles: CLINICAL, tables: ['contacts', 'measures', 'actions'] },

  // Clinics and appointments (issue #10 §3): the clerk books and moves appointments for a named clinician and
  // keeps the team's clinic list; the clerk's day and week show who is booked when, without the measures due and
  // follow-up actions a clinician's show (the service leaves those tables unread for the clerk).
  'clinics.list': { roles: EVERYONE, tables: ['clinics'] },
  'clinics.create': { roles: [...CLINICAL_AND_CLERK, 'admin'], tables: ['clinics'] },
  // Changing a clinic's hours checks its bookings (contacts): not the admin's, who sees no patient rows.
  'clinics.update': { roles: CLINICAL_AND_CLERK, tables: ['clinics', 'contacts'] },
  'appointments.bookable': { roles: CLINICAL_AND_CLERK, tables: ['patients', 'referrals'] },
  'appointments.book': {
    roles: CLINICAL_AND_CLERK,
    tables: ['referrals', 'contacts', 'clinics'],
    limits: {
      'booking-clerk': {
        permits: (input) => input.clinicianId !== undefined,
        refusal: 'a booking clerk books an appointment for a named clinician',
        tables: ['referrals', 'contacts', 'clinics'],
      },
    },
  },
  'appointments.reschedule': { roles: CLINICAL_AND_CLERK, tables: ['referrals', 'contacts', 'clinics'] },
  'appointments.cancel': { roles: CLINICAL_AND_CLERK, tables: ['referrals', 'contacts'] },
  // A group member's booking names its course and session (groups, group_sessions), for the clerk too.
  'clinicDay.day': {
    roles: CLINICAL_AND_CLERK,
    tables: ['patients', 'referrals', 'contacts', 'clinics', 'groups', 'group_sessions', 'measures', 'actions'],
    limits: { 'booking-clerk': { permits: () => true, refusal: '', tables: ['patients', 'referrals', 'contacts', 'clinics', 'groups', 'group_sessions'] } },
  },
  'clinicDay.week': { roles: CLINICAL_AND_CLERK, tables: ['patients', 'referrals', 'contacts', 'clinics', 'groups', 'group_sessions'] },

  // Clinical content.
  'measures.record': { roles: CLINICAL, tables: ['referrals', 'contacts', 'measures'] },
  'measures.due': { roles: CLINICAL, tables: EPISODE },
  'risk.record': { roles: CLINICAL, tables: ['referrals', 'measures', 'risk_assessments'] },
  'notes.create': { roles: CLINICAL, tables: ['referrals', 'notes', 'note_versions'] },
  'notes.update': { roles: CLINICAL, tables: ['referrals', 'notes', 'note_versions', 'measures', 'risk_assessments'] },
  'notes.sign': { roles: CLINICAL, tables: ['referrals', 'notes', 'note_versions', 'measures', 'risk_assessments'] },
  'notes.addendum': { roles: CLINICAL, tables: ['referrals', 'notes', 'note_versions'] },
  'actions.complete': { roles: CLINICAL, tables: ['actions'] },

  // Supervision (issue #11 §1): the supervisor's own workspace over their supervisees' caseloads (scope.ts).
  'supervision.review': { roles: ['supervisor'], tables: ['patients', 'referrals', 'contacts', 'measures', 'risk_assessments'] },
  'supervision.weeklyLists': { roles: ['supervisor'], tables: ['patients', 'referrals', 'contacts', 'measures'] },
  'supervision.forReferral': { roles: CLINICAL, tables: ['referrals', 'supervision_sessions', 'supervision_cases'] },
  'supervision.record': { roles: ['supervisor'], tables: ['referrals', 'supervision_sessions', 'supervision_cases', 'actions'] },
  // Letters quote scores and the presenting problem: clinical. Filling one reads the whole episode.
  'letters.draft': { roles: CLINICAL, tables: [...EPISODE, 'letters'] },
  'letters.list': { roles: CLINICAL, tables: ['referrals', 'letters'] },
  'letters.update': { roles: CLINICAL, tables: ['referrals', 'letters'] },
  'letters.finalise': { roles: CLINICAL, tables: ['referrals', 'letters'] },
  'letters.correct': { roles: CLINICAL, tables: ['referrals', 'letters'] },
  'letters.export': { roles: CLINICAL, tables: ['patients', 'referrals', 'letters'] },
  'letters.recordSent': { roles: CLINICAL, tables: ['referrals', 'letters'] },
  // Formulation (issue #10 stage 6): clinical content, so never a clerk's or an admin's.
  'formulation.list': { roles: CLINICAL, tables: ['referrals', 'formulations'] },
  'formulation.get': { roles: CLINICAL, tables: ['referrals', 'formulations'] },
  'formulation.save': { roles: CLINICAL, tables: ['referrals', 'formulations'] },
  'formulation.export': { roles: CLINICAL, tables: ['patients', 'referrals', 'formulations'] },

  // Waiting-time pauses (issue #10 §8, IDS108): waiting-list administration, so the clerk's too (the patient rings
  // the office to say they are away); the clock reads the contacts to find the first treatment.
  'waiting.get': { roles: CLINICAL_AND_CLERK, tables: ['patients', 'referrals', 'contacts', 'waiting_pauses'] },
  'waiting.addPause': { roles: CLINICAL_AND_CLERK, tables: ['patients', 'referrals', 'contacts', 'waiting_pauses'] },
  'waiting.endPause': { roles: CLINICAL_AND_CLERK, tables: ['patients', 'referrals', 'contacts', 'waiting_pauses'] },
  // Employment status is a measure and employment support part of the clinical record (issue #10 §6).
  'employment.get': { roles: CLINICAL, tables: ['patients', 'referrals', 'measures', 'employment_support'] },
  'employment.refer': { roles: CLINICAL, tables: ['patients', 'referrals', 'measures', 'employment_support'] },
  'employment.setDates': { roles: CLINICAL, tables: ['patients', 'referrals', 'measures', 'employment_support'] },
  // Group courses (issue #10 §7): who is in a course and their attendance and measures are clinical.
  'groups.list': { roles: CLINICAL, tables: ['patients', 'referrals', 'groups', 'group_sessions', 'group_members'] },
  'groups.create': { roles: CLINICAL, tables: ['patients', 'referrals', 'groups', 'group_sessions', 'group_members'] },
  'groups.get': { roles: CLINICAL, tables: ['patients', 'referrals', 'groups', 'group_sessions', 'group_members', 'contacts', 'measures'] },
  'groups.addMember': { roles: CLINICAL, tables: ['patients', 'referrals', 'groups', 'group_sessions', 'group_members', 'contacts', 'measures'] },
  'groups.recordSession': {
    roles: CLINICAL,
    tables: ['patients', 'referrals', 'groups', 'group_sessions', 'group_members', 'contacts', 'measures', 'care_plans', 'actions'],
  },

  // Exports carry scores and clinical codes out of the store: clinicians and supervisors for the referrals in
  // their own scope only, the service lead for the whole team (never the booking clerk, who sees no measures; never the admin, who sees no patients).
  // The data-set and FHIR codes start from the service's own (service_settings), under any typed for the export.
  'exports.preview': { roles: REPORTING, tables: ['patients', 'referrals', 'contacts', 'measures', 'waiting_pauses', 'service_settings'] },
  'exports.dataSet': { roles: REPORTING, tables: ['patients', 'referrals', 'contacts', 'measures', 'waiting_pauses', 'service_settings'] },
  'exports.fhir': { roles: REPORTING, tables: ['patients', 'referrals', 'measures', 'service_settings'] },
  'exports.pseudonymised': { roles: REPORTING, tables: ['patients', 'referrals', 'measures'] },
  'contactAttempts.record': { roles: CLINICAL, tables: ['referrals', 'contact_attempts'] },
  'screenings.record': { roles: CLINICAL, tables: ['patients', 'screenings'] },
  'screenings.list': { roles: CLINICAL, tables: ['screenings'] },

  // Service reports (issue #11): outcome figures over the caller's scope (a supervisor's supervisees' too, the
  // service lead's whole team). Not the admin, who holds no patient data, nor the clerk, who sees no outcomes.
  'reports.service': { roles: REPORTING, tables: ['referrals', 'contacts', 'measures', 'waiting_pauses'] },
  'reports.exportCsv': { roles: REPORTING, tables: ['referrals', 'contacts', 'measures', 'waiting_pauses'] },

  // Service settings: everyone's screens read them (cut-offs, code tables); the admin and clinicians set them.
  'serviceSettings.get': { roles: EVERYONE, tables: ['service_settings'] },
  'serviceSettings.update': { roles: [...REPORTING, 'admin'], tables: ['service_settings'] },

  // Locked patient mode: a clinician hands over a session's questionnaires; the answers are measures.
  'patientMode.start': { roles: CLINICAL, tables: ['referrals', 'contacts', 'measures'] },
  'patientMode.current': { roles: CLINICAL, tables: [] },
  'patientMode.answer': { roles: CLINICAL, tables: ['referrals', 'contacts', 'measures'] },
  'patientMode.back': { roles: CLINICAL, tables: [] },
  'patientMode.exit': { roles: CLINICAL, tables: [] },

  // Sync of one's own store is everyone's; resolving a conflict writes clinical rows.
  'sync.status': { roles: EVERYONE, tables: [] },
  'sync.now': { roles: EVERYONE, tables: [] },
  'sync.enrol': { roles: EVERYONE, tables: [] },
  'sync.signOut': { roles: EVERYONE, tables: [] },
  'sync.conflicts': { roles: EVERYONE, tables: [] },
  'sync.resolveConflict': { roles: CLINICAL, tables: ['sync_conflicts', ...EPISODE] },
  // Anyone whose change was refused may set it aside: it touches only this device's outbox.
  'sync.setAsideRefused': { roles: EVERYONE, tables: [] },
};

export type PolicyDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether `role` may call `method` with this (already validated) input. A method the policy does not name is
 * refused: a new method is closed until someone writes its rule.
 */
export function decide(role: Role, method: string, input: unknown): PolicyDecision {
  const rule = Object.prototype.hasOwnProperty.call(METHOD_POLICY, method) ? (METHOD_POLICY as Record<string, MethodRule>)[method] : undefined;
  const who = ROLE_LABELS[role];
  if (!rule) return { allowed: false, reason: `${method} has no rule in the role policy, so no one may call it yet.` };
  if (!rule.roles.includes(role)) return { allowed: false, reason: `Your role (${who}) may not call ${method}.` };
  const limit = rule.limits?.[role];
  if (limit && !limit.permits(input as never)) return { allowed: false, reason: `Your role (${who}) may not call ${method} like this: ${limit.refusal}.` };
  return { allowed: true };
}

/** Whether `role` may call `method` at all (for any input): what a screen asks before offering it. */
export function roleMayCall(role: Role, method: MethodName): boolean {
  return METHOD_POLICY[method].roles.includes(role);
}

/** The tables a role touches through a method it may call (its limit's, where it has one). */
export function tablesFor(role: Role, method: MethodName): readonly SyncedTable[] {
  const rule: MethodRule = METHOD_POLICY[method] as MethodRule;
  return rule.limits?.[role]?.tables ?? rule.tables;
}
