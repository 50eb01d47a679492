import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';
import { writeFileAtomic } from './atomicWrite';
import { isCipher, unknownCipher, type Cipher } from './cipher';
import { macMatches, storeMac } from './storeMac';

/**
 * The key file holds the store's random 256-bit data key, wrapped (AES-256-GCM) by a key derived from the
 * clinician's passphrase with scrypt, plus what opening needs and nothing secret: the store's id, its page
 * cipher, and the audit anchor (the chain head's count and hash at the last store-level operation — a floor
 * the database may be ahead of, never behind). It holds no patient data, so it is written in the clear.
 *
 * Version 1 files (before ciphers and anchors were recorded) are read as SQLCipher v4 with no anchor and
 * rewritten as version 2 at the next unlock.
 */

/**
 * scrypt cost (r = 8, p = 1 as calibrated). New and re-wrapped key files get N ≥ 2^17. Key files and backups
 * from before that floor (N ≥ 2^14) are still accepted, and an own key file is raised at its next unlock. The
 * ceiling (1 GiB of memory) keeps a hostile backup from exhausting the machine. Key files made with the
 * `insecure-test-only` cost are accepted only by an engine started in that mode.
 */
export const PRODUCT_MIN_N = 2 ** 17;
export const ACCEPTED_MIN_N = 2 ** 14;
export const TEST_MIN_N = 2 ** 10;
export const MAX_N = 2 ** 20;

const powerOfTwo = (n: number) => Number.isInteger(Math.log2(n));
const KdfParams = z.strictObject({
  algorithm: z.literal('scrypt'),
  N: z.number().int().min(TEST_MIN_N).max(MAX_N).refine(powerOfTwo, 'must be a power of two'),
  r: z.literal(8),
  p: z.literal(1),
  salt: z.base64().refine((s) => Buffer.from(s, 'base64').length === 16, 'must be 16 bytes'),
});
export type KdfParams = z.infer<typeof KdfParams>;

const Wrapped = z.strictObject({ iv: z.base64(), tag: z.base64(), ciphertext: z.base64() });
type Wrapped = z.infer<typeof Wrapped>;
export const AuditAnchor = z.strictObject({ count: z.number().int().nonnegative(), hash: z.string().regex(/^[0-9a-f]{64}$/) });
export type AuditAnchor = z.infer<typeof AuditAnchor>;

const KeyFileV1 = z.strictObject({
  format: z.literal('clinic-caseload-key'),
  version: z.literal(1),
  kdf: KdfParams,
  wrapped: Wrapped,
  createdAt: z.string(),
});
const KeyFileV2 = z
  .strictObject({
    format: z.literal('clinic-caseload-key'),
    version: z.literal(2),
    storeId: z.uuid(),
    cipher: z.string().max(40),
    kdf: KdfParams,
    /** The passphrase wrap, in the clear (portable: what backups carry)… */
    wrapped: Wrapped.optional(),
    /** …or sealed with this computer's keychain secret (deviceSecret.ts), so it can be tried only here. */
    sealed: Wrapped.optional(),
    anchor: AuditAnchor,
    /** HMAC of the anchor keyed from the data key (storeMac.ts): an anchor edited or removed by hand is refused. */
    anchorMac: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: z.string(),
  })
  .refine((k) => (k.wrapped === undefined) !== (k.sealed === undefined), 'exactly one of wrapped and sealed');

/** A key file as the engine uses it, whichever version it was read from, with any keychain seal opened. */
export interface KeyFile {
  /** Null only for a version 1 file, until its first unlock reads the id from the database. */
  storeId: string | null;
  cipher: Cipher;
  kdf: KdfParams;
  wrapped: Wrapped;
  /** Null only for a version 1 file, which predates anchors. */
  anchor: AuditAnchor | null;
  /** As read from the file: checked once the data key is unwrapped (see anchorIsAuthentic). */
  anchorMac: string | null;
  createdAt: string;
}

const anchorText = (a: AuditAnchor) => `${a.count}:${a.hash}`;

/** True when the key file's anchor carries a tag made with this data key. */
export function anchorIsAuthentic(keyFile: KeyFile, dataKey: Buffer): boolean {
  return !!keyFile.anchor && !!keyFile.anchorMac && macMatches(dataKey, 'key-file-anchor', anchorText(keyFile.anchor), keyFile.anchorMac);
}

const WRAP_AAD = Buffer.from('clinic-caseload data key v1');
const SEAL_AAD = Buffer.from('clinic-caseload keychain seal v1');

