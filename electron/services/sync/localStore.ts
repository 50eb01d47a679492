import type { SyncConflict } from '../../../shared/contract/sync';
import type { AuditEventWire, AuditPushResponse, DirectoryResponse, EnrolResponse } from '../../../shared/sync/protocol';
import type { CaseloadContext } from '../caseload/context';
import type { Inbox, Outbox } from './round';

/** What this device holds about its enrolment (sync_state), the token included: it lives in the encrypted store only. */
export interface Enrolment {
  serverUrl: string;
  token: string;
  deviceId: string;
  userId: string;
  teamId: string;
  /** Server time of the last page pulled (the inbox records it with the page). */
  lastSyncedAt: string | null;
}

export interface LocalCounts {
  /** Outbox entries not yet acknowledged by the server. */
  pending: number;
  /** Changes the server refused for good (forbidden), kept for the user. */
  refused: number;
  openConflicts: number;
}

/**
 * The sync bookkeeping the runtime stands on, inside the encrypted store (migration 0004: sync_outbox, sync_state,
 * sync_rows, sync_conflicts). The runtime only schedules, talks to the server and reports; the store side is
 * this port, bound to the store's own functions in clientStore.ts.
 */
export interface SyncLocalStore {
  enrolment(): Promise<Enrolment | null>;
  /**
   * Records the enrolment (token and server address in sync_state) and makes the server's user the local owner
   * (the device's pre-enrolment records keep their rows; their author becomes the server's id), in one
   * transaction with its audit event.
   */
  enrol(serverUrl: string, reply: EnrolResponse): Promise<void>;
  /** The audit event of a sign-out, written before the store's files are removed. */
  recordSignOut(actorId: string): Promise<void>;
  outbox(): Outbox;
  inbox(): Inbox;
  counts(): Promise<LocalCounts>;
  applyDirectory(directory: DirectoryResponse): Promise<void>;
  /** Audit events the server has not acknowledged yet, oldest first. */
  unsentAudit(limit: number): Promise<AuditEventWire[]>;
  markAuditSent(ack: AuditPushResponse): Promise<void>;
  conflicts(status: 'open' | 'resolved'): Promise<SyncConflict[]>;
  resolveConflict(input: { id: string; version: number; fields: SyncConflict['mine']['fields']; note?: string | undefined }): Promise<SyncConflict>;
  setAsideRefused(opId: string): Promise<void>;
}

export type LocalStoreFactory = (ctx: CaseloadContext) => SyncLocalStore;
