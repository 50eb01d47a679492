import { z } from 'zod';
import { isoDate, recordId } from '../domain/people';
import { SUPERVISION_FLAGS } from '../domain/supervisionFlags';
import { recordMeta, requiredText, text } from './schemas';

/** Supervision workspace (issue #11 §1): flagged caseload review, weekly lists and the supervision record. */
export const SupervisionFlag = z.strictObject({ kind: z.enum(SUPERVISION_FLAGS), reason: z.string() });

const Point = z.strictObject({ date: z.string(), total: z.number() });
export const Trajectory = z.strictObject({ instrumentId: z.string(), points: z.array(Point) });

export const ReviewCase = z.strictObject({
  referralId: recordId,
  patientId: recordId,
  patientName: z.string(),
  caseholderId: z.string(),
  receivedDate: z.string(),
  treatmentContacts: z.number().int(),
  priority: z.number(),
  flags: z.array(SupervisionFlag),
  phq9: Trajectory,
  anxiety: Trajectory,
});
export type ReviewCase = z.infer<typeof ReviewCase>;

export const SuperviseeReview = z.strictObject({ id: z.string(), name: z.string(), openCases: z.number().int(), cases: z.array(ReviewCase) });
export type SuperviseeReview = z.infer<typeof SuperviseeReview>;

const superviseeIds = z.array(recordId).max(50, 'must name 50 supervisees or fewer');

export const ReviewInput = z.strictObject({
  /** Empty or absent: every supervisee. Several: group supervision, one agenda. */
  superviseeIds: superviseeIds.optional(),
});

export const WeeklyListsInput = z.strictObject({ weekEnding: isoDate, superviseeIds: superviseeIds.optional() });
const WeeklyRow = z.strictObject({ referralId: recordId, patientName: z.string(), caseholderId: z.string(), date: z.string(), reason: z.string() });
export const WeeklyLists = z.strictObject({
  weekStart: z.string(),
  weekEnding: z.string(),
  dischargedNotRecovered: z.array(WeeklyRow),
  missingMeasures: z.array(WeeklyRow),
});
export type WeeklyLists = z.infer<typeof WeeklyLists>;

export const SupervisionActionInput = z.strictObject({
  description: requiredText(500),
  ownerId: recordId,
  dueDate: isoDate,
});
export const DiscussedCaseInput = z.strictObject({
  referralId: recordId,
  discussion: text(4000),
  decision: requiredText(2000),
  actions: z.array(SupervisionActionInput).max(20, 'must be 20 actions or fewer'),
});
export const RecordSupervisionInput = z.strictObject({
  heldOn: isoDate,
  mode: z.enum(['individual', 'group'], { message: 'must be one of: individual, group' }),
  superviseeIds: z.array(recordId).min(1, 'must name at least one supervisee').max(50, 'must name 50 supervisees or fewer'),
  cases: z.array(DiscussedCaseInput).min(1, 'must include at least one case discussed').max(200, 'must be 200 cases or fewer'),
});

export const SupervisionRecord = z.strictObject({
  id: recordId,
  supervisorId: z.string(),
  heldOn: z.string(),
  mode: z.enum(['individual', 'group']),
  superviseeIds: z.array(z.string()),
  cases: z.array(
    z.strictObject({
      id: recordId,
      referralId: recordId,
      flags: z.array(SupervisionFlag),
      discussion: z.string(),
      decision: z.string(),
      actionIds: z.array(recordId),
    }),
  ),
  /** False when the team server did not answer before recording: the record waits in the outbox. */
  synced: z.boolean(),
  ...recordMeta,
});
export type SupervisionRecord = z.infer<typeof SupervisionRecord>;

/** What supervision said about one referral: for the caseholder's episode screen. */
export const ReferralSupervision = z.strictObject({
  referralId: recordId,
  discussions: z.array(
    z.strictObject({ id: recordId, heldOn: z.string(), supervisorId: z.string(), flags: z.array(SupervisionFlag), discussion: z.string(), decision: z.string() }),
  ),
});

export const supervisionMethods = {
  'supervision.forReferral': { input: z.strictObject({ referralId: recordId }), output: ReferralSupervision },
  'supervision.review': { input: ReviewInput, output: z.strictObject({ asOf: z.string(), supervisees: z.array(SuperviseeReview) }) },
  'supervision.weeklyLists': { input: WeeklyListsInput, output: WeeklyLists },
  'supervision.record': { input: RecordSupervisionInput, output: SupervisionRecord },
} as const;
