import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Integrity tags for what sits in the clear beside the encrypted database — the key file's audit anchor and a
 * backup's header — keyed from the data key, so only someone holding the key can make one. Without them a copy
 * of the store's id, a later date or a removed anchor could be written into those files by hand.
 */
export type MacPurpose = 'key-file-anchor' | 'backup-header';

export function storeMac(dataKey: Buffer, purpose: MacPurpose, data: string): string {
  const key = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `clinic-caseload ${purpose}`, 32));
  try {
    return createHmac('sha256', key).update(data, 'utf8').digest('hex');
  } finally {
    key.fill(0);
  }
}

export function macMatches(dataKey: Buffer, purpose: MacPurpose, data: string, mac: string): boolean {
  const expected = Buffer.from(storeMac(dataKey, purpose, data), 'hex');
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
