import { randomBytes, randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { MethodOutput } from '../../shared/contract/contract';
import { backupFileName, type backupMethods } from '../../shared/contract/backup';
import { AppError, type ErrorCode } from '../../shared/contract/errors';
import type { DestinationPurpose } from '../../shared/contract/files';
import type { SessionStatus, sessionMethods } from '../../shared/contract/session';
import { formatLocalDateTime } from '../../shared/domain/dates';
import type { Role } from '../../shared/domain/people';
import { appendAudit, auditAnchorOf, reconcileAuditHead, verifyAudit } from './audit/auditChain';
import type { CaseloadContext } from './caseload/context';
import type { HandlerMap, Handlers } from './handlers';
import { activePatientMode } from './patientMode/patientModeSession';
import { serviceRegistry } from './registry';
import { readDeviceSettings, writeDeviceSettings } from './session/deviceSettings';
import { lastDeviceUser, listDeviceUsers, rememberDeviceUser, storeDirFor, storeKeys } from './session/deviceUsers';
import { storePaths, withCompanions, type StorePaths } from './session/storePaths';
import { UnlockThrottle } from './session/unlockThrottle';
import { DEFAULT_STALE_AFTER_HOURS } from './sync/status';
import { writeFileAtomic } from './store/atomicWrite';
import { encodeBackup, headerIsAuthentic, peekBackup, readBackupBody, readBackupHeader, type BackupHeader } from './store/backupFile';
import { chooseCipher, type Cipher } from './store/cipher';
import { kyselyFor, migrate, openEncrypted, type Sqlite } from './store/database';
import {
  PRODUCT_KDF,
  PRODUCT_MIN_N,
  anchorIsAuthentic,
  tagAnchor,
  chooseKdfParams,
  kdfFloor,
  keyFileExists,
  readKeyFile,
  unwrapDataKey,
  wrapDataKey,
  writeKeyFile,
  type AuditAnchor,
  type KdfCost,
  type KeyFile,
} from './store/keyFile';
import { rekeyCopy } from './store/rekey';
import { assertSchema } from './store/schemaFingerprint';
import type { CaseloadDb } from './store/schema';
import { abandonSwap, prepareSwap, replacedName, resolvePendingSwap, rollForward, swapPending, type SwapReason } from './store/storeSwap';

/** Told when a store opens and before it closes, so nothing it started outlives the session. */
export interface SessionWatcher {
  opened(): Promise<void>;
  closing(): Promise<void>;
}

export interface EngineOptions {
  dataDir: string;
  /** The product always calibrates; only tests pass `insecure-test-only`. */
  kdf?: KdfCost;
  /** The product calibrates the page cipher when a store is made; tests may fix it. */
  cipher?: Cipher | 'calibrate';
  nativeBinding?: string | undefined;
  /** This computer's keychain secret (shell/deviceSecret.ts): the key file is then sealed to it. */
  deviceSecret?: Buffer | null;
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
  keyFile: KeyFile & { storeId: string };
  owner: { id: string; displayName: string; role: Role };
}

/** Failures that mean "this store cannot be opened as it is": the problem screen, with restore, follows. */
const STORE_PROBLEMS: ReadonlySet<ErrorCode> = new Set([
  'STORE_CORRUPT',
  'STORE_MISSING',
  'SCHEMA_ALTERED',
  'STORE_ROLLED_BACK',
  'NEWER_DATABASE',
  'UNKNOWN_CIPHER',
  'KEYFILE_CORRUPT',
  'KEYCHAIN_UNAVAILABLE',
]);

const stampOf = (d: Date) => d.toISOString().replace(/[-:.]/g, '');

/**
 * The device's stores — one per person who uses this computer (session/deviceUsers.ts) — and the session on
 * the current one: its encrypted database, key file and backups. One store is open at most; switching user
 * locks it first. Runs wherever it is put — in the database worker for the app and the host, in-process in
 * some tests. Clinical domains add their handlers in registry.ts; this class keeps the session and store lifecycle.
 */
export class CaseloadEngine {
  private currentPaths: StorePaths;
  /** Whose store the session is on: `primary` (the data folder itself) or a key under `users/`. */
  private currentUser: string;
  private store: OpenStore | null = null;
  /** Why the last unlock could not open the store; shown as the problem screen until restore or a good unlock. */
  private openProblem: AppError | null = null;
  private lastActivity: number;
  private readonly now: () => Date;
  /** Per store: each person's wrong passphrases delay only their own next attempt. */
  private throttle: UnlockThrottle;
  private readonly kdf: KdfCost;
  private readonly idleLockMinutes: number;
  /** Lives as long as an open store does: the sync runtime (electron/services/sync/runtime.ts). */
  private sessionWatcher: SessionWatcher | null = null;
  private registry: Handlers | null = null;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? (() => new Date());
    this.kdf = options.kdf ?? PRODUCT_KDF;
    this.idleLockMinutes = options.idleLockMinutes ?? 15;
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    this.currentUser = lastDeviceUser(options.dataDir);
    this.currentPaths = storePaths(storeDirFor(options.dataDir, this.currentUser));
    this.throttle = this.throttleFor(this.currentPaths);
    this.lastActivity = this.now().getTime();
  }

  /** The current person's store files. */
  get paths(): StorePaths {
    return this.currentPaths;
  }

  private throttleFor(paths: StorePaths): UnlockThrottle {
    return new UnlockThrottle(paths.attempts, this.options.unlockBackoffBaseMs ?? 1000, () => this.now().getTime());
  }

  /** The role of the person whose store is open, or null while locked: what the role policy is checked against. */
  currentRole(): Role | null {
    return this.store?.owner.role ?? null;
  }

  /** Turns the session to another person's store on this device, locking the open one first (audited as a lock). */
  async switchUser(key: string): Promise<SessionStatus> {
    if (!storeKeys(this.options.dataDir).includes(key)) {
      throw new AppError('NOT_FOUND', 'That person has no caseload on this computer.', { fields: [{ path: 'key', message: 'is not a user of this computer' }] });
    }
    if (this.store) await this.lock();
    this.select(key);
    rememberDeviceUser(this.options.dataDir, key, null);
    return this.status();
  }

  /** Makes room for a new person's store, locking the open one first; `setup` then creates it with their own key. */
  async addUser(): Promise<SessionStatus> {
    if (this.store) await this.lock();
    this.select(uuidv7());
    return this.status();
  }

  private select(key: string): void {
    this.currentUser = key;
    this.currentPaths = storePaths(storeDirFor(this.options.dataDir, key));
    this.throttle = this.throttleFor(this.currentPaths);
    this.openProblem = null;
  }

  /**
   * The session as the page sees it, polled every few seconds. Only the setup and problem screens ask whether
   * backups exist: the folder may be a network share, and an unreachable one must not stall every poll.
   */
  status(notices: string[] = []): SessionStatus {
    const base = {
      demo: this.options.demo ?? false,
      idleLockMinutes: this.idleLockMinutes,
      problem: null,
      notices,
      backupsAvailable: false,
      currentUser: this.currentUser as SessionStatus['currentUser'],
      deviceUsers: listDeviceUsers(this.options.dataDir),
      patientMode: false,
    };
    if (this.store) return { ...base, state: 'unlocked', owner: this.store.owner, patientMode: activePatientMode(this) !== null };
    const locked = { ...base, owner: null };
    const problem = (e: AppError) => ({
      ...locked,
      state: 'store-error' as const,
      problem: { code: e.code, message: e.message, ...(e.file ? { file: e.file } : {}) },
      backupsAvailable: this.backupFiles().length > 0,
    });
    if (!keyFileExists(this.paths.keyFile)) {
      if (existsSync(this.paths.db)) return problem(new AppError('KEYFILE_CORRUPT', `The key file ${this.paths.keyFile} is missing.`, { file: this.paths.keyFile }));
      return { ...locked, state: 'needs-setup', backupsAvailable: this.backupFiles().length > 0 };
    }
    if (this.openProblem) return problem(this.openProblem);
    try {
      this.readOwnKeyFile();
    } catch (err) {
      return problem(err as AppError);
    }
    if (!existsSync(this.paths.db) && !existsSync(this.paths.next)) {
      return problem(new AppError('STORE_MISSING', `The caseload database ${this.paths.db} is missing.`, { file: this.paths.db }));
    }
    return { ...locked, state: 'locked' };
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

  private readOwnKeyFile(): KeyFile {
    return readKeyFile(this.paths.keyFile, kdfFloor(this.kdf), this.options.deviceSecret ?? null);
  }

  /**
   * Every key file write: its anchor tagged with the data key, sealed to this computer's keychain where it has
   * one. Returns the key file as written, for the open store to keep.
   */
  private saveKeyFile<K extends KeyFile>(keyFile: K, dataKey: Buffer): K {
    const tagged = tagAnchor(keyFile, dataKey);
    writeKeyFile(this.paths.keyFile, tagged, this.options.deviceSecret ?? null);
    return tagged;
  }

  private targetCipher(): Cipher {
    const option = this.options.cipher ?? 'calibrate';
    if (option !== 'calibrate') return option;
    // One calibration per computer, kept with the first store's device settings: every person's store shares the CPU.
    const deviceFile = storePaths(this.options.dataDir).device;
    const device = readDeviceSettings(deviceFile);
    if (device.calibratedCipher) return device.calibratedCipher;
    const chosen = chooseCipher(this.options.dataDir, this.options.nativeBinding);
    writeDeviceSettings(deviceFile, { ...device, calibratedCipher: chosen });
    return chosen;
  }

  async setup(input: { passphrase: string; displayName: string; role: Role }): Promise<SessionStatus> {
    if (keyFileExists(this.paths.keyFile) || existsSync(this.paths.db)) {
      throw new AppError('ALREADY_SET_UP', 'This device already has a caseload. Unlock it instead.');
    }
    mkdirSync(this.paths.dir, { recursive: true, mode: 0o700 });
    const dataKey = randomBytes(32);
    const storeId = randomUUID();
    const cipher = this.targetCipher();
    const kdf = await chooseKdfParams(this.kdf);
    const sqlite = openEncrypted(this.paths.db, dataKey, { create: true, cipher, nativeBinding: this.options.nativeBinding });
    try {
      const db = kyselyFor(sqlite);
      await migrate(sqlite, db, this.paths.db);
      const ownerId = uuidv7();
      const at = this.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('users')
          .values({ id: ownerId, display_name: input.displayName, role: input.role, supervisor_id: null, version: 1, created_at: at, updated_at: at, deactivated_at: null, updated_by: ownerId })
          .execute();
        await trx
          .insertInto('settings')
          .values([
            { key: 'owner_user_id', value: ownerId },
            { key: 'store_id', value: storeId },
            { key: 'key_file_version', value: '2' },
          ])
          .execute();
        await appendAudit(trx, { actorId: ownerId, action: 'setup', entity: 'store', entityIds: [ownerId] }, this.now());
      });
      // The key file is written last: a crash before this leaves no half-made store that claims to be set up.
      const keyFile = this.saveKeyFile({ ...(await wrapDataKey(dataKey, input.passphrase, kdf, { storeId, cipher, anchor: await auditAnchorOf(db) })), storeId }, dataKey);
      this.store = { sqlite, db, dataKey, keyFile, owner: { id: ownerId, displayName: input.displayName, role: input.role } };
      rememberDeviceUser(this.options.dataDir, this.currentUser, this.store.owner);
      this.tellOpened();
    } catch (err) {
      sqlite.close();
      if (!keyFileExists(this.paths.keyFile)) for (const f of withCompanions(this.paths.db)) rmSync(f, { force: true });
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
    const keyFile = this.readOwnKeyFile();
    const dataKey = await this.unwrapThrottled(keyFile, passphrase);
    let store: OpenStore;
    try {
      store = await this.openStoreAs(dataKey, keyFile);
    } catch (err) {
      dataKey.fill(0);
      throw this.asOpenProblem(err);
    }
    this.openProblem = null;
    const failedAt = this.throttle.takeFailures();
    const notices: string[] = [];
    try {
      notices.push(...(await this.sessionStartNotices(store, failedAt)));
      await appendAudit(store.db, { actorId: store.owner.id, action: 'unlock', entity: 'session', entityIds: [] }, this.now());
    } catch (err) {
      this.closeStore(store);
      throw this.asOpenProblem(err);
    }
    this.store = store;
    rememberDeviceUser(this.options.dataDir, this.currentUser, store.owner);
    notices.push(...(await this.keepKeyFileCurrent(passphrase)));
    this.tellOpened();
    this.touch();
    return this.status(notices);
  }

  /** An unexpected failure while opening leads to the problem screen (with restore), never a dead end. */
  private asOpenProblem(err: unknown): AppError {
    const problem =
      err instanceof AppError
        ? err
        : new AppError('STORE_CORRUPT', `The caseload database ${this.paths.db} could not be opened (${err instanceof Error ? err.message : String(err)}).`, { file: this.paths.db });
    if (STORE_PROBLEMS.has(problem.code)) this.openProblem = problem;
    return problem;
  }

  /** Every passphrase check goes through here, so the wrong-passphrase delay covers unlock, change and restore alike. */
  private async unwrapThrottled(keyFile: KeyFile, passphrase: string, field = 'passphrase'): Promise<Buffer> {
    const wait = this.throttle.waitMs();
    if (wait > 0) {
      throw new AppError('RETRY_AFTER', `Too many wrong passphrases. Try again in ${Math.ceil(wait / 1000)} seconds.`, { retryAfterMs: Math.ceil(wait) });
    }
    try {
      const key = await unwrapDataKey(keyFile, passphrase);
      this.throttle.recordPass();
      return key;
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'WRONG_PASSPHRASE') throw err;
      const retryAfterMs = this.throttle.recordFailure();
      throw new AppError('WRONG_PASSPHRASE', err.message, { fields: [{ path: field, message: 'is not right' }], retryAfterMs });
    }
  }

  /**
   * The clinician's passphrase, checked while the store is open (leaving locked patient mode): the same key-file
   * check and the same persisted wrong-passphrase delay as unlock. Wrong attempts made meanwhile are audited and
   * told once it is right, as at unlock; returns those notices.
   */
  async verifyOwnerPassphrase(passphrase: string): Promise<string[]> {
    const store = this.requireOpen();
    (await this.unwrapThrottled(this.readOwnKeyFile(), passphrase)).fill(0);
    return this.recordFailedAttempts(store, this.throttle.takeFailures());
  }

  /**
   * Opens the database a key file's key opens, finishing or abandoning a replacement a crash interrupted
   * (storeSwap.ts), and checks it before anything is written: schema as the migrations make it, an owner, and not
   * behind the audit anchor the key file records (a rolled-back or rewritten database is refused).
   */
  private async openStoreAs(dataKey: Buffer, keyFile: KeyFile): Promise<OpenStore> {
    if (swapPending(this.paths)) resolvePendingSwap(this.paths, keyFile.anchor);
    const file = this.paths.db;
    const sqlite = openEncrypted(file, dataKey, { create: false, cipher: keyFile.cipher, nativeBinding: this.options.nativeBinding });
    try {
      const db = kyselyFor(sqlite);
      await migrate(sqlite, db, file);
      const { owner, storeId: recorded, keyFileVersion } = await inspectDatabase(sqlite, db, file, this.options.nativeBinding);
      const rolledBack = (why: string) =>
        new AppError('STORE_ROLLED_BACK', `The key file ${this.paths.keyFile} ${why}: it may have been replaced or edited. Restore from a backup, or ask your service's IT team.`, { file: this.paths.keyFile });
      if (keyFile.anchor) {
        if (!anchorIsAuthentic(keyFile, dataKey)) throw rolledBack('carries an audit anchor this caseload did not write');
        await assertAnchor(db, keyFile.anchor, file);
      } else if (keyFileVersion === '2') {
        throw rolledBack('is older than its database');
      }
      let storeId = recorded;
      if (!storeId) {
        // Stores made before backups were bound to their caseload get their id now.
        storeId = keyFile.storeId ?? randomUUID();
        await db.insertInto('settings').values({ key: 'store_id', value: storeId }).execute();
      }
      if (keyFileVersion !== '2') {
        // From now on a version 1 key file (no anchor) is refused: it could only be an old copy put back.
        await db.insertInto('settings').values({ key: 'key_file_version', value: '2' }).onConflict((oc) => oc.column('key').doUpdateSet({ value: '2' })).execute();
      }
      return { sqlite, db, dataKey, keyFile: { ...keyFile, storeId }, owner };
    } catch (err) {
      sqlite.close();
      throw err;
    }
  }

  /** What to tell the person at the start of a session, each also in the audit trail where it is an event. */
  private async sessionStartNotices(store: OpenStore, failedAt: string[]): Promise<string[]> {
    const notices: string[] = [];
    const last = await store.db.selectFrom('audit_event').select(['action', 'at']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (last && last.action !== 'lock') {
      notices.push(
        `The last session (last activity ${formatLocalDateTime(new Date(last.at))}) ended without its lock being recorded: the app or computer stopped, or the disk was full.`,
      );
    }
    const repaired = await reconcileAuditHead(store.db, store.owner.id, this.now());
    if (repaired) notices.push(repaired);
    notices.push(...(await this.recordFailedAttempts(store, failedAt)));
    return notices;
  }

  /** Wrong passphrases since the last good one: each an audit event at its own time, and one notice. */
  private async recordFailedAttempts(store: OpenStore, failedAt: string[]): Promise<string[]> {
    for (const at of failedAt) {
      await appendAudit(store.db, { actorId: store.owner.id, action: 'unlock-failed', entity: 'session', entityIds: [] }, new Date(at));
    }
    if (failedAt.length === 0) return [];
    return [
      `${failedAt.length} wrong passphrase attempt${failedAt.length === 1 ? '' : 's'} since this caseload was last unlocked, the last on ${formatLocalDateTime(new Date(failedAt[failedAt.length - 1]!))}. If that was not you, tell your service's information governance lead.`,
    ];
  }

  /**
   * After an unlock: the key file records the store id and the new anchor; a weak scrypt cost is raised to the
   * product floor (N ≥ 2^17); a store on SQLCipher on a machine calibrated to AEGIS-256 moves to AEGIS-256.
   * Each is upkeep: a failure is told, never fatal to the session.
   */
  private async keepKeyFileCurrent(passphrase: string): Promise<string[]> {
    const store = this.requireOpen();
    try {
      const weak = this.kdf.kind === 'calibrate' && store.keyFile.kdf.N < PRODUCT_MIN_N;
      if (weak) {
        const { storeId, cipher, anchor } = store.keyFile;
        const rewrapped = await wrapDataKey(store.dataKey, passphrase, await chooseKdfParams(this.kdf), { storeId, cipher, anchor });
        store.keyFile = { ...rewrapped, storeId: store.keyFile.storeId };
      }
      await this.writeAnchor(store);
      const target = this.targetCipher();
      if (store.keyFile.cipher !== target) await this.replaceDatabase(store, 'migrate-cipher', { cipher: target, key: store.dataKey }, null);
      return [];
    } catch (err) {
      return [`Routine upkeep of the key file did not finish (${err instanceof AppError ? err.code : 'unexpected error'}); it will be tried again at the next unlock.`];
    }
  }

  /** Records the chain head in the key file: the floor a later open checks the database against. */
  private async writeAnchor(store: OpenStore): Promise<void> {
    store.keyFile = this.saveKeyFile({ ...store.keyFile, anchor: await auditAnchorOf(store.db) }, store.dataKey);
  }

  /** Fails closed: whatever the audit write does, the database ends closed and the key zeroed. */
  async lock(): Promise<SessionStatus> {
    if (this.store) await this.tellClosing();
    const store = this.store;
    if (store) {
      this.store = null;
      try {
        await appendAudit(store.db, { actorId: store.owner.id, action: 'lock', entity: 'session', entityIds: [] }, this.now());
        await this.writeAnchor(store);
      } catch {
        // Best effort: a lock that could not be recorded is told at the next unlock (the chain's last event is not a lock).
      } finally {
        this.closeStore(store);
      }
    }
    return this.status();
  }

  private closeStore(store: OpenStore): void {
    try {
      store.sqlite.close();
    } catch {
      // Closing can only fail on a handle already unusable; the key is zeroed regardless.
    } finally {
      store.dataKey.fill(0);
    }
  }

  /**
   * Changing the passphrase rotates the data key: a rekeyed copy replaces the database at one commit point, so an
   * old passphrase (or an old backup's key) never opens today's data.
   */
  async changePassphrase(current: string, next: string): Promise<{ changed: true }> {
    const store = this.requireOpen();
    const checked = await this.unwrapThrottled(this.readOwnKeyFile(), current, 'current');
    checked.fill(0);
    await this.replaceDatabase(store, 'rotate', { cipher: store.keyFile.cipher, key: randomBytes(32) }, next);
    return { changed: true };
  }

  /**
   * Rekeys a copy of the open database (rotate: new key; migrate-cipher: same key, new cipher), records the
   * change in the copy's audit trail, then commits by rewriting the key file and moves the copy in.
   * With `passphrase` null the key stays wrapped as it is.
   */
  private async replaceDatabase(store: OpenStore, reason: Exclude<SwapReason, 'restore'>, to: { cipher: Cipher; key: Buffer }, passphrase: string | null): Promise<void> {
    await this.tellClosing();
    try {
      await this.replaceDatabaseNow(store, reason, to, passphrase);
    } finally {
      if (this.store) this.tellOpened();
    }
  }

  private async replaceDatabaseNow(store: OpenStore, reason: Exclude<SwapReason, 'restore'>, to: { cipher: Cipher; key: Buffer }, passphrase: string | null): Promise<void> {
    let keyFile: KeyFile;
    try {
      rekeyCopy(store.sqlite, this.paths.next, { cipher: store.keyFile.cipher, key: store.dataKey }, to, this.options.nativeBinding);
      const copy = openEncrypted(this.paths.next, to.key, { create: false, cipher: to.cipher, nativeBinding: this.options.nativeBinding });
      let anchor: AuditAnchor;
      try {
        const db = kyselyFor(copy);
        await appendAudit(db, { actorId: store.owner.id, action: reason === 'rotate' ? 'change-passphrase' : 'change-cipher', entity: 'store', entityIds: [] }, this.now());
        anchor = await auditAnchorOf(db);
        copy.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        copy.close();
      }
      prepareSwap(this.paths, reason, stampOf(this.now()), anchor);
      const about = { storeId: store.keyFile.storeId, cipher: to.cipher, anchor };
      keyFile = passphrase === null ? { ...store.keyFile, ...about } : await wrapDataKey(to.key, passphrase, await chooseKdfParams(this.kdf), about);
    } catch (err) {
      abandonSwap(this.paths); // before the commit point: the live store is untouched and stays open
      throw err;
    }
    keyFile = this.saveKeyFile(keyFile, to.key); // the commit point
    this.store = null;
    if (to.key !== store.dataKey) this.closeStore(store);
    else store.sqlite.close();
    rollForward(this.paths);
    this.store = await this.openStoreAs(to.key, keyFile);
  }

  /** What the sync runtime takes from this device: its clock and the badge's staleness threshold. */
  syncOptions(): { now: () => Date; staleAfterHours: () => number } {
    return { now: this.now, staleAfterHours: () => readDeviceSettings(this.paths.device).syncStaleAfterHours ?? DEFAULT_STALE_AFTER_HOURS };
  }

  watchSession(watcher: SessionWatcher): void {
    this.sessionWatcher = watcher;
  }

  /** A watcher's failure never stops a session opening: sync is upkeep, and tells its own problems. */
  private tellOpened(): void {
    this.sessionWatcher?.opened().catch(() => undefined);
  }

  private async tellClosing(): Promise<void> {
    await this.sessionWatcher?.closing().catch(() => undefined);
  }

  /** Enrolment made the team server's user the owner of this store (sync/runtime.ts): the session follows. */
  async refreshOwner(): Promise<void> {
    const store = this.requireOpen();
    const ownerId = (await store.db.selectFrom('settings').select('value').where('key', '=', 'owner_user_id').executeTakeFirst())?.value;
    const owner = ownerId ? await store.db.selectFrom('users').select(['id', 'display_name', 'role']).where('id', '=', ownerId).executeTakeFirst() : undefined;
    if (owner) store.owner = { id: owner.id, displayName: owner.display_name, role: owner.role as Role };
  }

  /**
   * Sign-out's last step (sync/runtime.ts, after everything was pushed and the sign-out audited): the session
   * ends and the store's files go. The device settings (chosen folders, cipher calibration) and backups stay.
   */
  async forgetStore(): Promise<void> {
    await this.lock();
    for (const file of [...withCompanions(this.paths.db), ...withCompanions(this.paths.next), this.paths.keyFile, this.paths.swapJournal, this.paths.attempts]) {
      rmSync(file, { force: true });
    }
    this.openProblem = null;
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
    return { db: store.db, actorId: store.owner.id, role: store.owner.role, now: this.now };
  }

  /** The folder the person chose through the shell for this purpose, or null before they have chosen one. */
  chosenFolder(purpose: DestinationPurpose): string | null {
    return readDeviceSettings(this.paths.device).destinations[purpose] ?? null;
  }

  /** Where backups go: the folder chosen through the shell, or the store's own folder. */
  backupFolder(): string {
    return readDeviceSettings(this.paths.device).destinations.backups ?? this.paths.backups;
  }

  /**
   * Called by the shell only (never from the page) once the person has picked a folder in its dialog, or from the
   * host's configuration: it must be an existing folder this app can write to.
   */
  setDestination(purpose: DestinationPurpose, folder: string): { folder: string } {
    const refuse = (why: string) => new AppError('VALIDATION', `The folder ${folder} cannot be used: ${why}.`, { fields: [{ path: 'folder', message: why }] });
    if (!isAbsolute(folder)) throw refuse('it is not a full path');
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw refuse('it is not a folder');
    try {
      accessSync(folder, constants.W_OK);
    } catch {
      throw refuse('this app cannot write there');
    }
    const device = readDeviceSettings(this.paths.device);
    writeDeviceSettings(this.paths.device, { ...device, destinations: { ...device.destinations, [purpose]: folder } });
    return { folder };
  }

  async createBackup(): Promise<MethodOutput<'backup.create'>> {
    const store = this.requireOpen();
    const folder = this.backupFolder();
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const createdAt = this.now().toISOString();
    await appendAudit(store.db, { actorId: store.owner.id, action: 'backup', entity: 'store', entityIds: [] }, this.now());
    const anchor = await auditAnchorOf(store.db);
    // VACUUM INTO writes a consistent copy, encrypted as the store is, while the store stays open. It is staged
    // in the store's own folder, so a slow or removable destination only ever sees the finished file.
    const staging = join(this.paths.dir, `.backup-staging-${randomBytes(6).toString('hex')}.db`);
    try {
      store.sqlite.prepare('vacuum into ?').run(staging);
      const bytes = encodeBackup(store.keyFile, store.dataKey, anchor, readFileSync(staging), createdAt);
      const file = `caseload-${stampOf(this.now()).slice(0, 15)}-${randomBytes(2).toString('hex')}.ccbak`;
      const path = join(folder, file);
      writeFileAtomic(path, bytes);
      await this.writeAnchor(store);
      return { file, path, createdAt, bytes: bytes.length, otherCaseload: false };
    } finally {
      rmSync(staging, { force: true });
    }
  }

  private backupFiles(): string[] {
    const folder = this.backupFolder();
    if (!existsSync(folder)) return [];
    try {
      return readdirSync(folder).filter((f) => backupFileName.safeParse(f).success);
    } catch {
      return [];
    }
  }

  /** The store id today's caseload has, where it can be known without opening it. */
  private currentStoreId(): string | null {
    if (this.store) return this.store.keyFile.storeId;
    try {
      return this.readOwnKeyFile().storeId;
    } catch {
      return null;
    }
  }

  listBackups(): MethodOutput<'backup.list'> {
    const folder = this.backupFolder();
    const storeId = this.currentStoreId();
    const backups = this.backupFiles()
      .flatMap((file) => {
        const path = join(folder, file);
        const header = peekBackup(path, kdfFloor(this.kdf));
        if (!header) return [];
        const otherCaseload = storeId !== null && header.keyFile.storeId !== storeId;
        return [{ file, path, createdAt: header.createdAt, bytes: statSync(path).size, otherCaseload }];
      })
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { folder, backups };
  }

  /**
   * Replaces the store with a backup. Who may: an unlocked session; a locked one only with today's passphrase;
   * a store whose files are missing or damaged with the backup's passphrase alone. The backup's key is unwrapped
   * before its body is read, its header must carry that key's tag, and its database is proved in a staged copy —
   * schema, owner, audit chain, anchor, and which caseload it really is (a backup of another caseload needs the
   * explicit confirmation) — before anything changes. The replaced files are kept beside the store, renamed.
   */
  async restoreBackup(input: { file: string; passphrase: string; currentPassphrase?: string | undefined; replaceOtherCaseload: boolean }): Promise<SessionStatus> {
    const path = join(this.backupFolder(), input.file);
    if (!existsSync(path)) throw new AppError('NOT_FOUND', `There is no backup ${path}.`, { fields: [{ path: 'file', message: 'is not in the backup folder' }] });
    const state = this.status().state;
    if (state === 'locked') {
      if (!input.currentPassphrase) {
        throw new AppError('VALIDATION', 'Enter this caseload’s current passphrase to replace it with a backup.', {
          fields: [{ path: 'currentPassphrase', message: 'is required to restore over a caseload that opens' }],
        });
      }
      (await this.unwrapThrottled(this.readOwnKeyFile(), input.currentPassphrase, 'currentPassphrase')).fill(0);
    }
    this.settlePendingSwap();
    const header = readBackupHeader(path, kdfFloor(this.kdf));
    const dataKey = await this.unwrapThrottled(header.keyFile, input.passphrase);
    let keyFile: KeyFile & { storeId: string; anchor: AuditAnchor };
    try {
      if (!headerIsAuthentic(header, dataKey)) throw new AppError('BACKUP_INVALID', `The backup ${path} cannot be used: its header has been altered.`, { file: path });
      keyFile = await this.stageBackup(readBackupBody(header), dataKey, header, input.replaceOtherCaseload);
    } catch (err) {
      for (const f of withCompanions(this.paths.next)) rmSync(f, { force: true });
      dataKey.fill(0);
      throw err;
    }
    prepareSwap(this.paths, 'restore', stampOf(this.now()), keyFile.anchor);
    if (this.store) await this.lock();
    keyFile = this.saveKeyFile(keyFile, dataKey); // the commit point
    try {
      rollForward(this.paths);
      this.store = await this.openStoreAs(dataKey, keyFile);
    } catch (err) {
      dataKey.fill(0);
      throw this.asOpenProblem(err);
    }
    this.openProblem = null;
    this.tellOpened();
    const notices = [`Restored the backup ${input.file}, made on ${formatLocalDateTime(new Date(header.createdAt))}.`];
    notices.push(...(await this.recordFailedAttempts(this.store, this.throttle.takeFailures())));
    this.touch();
    return this.status(notices);
  }

  /**
   * Before a restore stages its copy in `next`: a replacement a crash interrupted is finished or undone first,
   * so a committed passphrase change or cipher move is never thrown away. Where the key file cannot be read to
   * tell which, the pending copy is kept beside the store, never deleted.
   */
  private settlePendingSwap(): void {
    if (!swapPending(this.paths)) return;
    try {
      resolvePendingSwap(this.paths, this.readOwnKeyFile().anchor);
    } catch {
      const stamp = stampOf(this.now());
      for (const f of [...withCompanions(this.paths.next), this.paths.swapJournal]) if (existsSync(f)) renameSync(f, replacedName(f, stamp));
    }
  }

  /** Writes the backup's database to `next` and proves it; records the restore in it. Returns the key file to commit. */
  private async stageBackup(bytes: Buffer, dataKey: Buffer, header: BackupHeader, replaceOtherCaseload: boolean): Promise<KeyFile & { storeId: string; anchor: AuditAnchor }> {
    const { path, keyFile } = header;
    for (const f of withCompanions(this.paths.next)) rmSync(f, { force: true });
    writeFileAtomic(this.paths.next, bytes);
    const invalid = (why: string) => new AppError('BACKUP_INVALID', `The backup ${path} cannot be used: ${why}.`, { file: path });
    const asBackupProblem: Partial<Record<ErrorCode, string>> = {
      STORE_CORRUPT: 'it is damaged or does not match its key',
      SCHEMA_ALTERED: 'its tables, indexes or triggers have been altered',
      STORE_ROLLED_BACK: 'its audit trail is behind what its header records',
    };
    let sqlite: Sqlite;
    try {
      sqlite = openEncrypted(this.paths.next, dataKey, { create: false, cipher: keyFile.cipher, nativeBinding: this.options.nativeBinding });
    } catch (err) {
      throw err instanceof AppError && asBackupProblem[err.code] ? invalid(asBackupProblem[err.code]!) : err;
    }
    try {
      const db = kyselyFor(sqlite);
      await migrate(sqlite, db, path);
      const { owner, storeId: recorded } = await inspectDatabase(sqlite, db, path, this.options.nativeBinding);
      const verified = await verifyAudit(db);
      if (!verified.ok) throw invalid(`its audit trail does not verify (${verified.problems[0]!.detail})`);
      await assertAnchor(db, header.anchor, path);
      // Which caseload it is comes from inside the encrypted database, never from the header.
      const currentStoreId = this.currentStoreId();
      const otherCaseload = currentStoreId !== null && recorded !== currentStoreId;
      if (otherCaseload && !replaceOtherCaseload) {
        throw new AppError('OTHER_CASELOAD', `The backup ${path} was made from another caseload. Confirm that you want to replace this caseload with it.`, {
          fields: [{ path: 'replaceOtherCaseload', message: 'must be confirmed for a backup of another caseload' }],
        });
      }
      const storeId = recorded ?? randomUUID();
      if (!recorded) await db.insertInto('settings').values({ key: 'store_id', value: storeId }).execute();
      await appendAudit(db, { actorId: owner.id, action: otherCaseload ? 'restore-other-caseload' : 'restore', entity: 'store', entityIds: [] }, this.now());
      const restoredAnchor = await auditAnchorOf(db);
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      return { ...keyFile, storeId, anchor: restoredAnchor };
    } catch (err) {
      throw err instanceof AppError && asBackupProblem[err.code] ? invalid(asBackupProblem[err.code]!) : err;
    } finally {
      sqlite.close();
    }
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
      'session.switchUser': (i) => this.switchUser(i.key),
      'session.addUser': () => this.addUser(),
      'backup.create': () => this.createBackup(),
      // Listed while locked too: restore is offered from the unlock, setup and problem screens.
      'backup.list': async () => this.listBackups(),
      'backup.restore': (i) => this.restoreBackup(i),
    };
  }

  /** Every contract method: the lifecycle above plus every clinical domain. One registry, so one sync runtime. */
  handlers(): Handlers {
    this.registry ??= serviceRegistry(this);
    return this.registry;
  }
}

