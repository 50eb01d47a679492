import { rmSync } from 'node:fs';
import { withCompanions } from '../session/storePaths';
import { applyCipher, type Cipher } from './cipher';
import { openEncrypted, type Sqlite } from './database';

export interface KeyedCipher {
  cipher: Cipher;
  key: Buffer;
}

/**
 * Writes a copy of the open database to `target`, re-encrypted under another key and/or cipher. The live file
 * is never touched (the swap happens later, at one commit point: storeSwap.ts). VACUUM INTO copies a
 * consistent snapshot encrypted as the source; SQLite3MC refuses to rekey in WAL mode, so the copy is rekeyed
 * in rollback-journal mode (the next open returns it to WAL).
 */
export function rekeyCopy(live: Sqlite, target: string, from: KeyedCipher, to: KeyedCipher, nativeBinding?: string): void {
  for (const f of withCompanions(target)) rmSync(f, { force: true });
  live.prepare('vacuum into ?').run(target);
  const copy = openEncrypted(target, from.key, { create: false, cipher: from.cipher, nativeBinding });
  try {
    copy.pragma('journal_mode = DELETE');
    applyCipher(copy, to.cipher, to.key, 'rekey');
  } finally {
    copy.close();
  }
}
