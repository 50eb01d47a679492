import { z } from 'zod';
import { SessionStatus, enteredPassphrase } from './session';
import { none } from './schemas';

/** Backups live in a folder the shell chose; the renderer names them, it never supplies a path. */
export const backupFileName = z.string().regex(/^[A-Za-z0-9_.-]{1,100}\.ccbak$/, 'must be a backup file name');
export const BackupInfo = z.strictObject({
  file: backupFileName,
  createdAt: z.string(),
  bytes: z.number().int().nonnegative(),
});

export const backupMethods = {
  'backup.create': { input: none, output: BackupInfo },
  'backup.list': { input: none, output: z.strictObject({ backups: z.array(BackupInfo) }) },
  'backup.restore': {
    input: z.strictObject({ file: backupFileName, passphrase: enteredPassphrase }),
    output: SessionStatus,
  },
} as const;
