import { sql, type Kysely } from 'kysely';
import type { PullResponse } from '../../../shared/sync/protocol';
import { SYNCED_TABLES, TABLE_POLICY, type SyncedTable } from '../../../shared/sync/tables';
import { appendAudit } from '../audit/auditChain';
import type { CaseloadDb } from '../store/schema';
import type { Inbox } from './round';
import { appliedSeq, hasOutstandingWrite, holdServerRow, localColumns, setApplying, type Trx } from './rowApply';
import { writeServerRow } from './rowApply';

/**
 * Pulled pages land here (DESIGN §5.7). The transport has verified the page's checksum; `apply` writes its rows,
 * its purges, the server's clock and the new cursor in ONE transaction, so a crash leaves page and cursor
 * together and pulling resumes from the old cursor, re-applying idempotently.
 */
export class SqliteInbox implements Inbox {
  constructor(
    private readonly db: Kysely<CaseloadDb>,
    private readonly options: { actorId: string; now?: () => Date; /** test seam: runs just before commit */ beforeCommit?: () => void },
  ) {}

  async cursor(): Promise<number> {
    const state = await this.db.selectFrom('sync_state').select('cursor').where('id', '=', 1).executeTakeFirstOrThrow();
    return state.cursor;
  }

  async apply(page: PullResponse): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await setApplying(trx, true);
      let applied = 0;
      for (const change of page.changes) {
        // A table from a newer schema than this store's: its rows wait until the app is updated and pulls again.
        if (!(await localColumns(trx, change.table))) continue;
        const current = await appliedSeq(trx, change.table, change.row_id);
        if (current && current.server_seq >= change.server_seq) continue; // repeats and backfills never go back
        if (await hasOutstandingWrite(trx, change.table, change.row_id)) {
          // Keep the user's change; the server judges our push, then the held change settles the row.
          await holdServerRow(trx, change);
          continue;
        }
        await writeServerRow(trx, change);
        applied++;
      }
      const purged: string[] = [];
      for (const patientId of page.purge) if (await purgePatient(trx, patientId)) purged.push(patientId);

      const at = this.options.now?.() ?? new Date();
      if (applied > 0) await appendAudit(trx, { actorId: this.options.actorId, action: 'sync-apply', entity: 'sync_page', entityIds: [String(page.next_cursor)] }, at);
      if (purged.length > 0) await appendAudit(trx, { actorId: this.options.actorId, action: 'purge', entity: 'patient', entityIds: purged }, at);
      await trx.updateTable('sync_state').set({ cursor: page.next_cursor, last_synced_at: page.server_time }).where('id', '=', 1).execute();
      this.options.beforeCommit?.();
      await setApplying(trx, false);
    });
  }
}

/** Tables ordered so that every table comes after the one its scope key goes through (parents first). */
const PARENTS_FIRST: readonly SyncedTable[] = (() => {
  const depth = (t: SyncedTable): number => {
    const scope = TABLE_POLICY[t].scope;
    return scope.kind === 'via' ? 1 + depth(scope.table) : scope.kind === 'column' ? 1 : 0;
  };
  return SYNCED_TABLES.filter((t) => TABLE_POLICY[t].scope.kind !== 'team').sort((a, b) => depth(a) - depth(b));
})();

/** The ids of every row, table by table, whose scope key leads to this patient. */
async function rowsOfPatient(trx: Trx, patientId: string): Promise<Map<SyncedTable, string[]>> {
  const ids = new Map<SyncedTable, string[]>();
  for (const table of PARENTS_FIRST) {
    if (!(await localColumns(trx, table))) continue;
    const scope = TABLE_POLICY[table].scope;
    let found: string[] = [];
    if (scope.kind === 'self') found = [patientId];
    else if (scope.kind === 'column') {
      found = (await sql<{ id: string }>`select id from ${sql.table(table)} where ${sql.ref(scope.column)} = ${patientId}`.execute(trx)).rows.map((r) => r.id);
    } else if (scope.kind === 'via') {
      const parents = ids.get(scope.table) ?? [];
      if (parents.length > 0) {
        found = (await sql<{ id: string }>`select id from ${sql.table(table)} where ${sql.ref(scope.column)} in (${sql.join(parents)})`.execute(trx)).rows.map((r) => r.id);
      }
    }
    ids.set(table, found);
  }
  return ids;
}

/**
 * Removes a patient who left this device's scope (DESIGN §5.6): every row whose scope key leads to them, children
 * first, and their sync bookkeeping. Refused while any of those rows has a change not yet answered by the
 * server: the patient stays until a later pull, after the push. Refused changes stay in the outbox for the user.
 */
async function purgePatient(trx: Trx, patientId: string): Promise<boolean> {
  const ids = await rowsOfPatient(trx, patientId);
  for (const [table, rowIds] of ids) {
    for (const rowId of rowIds) if (await hasOutstandingWrite(trx, table, rowId)) return false;
  }
  for (const table of [...PARENTS_FIRST].reverse()) {
    const rowIds = ids.get(table) ?? [];
    if (rowIds.length === 0) continue;
    await sql`delete from ${sql.table(table)} where id in (${sql.join(rowIds)})`.execute(trx);
    await trx.deleteFrom('sync_rows').where('table_name', '=', table).where('row_id', 'in', rowIds).execute();
  }
  return true;
}
