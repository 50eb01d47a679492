/**
 * Data-set code lists the screens offer and the reports group by. Data, cited to the reference.
 */

/** ref §5.2: `SourceOfReferralIAPT` (v2.1). */
export const REFERRAL_SOURCES = [
  { code: 'A1', label: 'GP' },
  { code: 'A2', label: 'Health visitor' },
  { code: 'A3', label: 'Other primary care' },
  { code: 'A4', label: 'Maternity' },
  { code: 'B1', label: 'Self-referral' },
  { code: 'B2', label: 'Carer or relative' },
  { code: 'C1', label: 'Social services' },
  { code: 'C2', label: 'Education' },
  { code: 'C3', label: 'Housing' },
  { code: 'D1', label: 'Employer' },
  { code: 'D2', label: 'Occupational health' },
  { code: 'E1', label: 'Police' },
  { code: 'E2', label: 'Courts' },
  { code: 'E3', label: 'Probation' },
  { code: 'E4', label: 'Prison' },
  { code: 'E5', label: 'Court liaison and diversion' },
  { code: 'E6', label: 'Youth offending' },
  { code: 'F1', label: 'School nurse' },
  { code: 'F2', label: 'Hospital paediatrics' },
  { code: 'F3', label: 'Community paediatrics' },
  { code: 'G1', label: 'Independent medium secure' },
  { code: 'G2', label: 'Independent low secure' },
  { code: 'G3', label: 'Other independent mental health' },
  { code: 'G4', label: 'Voluntary sector' },
  { code: 'H1', label: 'Emergency department' },
  { code: 'H2', label: 'Other secondary care specialty' },
  { code: 'I1', label: 'Temporary transfer from a mental health trust' },
  { code: 'I2', label: 'Permanent transfer from a mental health trust' },
  { code: 'M1', label: 'Asylum services' },
  { code: 'M2', label: 'Telephone or electronic access service' },
  { code: 'M3', label: 'Out-of-area agency' },
  { code: 'M4', label: 'Drug action team' },
  { code: 'M5', label: 'Jobcentre Plus' },
  { code: 'M6', label: 'Other service or agency' },
  { code: 'M7', label: 'Single point of access' },
  { code: 'M8', label: 'Debt agency' },
  { code: 'N1', label: 'Stepped up from low intensity' },
  { code: 'N2', label: 'Stepped down from high intensity' },
  { code: 'N4', label: 'Other NHS Talking Therapies service' },
  { code: 'P1', label: 'Internal referral' },
  { code: 'Q1', label: 'Mental health drop-in' },
] as const;
export type ReferralSourceCode = (typeof REFERRAL_SOURCES)[number]['code'];
export const REFERRAL_SOURCE_CODES = REFERRAL_SOURCES.map((s) => s.code) as unknown as readonly [ReferralSourceCode, ...ReferralSourceCode[]];

/** ref §4 "End codes": the three v2.x groups. */
export const END_CODE_GROUPS = ['referred-not-seen', 'seen-not-taken-on', 'seen-and-taken-on'] as const;
export type EndCodeGroup = (typeof END_CODE_GROUPS)[number];
export const END_CODE_GROUP_LABELS: Record<EndCodeGroup, string> = {
  'referred-not-seen': 'Referred, not seen',
  'seen-not-taken-on': 'Seen, not taken on for a course of treatment',
  'seen-and-taken-on': 'Seen and taken on for a course of treatment',
};

/**
 * ref §5.6 (labels) and §4 "End codes" (groups): the v2.x referral end codes. Any other code is invalid in v2
 * (15, 40–45, 97, 98 are v1.5). End codes play no part in "finished a course" (ref §4).
 */
