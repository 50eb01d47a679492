import { z } from 'zod';
import {
  END_CODE_LIST,
  OPEN_STATUSES,
  PATHWAYS,
  PROBLEM_DESCRIPTOR_CODES,
  REFERRAL_STATUSES,
  REFERRER_ROLES,
  SNOMED_CODE,
  URGENCIES,
} from '../domain/episodeCodes';
import { STEPS } from '../outcomes';
import { isoDate, recordId } from '../domain/people';
import { Contact } from './contacts';
import { Action, ContactAttempt } from './followUp';
import { Measure } from './measures';
import { Note } from './notes';
import { PatientSummary } from './patients';
import { RiskAssessment } from './risk';
import { baseVersion, recordMeta, requiredText, text } from './schemas';

const yesNo = z.boolean({ message: 'must be yes or no' });
/**
 * A condition's SNOMED CT code. The list of conditions is the service's (its settings may correct the unverified
 * codes), so the contract checks the format and the referrals service checks the code is on the service's list.
 */
const ltcCodes = z.array(z.string({ message: 'must be a long-term condition from the list' }).regex(SNOMED_CODE, 'must be a long-term condition from the list')).max(13);

/** A referral is the episode of care: the unit of every outcome figure (issue #8 item 1). */
export const ReferralInput = z.strictObject({
  patientId: recordId,
  receivedDate: isoDate,
  referrerRole: z.enum(REFERRER_ROLES, { message: 'must be one of the referrer types' }),
  referrerName: text(120).optional(),
  ltcCodes: ltcCodes.default([]),
  reason: requiredText(2000),
  riskKnown: yesNo,
  riskDetails: text(2000).optional(),
  consent: yesNo,
  urgency: z.enum(URGENCIES, { message: 'must be routine or urgent' }),
  pathway: z.enum(PATHWAYS, { message: 'must be integrated LTC or core' }),
  /** Defaults to the clinician using this device. */
  caseholderId: recordId.optional(),
  team: requiredText(120),
  /** A referral captured in clinic waits for the single point of access unless said otherwise. */
  status: z.enum(OPEN_STATUSES, { message: 'must be an open referral status' }).default('awaiting-spa'),
});
export type ReferralInput = z.input<typeof ReferralInput>;

export const ReferralChanges = z.strictObject({
  status: z.enum(OPEN_STATUSES, { message: 'must be an open referral status (discharge has its own step)' }),
  pathway: z.enum(PATHWAYS, { message: 'must be integrated LTC or core' }),
  caseholderId: recordId,
  team: requiredText(120),
  ltcCodes,
  reason: requiredText(2000),
  urgency: z.enum(URGENCIES, { message: 'must be routine or urgent' }),
  problemDescriptor: z.enum(PROBLEM_DESCRIPTOR_CODES, { message: 'must be a problem descriptor from the list' }).nullable(),
  step: z.union(STEPS.map((s) => z.literal(s)) as [z.ZodLiteral<2>, z.ZodLiteral<3>, z.ZodLiteral<4>], { message: 'must be step 2, 3 or 4' }).nullable(),
  discussInSupervision: yesNo,
  optedIn: yesNo.nullable(),
  /** Assessment: the impact of the long-term condition (issue #8 item 4). */
  ltcImpact: text(2000).nullable(),
});

export const Referral = z.strictObject({
  id: recordId,
  patientId: recordId,
  receivedDate: z.string(),
  referrerRole: z.enum(REFERRER_ROLES),
  referrerName: z.string().nullable(),
  sourceCode: z.string(),
  ltcCodes: z.array(z.string()),
  reason: z.string(),
  riskKnown: z.boolean(),
  riskDetails: z.string().nullable(),
  consent: z.boolean(),
  urgency: z.enum(URGENCIES),
  pathway: z.enum(PATHWAYS),
  caseholderId: z.string(),
  team: z.string(),
  status: z.enum(REFERRAL_STATUSES),
  problemDescriptor: z.string().nullable(),
  step: z.number().int().nullable(),
  endCode: z.string().nullable(),
  dischargeDate: z.string().nullable(),
  discussInSupervision: z.boolean(),
  optedIn: z.boolean().nullable(),
  ltcImpact: z.string().nullable(),
  signposting: z.string().nullable(),
  /** The referral a step change ended to open this one (ref §5.7). */
  previousReferralId: z.string().nullable(),
  ...recordMeta,
});
export type Referral = z.infer<typeof Referral>;

