import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';
import { AuditAnchor, parseKeyFile, serialiseKeyFile, type KeyFile } from './keyFile';

/**
 * A backup is one file: magic, a length, a JSON header, then the encrypted database bytes. The header carries
 * the key file as it was (so the backup opens with the passphrase of that day, on any machine), the store's id
 * (a backup is bound to its caseload) and the audit anchor (the chain head it must at least reach). Nothing in
 * it is plaintext patient data.
 */
const MAGIC = Buffer.from('CCBAK01\n', 'ascii');
/** Headers are a few hundred bytes; anything longer is hostile or damaged and is refused before it is read. */
export const MAX_HEADER_BYTES = 64 * 1024;
const PREFIX = MAGIC.length + 4;

const Header = z.strictObject({
  format: z.literal('clinic-caseload-backup'),
  version: z.union([z.literal(1), z.literal(2)]),
  createdAt: z.iso.datetime(),
  keyFile: z.unknown(),
  anchor: AuditAnchor.optional(),
  dbBytes: z.number().int().positive(),
  dbSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export interface BackupHeader {
  createdAt: string;
  keyFile: KeyFile;
  /** Null for backups made before anchors were recorded. */
  anchor: AuditAnchor | null;
  dbBytes: number;
  dbSha256: string;
}
export interface ParsedBackup extends BackupHeader {
  db: Buffer;
}

export function encodeBackup(keyFile: KeyFile, anchor: AuditAnchor, db: Buffer, createdAt: string): Buffer {
  const header = Buffer.from(
    JSON.stringify({
      format: 'clinic-caseload-backup',
      version: 2,
      createdAt,
      keyFile: serialiseKeyFile(keyFile),
      anchor,
      dbBytes: db.length,
      dbSha256: createHash('sha256').update(db).digest('hex'),
    }),
    'utf8',
  );
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  return Buffer.concat([MAGIC, length, header, db]);
}

const invalid = (file: string, why: string) => new AppError('BACKUP_INVALID', `The backup ${file} cannot be used: ${why}.`, { file });

function readExactly(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}

/**
 * Reads and checks the header only: magic, a bounded length, the schema, the key file (with the caller's KDF
 * floor) and that the declared size matches the file — so a hostile file is refused before its body is read.
 */
export function readBackupHeader(path: string, minN: number): BackupHeader & { fd: number; bodyStart: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw invalid(path, 'it cannot be read');
  }
  try {
    const size = fstatSync(fd).size;
    const prefix = readExactly(fd, PREFIX, 0);
    if (prefix.length < PREFIX || !prefix.subarray(0, MAGIC.length).equals(MAGIC)) throw invalid(path, 'it is not a Clinic Caseload backup');
    const headerLength = prefix.readUInt32BE(MAGIC.length);
    if (headerLength > MAX_HEADER_BYTES) throw invalid(path, 'its header is too large');
    if (PREFIX + headerLength > size) throw invalid(path, 'it is truncated');
    let header: z.infer<typeof Header>;
    try {
      header = Header.parse(JSON.parse(readExactly(fd, headerLength, PREFIX).toString('utf8')));
    } catch {
      throw invalid(path, 'its header is damaged');
    }
    if (size - PREFIX - headerLength !== header.dbBytes) throw invalid(path, 'it is truncated or has extra bytes');
    let keyFile: KeyFile;
    try {
      keyFile = parseKeyFile(header.keyFile, path, minN);
    } catch (err) {
      if (err instanceof AppError && err.code === 'UNKNOWN_CIPHER') throw err;
      throw invalid(path, err instanceof AppError && err.message.includes('minimum') ? 'its passphrase protection is weaker than this app accepts' : 'its key is damaged');
    }
    return { createdAt: header.createdAt, keyFile, anchor: header.anchor ?? null, dbBytes: header.dbBytes, dbSha256: header.dbSha256, fd, bodyStart: PREFIX + headerLength };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

export function readBackup(path: string, minN: number): ParsedBackup {
  const { fd, bodyStart, ...header } = readBackupHeader(path, minN);
  try {
    const db = readExactly(fd, header.dbBytes, bodyStart);
    if (db.length !== header.dbBytes) throw invalid(path, 'it is truncated');
    if (createHash('sha256').update(db).digest('hex') !== header.dbSha256) throw invalid(path, 'its contents are damaged');
    return { ...header, db };
  } finally {
    closeSync(fd);
  }
}

/** Header facts for listing, without reading the body; null for a file that is not a usable backup. */
export function peekBackup(path: string, minN: number): BackupHeader | null {
  try {
    const { fd, bodyStart: _bodyStart, ...header } = readBackupHeader(path, minN);
    closeSync(fd);
    return header;
  } catch {
    return null;
  }
}
