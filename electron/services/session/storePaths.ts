import { join } from 'node:path';

/** Where one device store keeps its files. Everything patient-related under here is encrypted. */
export interface StorePaths {
  dir: string;
  db: string;
  keyFile: string;
  backups: string;
}

export function storePaths(dataDir: string): StorePaths {
  return {
    dir: dataDir,
    db: join(dataDir, 'caseload.db'),
    keyFile: join(dataDir, 'caseload.key'),
    backups: join(dataDir, 'backups'),
  };
}
