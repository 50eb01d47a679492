import type { Role } from '../domain/people';

/**
 * Which store tables travel through the team's change log, and why the others do not. A unit test lists
 * every table the store's migrations make and fails when one is in none of these lists, so a table added
 * later cannot be silently left on one laptop.
 */

/** Clinical tables: every row carries id, version, created/updated by/at and deleted_at (store migration 0002). */
export const SYNCED_TABLES = [
  'patients',
  'referrals',
  // Before contacts: a booking names its clinic (contacts.clinic_id references clinics.id).
  'clinics',
  // Before contacts: a member's group attendance names its session (contacts.group_session_id).
  'groups',
  'group_sessions',
  'contacts',
  'measures',
  'screenings',
  'risk_assessments',
  'notes',
  'note_versions',
  'contact_attempts',
  'actions',
  'service_settings',
  'sync_conflicts',
  'letters',
  'care_plans',
  'care_plan_goals',
  'goal_ratings',
  'formulations',
  'supervision_sessions',
  'supervision_cases',
  'group_members',
  'waiting_pauses',
  'employment_support',
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

/** Bookkeeping of this installation only: device settings and key-file anchors, the local chain head, sync state. */
// report_entries: each referral's classification kept for reports, derived from synced rows on this device and
// made again from them at will (reportEntries.ts): never sent.
export const DEVICE_ONLY_TABLES = ['settings', 'audit_head', 'sync_outbox', 'sync_state', 'sync_rows', 'report_entries'] as const;

/** Replicated, but not as change-log rows: each has its own channel (server/PROTOCOL.md). */
export const OWN_CHANNEL_TABLES = {
  users: 'the team directory: authoritative on the server once a device is enrolled (GET/POST /v1/directory)',
  audit_event: 'the audit chain: appended per device, with the server keeping each device chain head (POST /v1/audit)',
} as const;

/**
 * How a row finds the patient whose scope decides who may read or write it (DESIGN §5.6). `self` is the
 * patients table; `column` names a column holding a patient id; `via` names a column holding the id of a row in
 * another table whose own patient decides; `team` rows (service settings) belong to the whole team.
 */
export type ScopeKey =
  | { kind: 'self' }
  | { kind: 'column'; column: string }
  | { kind: 'via'; column: string; table: SyncedTable }
  | { kind: 'team' };

export interface TablePolicy {
  scope: ScopeKey;
  /**
   * Clinical content: never sent to, nor accepted from, a booking clerk or an admin (issue #9 §2, issue #10 §9).
   * A clerk keeps demographics, referrals and appointments.
   */
  clinical: boolean;
  /**
   * Versioned documents: a write from a stale base never overwrites; it becomes a sibling kept in a conflict
   * row for an explicit, audited merge (DESIGN §5.4). Signed rows take addenda only.
   */
  document?: { signedWhen: { column: string; value: string } };
  /**
   * Fields whose concurrent change must reach a clinician as a conflict task rather than be merged by the
   * server (DESIGN §5.3: risk level, safeguarding, discharge, attendance).
   */
  highRisk: readonly string[];
}

/** One written policy for the server's scope, role filter and conflict rules; the client reads the same table. */
export const TABLE_POLICY: Record<SyncedTable, TablePolicy> = {
  patients: { scope: { kind: 'self' }, clinical: false, highRisk: [] },
  referrals: {
    scope: { kind: 'column', column: 'patient_id' },
    clinical: false,
    // A step change (ref §5.7) is the step, and the end and opening of referrals; concurrent ones must meet a clinician.
    highRisk: ['risk_known', 'risk_details', 'status', 'end_code', 'discharge_date', 'step', 'previous_referral_id'],
  },
  // A cancellation is an attendance code (2 or 4, ref §5.4) with its reason: both are conflicts, never merged.
  contacts: { scope: { kind: 'via', column: 'referral_id', table: 'referrals' }, clinical: false, highRisk: ['attendance', 'cancellation_reason'] },
  measures: { scope: { kind: 'via', column: 'referral_id', table: 'referrals' }, clinical: true, highRisk: [] },
  screenings: { scope: { kind: 'column', column: 'patient_id' }, clinical: true, highRisk: [] },
  risk_assessments: {
    scope: { kind: 'via', column: 'referral_id', table: 'referrals' },
    clinical: true,
    highRisk: ['level', 'thoughts', 'plans', 'intent', 'plan'],
  },
  notes: {
    scope: { kind: 'via', column: 'referral_id', table: 'referrals' },
    clinical: true,
    document: { signedWhen: { column: 'status', value: 'signed' } },
    highRisk: [],
  },
  note_versions: { scope: { kind: 'via', column: 'note_id', table: 'notes' }, clinical: true, highRisk: [] },
  contact_attempts: { scope: { kind: 'via', column: 'referral_id', table: 'referrals' }, clinical: true, highRisk: [] },
  actions: { scope: { kind: 'via', column: 'referral_id', table: 'referrals' }, clinical: true, highRisk: [] },
  service_settings: { scope: { kind: 'team' }, clinical: false, highRisk: [] },
  // The team's clinic sessions (name, site, weekday): every clinician and clerk books into them.
  clinics: { scope: { kind: 'team' }, clinical: false, highRisk: [] },
  // A conflict row names the patient of the row it is about, so it reaches exactly who may see that row; it is
  // clinical because it may quote clinical fields (a clerk's attendance conflicts go to the clinician).
  sync_conflicts: { scope: { kind: 'column', column: 'patient_id' }, clinical: true, highRisk: [] },
  // Letters quote scores and the presenting problem: clinical. A final letter is what left the service, so it
  // is never merged; a concurrent edit of a draft becomes a sibling like a note's.
  letters: {
    scope: { kind: 'via', column: 'referral_id', table: 'referrals' },
    clinical: true,
    document: { signedWhen: { column: 'status', value: 'final' } },
    highRisk: [],
  },
  // Care plan (issue #10 item 2): the intervention decides the data set's therapy type; goals are the patient's words.
  care_plans: { scope: { kind: 'via', column: 'referral_id', table: 'referrals' }, clinical: true, highRisk: ['therapy_type'] },
  care_plan_goals: { scope: { kind: 'via', column: 'referral_id', table: 'referrals' }, clinical: true, highRisk: [] },
  goal_ratings: { scope: { kind: 'via', column: 'referral_id', table: 'referrals' }, clinical: true, highRisk: [] },
  // Formulation (issue #10 stage 6): each row is one saved version, kept as written (status is always 'saved'),
  // so a concurrent save never overwrites one; both are history, shown by date.
  formulations: {
    scope: { kind: 'via', column: 'referral_id', table: 'referrals' },
    clinical: true,
    document: { signedWhen: { column: 'status', value: 'saved' } },
    highRisk: [],
  },
  // Supervision (issue #11 §1). A session names staff only (supervisor, supervisees, date) and no patient, so its
  // scope is the team; it is clinical governance, so never a clerk's or an admin's. A case discussed follows its
  // referral's patient like the rest of the episode.
  supervision_sessions: { scope: { kind: 'team' }, clinical: true, highRisk: [] },
  supervision_cases: { scope: { kind: 'via', column: 'referral_id', table: 'referrals' }, clinical: true, highRisk: [] },
  // Groups (issue #10 §7). A course and its meetings name staff, a place and dates, never a patient: the team's,
  // like clinics, so a clerk's clinic day can show a group booking. Who is in a course follows each member's
  // referral and is clinical (a "Living well with diabetes" membership says what the patient lives with).
  groups: { scope: { kind: 'team' }, clinical: false, highRisk: [] },
  group_sessions: { scope: { kind: 'team' }, clinical: false, highRisk: ['date', 'start_time'] },
  group_members: { scope: { kind: 'via', column: 'referral_id', table: 'referrals' }, clinical: true, highRisk: [] },
  // Waiting-time pauses (ref §5.1 IDS108) change the reported wait picture: a concurrent change of their dates
  // meets a clinician as a conflict. Booking one is the clerk's work too (the patient rings to say they are away).
  waiting_pauses: { scope: { kind: 'via', column: 'referral_id', table: 'referrals' }, clinical: false, highRisk: ['start_date', 'end_date'] },
  // Employment support (ref §1 IDS004): part of the episode's clinical record.
  employment_support: { scope: { kind: 'via', column: 'referral_id', table: 'referrals' }, clinical: true, highRisk: [] },
};

const ADMIN_TABLES: ReadonlySet<SyncedTable> = new Set(['service_settings', 'clinics']);
/** What the service lead's reports and exports read (shared/roles/policy.ts), of the whole team: nothing more. */
const SERVICE_LEAD_TABLES: ReadonlySet<SyncedTable> = new Set(['patients', 'referrals', 'contacts', 'measures', 'waiting_pauses', 'service_settings', 'clinics']);
/** Of those, the one the service lead writes: the service's settings (CodedAssToolType codes, outcome settings). */
const SERVICE_LEAD_WRITES: ReadonlySet<SyncedTable> = new Set(['service_settings']);

/** Roles that never receive or write clinical tables. An admin manages the directory and sees no patient rows. */
export function roleReadsTable(role: Role, table: SyncedTable): boolean {
  // The admin has the team's own settings and clinic list, nothing about care (supervision, group courses).
  if (role === 'admin') return ADMIN_TABLES.has(table);
  if (role === 'booking-clerk') return !TABLE_POLICY[table].clinical;
  if (role === 'service-lead') return SERVICE_LEAD_TABLES.has(table);
  return true;
}

/** What the server accepts a role's device pushing: what it reads, except that the service lead writes no record of care. */
export function roleWritesTable(role: Role, table: SyncedTable): boolean {
  if (role === 'service-lead') return SERVICE_LEAD_WRITES.has(table);
  return roleReadsTable(role, table);
}
