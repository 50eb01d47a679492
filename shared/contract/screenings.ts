import { z } from 'zod';
import { isoDate, recordId } from '../domain/people';
import { AnswerValue } from './measures';
import { recordMeta } from './schemas';

/** The screens a clinic runs before any referral (issue #8 item 2). */
export const SCREEN_IDS = ['phq4', 'dds2', 'copd-screen', 'cardiac-screen'] as const;

export const ScreeningInput = z.strictObject({
  patientId: recordId,
  instrumentId: z.enum(SCREEN_IDS, { message: 'must be PHQ-4, DDS2 or a local COPD or cardiac screen' }),
  answers: z.array(AnswerValue).min(1, 'must have at least one answer').max(10),
  date: isoDate,
  referralOffered: z.boolean().default(false),
});

export const Screening = z.strictObject({
  id: recordId,
  patientId: recordId,
  instrumentId: z.enum(SCREEN_IDS),
  instrumentVersion: z.string(),
  answers: z.array(AnswerValue),
  total: z.number().nullable(),
  /** Null when the screen gives no result (a skipped item, or no service cut-off for a local screen). */
  positive: z.boolean().nullable(),
  resultLabel: z.string().nullable(),
  date: z.string(),
  referralOffered: z.boolean(),
  ...recordMeta,
});
export type Screening = z.infer<typeof Screening>;

export const screeningMethods = {
  'screenings.record': { input: ScreeningInput, output: Screening },
  'screenings.list': { input: z.strictObject({ patientId: recordId }), output: z.strictObject({ screenings: z.array(Screening) }) },
} as const;
