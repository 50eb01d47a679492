import { sql } from 'kysely';
import type { Trx } from '../caseload/records';

export type RowSyncState = 'synced' | 'pending' | 'conflict' | null;

/**
 * Where one row stands with the team's record, derived from the outbox and the conflicts (never stored): null on
 * a device that is not enrolled (an island has nothing to wait for), `conflict` while a conflict about it is open,
 * `pending` while a change of it waits unacknowledged (a note "signed offline — not yet synced"), else `synced`.
 */
export async function rowSyncState(trx: Trx, table: string, rowId: string): Promise<RowSyncState> {
  const { rows } = await sql<{ enrolled: number; pending: number; conflict: number }>`select
      (select count(*) from sync_state where id = 1 and token is not null) as enrolled,
      (select count(*) from sync_outbox where table_name = ${table} and row_id = ${rowId} and state in ('pending', 'sealed')) as pending,
      (select count(*) from sync_conflicts where table_name = ${table} and row_id = ${rowId} and status = 'open' and deleted_at is null) as conflict`.execute(trx);
  const row = rows[0];
  if (!row || Number(row.enrolled) === 0) return null;
  if (Number(row.conflict) > 0) return 'conflict';
  return Number(row.pending) > 0 ? 'pending' : 'synced';
}
