import { z } from 'zod';
import { Patient, PatientInput, ROLES, User, UserInput, recordId } from '../domain/people';

/**
 * The one contract between the renderer and the main process (DESIGN.md §2, "one contract, two transports").
 * Electron's IPC handlers, the preload's `window.api`, the test host's HTTP routes and its bridge script are
 * all derived from this map, so they cannot drift apart.
 */
const none = z.strictObject({});

/** Passphrase rule: long enough to resist guessing on a stolen laptop, short enough to type in clinic. */
export const PASSPHRASE_MIN = 10;
const passphrase = z
  .string()
  .min(PASSPHRASE_MIN, `must be at least ${PASSPHRASE_MIN} characters`)
  .max(1024, 'must be 1024 characters or fewer');
/** Unlocking accepts any non-empty string: the rule applies when a passphrase is chosen, not when it is typed. */
const enteredPassphrase = z.string().min(1, 'is required').max(1024, 'must be 1024 characters or fewer');

export const SessionState = z.enum(['needs-setup', 'locked', 'unlocked', 'store-error']);
export const SessionStatus = z.strictObject({
  state: SessionState,
  owner: z.strictObject({ id: recordId, displayName: z.string(), role: z.enum(ROLES) }).nullable(),
  demo: z.boolean(),
  idleLockMinutes: z.number().int().positive(),
  problem: z.strictObject({ code: z.string(), message: z.string(), file: z.string().optional() }).nullable(),
});
export type SessionStatus = z.infer<typeof SessionStatus>;

export const PatientSummary = Patient.pick({
  id: true,
  nhsNumber: true,
  givenName: true,
  familyName: true,
  dateOfBirth: true,
  gpPractice: true,
  updatedAt: true,
});
export type PatientSummary = z.infer<typeof PatientSummary>;

export const AuditProblem = z.strictObject({
  seq: z.number().int(),
  kind: z.enum(['edited', 'inserted', 'deleted', 'reordered', 'truncated', 'head-mismatch']),
  detail: z.string(),
});
export const AuditVerification = z.strictObject({
  ok: z.boolean(),
  count: z.number().int().nonnegative(),
  problems: z.array(AuditProblem),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

/** Backups live in the store's own folder; the renderer names them, it never supplies a path. */
export const backupFileName = z.string().regex(/^[A-Za-z0-9_.-]{1,100}\.ccbak$/, 'must be a backup file name');
export const BackupInfo = z.strictObject({
  file: backupFileName,
  createdAt: z.string(),
  bytes: z.number().int().nonnegative(),
});

export const contract = {
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
  'users.list': { input: none, output: z.strictObject({ users: z.array(User) }) },
  'users.create': { input: UserInput, output: User },
  'patients.list': {
    input: z.strictObject({ query: z.string().trim().max(100, 'must be 100 characters or fewer').optional() }),
    output: z.strictObject({ patients: z.array(PatientSummary) }),
  },
  'patients.get': { input: z.strictObject({ id: recordId }), output: Patient },
  'patients.create': { input: PatientInput, output: Patient },
  'patients.update': {
    input: z.strictObject({
      id: recordId,
      version: z.number().int().positive(),
      changes: PatientInput.partial().refine((c) => Object.keys(c).length > 0, 'must change at least one field'),
    }),
    output: Patient,
  },
  'audit.verify': { input: none, output: AuditVerification },
  'backup.create': { input: none, output: BackupInfo },
  'backup.list': { input: none, output: z.strictObject({ backups: z.array(BackupInfo) }) },
  'backup.restore': {
    input: z.strictObject({ file: backupFileName, passphrase: enteredPassphrase }),
    output: SessionStatus,
  },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
