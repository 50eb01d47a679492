import { z } from 'zod';

/**
 * Where files that leave the encrypted store go (backups now; letters, PDFs and exports later): always a
 * folder the person picks through the shell — Electron's native dialog, or the host's configured folder —
 * never a path typed into the page. These methods are answered by the shell itself, which then tells the
 * database worker the folder; the page only ever learns the folder's name back.
 */
export const DESTINATION_PURPOSES = ['backups', 'letters', 'formulations', 'reports', 'exports'] as const;
export const DestinationPurpose = z.enum(DESTINATION_PURPOSES);
export type DestinationPurpose = z.infer<typeof DestinationPurpose>;

export const fileMethods = {
  'files.chooseFolder': {
    input: z.strictObject({ purpose: DestinationPurpose }),
    /** Null when the person cancelled the dialog (or the host has no folder configured). */
    output: z.strictObject({ folder: z.string().nullable() }),
  },
} as const;

export const SHELL_METHODS = Object.keys(fileMethods) as (keyof typeof fileMethods)[];
export type ShellMethod = (typeof SHELL_METHODS)[number];
