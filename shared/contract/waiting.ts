import { z } from 'zod';
import { isoDate, recordId } from '../domain/people';
import { baseVersion, recordMeta, requiredText } from './schemas';

/**
 * The waiting clock and patient-initiated pauses (issue #10 §8, ref §5.1 IDS108). A pause has dates and a reason;
 * its days are shown beside the wait and reported separately, never subtracted from the wait.
 */
export const WaitingPause = z.strictObject({
  id: recordId,
  referralId: recordId,
  startDate: z.string(),
  endDate: z.string().nullable(),
  reason: z.string(),
  ...recordMeta,
});
export type WaitingPause = z.infer<typeof WaitingPause>;

export const WaitingView = z.strictObject({
  referralId: recordId,
  receivedDate: z.string(),
  firstTreatmentDate: z.string().nullable(),
  waitedDays: z.number().int(),
  waiting: z.boolean(),
  sixWeeksOn: z.string(),
  eighteenWeeksOn: z.string(),
  pausedDays: z.number().int(),
  pauses: z.array(WaitingPause),
});
export type WaitingView = z.infer<typeof WaitingView>;

export const PauseInput = z
  .strictObject({
    referralId: recordId,
    startDate: isoDate,
    /** Left out while the pause goes on; it is ended later with waiting.endPause. */
    endDate: isoDate.optional(),
    reason: requiredText(300),
  })
  .refine((p) => p.endDate === undefined || p.endDate > p.startDate, { path: ['endDate'], message: 'must be after the start date' });
export type PauseInput = z.input<typeof PauseInput>;

export const EndPauseInput = z.strictObject({ id: recordId, version: baseVersion, endDate: isoDate });
export type EndPauseInput = z.input<typeof EndPauseInput>;

export const waitingMethods = {
  'waiting.get': { input: z.strictObject({ referralId: recordId }), output: WaitingView },
  'waiting.addPause': { input: PauseInput, output: WaitingView },
  'waiting.endPause': { input: EndPauseInput, output: WaitingView },
} as const;
