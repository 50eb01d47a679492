import { sql } from 'kysely';
import { AppError } from '../../../shared/contract/errors';
import { appendAudit } from '../audit/auditChain';
import type { CaseloadContext } from '../caseload/context';
import type { Enrolment, SyncLocalStore } from './localStore';

interface StateRow {
  server_url: string | null;
  token: string | null;
  device_id: string | null;
  user_id: string | null;
  team_id: string | null;
  enrolled_at: string | null;
  last_synced_at: string | null;
}

const notYet = (what: string) => () => {
  throw new AppError('INTERNAL', `Sync's ${what} is not available in this build yet.`);
};

/**
 * The runtime's port bound to the encrypted store's sync tables (migration 0004). The outbox, inbox, identity
 * adoption, directory and conflicts are the store's own functions (branch sync-client); this file only binds them.
 */
export function sqliteSyncStore(ctx: CaseloadContext): SyncLocalStore {
  const { db } = ctx;
  return {
    async enrolment(): Promise<Enrolment | null> {
      const { rows } = await sql<StateRow>`select server_url, token, device_id, user_id, team_id, last_synced_at, null as enrolled_at from sync_state where id = 1`.execute(db);
      const row = rows[0];
      if (!row?.server_url || !row.token || !row.device_id || !row.user_id || !row.team_id) return null;
      return {
        serverUrl: row.server_url,
        token: row.token,
        deviceId: row.device_id,
        userId: row.user_id,
        teamId: row.team_id,
        enrolledAt: row.enrolled_at ?? row.last_synced_at ?? ctx.now().toISOString(),
        lastSyncedAt: row.last_synced_at,
      };
    },
    async enrol(serverUrl, reply) {
      await db.transaction().execute(async (trx) => {
        await sql`update sync_state set server_url = ${serverUrl}, token = ${reply.token}, device_id = ${reply.device_id}, user_id = ${reply.user_id}, team_id = ${reply.team_id}, local_owner_id = ${ctx.actorId} where id = 1`.execute(trx);
        await appendAudit(trx, { actorId: ctx.actorId, action: 'enrol', entity: 'store', entityIds: [reply.device_id] }, ctx.now());
      });
    },
    async markSynced(serverTime) {
      await sql`update sync_state set last_synced_at = ${serverTime} where id = 1`.execute(db);
    },
    async recordSignOut(actorId) {
      await appendAudit(db, { actorId, action: 'sign-out', entity: 'store', entityIds: [] }, ctx.now());
    },
    async counts() {
      const { rows } = await sql<{ pending: number; refused: number; conflicts: number }>`select
          (select count(*) from sync_outbox where state in ('pending', 'sealed')) as pending,
          (select count(*) from sync_outbox where state = 'refused') as refused,
          (select count(*) from sync_conflicts where status = 'open' and deleted_at is null) as conflicts`.execute(db);
      const row = rows[0]!;
      return { pending: Number(row.pending), refused: Number(row.refused), openConflicts: Number(row.conflicts) };
    },
    async awaitingSync(table, rowId) {
      const { rows } = await sql`select 1 from sync_outbox where table_name = ${table} and row_id = ${rowId} and state in ('pending', 'sealed') limit 1`.execute(db);
      return rows.length > 0;
    },
    outbox: notYet('outbox'),
    inbox: notYet('inbox'),
    applyDirectory: notYet('directory'),
    unsentAudit: notYet('audit push'),
    markAuditSent: notYet('audit push'),
    conflicts: notYet('conflicts list'),
    resolveConflict: notYet('conflict merge'),
  };
}
