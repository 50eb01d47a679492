import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../../shared/contract/errors';
import { writeFileAtomic } from './atomicWrite';

/**
 * The key file holds the random 256-bit data key, wrapped (AES-256-GCM) by a key derived from the clinician's
 * passphrase with scrypt. Changing the passphrase re-wraps the data key; the database is never re-encrypted.
 * The key file holds no patient data, so it is safe to write in the clear.
 */
const KdfParams = z.strictObject({
  algorithm: z.literal('scrypt'),
  N: z.number().int().min(2).max(2 ** 22),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: z.base64(),
});
export type KdfParams = z.infer<typeof KdfParams>;

const KeyFileSchema = z.strictObject({
  format: z.literal('clinic-caseload-key'),
  version: z.literal(1),
  kdf: KdfParams,
  wrapped: z.strictObject({ iv: z.base64(), tag: z.base64(), ciphertext: z.base64() }),
  createdAt: z.string(),
});
export type KeyFile = z.infer<typeof KeyFileSchema>;

const WRAP_AAD = Buffer.from('clinic-caseload data key v1');

/** KDF cost: `calibrate` (the product) or explicit parameters that only tests may pass. */
export type KdfCost = { kind: 'calibrate'; targetMs: number } | { kind: 'insecure-test-only'; N: number };
export const PRODUCT_KDF: KdfCost = { kind: 'calibrate', targetMs: 250 };

function scrypt(passphrase: string, salt: Buffer, p: Omit<KdfParams, 'salt' | 'algorithm'>): Promise<Buffer> {
  const options: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 32 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCb(passphrase.normalize('NFC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Doubles scrypt's N until one derivation takes at least the target time on this machine. */
export async function chooseKdfParams(cost: KdfCost): Promise<KdfParams> {
  const salt = randomBytes(16);
  const base = { algorithm: 'scrypt' as const, r: 8, p: 1, salt: salt.toString('base64') };
  if (cost.kind === 'insecure-test-only') return { ...base, N: cost.N };
  let N = 2 ** 14;
  for (;;) {
    const started = performance.now();
    await scrypt('calibration', salt, { ...base, N });
    if (performance.now() - started >= cost.targetMs || N >= 2 ** 21) return { ...base, N };
    N *= 2;
  }
}

export async function wrapDataKey(dataKey: Buffer, passphrase: string, kdf: KdfParams): Promise<KeyFile> {
  const kek = await scrypt(passphrase, Buffer.from(kdf.salt, 'base64'), kdf);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(WRAP_AAD);
  const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return {
    format: 'clinic-caseload-key',
    version: 1,
    kdf,
    wrapped: {
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    },
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
    throw new AppError('WRONG_PASSPHRASE', 'That passphrase is not right for this caseload.');
  }
}

export function parseKeyFile(text: string, file: string): KeyFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('KEYFILE_CORRUPT', `The key file ${file} is damaged (not readable JSON).`, { file });
  }
  const parsed = KeyFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('KEYFILE_CORRUPT', `The key file ${file} is damaged (unexpected contents).`, { file });
  }
  return parsed.data;
}

export function readKeyFile(path: string): KeyFile {
  return parseKeyFile(readFileSync(path, 'utf8'), path);
}

export function keyFileExists(path: string): boolean {
  return existsSync(path);
}

export function writeKeyFile(path: string, keyFile: KeyFile): void {
  writeFileAtomic(path, JSON.stringify(keyFile, null, 2) + '\n');
}
