import { defaultOutcomes, END_CODES as OUTCOME_END_CODES, REFERRAL_SOURCES, STEPS as OUTCOME_STEPS, type EndCode, type ReferralSourceCode } from '../outcomes';

/**
 * Code lists for an episode of care (referral), contacts and discharge, as the screens offer them.
 *
 * The data-set codes follow the domain reference (`../shared/domain/talking-therapies-reference.md`, "ref §n");
 * source-of-referral codes, end codes and steps are the outcomes engine's own lists (issue #7), re-shaped here.
 */

/** Where the referral is in the service's flow (issue #8 item 1; seed 001 flowchart). */
export const REFERRAL_STATUSES = ['awaiting-spa', 'awaiting-triage', 'waiting-assessment', 'waiting-treatment', 'in-treatment', 'discharged'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  'awaiting-spa': 'Awaiting single point of access',
  'awaiting-triage': 'Awaiting triage',
  'waiting-assessment': 'Waiting for assessment',
  'waiting-treatment': 'Waiting for treatment',
  'in-treatment': 'In treatment',
  discharged: 'Discharged',
};
/** Statuses a clinician may set by hand; "discharged" only comes with an end code and a discharge date. */
export const OPEN_STATUSES = REFERRAL_STATUSES.filter((s) => s !== 'discharged') as Exclude<ReferralStatus, 'discharged'>[];

/** Who referred (seed 000: GPs, practice nurses, DSNs, dieticians, podiatrists, hospital nurses and consultants, self). */
export const REFERRER_ROLES = [
  'gp',
  'practice-nurse',
  'diabetes-specialist-nurse',
  'dietician',
  'podiatrist',
  'respiratory-nurse',
  'cardiac-rehab-nurse',
  'consultant',
  'self',
] as const;
export type ReferrerRole = (typeof REFERRER_ROLES)[number];
export const REFERRER_ROLE_LABELS: Record<ReferrerRole, string> = {
  gp: 'GP',
  'practice-nurse': 'Practice nurse',
  'diabetes-specialist-nurse': 'Diabetes specialist nurse',
  dietician: 'Dietician',
  podiatrist: 'Podiatrist',
  'respiratory-nurse': 'Respiratory nurse',
  'cardiac-rehab-nurse': 'Cardiac rehabilitation nurse',
  consultant: 'Consultant',
  self: 'Self-referral',
};

/** `SourceOfReferralIAPT` v2.1 codes (ref §5.2), code → label. */
export const SOURCE_CODES: Record<ReferralSourceCode, string> = Object.fromEntries(REFERRAL_SOURCES.map((s) => [s.code, s.label])) as Record<ReferralSourceCode, string>;
export type SourceCode = ReferralSourceCode;
export const SOURCE_CODE_LIST = REFERRAL_SOURCES.map((s) => s.code) as unknown as [SourceCode, ...SourceCode[]];

/**
 * Default referrer → source code table. GP = A1 and self = B1 are the reference's own (ref §5.2); the rest are
 * this app's reading of where each professional sits (primary care A3, hospital specialty H2), so the service
 * edits them in its settings.
 */
export const DEFAULT_SOURCE_CODES: Record<ReferrerRole, SourceCode> = {
  gp: 'A1',
  'practice-nurse': 'A3',
  'diabetes-specialist-nurse': 'H2',
  dietician: 'A3',
  podiatrist: 'A3',
  'respiratory-nurse': 'H2',
  'cardiac-rehab-nurse': 'H2',
  consultant: 'H2',
  self: 'B1',
};

/**
 * Long-term conditions (IDS602 is SNOMED-coded, ref §5.1). The diabetes codes are the outcomes engine's defaults
 * (its `diabetesCodes` drive the LTC measures schedule), so they are verified and fixed; the others are commonly
 * used SNOMED CT concepts that the reference does not list, so they are marked unverified and a service may
 * replace them in its settings (issue #8 item 1). `key` names the condition whatever code the service uses.
 */
export const LTC_OPTIONS = [
  { key: 'diabetes-type-1', code: '46635009', label: 'Diabetes type 1', verified: true },
  { key: 'diabetes-type-2', code: '44054006', label: 'Diabetes type 2', verified: true },
  { key: 'copd', code: '13645005', label: 'COPD', verified: false },
  { key: 'asthma', code: '195967001', label: 'Asthma', verified: false },
  { key: 'coronary-heart-disease', code: '53741008', label: 'Coronary heart disease', verified: false },
  { key: 'heart-failure', code: '84114007', label: 'Heart failure', verified: false },
  { key: 'stroke', code: '230690007', label: 'Stroke', verified: false },
  { key: 'hypertension', code: '38341003', label: 'Hypertension', verified: false },
  { key: 'chronic-pain', code: '82423001', label: 'Chronic pain / MSK', verified: false },
  { key: 'ibs', code: '10743008', label: 'Irritable bowel syndrome', verified: false },
  { key: 'cfs-me', code: '52702003', label: 'Chronic fatigue syndrome / ME', verified: false },
  { key: 'cancer', code: '363346000', label: 'Cancer', verified: false },
  { key: 'other', code: '74964007', label: 'Other long-term condition', verified: false },
] as const;
export type LtcKey = (typeof LTC_OPTIONS)[number]['key'];
/** The reference's default codes (the service's list may differ: see `ltcOptions`). */
export const LTC_CODES = LTC_OPTIONS.map((o) => o.code) as [string, ...string[]];
/** Conditions whose code the service may set: the unverified ones. */
export const EDITABLE_LTC_KEYS = LTC_OPTIONS.filter((o) => !o.verified).map((o) => o.key) as [LtcKey, ...LtcKey[]];
/** IDS602 carries a SNOMED CT concept id: digits, 6 to 18 of them. */
export const SNOMED_CODE = /^\d{6,18}$/;
/**
 * Codes no configured condition may take: the verified LTC codes and the engine's diabetes codes, so a COPD
 * referral can never be read as diabetes by `measuresDue` (which would propose DDS2 and HbA1c).
 */