export const END_CODES = [
  { code: '50', label: 'Not assessed', group: 'referred-not-seen' },
  { code: '10', label: 'Not suitable: no action taken or directed back to referrer', group: 'seen-not-taken-on' },
  { code: '11', label: 'Not suitable: signposted elsewhere', group: 'seen-not-taken-on' },
  { code: '12', label: 'Discharged by mutual agreement following advice and support', group: 'seen-not-taken-on' },
  { code: '13', label: 'Referred to another therapy service by mutual agreement', group: 'seen-not-taken-on' },
  { code: '14', label: 'Suitable but patient declined treatment', group: 'seen-not-taken-on' },
  { code: '16', label: 'Incomplete assessment (patient dropped out)', group: 'seen-not-taken-on' },
  { code: '17', label: 'Deceased (seen but not taken on)', group: 'seen-not-taken-on' },
  { code: '95', label: 'Not known (seen but not taken on)', group: 'seen-not-taken-on' },
  { code: '46', label: 'Mutually agreed completion of treatment', group: 'seen-and-taken-on' },
  { code: '47', label: 'Termination of treatment earlier than care professional planned', group: 'seen-and-taken-on' },
  { code: '48', label: 'Termination of treatment earlier than patient requested', group: 'seen-and-taken-on' },
  { code: '49', label: 'Deceased (seen and taken on)', group: 'seen-and-taken-on' },
  { code: '96', label: 'Not known (seen and taken on)', group: 'seen-and-taken-on' },
] as const satisfies readonly { code: string; label: string; group: EndCodeGroup }[];
export type EndCode = (typeof END_CODES)[number]['code'];

const END_CODE_GROUP = new Map<string, EndCodeGroup>(END_CODES.map((c) => [c.code, c.group]));
/** The v2 group of an end code, or null for a code invalid in v2 (ref §4 "End codes"). */
export function endCodeGroup(code: string): EndCodeGroup | null {
  return END_CODE_GROUP.get(code) ?? null;
}

/** ref §5.7: step 2 is low intensity, step 3 high intensity; 4 is accepted for services that record it. */
export const STEPS = [2, 3, 4] as const;
export type Step = (typeof STEPS)[number];

/** ref §5.5 / §5.7: the intensity a therapy type belongs to; employment support is not a step's intervention. */
export const THERAPY_INTENSITIES = ['low', 'high', 'employment'] as const;
export type TherapyIntensity = (typeof THERAPY_INTENSITIES)[number];

/**
 * ref §5.5: therapy type, IDS202 `CodeProcAndProcStatus` (SNOMED CT), with NHS England's labels. The "BPD" code is
 * NHS England's brief psychodynamic therapy, used for dynamic interpersonal therapy (the reference marks that
 * reading unverified).
 */
export const THERAPY_TYPES = [
  { code: '748051000000105', label: 'Guided self-help (book)', intensity: 'low' },
  { code: '748101000000105', label: 'Non-guided self-help (book)', intensity: 'low' },
  { code: '748041000000107', label: 'Guided self-help (computer)', intensity: 'low' },
  { code: '748091000000102', label: 'Non-guided self-help (computer)', intensity: 'low' },
  { code: '748061000000108', label: 'Structured physical activity', intensity: 'low' },
  { code: '199314001', label: 'Antenatal/postnatal counselling', intensity: 'low' },
  { code: '702545008', label: 'Psychoeducational peer support', intensity: 'low' },
  { code: '1026111000000108', label: 'Other low intensity', intensity: 'low' },
  { code: '975131000000104', label: 'Signposting', intensity: 'low' },
  { code: '304891004', label: 'Cognitive behavioural therapy (CBT)', intensity: 'high' },
  { code: '443730003', label: 'Interpersonal psychotherapy (IPT)', intensity: 'high' },
  { code: '286711000000107', label: 'Counselling for depression', intensity: 'high' },
  { code: '1129471000000105', label: 'Couple therapy for depression', intensity: 'high' },
  { code: '314034001', label: 'Brief psychodynamic therapy (DIT)', intensity: 'high' },
  { code: '449030000', label: 'EMDR', intensity: 'high' },
  { code: '933221000000107', label: 'Mindfulness', intensity: 'high' },
  { code: '1127281000000100', label: 'Applied relaxation', intensity: 'high' },
  { code: '842901000000108', label: 'Collaborative care', intensity: 'high' },
  { code: '1026131000000100', label: 'Other high intensity', intensity: 'high' },
  { code: '1098051000000103', label: 'Employment support', intensity: 'employment' },
] as const satisfies readonly { code: string; label: string; intensity: TherapyIntensity }[];
export type TherapyTypeCode = (typeof THERAPY_TYPES)[number]['code'];
export const THERAPY_TYPE_CODES = THERAPY_TYPES.map((t) => t.code) as unknown as readonly [TherapyTypeCode, ...TherapyTypeCode[]];

/**
 * ref §5.7: step 2 is low intensity and step 3 high intensity. Step 4 is not in the reference's table; services
 * that record it deliver high-intensity therapies there (psychology), so it takes the high-intensity codes.
 */
export function intensityOfStep(step: Step): Exclude<TherapyIntensity, 'employment'> {
  return step === 2 ? 'low' : 'high';
}
