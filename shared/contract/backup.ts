import { z } from 'zod';
import { SessionStatus, enteredPassphrase } from './session';
import { none } from './schemas';

/** Backups live in a folder the shell chose; the renderer names them, it never supplies a path. */
export const backupFileName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,100}\.ccbak$/, 'must be a backup file name')
  // Windows reads these names as devices, whatever the extension.
  .refine((name) => !/^(con|prn|aux|nul|com\d|lpt\d)\./i.test(name), 'must be a backup file name');
export const BackupInfo = z.strictObject({
  file: backupFileName,
  /** The full path, so messages name where the file is. */
  path: z.string(),
  createdAt: z.string(),
  bytes: z.number().int().nonnegative(),
  /** Made from another caseload (or before backups recorded their caseload): restoring it needs confirmation. */
  otherCaseload: z.boolean(),
});

export const backupMethods = {
  'backup.create': { input: none, output: BackupInfo },
  'backup.list': { input: none, output: z.strictObject({ folder: z.string(), backups: z.array(BackupInfo) }) },
  /**
   * `passphrase` opens the backup's key. While the store is locked but healthy, `currentPassphrase` must open
   * today's key file first: an old passphrase alone never replaces a healthy caseload.
   */
  'backup.restore': {
    input: z.strictObject({
      file: backupFileName,
      passphrase: enteredPassphrase,
      currentPassphrase: enteredPassphrase.optional(),
      replaceOtherCaseload: z.boolean().default(false),
    }),
    output: SessionStatus,
  },
} as const;
