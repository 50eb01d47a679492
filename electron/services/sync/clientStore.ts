import { sql } from 'kysely';
import { appendAudit } from '../audit/auditChain';
import type { CaseloadContext } from '../caseload/context';
import { listConflicts, resolveConflict, setAsideRefused } from './conflicts';
import { adoptServerIdentity, applyDirectory, auditAckedHead, auditEventsAfter, recordAuditAck, recordEnrolment } from './identity';
import { SqliteInbox } from './inbox';
import type { Enrolment, SyncLocalStore } from './localStore';
import { SqliteOutbox } from './outbox';

/**
 * The runtime's port bound to the store's own sync functions (migration 0004; outbox.ts, inbox.ts, identity.ts).
 * Nothing here decides how rows are sealed, applied or adopted: it only hands the session's context to them.
 */
export function sqliteSyncStore(ctx: CaseloadContext): SyncLocalStore {
  const { db } = ctx;
  const options = { actorId: ctx.actorId, now: ctx.now };
  const outbox = new SqliteOutbox(db, options);
  return {
    async enrolment(): Promise<Enrolment | null> {
      const row = await db.selectFrom('sync_state').selectAll().where('id', '=', 1).executeTakeFirst();
      if (!row?.server_url || !row.token || !row.device_id || !row.user_id || !row.team_id) return null;
      return { serverUrl: row.server_url, token: row.token, deviceId: row.device_id, userId: row.user_id, teamId: row.team_id, lastSyncedAt: row.last_synced_at };
    },
    async enrol(serverUrl, reply) {
      await recordEnrolment(db, { serverUrl, enrolment: reply, localOwnerId: ctx.actorId });
      try {
        await adoptServerIdentity(db, ctx.actorId, reply.user_id, ctx.now());
        await appendAudit(db, { actorId: reply.user_id, action: 'enrol', entity: 'store', entityIds: [reply.device_id] }, ctx.now());
      } catch (error) {
        // Each step is its own transaction (identity.ts): a failed adoption must not leave a half-enrolled device.
        await db.updateTable('sync_state').set({ server_url: null, device_id: null, user_id: null, team_id: null, token: null, local_owner_id: null }).where('id', '=', 1).execute();
        throw error;
      }
    },
    async recordSignOut(actorId) {
      await appendAudit(db, { actorId, action: 'sign-out', entity: 'store', entityIds: [] }, ctx.now());
    },
    async counts() {
      const { pending, refused } = await outbox.counts();
      const { rows } = await sql<{ n: number }>`select count(*) as n from sync_conflicts where status = 'open' and deleted_at is null`.execute(db);
      return { pending, refused, openConflicts: Number(rows[0]?.n ?? 0) };
    },
    outbox: () => outbox,
    inbox: () => new SqliteInbox(db, options),
    applyDirectory: (directory) => applyDirectory(db, directory, ctx.actorId, ctx.now()),
    unsentAudit: async (limit) => auditEventsAfter(db, (await auditAckedHead(db)).seq, limit),
    markAuditSent: (ack) => recordAuditAck(db, ack),
    conflicts: (status) => listConflicts(ctx, status),
    resolveConflict: (input) => resolveConflict(ctx, input),
    setAsideRefused: (opId) => setAsideRefused(ctx, opId),
  };
}
