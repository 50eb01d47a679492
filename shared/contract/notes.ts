import { z } from 'zod';
import { recordId } from '../domain/people';
import { baseVersion, recordMeta, requiredText } from './schemas';

const body = requiredText(20_000);

export const NoteVersion = z.strictObject({ noteVersion: z.number().int().positive(), status: z.enum(['draft', 'signed']), body: z.string(), by: z.string(), at: z.string() });
export const Addendum = z.strictObject({ id: recordId, body: z.string(), by: z.string(), at: z.string() });

/** A session note: a draft until signed; after signing only addenda; every saved version is kept. */
export const Note = z.strictObject({
  id: recordId,
  referralId: recordId,
  contactId: recordId.nullable(),
  status: z.enum(['draft', 'signed']),
  body: z.string(),
  signedBy: z.string().nullable(),
  signedAt: z.string().nullable(),
  versions: z.array(NoteVersion),
  addenda: z.array(Addendum),
  /**
   * Where the note stands with the team's record (issue #9 §3): null when this device is not enrolled; `pending`
   * until the server acknowledges its latest change (a note signed offline); `conflict` while one is open.
   */
  sync: z.enum(['synced', 'pending', 'conflict']).nullable(),
  ...recordMeta,
});
export type Note = z.infer<typeof Note>;

export const NoteInput = z.strictObject({ referralId: recordId, contactId: recordId.optional(), body });

export const noteMethods = {
  'notes.create': { input: NoteInput, output: Note },
  'notes.update': { input: z.strictObject({ id: recordId, version: baseVersion, body }), output: Note },
  'notes.sign': { input: z.strictObject({ id: recordId, version: baseVersion }), output: Note },
  'notes.addendum': { input: z.strictObject({ id: recordId, body }), output: Note },
} as const;
