import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Device tokens are `<device id>.<secret>`: the id finds the row, the secret's hash is compared. */
export function newDeviceToken(deviceId: string): { token: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${deviceId}.${secret}`, hash: sha256Hex(secret) };
}

export function splitToken(token: string): { deviceId: string; secret: string } | null {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { deviceId: match[1]!, secret: match[2]! } : null;
}

/** Constant-time, so response timing says nothing about how much of a guessed secret was right. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(sha256Hex(secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

// Crockford base32: no I, L, O, U, so a code read aloud or typed from paper survives.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;

/** A one-time enrolment code (60 bits), shown as XXXX-XXXX-XXXX; only its hash is stored. */
export function newEnrolmentCode(): { code: string; hash: string } {
  let raw = '';
  for (let i = 0; i < CODE_LENGTH; i++) raw += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return { code: raw.match(/.{4}/g)!.join('-'), hash: enrolmentCodeHash(raw) };
}

/** Hyphens, spaces and case are how people type codes, not part of them. */
export function enrolmentCodeHash(typed: string): string {
  return sha256Hex(typed.toUpperCase().replace(/[\s-]/g, ''));
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