const ScoreAt = z.strictObject({ date: z.string(), total: z.number() });
const InstrumentScores = {
  instrumentId: z.string(),
  count: z.number().int(),
  first: ScoreAt.nullable(),
  last: ScoreAt.nullable(),
};
/** What `classifyEpisode` says about the stored episode, as it crosses the contract. */
export const Classification = z.strictObject({
  finishedCourse: z.boolean(),
  treatmentContacts: z.number().int(),
  firstTreatmentDate: z.string().nullable(),
  secondTreatmentDate: z.string().nullable(),
  waitDays: z.number().int().nullable(),
  within6Weeks: z.boolean().nullable(),
  within18Weeks: z.boolean().nullable(),
  anxietyMeasure: z.string(),
  phq9: z.strictObject(InstrumentScores),
  anxiety: z.strictObject(InstrumentScores),
  pairedScores: z.boolean(),
  casenessAtStart: z.boolean().nullable(),
  recovered: z.boolean(),
  reliablyImproved: z.boolean(),
  reliablyRecovered: z.boolean(),
  reliablyDeteriorated: z.boolean(),
  noReliableChange: z.boolean(),
  supplementary: z.array(z.strictObject({ ...InstrumentScores, casenessFirst: z.boolean().nullable(), casenessLast: z.boolean().nullable(), note: z.string() })),
  reasons: z.record(z.string(), z.string()),
  dataQuality: z.array(z.string()),
});
export type Classification = z.infer<typeof Classification>;

/** Everything the patient and session screens show for one episode, read in one audited view. */
export const ReferralDetail = z.strictObject({
  referral: Referral,
  patient: PatientSummary,
  contacts: z.array(Contact),
  measures: z.array(Measure),
  riskAssessments: z.array(RiskAssessment),
  notes: z.array(Note),
  actions: z.array(Action),
  contactAttempts: z.array(ContactAttempt),
  classification: Classification,
  /** Measures whose risk flags (PHQ-9 item 9) have no risk review yet: signing is blocked while any remain. */
  openRiskAlerts: z.array(z.strictObject({ measureId: recordId, date: z.string(), flags: z.array(z.string()) })),
});
export type ReferralDetail = z.infer<typeof ReferralDetail>;

/** End code 11 is "not suitable: signposted elsewhere": it says where (issue #8 item 3). */
export const SIGNPOSTED_END_CODE = '11';

export const DischargeInput = z
  .strictObject({
    id: recordId,
    version: baseVersion,
    endCode: z.enum(END_CODE_LIST, { message: 'must be an end code from the list' }),
    dischargeDate: isoDate,
    signposting: text(500).optional(),
  })
  .refine((d) => d.endCode !== SIGNPOSTED_END_CODE || Boolean(d.signposting?.trim()), { path: ['signposting'], message: 'is required with end code 11 (signposted elsewhere)' });

export const referralMethods = {
  'referrals.create': { input: ReferralInput, output: Referral },
  'referrals.get': { input: z.strictObject({ id: recordId }), output: ReferralDetail },
  'referrals.listForPatient': { input: z.strictObject({ patientId: recordId }), output: z.strictObject({ referrals: z.array(Referral) }) },
  'referrals.update': {
    input: z.strictObject({
      id: recordId,
      version: baseVersion,
      changes: ReferralChanges.partial().refine((c) => Object.keys(c).length > 0, 'must change at least one field'),
    }),
    output: Referral,
  },
  'referrals.discharge': { input: DischargeInput, output: Referral },
  'referrals.previewDischarge': {
    input: z.strictObject({ id: recordId, endCode: z.enum(END_CODE_LIST, { message: 'must be an end code from the list' }), dischargeDate: isoDate }),
    output: Classification,
  },
} as const;