export const RESERVED_LTC_CODES: readonly string[] = [...new Set([...LTC_OPTIONS.filter((o) => o.verified).map((o) => o.code), ...defaultOutcomes.config.diabetesCodes])];

export interface LtcOption {
  key: LtcKey;
  code: string;
  label: string;
  verified: boolean;
  /** The reference's (or this app's unverified) default code, shown beside a service's own. */
  defaultCode: string;
}

/** The service's list of conditions: its own code where it set one, the default otherwise. */
export function ltcOptions(serviceCodes: Partial<Record<string, string>> = {}): LtcOption[] {
  return LTC_OPTIONS.map((o) => ({ key: o.key, code: (!o.verified && serviceCodes[o.key]) || o.code, label: o.label, verified: o.verified, defaultCode: o.code }));
}

/** A condition's label in the service's list; a stored code no longer in it is shown as the code itself. */
export function ltcLabel(code: string, options: readonly LtcOption[]): string {
  return options.find((o) => o.code === code)?.label ?? code;
}

/** Presenting problem / problem descriptor (ref §5.3); the ADSM follows through `adsmFor`. */
export const PROBLEM_DESCRIPTORS = [
  { code: 'F32', label: 'Depressive episode' },
  { code: 'F33', label: 'Recurrent depressive disorder' },
  { code: 'F40.0', label: 'Agoraphobia' },
  { code: 'F40.1', label: 'Social phobia' },
  { code: 'F40.2', label: 'Specific (isolated) phobia' },
  { code: 'F41.0', label: 'Panic disorder' },
  { code: 'F41.1', label: 'Generalised anxiety disorder' },
  { code: 'F41.2', label: 'Mixed anxiety and depressive disorder' },
  { code: 'F42', label: 'Obsessive-compulsive disorder' },
  { code: 'F43.1', label: 'Post-traumatic stress disorder' },
  { code: 'F45.2', label: 'Hypochondriacal disorder (health anxiety)' },
  { code: '83482000', label: 'Body dysmorphic disorder (SNOMED)' },
] as const;
export const PROBLEM_DESCRIPTOR_CODES = PROBLEM_DESCRIPTORS.map((p) => p.code) as [string, ...string[]];

/** `EndCode` v2 (ref §5.6), code → label; 40–44 are v1.5 codes, invalid in v2, so they are not offered. */
export const END_CODES: Record<EndCode, string> = Object.fromEntries(OUTCOME_END_CODES.map((c) => [c.code, c.label])) as Record<EndCode, string>;
export type { EndCode };
export const END_CODE_LIST = OUTCOME_END_CODES.map((c) => c.code) as unknown as [EndCode, ...EndCode[]];

/** `ConsMechanism` v2.1 (ref §5.4): the three a clinic uses. */
export const CONSULTATION_MECHANISMS = { '01': 'Face to face', '02': 'Telephone', '11': 'Video' } as const;
export type ConsultationMechanism = keyof typeof CONSULTATION_MECHANISMS;
export const CONSULTATION_MECHANISM_LIST = Object.keys(CONSULTATION_MECHANISMS) as [ConsultationMechanism, ...ConsultationMechanism[]];

/** `AttendOrDNACode` (ref §5.4) in plain words. */
export const ATTENDANCE_LABELS: Record<number, string> = {
  2: 'Cancelled by the patient',
  3: 'Did not attend (no warning)',
  4: 'Cancelled by the service',
  5: 'Attended on time',
  6: 'Arrived late but seen',
  7: 'Arrived late, not seen',
};
/** ref §5.4: 3 = did not attend without warning; it prompts a follow-up action. */
export const DID_NOT_ATTEND = 3;

export const RISK_LEVELS = ['low', 'moderate', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const URGENCIES = ['routine', 'urgent'] as const;
export const PATHWAYS = ['integrated-ltc', 'core'] as const;
export const PATHWAY_LABELS: Record<(typeof PATHWAYS)[number], string> = { 'integrated-ltc': 'Integrated LTC', core: 'Core' };
export const STEPS = OUTCOME_STEPS;

export const CONTACT_ATTEMPT_METHODS = ['telephone', 'text', 'letter', 'email', 'video'] as const;
export const CONTACT_ATTEMPT_OUTCOMES = ['reached', 'no-answer', 'voicemail', 'wrong-number', 'declined'] as const;
