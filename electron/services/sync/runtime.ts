import { AppError } from '../../../shared/contract/errors';
import type { SyncStatus } from '../../../shared/contract/sync';
import type { CaseloadContext } from '../caseload/context';
import { refuse } from '../caseload/records';
import type { LocalStoreFactory, SyncLocalStore } from './localStore';
import { syncRound } from './round';
import { SyncScheduler, type SchedulerOptions } from './scheduler';
import { DEFAULT_STALE_AFTER_HOURS, syncStatusOf } from './status';
import { enrolDevice, httpTransport, SyncTransportError } from './transport';

/** What the runtime needs from the session that owns it (the engine), and nothing more. */
export interface SessionHost {
  /** Throws LOCKED (or NOT_SET_UP) when there is no open store. */
  context(): CaseloadContext;
  /** Re-reads the owner after enrolment made the server's user the local owner. */
  refreshOwner(): Promise<void>;
  /** Closes the store and removes its files (database, companions, key file): sign-out's last step. */
  forgetStore(): Promise<void>;
}

export interface SyncRuntimeOptions {
  localStore: LocalStoreFactory;
  staleAfterHours?: () => number;
  scheduler?: Omit<SchedulerOptions, 'runRound'>;
  /** How long the signing barrier waits for the server to answer /v1/status (issue #9 §3: 5 s). */
  barrierTimeoutMs?: number;
  now?: () => Date;
}

const AUDIT_BATCH = 500;

/**
 * The app's sync client for one device: owned by the unlocked session (started when it opens, stopped before
 * the store closes), it runs rounds on the scheduler, enrols and signs out, and reports status for the badge.
 * The token never leaves the encrypted store except in the Authorization header to the enrolled server.
 */
export class SyncRuntime {
  private scheduler: SyncScheduler | null = null;
  private readonly now: () => Date;

