import { z } from 'zod';
import { RISK_LEVELS } from '../domain/episodeCodes';
import { isoDate, recordId } from '../domain/people';
import { recordMeta, requiredText, text } from './schemas';

/** A structured risk review (issue #8 item 4); saving one answers every open item-9 alert of the referral. */
export const RiskAssessmentInput = z
  .strictObject({
    referralId: recordId,
    contactId: recordId.optional(),
    date: isoDate,
    thoughts: z.boolean({ message: 'must be yes or no' }),
    plans: z.boolean({ message: 'must be yes or no' }),
    intent: z.boolean({ message: 'must be yes or no' }),
    protectiveFactors: text(2000),
    level: z.enum(RISK_LEVELS, { message: 'must be low, moderate or high' }),
    plan: requiredText(4000),
    nextReviewDate: isoDate,
  })
  .refine((r) => r.nextReviewDate >= r.date, { path: ['nextReviewDate'], message: 'must not be before the date of this review' });
export type RiskAssessmentInput = z.input<typeof RiskAssessmentInput>;

export const RiskAssessment = z.strictObject({
  id: recordId,
  referralId: recordId,
  contactId: recordId.nullable(),
  date: z.string(),
  thoughts: z.boolean(),
  plans: z.boolean(),
  intent: z.boolean(),
  protectiveFactors: z.string(),
  level: z.enum(RISK_LEVELS),
  plan: z.string(),
  nextReviewDate: z.string(),
  ...recordMeta,
});
export type RiskAssessment = z.infer<typeof RiskAssessment>;

export const riskMethods = {
  'risk.record': {
    input: RiskAssessmentInput,
    output: z.strictObject({ assessment: RiskAssessment, alertsAnswered: z.number().int().nonnegative() }),
  },
} as const;
