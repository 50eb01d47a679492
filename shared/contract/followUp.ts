import { z } from 'zod';
import { CONTACT_ATTEMPT_METHODS, CONTACT_ATTEMPT_OUTCOMES } from '../domain/episodeCodes';
import { isoDate, recordId } from '../domain/people';
import { baseVersion, recordMeta, text } from './schemas';

/** Follow-up actions (a DNA creates one) and the log of attempts to reach the patient (triage). */
export const Action = z.strictObject({
  id: recordId,
  referralId: recordId,
  contactId: recordId.nullable(),
  kind: z.string(),
  description: z.string(),
  dueDate: z.string(),
  doneAt: z.string().nullable(),
  /** Who must do it (set in supervision); null: the caseholder. */
  ownerId: z.string().nullable(),
  ...recordMeta,
});
export type Action = z.infer<typeof Action>;

export const ContactAttemptInput = z.strictObject({
  referralId: recordId,
  date: isoDate,
  method: z.enum(CONTACT_ATTEMPT_METHODS, { message: 'must be one of: ' + CONTACT_ATTEMPT_METHODS.join(', ') }),
  outcome: z.enum(CONTACT_ATTEMPT_OUTCOMES, { message: 'must be one of: ' + CONTACT_ATTEMPT_OUTCOMES.join(', ') }),
  note: text(1000).optional(),
});
export const ContactAttempt = z.strictObject({
  id: recordId,
  referralId: recordId,
  date: z.string(),
  method: z.enum(CONTACT_ATTEMPT_METHODS),
  outcome: z.enum(CONTACT_ATTEMPT_OUTCOMES),
  note: z.string().nullable(),
  ...recordMeta,
});
export type ContactAttempt = z.infer<typeof ContactAttempt>;

export const followUpMethods = {
  'actions.complete': { input: z.strictObject({ id: recordId, version: baseVersion }), output: Action },
  'contactAttempts.record': { input: ContactAttemptInput, output: ContactAttempt },
} as const;
