import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { MethodOutput } from '../../shared/contract/contract';
import { backupFileName, type backupMethods } from '../../shared/contract/backup';
import type { SessionStatus, sessionMethods } from '../../shared/contract/session';
import { AppError } from '../../shared/contract/errors';
import type { Role } from '../../shared/domain/people';
import { appendAudit } from './audit/auditChain';
import type { CaseloadContext } from './caseload/context';
import type { HandlerMap, Handlers } from './handlers';
import { serviceRegistry } from './registry';
import { decodeBackup, encodeBackup } from './store/backupFile';
import { kyselyFor, migrate, openEncrypted, type Sqlite } from './store/database';
import { writeFileAtomic } from './store/atomicWrite';
import {
  PRODUCT_KDF,
  chooseKdfParams,
  keyFileExists,
  readKeyFile,
  unwrapDataKey,
  wrapDataKey,
  writeKeyFile,
  type KdfCost,
  type KeyFile,
} from './store/keyFile';
import type { CaseloadDb } from './store/schema';
import { storePaths, type StorePaths } from './session/storePaths';
import { UnlockThrottle } from './session/unlockThrottle';

export interface EngineOptions {
  dataDir: string;
  /** The product always calibrates; only tests pass `insecure-test-only`. */
  kdf?: KdfCost;
  nativeBinding?: string | undefined;
  demo?: boolean;
  idleLockMinutes?: number;
  /** First wrong-passphrase delay; doubles per failure. Tests shorten it. */
  unlockBackoffBaseMs?: number;
  now?: () => Date;
}

interface OpenStore {
  sqlite: Sqlite;
  db: Kysely<CaseloadDb>;
  dataKey: Buffer;
  owner: { id: string; displayName: string; role: Role };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One clinician's device store: the encrypted database, its key file and backups, and the session around them.
 * Runs wherever it is put — in the database worker for the app and the host, in-process in some tests.
 */
export class CaseloadEngine {
  readonly paths: StorePaths;
  private store: OpenStore | null = null;
  private lastActivity: number;
  private readonly now: () => Date;
  private readonly throttle: UnlockThrottle;
  private readonly kdf: KdfCost;
  private readonly idleLockMinutes: number;

  constructor(private readonly options: EngineOptions) {
    this.paths = storePaths(options.dataDir);
    this.now = options.now ?? (() => new Date());
    this.kdf = options.kdf ?? PRODUCT_KDF;
    this.idleLockMinutes = options.idleLockMinutes ?? 15;
    this.throttle = new UnlockThrottle(options.unlockBackoffBaseMs ?? 1000, () => this.now().getTime());
    this.lastActivity = this.now().getTime();
    mkdirSync(this.paths.dir, { recursive: true, mode: 0o700 });
  }

  status(): SessionStatus {
    const base = { demo: this.options.demo ?? false, idleLockMinutes: this.idleLockMinutes, problem: null };
    if (this.store) return { ...base, state: 'unlocked', owner: this.store.owner };
    if (!keyFileExists(this.paths.keyFile)) {
      if (existsSync(this.paths.db)) {
        return {
          ...base,
          state: 'store-error',
          owner: null,
          problem: { code: 'KEYFILE_CORRUPT', message: `The key file ${this.paths.keyFile} is missing.`, file: this.paths.keyFile },
        };
      }
      return { ...base, state: 'needs-setup', owner: null };
    }
    try {
      readKeyFile(this.paths.keyFile);
    } catch (err) {
      const e = err as AppError;
      return { ...base, state: 'store-error', owner: null, problem: { code: e.code, message: e.message, file: this.paths.keyFile } };
    }
    return { ...base, state: 'locked', owner: null };
  }

  /** Marks the person as active; returns when the idle lock will fire. */
  touch(): string {
    this.lastActivity = this.now().getTime();
    return new Date(this.lastActivity + this.idleLockMinutes * 60_000).toISOString();
  }

  /** Locks the store when nobody has used it for the idle period. Called on a timer by the owner of the engine. */
  async lockIfIdle(): Promise<boolean> {
    if (!this.store) return false;
    if (this.now().getTime() - this.lastActivity < this.idleLockMinutes * 60_000) return false;
    await this.lock();
    return true;
  }

