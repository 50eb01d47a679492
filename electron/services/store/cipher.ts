import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/contract/errors';

/**
 * The page ciphers a store may use, recorded in its key file and in every backup (a wrong cipher reads as
 * SQLITE_NOTADB, so the file must say which). Both are authenticated: a flipped byte gives SQLITE_CORRUPT.
 * - aegis-256: ≈1.0–1.1× plain SQLite where the CPU has AES-NI + AVX; 5–9× without (TOOLCHAIN.md).
 * - sqlcipher-v4: AES-256-CBC + HMAC-SHA512, ≈1.5× plain everywhere; the choice for machines without the
 *   hardware path, and the cipher of every store made before key files recorded one.
 */
export const CIPHERS = ['aegis-256', 'sqlcipher-v4'] as const;
export type Cipher = (typeof CIPHERS)[number];

export function isCipher(value: unknown): value is Cipher {
  return typeof value === 'string' && (CIPHERS as readonly string[]).includes(value);
}

export function unknownCipher(cipher: string, file: string): AppError {
  return new AppError(
    'UNKNOWN_CIPHER',
    `${file} says its database uses the cipher "${cipher.slice(0, 40)}", which this version of Clinic Caseload does not know. Update the app to open it.`,
    { file },
  );
}

/**
 * Keys a connection. SQLite3MC resets cipher parameters when keyed, so cipher and algorithm go first, on
 * every open. The 32-byte raw key form skips the library's passphrase KDF; aegis-256 takes all 32 bytes as
 * key (the 128-bit variants would split them into key and salt).
 */
export function applyCipher(db: Database.Database, cipher: Cipher, key: Buffer, pragma: 'key' | 'rekey' = 'key'): void {
  if (key.length !== 32) throw new Error('data key must be 32 bytes');
  if (cipher === 'aegis-256') {
    db.pragma(`cipher='aegis'`);
    db.pragma(`algorithm='aegis-256'`);
  } else {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
  }
  db.pragma(`${pragma}="x'${key.toString('hex')}'"`);
}

function timeSmallTransactions(file: string, cipher: Cipher | null, nativeBinding: string | undefined): number {
  const db = new Database(file, { nativeBinding });
  try {
    if (cipher) applyCipher(db, cipher, randomBytes(32));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF'); // measure the cipher, not the disk
    db.exec('create table t (id integer primary key, v blob)');
    const insert = db.prepare('insert into t (v) values (?)');
    const row = randomBytes(300);
    const started = process.cpuUsage();
    for (let i = 0; i < 150; i++) db.transaction(() => insert.run(row))();
    db.prepare('select count(*) from t').get();
    const used = process.cpuUsage(started);
    return used.user + used.system;
  } finally {
    db.close();
  }
}

/**
 * Chosen once, when a store is made (as the scrypt cost is calibrated): AEGIS-256 where its hardware path
 * makes it cheaper than SQLCipher v4, SQLCipher v4 elsewhere. A short CPU-time race of the session-record
 * pattern (many small transactions), best of three, in a throwaway folder.
 */
export function chooseCipher(scratchDir: string, nativeBinding?: string): Cipher {
  const dir = mkdtempSync(join(scratchDir, '.cipher-calibration-'));
  try {
    const best = (cipher: Cipher) =>
      Math.min(...[0, 1, 2].map((i) => timeSmallTransactions(join(dir, `${cipher}-${i}.db`), cipher, nativeBinding)));
    return best('aegis-256') <= best('sqlcipher-v4') ? 'aegis-256' : 'sqlcipher-v4';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
