/**
 * Code lists for an episode of care (referral), contacts and discharge.
 *
 * The data-set codes follow the domain reference (`../shared/domain/talking-therapies-reference.md`, "ref §n").
 * Issue #7 is moving end codes and referral sources into `shared/outcomes`; until it lands they live here, and
 * when it does these become re-exports of those lists.
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

/** `SourceOfReferralIAPT` v2.1 codes (ref §5.2). */
export const SOURCE_CODES = {
  A1: 'GP',
  A2: 'Health visitor',
  A3: 'Other primary health care',
  B1: 'Self-referral',
  B2: 'Carer or relative',
  H1: 'Emergency department',
  H2: 'Other secondary care specialty',
  M6: 'Other service or agency',
  M7: 'Single point of access',
  N1: 'Stepped up from low intensity',
  N2: 'Stepped down from high intensity',
  N4: 'Other NHS Talking Therapies service',
  P1: 'Internal referral',
} as const;
export type SourceCode = keyof typeof SOURCE_CODES;
export const SOURCE_CODE_LIST = Object.keys(SOURCE_CODES) as SourceCode[];

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
 * Long-term conditions (IDS602 is SNOMED-coded, ref §5.1). The diabetes codes are the outcomes engine's defaults;
 * the others are commonly used SNOMED CT concepts that the reference does not list, so they are marked
 * unverified and the service may correct them.
 */
export const LTC_OPTIONS = [
  { code: '46635009', label: 'Diabetes type 1', verified: true },
  { code: '44054006', label: 'Diabetes type 2', verified: true },
  { code: '13645005', label: 'COPD', verified: false },
  { code: '195967001', label: 'Asthma', verified: false },
  { code: '53741008', label: 'Coronary heart disease', verified: false },
  { code: '84114007', label: 'Heart failure', verified: false },
  { code: '230690007', label: 'Stroke', verified: false },
  { code: '38341003', label: 'Hypertension', verified: false },
  { code: '82423001', label: 'Chronic pain / MSK', verified: false },
  { code: '10743008', label: 'Irritable bowel syndrome', verified: false },
  { code: '52702003', label: 'Chronic fatigue syndrome / ME', verified: false },
  { code: '363346000', label: 'Cancer', verified: false },
  { code: '74964007', label: 'Other long-term condition', verified: false },
] as const;
export const LTC_CODES = LTC_OPTIONS.map((o) => o.code) as [string, ...string[]];

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

/** `EndCode` v2 (ref §5.6); 40–44 are v1.5 codes, invalid in v2, so they are not offered. */
export const END_CODES = {
  '10': 'Not suitable: no action taken or back to referrer',
  '11': 'Not suitable: signposted elsewhere',
  '12': 'Discharged by mutual agreement after advice',
  '13': 'Referred to another therapy service',
  '14': 'Suitable but declined treatment',
  '16': 'Incomplete assessment (dropped out)',
  '17': 'Deceased (not seen)',
  '50': 'Not assessed',
  '95': 'Not known (not seen)',
  '46': 'Mutually agreed completion of treatment',
  '47': 'Ended earlier than the care professional planned',
  '48': 'Ended earlier than the patient requested',
  '49': 'Deceased (seen and treated)',
  '96': 'Not known (seen and treated)',
} as const;
export type EndCode = keyof typeof END_CODES;
export const END_CODE_LIST = Object.keys(END_CODES) as [EndCode, ...EndCode[]];

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
export const STEPS = [2, 3, 4] as const;

export const CONTACT_ATTEMPT_METHODS = ['telephone', 'text', 'letter', 'email', 'video'] as const;
export const CONTACT_ATTEMPT_OUTCOMES = ['reached', 'no-answer', 'voicemail', 'wrong-number', 'declined'] as const;
