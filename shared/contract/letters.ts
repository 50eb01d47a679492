import { z } from 'zod';
import { isoDate, recordId } from '../domain/people';
import { baseVersion, recordMeta, requiredText } from './schemas';

/**
 * Letters to the GP and the referrer (issue #10 §4): filled from the record, edited by the clinician, then
 * final — never rewritten; a correction is a new version that supersedes it. A final letter is exported as a PDF
 * to a folder the person chose through the shell (files.chooseFolder, purpose "letters"), and "sent" is
 * recorded by the person with the date and to whom.
 */
export const LETTER_KINDS = ['opt-in-failure', 'assessment', 'dna', 'discharge'] as const;
export const LetterKind = z.enum(LETTER_KINDS, { message: 'must be one of the letter types' });
export type LetterKind = z.infer<typeof LetterKind>;
export const LETTER_KIND_LABELS: Record<LetterKind, string> = {
  'opt-in-failure': 'Could not opt in',
  assessment: 'After assessment',
  dna: 'After a missed appointment',
  discharge: 'Discharge',
};

export const LETTER_RECIPIENTS = ['gp', 'referrer'] as const;
export const LetterRecipient = z.enum(LETTER_RECIPIENTS, { message: 'must be the GP or the referrer' });
export type LetterRecipient = z.infer<typeof LetterRecipient>;
export const LETTER_RECIPIENT_LABELS: Record<LetterRecipient, string> = { gp: 'GP', referrer: 'Referrer' };

/**
 * Where the filled text still needs the clinician: finalising is refused while one is left, so a letter never
 * leaves with a gap in it.
 */
export const LETTER_GAP = '[to complete:';

const body = requiredText(20_000);
const recipientName = requiredText(200);

export const Letter = z.strictObject({
  id: recordId,
  referralId: recordId,
  kind: LetterKind,
  recipient: LetterRecipient,
  recipientName: z.string(),
  body: z.string(),
  status: z.enum(['draft', 'final']),
  /** 1 for the first letter, n + 1 for the correction of version n. */
  letterVersion: z.number().int().positive(),
  supersedesId: recordId.nullable(),
  /** The correction that replaces this letter, where there is one. */
  supersededById: recordId.nullable(),
  finalisedBy: z.string().nullable(),
  finalisedAt: z.string().nullable(),
  sentOn: z.string().nullable(),
  sentTo: z.string().nullable(),
  sentBy: z.string().nullable(),
  ...recordMeta,
});
export type Letter = z.infer<typeof Letter>;

export const LetterExport = z.strictObject({
  /** The PDF's name in the chosen folder: no patient data in it. */
  file: z.string(),
  /** The full path, so the screen can say exactly where the file went. */
  path: z.string(),
  bytes: z.number().int().positive(),
});

export const letterMethods = {
  /** A new draft, filled from the record (condition, presenting problem, first and last scores, plan, signposting). */
  'letters.draft': { input: z.strictObject({ referralId: recordId, kind: LetterKind, recipient: LetterRecipient }), output: Letter },
  'letters.list': { input: z.strictObject({ referralId: recordId }), output: z.strictObject({ letters: z.array(Letter) }) },
  'letters.update': { input: z.strictObject({ id: recordId, version: baseVersion, recipientName, body }), output: Letter },
  'letters.finalise': { input: z.strictObject({ id: recordId, version: baseVersion }), output: Letter },
  /** A new draft that will supersede a final letter once it is final itself. */
  'letters.correct': { input: z.strictObject({ id: recordId }), output: Letter },
  /** Writes the final letter as a PDF into the folder chosen for letters; the file leaves the encrypted store. */
  'letters.export': { input: z.strictObject({ id: recordId }), output: LetterExport },
  'letters.recordSent': {
    input: z.strictObject({ id: recordId, version: baseVersion, sentOn: isoDate, sentTo: requiredText(200) }),
    output: Letter,
  },
} as const;
