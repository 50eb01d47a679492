import { z } from 'zod';
import { isoDate, recordId } from '../domain/people';
import { CONTACT_TYPES } from '../outcomes';
import { recordMeta } from './schemas';

/** One answer: a number, null (skipped: the total stays empty, no prorating) or "na" where the item allows it. */
export const AnswerValue = z.union([z.number().finite(), z.null(), z.literal('na')]);

export const MeasureInput = z.strictObject({
  referralId: recordId,
  /** The session it was taken at; its date then becomes the measure's date. */
  contactId: recordId.optional(),
  date: isoDate,
  instrumentId: z.string().min(1, 'is required').max(40),
  answers: z.array(AnswerValue).min(1, 'must have at least one answer').max(60),
  completedBy: z.enum(['patient', 'clinician'], { message: 'must be patient or clinician' }),
});
export type MeasureInput = z.input<typeof MeasureInput>;

export const Measure = z.strictObject({
  id: recordId,
  referralId: recordId,
  contactId: recordId.nullable(),
  instrumentId: z.string(),
  instrumentVersion: z.string(),
  answers: z.array(AnswerValue),
  total: z.number().nullable(),
  riskFlags: z.array(z.string()),
  /** The risk review that answered this measure's risk flags; null while an alert is open. */
  riskReviewId: z.string().nullable(),
  completedBy: z.enum(['patient', 'clinician']),
  date: z.string(),
  ...recordMeta,
});
export type Measure = z.infer<typeof Measure>;

export const DueMeasure = z.strictObject({ instrumentId: z.string(), title: z.string(), reason: z.string() });
export type DueMeasure = z.infer<typeof DueMeasure>;

export const measureMethods = {
  'measures.record': { input: MeasureInput, output: Measure },
  'measures.due': {
    input: z.strictObject({
      referralId: recordId,
      date: isoDate,
      type: z.enum(CONTACT_TYPES, { message: 'must be one of: ' + CONTACT_TYPES.join(', ') }),
      final: z.boolean().default(false),
    }),
    output: z.strictObject({ due: z.array(DueMeasure) }),
  },
} as const;
