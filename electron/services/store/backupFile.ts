import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';
import { AuditAnchor, parseKeyFile, serialiseKeyFile, tagAnchor, type KeyFile } from './keyFile';
import { macMatches, storeMac } from './storeMac';

/**
 * A backup is one file: magic, a length, a JSON header, then the encrypted database bytes. The header carries
 * the key file as it was (so the backup opens with the passphrase of that day, on any machine), the store's id
 * (a backup is bound to its caseload) and the audit anchor (the chain head it must at least reach). Nothing in
 * it is plaintext patient data.
 */
const MAGIC = Buffer.from('CCBAK01\n', 'ascii');
/** Headers are a few hundred bytes; anything longer is hostile or damaged and is refused before it is read. */
export const MAX_HEADER_BYTES = 64 * 1024;
/** A caseload of tens of thousands of referrals is tens of megabytes; a larger body is refused unread. */
export const MAX_DATABASE_BYTES = 2 * 1024 ** 3;
const PREFIX = MAGIC.length + 4;

const Header = z.strictObject({
  format: z.literal('clinic-caseload-backup'),
  version: z.union([z.literal(1), z.literal(2)]),
  createdAt: z.iso.datetime(),
  keyFile: z.unknown(),
  anchor: AuditAnchor.optional(),
  dbBytes: z.number().int().positive().max(MAX_DATABASE_BYTES),
  dbSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Version 2: HMAC of the rest, keyed from the data key (storeMac.ts), checked once the key is unwrapped. */
  mac: z.string().regex(/^[0-9a-f]{64}$/).optional(),
}).refine((h) => h.version === 1 || (h.mac !== undefined && h.anchor !== undefined), 'a version 2 header has its anchor and tag');

/**
 * A backup's header as read, before anything in it is trusted: `keyFile` opens the body with the passphrase of
 * the day; everything else counts only once `headerIsAuthentic` has checked it with that key.
 */
export interface BackupHeader {
  path: string;
  /** 1: made before headers were tagged (no store id, anchor or tag); 2: tagged. */
  version: 1 | 2;
  createdAt: string;
  keyFile: KeyFile;
  /** Null for backups made before anchors were recorded. */
  anchor: AuditAnchor | null;
  dbBytes: number;
  dbSha256: string;
  mac: string | null;
  /** The key file exactly as the header holds it: what the tag covers. */
  rawKeyFile: unknown;
  bodyStart: number;
}

/** What the tag covers: every header field but the tag itself, in a fixed order. */
function taggedText(h: { createdAt: string; keyFile: unknown; anchor: AuditAnchor | null; dbBytes: number; dbSha256: string }): string {
  return JSON.stringify(['clinic-caseload-backup', 2, h.createdAt, h.keyFile, h.anchor, h.dbBytes, h.dbSha256]);
}

export function encodeBackup(keyFile: KeyFile, dataKey: Buffer, anchor: AuditAnchor, db: Buffer, createdAt: string): Buffer {
  const fields = {
    createdAt,
    keyFile: serialiseKeyFile(tagAnchor(keyFile, dataKey)),
    anchor,
    dbBytes: db.length,
    dbSha256: createHash('sha256').update(db).digest('hex'),
  };
  const header = Buffer.from(
    JSON.stringify({ format: 'clinic-caseload-backup', version: 2, ...fields, mac: storeMac(dataKey, 'backup-header', taggedText(fields)) }),
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
export function readBackupHeader(path: string, minN: number): BackupHeader {
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
    return {
      path,
      version: header.version,
      createdAt: header.createdAt,
      keyFile,
      anchor: header.anchor ?? null,
      dbBytes: header.dbBytes,
      dbSha256: header.dbSha256,
      mac: header.mac ?? null,
      rawKeyFile: header.keyFile,
      bodyStart: PREFIX + headerLength,
    };
  } finally {
    closeSync(fd);
  }
}

/** With the backup's data key: the header is the one that key's holder wrote (version 1 headers carry no tag). */
export function headerIsAuthentic(header: BackupHeader, dataKey: Buffer): boolean {
  if (header.version === 1) return true;
  return !!header.mac && macMatches(dataKey, 'backup-header', taggedText({ ...header, keyFile: header.rawKeyFile }), header.mac);
}

/** Reads the body once the header has been trusted, checking its length and hash. */
export function readBackupBody(header: BackupHeader): Buffer {
  const fd = openSync(header.path, 'r');
  try {
    const db = readExactly(fd, header.dbBytes, header.bodyStart);
    if (db.length !== header.dbBytes) throw invalid(header.path, 'it is truncated');
    if (createHash('sha256').update(db).digest('hex') !== header.dbSha256) throw invalid(header.path, 'its contents are damaged');
    return db;
  } finally {
    closeSync(fd);
  }
}

/** Header facts for listing, without reading the body; null for a file that is not a usable backup. Unverified: a hint. */
export function peekBackup(path: string, minN: number): BackupHeader | null {
  try {
    return readBackupHeader(path, minN);
  } catch {
    return null;
  }
}
