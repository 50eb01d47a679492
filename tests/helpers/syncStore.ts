import { randomBytes } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { kyselyFor, migrate, openEncrypted, type Sqlite } from '../../electron/services/store/database';
import type { CaseloadDb } from '../../electron/services/store/schema';
import { tempDir } from './tempStore';

/**
 * Real encrypted stores for sync tests, fast: one store is migrated per process and each test (or model run)
 * opens a byte copy of it under the same random data key, instead of paying for migrations every time.
 */
export interface SyncStore {
  sqlite: Sqlite;
  db: Kysely<CaseloadDb>;
  file: string;
  close(): Promise<void>;
}

let template: Promise<{ file: string; key: Buffer }> | null = null;

function migratedTemplate(): Promise<{ file: string; key: Buffer }> {
  template ??= (async () => {
    const key = randomBytes(32);
    const file = join(tempDir('sync-template-'), 'caseload.db');
    const sqlite = openEncrypted(file, key, { create: true, cipher: 'aegis-256' });
    const db = kyselyFor(sqlite);
    await migrate(sqlite, db, file);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    await db.destroy();
    return { file, key };
  })();
  return template;
}

/** A fresh migrated store with these users in its directory (the first is usually the device's owner). */
export async function openSyncStore(users: readonly { id: string; name: string; role?: string }[] = []): Promise<SyncStore> {
  const { file: source, key } = await migratedTemplate();
  const file = join(tempDir('sync-store-'), 'caseload.db');
  copyFileSync(source, file);
  const sqlite = openEncrypted(file, key, { create: false, cipher: 'aegis-256' });
  const db = kyselyFor(sqlite);
  for (const u of users) {
    await db.insertInto('users').values({ id: u.id, display_name: u.name, role: u.role ?? 'hit', supervisor_id: null, version: 1, created_at: 't', updated_at: 't' }).execute();
  }
  return { sqlite, db, file, close: () => db.destroy() };
}
