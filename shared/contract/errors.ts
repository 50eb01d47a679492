import { z } from 'zod';

/** Every failure that crosses the contract is one of these codes; the renderer switches on them. */
export const ERROR_CODES = [
  'VALIDATION', // input did not match the contract; `fields` says which
  'UNKNOWN_METHOD',
  'NOT_SET_UP', // no store on this device yet
  'ALREADY_SET_UP',
  'LOCKED', // the store is locked; unlock first
  'WRONG_PASSPHRASE', // `retryAfterMs` says how long the next attempt must wait
  'RETRY_AFTER', // too soon after wrong passphrases; `retryAfterMs` says how long to wait
  'KEYFILE_CORRUPT', // `file` names it
  'STORE_CORRUPT', // `file` names it
  'STORE_MISSING',
  'NEWER_DATABASE', // written by a newer app version
  'UNKNOWN_CIPHER', // the key file or backup names a cipher this version does not know
  'KEYCHAIN_UNAVAILABLE', // the key file is sealed to an OS keychain this computer cannot open now
  'SCHEMA_ALTERED', // tables, indexes or triggers differ from the migrations': altered outside the app
  'STORE_ROLLED_BACK', // the database is behind the audit anchor its key file records
  'OTHER_CASELOAD', // a backup of another store: needs the explicit "replace this caseload" confirmation
  'NOT_FOUND',
  'DUPLICATE',
  'STALE_VERSION', // someone changed the record since it was read
  'FORBIDDEN', // the role policy (shared/roles/policy.ts) does not let this person's role call this method
  'BACKUP_INVALID',
  'PATIENT_MODE', // a patient is completing questionnaires: everything else waits for the clinician's passphrase
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const FieldProblem = z.strictObject({ path: z.string(), message: z.string() });
export type FieldProblem = z.infer<typeof FieldProblem>;

export const AppErrorShape = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  fields: z.array(FieldProblem).optional(),
  file: z.string().optional(),
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export type AppErrorShape = z.infer<typeof AppErrorShape>;

/** Thrown by services; crosses threads and processes as its plain shape. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldProblem[];
  readonly file?: string;
  readonly retryAfterMs?: number;
  constructor(code: ErrorCode, message: string, extra: { fields?: FieldProblem[]; file?: string; retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (extra.fields) this.fields = extra.fields;
    if (extra.file) this.file = extra.file;
    if (extra.retryAfterMs !== undefined) this.retryAfterMs = extra.retryAfterMs;
  }
  toShape(): AppErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.fields ? { fields: this.fields } : {}),
      ...(this.file ? { file: this.file } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
  static fromShape(shape: AppErrorShape): AppError {
    return new AppError(shape.code, shape.message, shape);
  }
}

export function isAppErrorShape(value: unknown): value is AppErrorShape {
  return AppErrorShape.safeParse(value).success;
}

/** Turns zod issues into the `fields` list: "dateOfBirth: must be a real date". */
export function fieldProblems(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldProblem[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(input)', message: i.message }));
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