  constructor(
    private readonly host: SessionHost,
    private readonly options: SyncRuntimeOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  private store(): SyncLocalStore {
    return this.options.localStore(this.host.context());
  }

  private ensureScheduler(): SyncScheduler {
    this.scheduler ??= new SyncScheduler({ now: this.now, ...this.options.scheduler, runRound: (signal) => this.round(signal) });
    return this.scheduler;
  }

  /** The session opened (unlock, setup, restore): sync starts at once when this device is enrolled. */
  async opened(): Promise<void> {
    if (await this.store().enrolment()) this.ensureScheduler().start();
  }

  /** The session is about to close: no round may outlive it. */
  async closing(): Promise<void> {
    const scheduler = this.scheduler;
    this.scheduler = null;
    await scheduler?.stop();
  }

  /** After a contract call that may have written: a round soon, if anything is waiting to go. */
  async afterCall(): Promise<void> {
    if (!this.scheduler) return;
    if ((await this.store().counts()).pending > 0) this.scheduler.nudge();
  }

  /** One round: the change log (push, then pull), then the audit chain, then the team directory. */
  private async round(signal: AbortSignal): Promise<void> {
    const store = this.store();
    const enrolment = await store.enrolment();
    if (!enrolment) return;
    const server = httpTransport({ baseUrl: enrolment.serverUrl, token: enrolment.token, signal });
    await syncRound(server, store.outbox(), store.inbox());
    for (;;) {
      const events = await store.unsentAudit(AUDIT_BATCH);
      if (events.length === 0) break;
      await store.markAuditSent(await server.pushAudit(events));
      if (events.length < AUDIT_BATCH) break;
    }
    await store.applyDirectory(await server.directory());
    // The directory is authoritative once enrolled: a role or name the team changed applies to this session now.
    await this.host.refreshOwner();
  }

  async status(): Promise<SyncStatus> {
    const store = this.store();
    return syncStatusOf({
      enrolment: await store.enrolment(),
      counts: await store.counts(),
      scheduler: this.scheduler?.snapshot() ?? null,
      now: this.now(),
      staleAfterHours: this.options.staleAfterHours?.() ?? DEFAULT_STALE_AFTER_HOURS,
    });
  }

  /** "Sync now": one round, whatever the backoff says; the status either way. */
  async syncNow(): Promise<SyncStatus> {
    if (await this.store().enrolment()) {
      const scheduler = this.ensureScheduler();
      scheduler.start();
      await scheduler.runNow();
    }
    return this.status();
  }

  /**
   * Enrolment (issue #9 §3): the one-time code for a device token; the token and address into sync_state; the
   * server's user becomes the local owner; the directory replaces the local users; then a round pushes whatever
   * was recorded here before enrolment.
   */
  async enrol(input: { serverUrl: string; code: string }): Promise<SyncStatus> {
    if (await this.store().enrolment()) throw refuse('serverUrl', 'cannot be changed: this device is already enrolled with a team server; sign out first');
    const baseUrl = input.serverUrl.replace(/\/+$/, '');
    let reply;
    try {
      reply = await enrolDevice({ baseUrl, timeoutMs: 10_000 }, input.code);
    } catch (error) {
      throw enrolRefusal(error);
    }
    await this.store().enrol(baseUrl, reply);
    await this.host.refreshOwner();
    try {
      await this.store().applyDirectory(await httpTransport({ baseUrl, token: reply.token }).directory());
      await this.host.refreshOwner();
    } catch {
      // The first round fetches it again; enrolment itself has succeeded.
    }
    const scheduler = this.ensureScheduler();
    scheduler.start();
    await scheduler.runNow();
    return this.status();
  }

  /**
   * Sign-out (issue #9 §3): a round first; refused, naming why, while anything is unsent, refused and not dealt
   * with, or the server cannot be reached to confirm; otherwise the sign-out is audited and sent, the session
   * ends and the store's files are removed. Backups elsewhere are the person's own and are left.
   */
  async signOut(): Promise<SyncStatus> {
    const store = this.store();
    const enrolment = await store.enrolment();
    if (!enrolment) throw refuse('confirm', 'is not needed: this device is not enrolled with a team server');
    const scheduler = this.ensureScheduler();
    scheduler.start();
    await scheduler.runNow();
    const blocked = (why: string) => refuse('confirm', `cannot go ahead yet: ${why}. Nothing was removed`);
    const lastError = scheduler.snapshot().lastError;
    if (lastError) throw blocked(`the team server could not confirm your changes (${lastError.message.replace(/\.$/, '')})`);
    const counts = await this.store().counts();
    if (counts.pending > 0) throw blocked(`${plural(counts.pending, 'change has', 'changes have')} not reached the team server`);
    if (counts.refused > 0) throw blocked(`${plural(counts.refused, 'change was', 'changes were')} refused by the team server and must be dealt with on the Sync screen`);
    const ctx = this.host.context();
    await store.recordSignOut(ctx.actorId);
    // The sign-out event itself reaches the server's copy of this device's chain before the files go.
    await scheduler.runNow();
    if (scheduler.snapshot().lastError) throw blocked('the team server stopped answering while signing out');
    await this.closing();
    await this.host.forgetStore();
    return syncStatusOf({ enrolment: null, counts: { pending: 0, refused: 0, openConflicts: 0 }, scheduler: null, now: this.now(), staleAfterHours: this.options.staleAfterHours?.() ?? DEFAULT_STALE_AFTER_HOURS });
  }

  /**
   * The signing barrier (issue #9 §3): enrolled and the server answers /v1/status within the timeout, a round
   * runs first, so the note is signed on top of the team's record; the answer says whether it did. Offline or
   * slow, signing goes ahead; the note then shows "signed offline" until its outbox entry is acknowledged.
   */
  async barrier(): Promise<boolean> {
    try {
      const enrolment = await this.store().enrolment();
      if (!enrolment) return false;
      await httpTransport({ baseUrl: enrolment.serverUrl, token: enrolment.token }).status(this.options.barrierTimeoutMs ?? 5_000);
    } catch {
      return false; // offline, slow or refused: signing proceeds, and the note shows it is not yet synced
    }
    const scheduler = this.ensureScheduler();
    scheduler.start();
    await scheduler.runNow();
    return scheduler.snapshot().lastError === null;
  }

  /** After a write the barrier let through online: send it now rather than at the next nudge. */
  async sendNow(): Promise<void> {
    await this.scheduler?.runNow();
  }

  conflicts(status: 'open' | 'resolved') {
    return this.store().conflicts(status);
  }

  async setAsideRefused(opId: string): Promise<SyncStatus> {
    await this.store().setAsideRefused(opId);
    return this.status();
  }

  async resolveConflict(input: Parameters<SyncLocalStore['resolveConflict']>[0]) {
    const resolved = await this.store().resolveConflict(input);
    this.scheduler?.nudge();
    return resolved;
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** An enrolment failure names the field to fix: the code (used, expired, mistyped) or the address. */
function enrolRefusal(error: unknown): AppError {
  if (error instanceof SyncTransportError) {
    if (error.code === 'unauthorized' || error.code === 'bad_request') {
      return refuse('code', 'was not accepted: it may be mistyped, used already or expired; ask your team admin for a new one');
    }
    if (error.code === 'version_unsupported') return refuse('serverUrl', 'runs a different sync version: this app must be updated before it can enrol');
    if (error.code === 'rate_limited') return refuse('code', 'was tried too often: wait a few minutes, then try again');
    return refuse('serverUrl', 'could not be reached as a team sync server: check the address and that this laptop is online');
  }
  return new AppError('INTERNAL', 'Enrolment stopped on an unexpected problem on this laptop. Nothing was changed.');
}
