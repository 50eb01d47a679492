import { z } from 'zod';
import { isoDate, recordId } from '../domain/people';
import { GOAL_RATING_MAX, GOAL_RATING_MIN } from '../domain/stepChange';
import { STEPS, THERAPY_TYPE_CODES } from '../outcomes';
import { Referral } from './referrals';
import { baseVersion, recordMeta, requiredText } from './schemas';

/**
 * The care plan of one referral (issue #10 item 2): the step (the referral's own, ref §5.7), the intervention as
 * a data-set therapy type (ref §5.5), and goals in the patient's words rated 0–10 at sessions. A step change
 * ends the referral and opens the next one, linked (ref §5.2 N1/N2).
 */
const step = z.union(STEPS.map((s) => z.literal(s)) as [z.ZodLiteral<2>, z.ZodLiteral<3>, z.ZodLiteral<4>], { message: 'must be step 2, 3 or 4' });
const therapyType = z.enum(THERAPY_TYPE_CODES, { message: 'must be a therapy type from the list' });
const rating = z
  .number({ message: `must be a whole number from ${GOAL_RATING_MIN} to ${GOAL_RATING_MAX}` })
  .int(`must be a whole number from ${GOAL_RATING_MIN} to ${GOAL_RATING_MAX}`)
  .min(GOAL_RATING_MIN, `must be a whole number from ${GOAL_RATING_MIN} to ${GOAL_RATING_MAX}`)
  .max(GOAL_RATING_MAX, `must be a whole number from ${GOAL_RATING_MIN} to ${GOAL_RATING_MAX}`);

export const CarePlanInput = z.strictObject({
  referralId: recordId,
  /** The version of the plan the clinician saw; null when the referral has no plan yet. */
  version: baseVersion.nullable(),
  step,
  therapyType,
});
export type CarePlanInput = z.input<typeof CarePlanInput>;

export const GoalInput = z.strictObject({ referralId: recordId, description: requiredText(300) });
export type GoalInput = z.input<typeof GoalInput>;

export const GoalRatingsInput = z.strictObject({
  referralId: recordId,
  date: isoDate,
  /** The session the ratings were taken at, when there is one. */
  contactId: recordId.optional(),
  ratings: z
    .array(z.strictObject({ goalId: recordId, rating }))
    .min(1, 'must rate at least one goal')
    .max(20, 'must be 20 ratings or fewer')
    .refine((rs) => new Set(rs.map((r) => r.goalId)).size === rs.length, 'must rate each goal once'),
});
export type GoalRatingsInput = z.input<typeof GoalRatingsInput>;

export const StepChangeInput = z.strictObject({
  referralId: recordId,
  /** The referral's version as the clinician saw it. */
  version: baseVersion,
  toStep: step,
  reason: requiredText(2000),
  /** The day this referral ends and the next is received. */
  date: isoDate,
  /** Who holds the new referral; defaults to the clinician using this device. */
  caseholderId: recordId.optional(),
});
export type StepChangeInput = z.input<typeof StepChangeInput>;

export const GoalRating = z.strictObject({ id: recordId, date: z.string(), rating: z.number().int(), contactId: z.string().nullable() });
export type GoalRating = z.infer<typeof GoalRating>;

export const Goal = z.strictObject({ id: recordId, description: z.string(), ratings: z.array(GoalRating), ...recordMeta });
export type Goal = z.infer<typeof Goal>;

export const CarePlan = z.strictObject({ id: recordId, referralId: recordId, therapyType: z.string(), ...recordMeta });
export type CarePlan = z.infer<typeof CarePlan>;

/** A referral before or after a step change, as the care plan shows the link. */
export const LinkedReferral = Referral.pick({ id: true, receivedDate: true, step: true, sourceCode: true, status: true, endCode: true, dischargeDate: true, reason: true, caseholderId: true });
export type LinkedReferral = z.infer<typeof LinkedReferral>;

export const CarePlanView = z.strictObject({
  referral: Referral,
  plan: CarePlan.nullable(),
  goals: z.array(Goal),
  /** The referral this one was stepped from, and the one it was stepped to. */
  previous: LinkedReferral.nullable(),
  next: LinkedReferral.nullable(),
});
export type CarePlanView = z.infer<typeof CarePlanView>;

export const carePlanMethods = {
  'carePlan.get': { input: z.strictObject({ referralId: recordId }), output: CarePlanView },
  'carePlan.save': { input: CarePlanInput, output: CarePlanView },
  'carePlan.addGoal': { input: GoalInput, output: CarePlanView },
  'carePlan.rateGoals': { input: GoalRatingsInput, output: CarePlanView },
  'carePlan.stepChange': { input: StepChangeInput, output: z.strictObject({ ended: Referral, opened: Referral }) },
} as const;
