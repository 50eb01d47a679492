import { z } from 'zod';
import { User, UserInput, recordId } from '../domain/people';
import { baseVersion, none } from './schemas';

/** A change to a directory entry: any of name, role and supervisor; at least one. */
export const UserChanges = UserInput.partial().refine((c) => Object.keys(c).length > 0, { message: 'must change at least one field' });

/**
 * The team directory (issue #10 §9): everyone reads it; the admin adds people, changes their role and supervisor,
 * and deactivates them. No one is ever deleted — their name stays on what they wrote.
 */
export const userMethods = {
  'users.list': { input: none, output: z.strictObject({ users: z.array(User) }) },
  'users.create': { input: UserInput, output: User },
  'users.update': { input: z.strictObject({ id: recordId, version: baseVersion, changes: UserChanges }), output: User },
  'users.deactivate': { input: z.strictObject({ id: recordId, version: baseVersion }), output: User },
} as const;