function seal(wrapped: Wrapped, secret: Buffer): Wrapped {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  cipher.setAAD(SEAL_AAD);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(wrapped), 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

function unseal(sealed: Wrapped, secret: Buffer | null, file: string): Wrapped {
  const unavailable = new AppError(
    'KEYCHAIN_UNAVAILABLE',
    `The key file ${file} is sealed to this computer's keychain, which cannot open it now (a new computer, a reinstalled system, or a changed login keyring). Restore a backup: backups open with their passphrase on any computer.`,
    { file },
  );
  if (!secret) throw unavailable;
  try {
    const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(SEAL_AAD);
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
    return Wrapped.parse(JSON.parse(plain));
  } catch {
    throw unavailable;
  }
}

/** KDF cost: `calibrate` (the product) or explicit parameters that only tests may pass. */
export type KdfCost = { kind: 'calibrate'; targetMs: number } | { kind: 'insecure-test-only'; N: number };
export const PRODUCT_KDF: KdfCost = { kind: 'calibrate', targetMs: 250 };

/** The lowest N an engine with this cost accepts, in its own key file and in a backup's. */
export function kdfFloor(cost: KdfCost): number {
  return cost.kind === 'insecure-test-only' ? TEST_MIN_N : ACCEPTED_MIN_N;
}

function scrypt(passphrase: string, salt: Buffer, p: Pick<KdfParams, 'N' | 'r' | 'p'>): Promise<Buffer> {
  const options: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 32 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCb(passphrase.normalize('NFC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Doubles scrypt's N from the product floor until one derivation takes at least the target time here. */
export async function chooseKdfParams(cost: KdfCost): Promise<KdfParams> {
  const salt = randomBytes(16);
  const base = { algorithm: 'scrypt' as const, r: 8 as const, p: 1 as const, salt: salt.toString('base64') };
  if (cost.kind === 'insecure-test-only') return { ...base, N: cost.N };
  let N = PRODUCT_MIN_N;
  for (;;) {
    const started = performance.now();
    await scrypt('calibration', salt, { ...base, N });
    if (performance.now() - started >= cost.targetMs || N >= MAX_N) return { ...base, N };
    N *= 2;
  }
}

export async function wrapDataKey(
  dataKey: Buffer,
  passphrase: string,
  kdf: KdfParams,
  about: { storeId: string | null; cipher: Cipher; anchor: AuditAnchor | null },
): Promise<KeyFile> {
  const kek = await scrypt(passphrase, Buffer.from(kdf.salt, 'base64'), kdf);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(WRAP_AAD);
  const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  kek.fill(0);
  return {
    ...about,
    anchorMac: null,
    kdf,
    wrapped: { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') },
    createdAt: new Date().toISOString(),
  };
}

/** Returns the data key, or throws WRONG_PASSPHRASE (the GCM tag does not verify). */
export async function unwrapDataKey(keyFile: KeyFile, passphrase: string): Promise<Buffer> {
  const kek = await scrypt(passphrase, Buffer.from(keyFile.kdf.salt, 'base64'), keyFile.kdf);
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(keyFile.wrapped.iv, 'base64'));
  decipher.setAAD(WRAP_AAD);
  decipher.setAuthTag(Buffer.from(keyFile.wrapped.tag, 'base64'));
  try {
    const key = Buffer.concat([decipher.update(Buffer.from(keyFile.wrapped.ciphertext, 'base64')), decipher.final()]);
    if (key.length !== 32) throw new Error('bad key length');
    return key;
  } catch {
    throw new AppError('WRONG_PASSPHRASE', 'That passphrase is not right for this caseload.', { fields: [{ path: 'passphrase', message: 'is not right' }] });
  } finally {
    kek.fill(0);
  }
}

/**
 * Parses either version; `minN` is the caller's floor for the scrypt cost (see kdfFloor); `deviceSecret` opens a
 * keychain seal (a backup's key file is never sealed).
 */
export function parseKeyFile(json: unknown, file: string, minN: number, deviceSecret: Buffer | null = null): KeyFile {
  const damaged = (why: string) => new AppError('KEYFILE_CORRUPT', `The key file ${file} is damaged (${why}).`, { file });
  const version = (json as { version?: unknown } | null)?.version;
  let keyFile: KeyFile;
  if (version === 1) {
    const v1 = KeyFileV1.safeParse(json);
    if (!v1.success) throw damaged('unexpected contents');
    keyFile = { storeId: null, cipher: 'sqlcipher-v4', kdf: v1.data.kdf, wrapped: v1.data.wrapped, anchor: null, anchorMac: null, createdAt: v1.data.createdAt };
  } else {
    const v2 = KeyFileV2.safeParse(json);
    if (!v2.success) throw damaged('unexpected contents');
    if (!isCipher(v2.data.cipher)) throw unknownCipher(v2.data.cipher, file);
    const { format: _format, version: _version, sealed, wrapped, ...rest } = v2.data;
    keyFile = { ...rest, cipher: v2.data.cipher, wrapped: wrapped ?? unseal(sealed!, deviceSecret, file) };
  }
  if (keyFile.kdf.N < minN) throw damaged(`its passphrase protection (scrypt N = ${keyFile.kdf.N}) is below the minimum ${minN}`);
  return keyFile;
}

/** The key file with its anchor tagged by the data key: the form every write takes. */
export function tagAnchor<K extends KeyFile>(keyFile: K, dataKey: Buffer): K {
  if (!keyFile.anchor) throw new Error('a key file is written only once its anchor is known');
  return { ...keyFile, anchorMac: storeMac(dataKey, 'key-file-anchor', anchorText(keyFile.anchor)) };
}

/** The key file as written: sealed to the keychain when this computer has a secret for it, portable otherwise. */
export function serialiseKeyFile(keyFile: KeyFile, deviceSecret: Buffer | null = null): object {
  if (!keyFile.storeId || !keyFile.anchor || !keyFile.anchorMac) throw new Error('a key file is written only with its store id and tagged anchor');
  const { wrapped, ...rest } = keyFile;
  return { format: 'clinic-caseload-key', version: 2, ...rest, ...(deviceSecret ? { sealed: seal(wrapped, deviceSecret) } : { wrapped }) };
}

export function readKeyFile(path: string, minN: number, deviceSecret: Buffer | null = null): KeyFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('KEYFILE_CORRUPT', `The key file ${path} is missing.`, { file: path });
    throw new AppError('KEYFILE_CORRUPT', `The key file ${path} is damaged (not readable JSON).`, { file: path });
  }
  return parseKeyFile(json, path, minN, deviceSecret);
}

export function keyFileExists(path: string): boolean {
  return existsSync(path);
}

export function writeKeyFile(path: string, keyFile: KeyFile, deviceSecret: Buffer | null = null): void {
  writeFileAtomic(path, JSON.stringify(serialiseKeyFile(keyFile, deviceSecret), null, 2) + '\n');
}
