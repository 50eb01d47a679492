import { join } from 'node:path';

/** Where one device store keeps its files. Everything patient-related under here is encrypted. */
export interface StorePaths {
  dir: string;
  db: string;
  keyFile: string;
  /** The default backup folder, until the person chooses another through the shell. */
  backups: string;
  /** A rekeyed or restored copy waiting to replace `db` (see storeSwap.ts). */
  next: string;
  swapJournal: string;
  /** Wrong-passphrase count and delay, kept beside the key file so a restart does not reset them. */
  attempts: string;
  /** Device-only settings readable while locked: chosen folders, the cipher calibration. No patient data. */
  device: string;
}

export function storePaths(dataDir: string): StorePaths {
  return {
    dir: dataDir,
    db: join(dataDir, 'caseload.db'),
    keyFile: join(dataDir, 'caseload.key'),
    backups: join(dataDir, 'backups'),
    next: join(dataDir, 'caseload.db.next'),
    swapJournal: join(dataDir, 'caseload.swap.json'),
    attempts: join(dataDir, 'caseload.attempts.json'),
    device: join(dataDir, 'caseload.device.json'),
  };
}

/**
 * A database file with its companions — WAL, shared memory, and the rollback journal a rekey writes — which
 * move and go together. A stale journal left beside a new file would be "rolled back" into it on open.
 */
export function withCompanions(db: string): string[] {
  return [db, `${db}-wal`, `${db}-shm`, `${db}-journal`];
}