/** The database must reach the chain head its key file (or backup header) recorded; behind it means rolled back. */
async function assertAnchor(db: Kysely<CaseloadDb>, anchor: AuditAnchor | null, file: string): Promise<void> {
  if (!anchor || anchor.count === 0) return;
  const event = await db.selectFrom('audit_event').select('hash').where('seq', '=', anchor.count).executeTakeFirst();
  if (event?.hash !== anchor.hash) {
    throw new AppError(
      'STORE_ROLLED_BACK',
      `The caseload database ${file} is older than its key file records (audit event ${anchor.count} is ${event ? 'different' : 'missing'}): it may have been replaced with an earlier copy. Restore from a backup, or ask your service's IT team.`,
      { file },
    );
  }
}

/**
 * What every database must be before it is used or restored: the schema the migrations make, no broken
 * references, and an owner who is in its team directory. Returns the owner and what `settings` records.
 */
async function inspectDatabase(
  sqlite: Sqlite,
  db: Kysely<CaseloadDb>,
  file: string,
  nativeBinding: string | undefined,
): Promise<{ owner: OpenStore['owner']; storeId: string | null; keyFileVersion: string | null }> {
  await assertSchema(sqlite, file, nativeBinding);
  const damaged = (why: string) => new AppError('STORE_CORRUPT', `The caseload database ${file} is damaged (${why}).`, { file });
  if ((sqlite.pragma('foreign_key_check') as unknown[]).length > 0) throw damaged('records refer to records that are not there');
  const settings = new Map((await db.selectFrom('settings').select(['key', 'value']).execute()).map((r) => [r.key, r.value]));
  const ownerId = settings.get('owner_user_id');
  const owner = ownerId ? await db.selectFrom('users').select(['id', 'display_name', 'role']).where('id', '=', ownerId).executeTakeFirst() : undefined;
  if (!owner) throw damaged('it has no owner recorded');
  return {
    owner: { id: owner.id, displayName: owner.display_name, role: owner.role as Role },
    storeId: settings.get('store_id') ?? null,
    keyFileVersion: settings.get('key_file_version') ?? null,
  };
}
