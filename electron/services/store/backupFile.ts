import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';
import { parseKeyFile, type KeyFile } from './keyFile';

/**
 * A backup is one file: magic, a JSON header carrying the key file as it was (so the backup opens with the
 * passphrase of that day, on any machine), then the encrypted database bytes. Nothing in it is plaintext.
 */
const MAGIC = Buffer.from('CCBAK01\n', 'ascii');

const Header = z.strictObject({
  format: z.literal('clinic-caseload-backup'),
  version: z.literal(1),
  createdAt: z.string(),
  keyFile: z.unknown(),
  dbBytes: z.number().int().positive(),
  dbSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export interface ParsedBackup {
  createdAt: string;
  keyFile: KeyFile;
  db: Buffer;
}

export function encodeBackup(keyFile: KeyFile, db: Buffer, createdAt: string): Buffer {
  const header = Buffer.from(
    JSON.stringify({
      format: 'clinic-caseload-backup',
      version: 1,
      createdAt,
      keyFile,
      dbBytes: db.length,
      dbSha256: createHash('sha256').update(db).digest('hex'),
    }),
    'utf8',
  );
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  return Buffer.concat([MAGIC, length, header, db]);
}

export function decodeBackup(bytes: Buffer, file: string): ParsedBackup {
  const invalid = (why: string) => new AppError('BACKUP_INVALID', `The backup ${file} cannot be used: ${why}.`, { file });
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw invalid('it is not a Clinic Caseload backup');
  const headerLength = bytes.readUInt32BE(MAGIC.length);
  const start = MAGIC.length + 4;
  if (start + headerLength > bytes.length) throw invalid('it is truncated');
  let header: z.infer<typeof Header>;
  try {
    header = Header.parse(JSON.parse(bytes.subarray(start, start + headerLength).toString('utf8')));
  } catch {
    throw invalid('its header is damaged');
  }
  const db = bytes.subarray(start + headerLength);
  if (db.length !== header.dbBytes) throw invalid('it is truncated');
  if (createHash('sha256').update(db).digest('hex') !== header.dbSha256) throw invalid('its contents are damaged');
  let keyFile: KeyFile;
  try {
    keyFile = parseKeyFile(JSON.stringify(header.keyFile), file);
  } catch {
    throw invalid('its key is damaged');
  }
  return { createdAt: header.createdAt, keyFile, db: Buffer.from(db) };
}
