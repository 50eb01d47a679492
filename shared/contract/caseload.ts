import { z } from 'zod';
import { PATHWAYS, REFERRAL_STATUSES } from '../domain/episodeCodes';
import { recordId } from '../domain/people';

/** The caseload as a clinic day needs it (issue #8 item 9): one row per patient with their current episode. */
export const CaseloadQuery = z.strictObject({
  query: z.string().trim().max(100, 'must be 100 characters or fewer').optional(),
  status: z.enum(REFERRAL_STATUSES, { message: 'must be a referral status' }).optional(),
  pathway: z.enum(PATHWAYS, { message: 'must be integrated LTC or core' }).optional(),
  riskOnly: z.boolean().optional(),
  /**
   * Also patients whose every referral has ended. Without it the list is the open caseload — patients with a
   * referral not yet discharged, and those registered but not yet referred — which is what a clinic day works
   * from; years of discharged patients are one switch away. Filtering by the status "discharged" includes them.
   */
  discharged: z.boolean().optional(),
});

const LastScore = z.strictObject({ instrumentId: z.string(), total: z.number(), date: z.string(), previous: z.number().nullable() });

export const CaseloadRow = z.strictObject({
  patientId: recordId,
  nhsNumber: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  dateOfBirth: z.string(),
  gpPractice: z.string(),
  /** The open referral (or, with none open, the latest); null for a patient never referred. */
  episode: z
    .strictObject({
      referralId: recordId,
      status: z.enum(REFERRAL_STATUSES),
      pathway: z.enum(PATHWAYS),
      receivedDate: z.string(),
      /** Days from referral to today while no treatment has been attended; null once treatment started or ended. */
      daysWaiting: z.number().int().nullable(),
      sessions: z.number().int(),
      nextAppointment: z.string().nullable(),
      lastPhq9: LastScore.nullable(),
      lastAnxiety: LastScore.nullable(),
      /** An item-9 alert without a risk review, or a latest risk review rated high. */
      riskFlag: z.boolean(),
    })
    .nullable(),
});
export type CaseloadRow = z.infer<typeof CaseloadRow>;

export const caseloadMethods = {
  'caseload.list': { input: CaseloadQuery, output: z.strictObject({ rows: z.array(CaseloadRow) }) },
} as const;
