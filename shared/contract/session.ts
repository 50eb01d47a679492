import { z } from 'zod';
import { ROLES, UserInput, recordId } from '../domain/people';
import { none } from './schemas';

/** Passphrase rule: long enough to resist guessing on a stolen laptop, short enough to type in clinic. */
export const PASSPHRASE_MIN = 10;
export const passphrase = z
  .string()
  .min(PASSPHRASE_MIN, `must be at least ${PASSPHRASE_MIN} characters`)
  .max(1024, 'must be 1024 characters or fewer');
/** Unlocking accepts any non-empty string: the rule applies when a passphrase is chosen, not when it is typed. */
export const enteredPassphrase = z.string().min(1, 'is required').max(1024, 'must be 1024 characters or fewer');

export const SessionState = z.enum(['needs-setup', 'locked', 'unlocked', 'store-error']);
export const SessionStatus = z.strictObject({
  state: SessionState,
  owner: z.strictObject({ id: recordId, displayName: z.string(), role: z.enum(ROLES) }).nullable(),
  demo: z.boolean(),
  idleLockMinutes: z.number().int().positive(),
  problem: z.strictObject({ code: z.string(), message: z.string(), file: z.string().optional() }).nullable(),
  /** Backups exist where this device keeps them: restore is offered on the setup and problem screens. */
  backupsAvailable: z.boolean(),
  /** Things to tell the person once, right after an unlock or a restore (failed attempts, repairs, what was restored). */
  notices: z.array(z.string()),
  /** Locked patient mode is on (shared/contract/patientMode.ts): the page shows only the questionnaire. */
  patientMode: z.boolean(),
});
export type SessionStatus = z.infer<typeof SessionStatus>;

export const sessionMethods = {
  'session.status': { input: none, output: SessionStatus },
  'session.setup': {
    input: z.strictObject({ passphrase, displayName: UserInput.shape.displayName, role: UserInput.shape.role }),
    output: SessionStatus,
  },
  'session.unlock': { input: z.strictObject({ passphrase: enteredPassphrase }), output: SessionStatus },
  'session.lock': { input: none, output: SessionStatus },
  /** The renderer reports keyboard/mouse activity (throttled) so the idle lock measures the person, not the polling. */
  'session.activity': { input: none, output: z.strictObject({ idleLockAt: z.string() }) },
  'session.changePassphrase': {
    input: z.strictObject({ current: enteredPassphrase, next: passphrase }),
    output: z.strictObject({ changed: z.literal(true) }),
  },
} as const;