  async setup(input: { passphrase: string; displayName: string; role: Role }): Promise<SessionStatus> {
    if (keyFileExists(this.paths.keyFile) || existsSync(this.paths.db)) {
      throw new AppError('ALREADY_SET_UP', 'This device already has a caseload. Unlock it instead.');
    }
    const dataKey = randomBytes(32);
    const keyFile = await wrapDataKey(dataKey, input.passphrase, await chooseKdfParams(this.kdf));
    const sqlite = openEncrypted(this.paths.db, dataKey, { create: true, nativeBinding: this.options.nativeBinding });
    try {
      const db = kyselyFor(sqlite);
      await migrate(sqlite, db, this.paths.db);
      const ownerId = uuidv7();
      const at = this.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('users')
          .values({ id: ownerId, display_name: input.displayName, role: input.role, supervisor_id: null, version: 1, created_at: at, updated_at: at })
          .execute();
        await trx.insertInto('settings').values({ key: 'owner_user_id', value: ownerId }).execute();
        await appendAudit(trx, { actorId: ownerId, action: 'setup', entity: 'store', entityIds: [ownerId] }, this.now());
      });
      // The key file is written last: a crash before this leaves no half-made store that claims to be set up.
      writeKeyFile(this.paths.keyFile, keyFile);
      this.store = { sqlite, db, dataKey, owner: { id: ownerId, displayName: input.displayName, role: input.role } };
    } catch (err) {
      sqlite.close();
      if (!keyFileExists(this.paths.keyFile)) for (const f of [this.paths.db, `${this.paths.db}-wal`, `${this.paths.db}-shm`]) rmSync(f, { force: true });
      throw err;
    }
    this.touch();
    return this.status();
  }

  async unlock(passphrase: string): Promise<SessionStatus> {
    if (this.store) return this.status();
    if (!keyFileExists(this.paths.keyFile)) {
      throw existsSync(this.paths.db)
        ? new AppError('KEYFILE_CORRUPT', `The key file ${this.paths.keyFile} is missing.`, { file: this.paths.keyFile })
        : new AppError('NOT_SET_UP', 'This device has no caseload yet.');
    }
    const dataKey = await this.unwrapThrottled(readKeyFile(this.paths.keyFile), passphrase);
    await this.openWithKey(dataKey);
    this.touch();
    return this.status();
  }

  /** Every passphrase check goes through here, so the wrong-passphrase delay covers unlock, change and restore alike. */
  private async unwrapThrottled(keyFile: KeyFile, passphrase: string): Promise<Buffer> {
    const wait = this.throttle.waitMs();
    if (wait > 0) await sleep(wait);
    try {
      const dataKey = await unwrapDataKey(keyFile, passphrase);
      this.throttle.recordSuccess();
      return dataKey;
    } catch (err) {
      this.throttle.recordFailure();
      throw err;
    }
  }

  private async openWithKey(dataKey: Buffer): Promise<void> {
    const sqlite = openEncrypted(this.paths.db, dataKey, { create: false, nativeBinding: this.options.nativeBinding });
    try {
      const db = kyselyFor(sqlite);
      await migrate(sqlite, db, this.paths.db);
      const ownerId = (await db.selectFrom('settings').select('value').where('key', '=', 'owner_user_id').executeTakeFirstOrThrow()).value;
      const owner = await db.selectFrom('users').select(['id', 'display_name', 'role']).where('id', '=', ownerId).executeTakeFirstOrThrow();
      await appendAudit(db, { actorId: ownerId, action: 'unlock', entity: 'session', entityIds: [] }, this.now());
      this.store = { sqlite, db, dataKey, owner: { id: owner.id, displayName: owner.display_name, role: owner.role as Role } };
    } catch (err) {
      sqlite.close();
      throw err;
    }
  }

  async lock(): Promise<SessionStatus> {
    const store = this.store;
    if (store) {
      await appendAudit(store.db, { actorId: store.owner.id, action: 'lock', entity: 'session', entityIds: [] }, this.now());
      this.store = null;
      await store.db.destroy(); // closes the SQLite handle
      store.dataKey.fill(0);
    }
    return this.status();
  }

  async changePassphrase(current: string, next: string): Promise<{ changed: true }> {
    const store = this.requireOpen();
    const dataKey = await this.unwrapThrottled(readKeyFile(this.paths.keyFile), current);
    // Re-wrap only: the database keeps its data key, so nothing is re-encrypted.
    writeKeyFile(this.paths.keyFile, await wrapDataKey(dataKey, next, await chooseKdfParams(this.kdf)));
    await appendAudit(store.db, { actorId: store.owner.id, action: 'change-passphrase', entity: 'store', entityIds: [] }, this.now());
    return { changed: true };
  }

  private requireOpen(): OpenStore {
    if (!this.store) {
      const state = this.status().state;
      if (state === 'needs-setup') throw new AppError('NOT_SET_UP', 'This device has no caseload yet.');
      throw new AppError('LOCKED', 'The caseload is locked. Unlock it to continue.');
    }
    return this.store;
  }

  context(): CaseloadContext {
    const store = this.requireOpen();
    return { db: store.db, actorId: store.owner.id, now: this.now };
  }

  async createBackup(): Promise<MethodOutput<'backup.create'>> {
    const store = this.requireOpen();
    mkdirSync(this.paths.backups, { recursive: true, mode: 0o700 });
    const createdAt = this.now().toISOString();
    await appendAudit(store.db, { actorId: store.owner.id, action: 'backup', entity: 'store', entityIds: [] }, this.now());
    // VACUUM INTO writes a consistent, encrypted (same key) copy while the store stays open.
    const staging = join(this.paths.backups, `.staging-${randomBytes(6).toString('hex')}.db`);
    try {
      store.sqlite.prepare('vacuum into ?').run(staging);
      const bytes = encodeBackup(readKeyFile(this.paths.keyFile), readFileSync(staging), createdAt);
      const file = `caseload-${createdAt.replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '')}-${randomBytes(2).toString('hex')}.ccbak`;
      writeFileAtomic(join(this.paths.backups, file), bytes);
      return { file, createdAt, bytes: bytes.length };
    } finally {
      rmSync(staging, { force: true });
    }
  }

  listBackups(): MethodOutput<'backup.list'> {
    if (!existsSync(this.paths.backups)) return { backups: [] };
    const backups = readdirSync(this.paths.backups)
      .filter((f) => backupFileName.safeParse(f).success)
      .map((file) => {
        const stat = statSync(join(this.paths.backups, file));
        return { file, createdAt: stat.mtime.toISOString(), bytes: stat.size };
      })
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { backups };
  }

  /**
   * Replaces the store with a backup. The backup is fully checked (passphrase, hash, integrity, schema) before
   * anything changes; the replaced files are kept beside it, renamed, never deleted.
   */
  async restoreBackup(file: string, passphrase: string): Promise<SessionStatus> {
    const path = join(this.paths.backups, file);
    if (!existsSync(path)) throw new AppError('NOT_FOUND', `There is no backup called ${file}.`);
    const backup = decodeBackup(readFileSync(path), path);
    const dataKey = await this.unwrapThrottled(backup.keyFile, passphrase);
    const staging = `${this.paths.db}.restoring`;
    rmSync(staging, { force: true });
    writeFileAtomic(staging, backup.db);
    try {
      const check = openEncrypted(staging, dataKey, { create: false, nativeBinding: this.options.nativeBinding });
      try {
        await migrate(check, kyselyFor(check), path);
        check.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        check.close();
      }
    } catch (err) {
      for (const f of [staging, `${staging}-wal`, `${staging}-shm`]) rmSync(f, { force: true });
      if (err instanceof AppError && err.code === 'STORE_CORRUPT') {
        throw new AppError('BACKUP_INVALID', `The backup ${path} is damaged.`, { file: path });
      }
      throw err;
    }
    await this.lock();
    const stamp = this.now().toISOString().replace(/[-:.]/g, '');
    for (const f of [this.paths.db, `${this.paths.db}-wal`, `${this.paths.db}-shm`, this.paths.keyFile]) {
      if (existsSync(f)) renameSync(f, `${f}.replaced-${stamp}`);
    }
    for (const f of [`${staging}-wal`, `${staging}-shm`]) rmSync(f, { force: true });
    renameSync(staging, this.paths.db);
    writeKeyFile(this.paths.keyFile, backup.keyFile);
    await this.openWithKey(dataKey);
    const store = this.requireOpen();
    await appendAudit(store.db, { actorId: store.owner.id, action: 'restore', entity: 'store', entityIds: [] }, this.now());
    this.touch();
    return this.status();
  }

  async close(): Promise<void> {
    if (this.store) await this.lock();
  }

  /** The session and store lifecycle's share of the registry; clinical domains add theirs in registry.ts. */
  lifecycleHandlers(): HandlerMap<typeof sessionMethods & typeof backupMethods> {
    return {
      'session.status': async () => this.status(),
      'session.setup': (i) => this.setup(i),
      'session.unlock': (i) => this.unlock(i.passphrase),
      'session.lock': () => this.lock(),
      'session.activity': async () => {
        this.requireOpen();
        return { idleLockAt: this.touch() };
      },
      'session.changePassphrase': (i) => this.changePassphrase(i.current, i.next),
      'backup.create': () => this.createBackup(),
      // Listed while locked too: restore is offered from the unlock and store-error screens.
      'backup.list': async () => this.listBackups(),
      'backup.restore': (i) => this.restoreBackup(i.file, i.passphrase),
    };
  }

  /** Every contract method: the lifecycle above plus every clinical domain. */
  handlers(): Handlers {
    return serviceRegistry(this);
  }
}
