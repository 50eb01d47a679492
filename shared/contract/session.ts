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

/**
 * One person's store on this device (issue #10 §9: one store per user, own data key and passphrase). `primary`
 * is the store in the data folder itself — the only one before stores were per user — and the others live in
 * `users/<key>/`. The name and role are what the store's owner last unlocked as; null until then.
 */
export const DeviceUserKey = z.union([z.literal('primary'), z.uuid({ message: 'must be a user key from this device' })], {
  message: 'must be a user key from this device',
});
export const DeviceUser = z.strictObject({
  key: DeviceUserKey,
  displayName: z.string().nullable(),
  role: z.enum(ROLES).nullable(),
});
export type DeviceUser = z.infer<typeof DeviceUser>;
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
  /** Whose store the session is on now: the unlock screen asks for this person's passphrase. */
  currentUser: DeviceUserKey,
  /** Everyone with a store on this device ("Who is using this laptop?"), the current one included once set up. */
  deviceUsers: z.array(DeviceUser),
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
  /** Locks the open store (if any) and turns to another person's store on this device; they then unlock it. */
  'session.switchUser': { input: z.strictObject({ key: DeviceUserKey }), output: SessionStatus },
  /** Locks the open store (if any) and makes room for a new person's store; `session.setup` then creates it. */
  'session.addUser': { input: none, output: SessionStatus },
} as const;
