import { sql, type Kysely } from 'kysely';
import type { LoggedChange, PullResponse } from '../../../shared/sync/protocol';
import { SYNCED_TABLES, TABLE_POLICY, type SyncedTable } from '../../../shared/sync/tables';
import { appendAudit } from '../audit/auditChain';
import type { CaseloadDb } from '../store/schema';
import type { Inbox } from './round';
import { statementsFor, type Statements } from '../store/database';
import { quoted, ServerRows, type Trx } from './rowApply';

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

  /**
   * Where to pull from next. The server records a back-fill (rows of a patient newly in scope) as delivered when
   * it serves the page (server/PROTOCOL.md, "Not yet done"), so a page that never got applied here — its reply
   * lost, or a crash before its commit — may have carried rows no later page repeats. Such a loss shows as a
   * pull still open at the next call, and the device then pulls again from 0: every row comes back and is applied
   * only where newer, so nothing is lost and nothing moves backwards.
   */
  async cursor(): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const state = await trx.selectFrom('sync_state').select(['cursor', 'pull_open']).where('id', '=', 1).executeTakeFirstOrThrow();
      if (state.pull_open) return 0;
      await trx.updateTable('sync_state').set({ pull_open: 1 }).where('id', '=', 1).execute();
      return state.cursor;
    });
  }

  async apply(page: PullResponse): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const statements = statementsFor(this.db);
      const rows = new ServerRows(statements);
      rows.setApplying(true);
      // On a first sync nothing waits in the outbox, so no row of the page needs the per-row check.
      const outboxBusy = rows.anyOutstandingWrite();
      const written: Written = new Map();
      let applied = 0;
      for (const change of page.changes) {
        // A table from a newer schema than this store's: its rows wait until the app is updated and pulls again.
        if (!rows.columns(change.table)) continue;
        const current = rows.appliedSeq(change.table, change.row_id);
        if (current && current.server_seq >= change.server_seq) continue; // repeats and backfills never go back
        if (outboxBusy && rows.hasOutstandingWrite(change.table, change.row_id)) {
          // Keep the user's change; the server judges our push, and the outbox settles the row after its answer.
          rows.hold(change);
          continue;
        }
        rows.write(change);
        noteWritten(written, change.table, change.row_id);
        applied++;
      }
      // The server names a departure once; one that must wait for this device's outbox is remembered here.
      const state = await trx.selectFrom('sync_state').select('deferred_purge').where('id', '=', 1).executeTakeFirstOrThrow();
      const purged: string[] = [];
      const deferred: string[] = [];
      // A patient whose row this page carries is in scope again (the server sends nothing outside it): not purged.
      const returned = new Set(page.changes.filter((c) => c.table === 'patients').map((c) => c.row_id));
      const waiting = (JSON.parse(state.deferred_purge) as string[]).filter((id) => !returned.has(id));
      for (const patientId of new Set([...waiting, ...page.purge])) {
        if (await purgePatient(trx, rows, patientId)) purged.push(patientId);
        else deferred.push(patientId);
      }

      parkOrphans(statements, rows, written, purged.length > 0);

      const at = this.options.now?.() ?? new Date();
      if (applied > 0) await appendAudit(trx, { actorId: this.options.actorId, action: 'sync-apply', entity: 'sync_page', entityIds: [String(page.next_cursor)] }, at);
      if (purged.length > 0) await appendAudit(trx, { actorId: this.options.actorId, action: 'purge', entity: 'patient', entityIds: purged }, at);
      await trx.updateTable('sync_state').set({ cursor: page.next_cursor, last_synced_at: page.server_time, deferred_purge: JSON.stringify(deferred), pull_open: 0 }).where('id', '=', 1).execute();
      this.options.beforeCommit?.();
      rows.setApplying(false);
    });
  }
}

/** Tables ordered so that every table comes after the one its scope key goes through (parents first). */
export const PARENTS_FIRST: readonly SyncedTable[] = (() => {
  const depth = (t: SyncedTable): number => {
    const scope = TABLE_POLICY[t].scope;
    return scope.kind === 'via' ? 1 + depth(scope.table) : scope.kind === 'column' ? 1 : 0;
  };
  return SYNCED_TABLES.filter((t) => TABLE_POLICY[t].scope.kind !== 'team').sort((a, b) => depth(a) - depth(b));
})();

/** The ids of every row, table by table, whose scope key leads to this patient. */
async function rowsOfPatient(trx: Trx, rows: ServerRows, patientId: string): Promise<Map<SyncedTable, string[]>> {
  const ids = new Map<SyncedTable, string[]>();
  for (const table of PARENTS_FIRST) {
    if (!rows.columns(table)) continue;
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
 * server: the patient stays (remembered in sync_state.deferred_purge) until a later pull, after the push.
 * Refused changes stay in the outbox for the user.
 */
async function purgePatient(trx: Trx, rows: ServerRows, patientId: string): Promise<boolean> {
  const ids = await rowsOfPatient(trx, rows, patientId);
  for (const [table, rowIds] of ids) {
    for (const rowId of rowIds) if (rows.hasOutstandingWrite(table, rowId)) return false;
  }
  for (const table of [...PARENTS_FIRST].reverse()) {
    const rowIds = ids.get(table) ?? [];
    if (rowIds.length === 0) continue;
    await sql`delete from ${sql.table(table)} where id in (${sql.join(rowIds)})`.execute(trx);
    await trx.deleteFrom('sync_rows').where('table_name', '=', table).where('row_id', 'in', rowIds).execute();
  }
  return true;
}

export type Written = Map<string, Set<string>>;

function noteWritten(written: Written, table: string, rowId: string): void {
  let ids = written.get(table);
  if (!ids) written.set(table, (ids = new Set()));
  ids.add(rowId);
}

interface Reference {
  table: string;
  column: string;
  parent: string;
}

let referencesCache: readonly Reference[] | null = null;

/** Every reference from one synced table's column to another table's id, read once from the schema. */
function references(statements: Statements): readonly Reference[] {
  referencesCache ??= SYNCED_TABLES.flatMap((table) =>
    (statements.prepare('select "from" as column, "table" as parent from pragma_foreign_key_list(?)').all(table) as { column: string; parent: string }[]).map((r) => ({
      table,
      ...r,
    })),
  );
  return referencesCache;
}

/**
 * Rows whose parent has not arrived (a back-fill is ordered by server_seq, not parent first, and a page may end
 * between them) wait, parked in sync_rows, instead of failing the page: each page first retries every parked row
 * once (references are checked at commit, so parent and child may come back in either order), then parks each
 * row it wrote that refers to a missing row, and with it every row that refers to a parked one. Only rows written
 * in this page can be newly orphaned (the store was whole at the last commit), so only they are checked, a few
 * set-wise queries a page; after a purge the whole store is checked.
 */
export function parkOrphans(statements: Statements, rows: ServerRows, written: Written, afterPurge: boolean): void {
  const waiting = statements.prepare('select table_name, row_id, latest_change from sync_rows where latest_seq > server_seq').all() as { table_name: string; row_id: string; latest_change: string }[];
  for (const row of waiting) {
    if (rows.hasOutstandingWrite(row.table_name, row.row_id)) continue;
    rows.write(JSON.parse(row.latest_change) as LoggedChange);
    noteWritten(written, row.table_name, row.row_id);
  }
  let orphans: { table: string; id: string }[] = [];
  if (afterPurge) {
    const violations = statements.prepare('select "table", rowid from pragma_foreign_key_check').all() as { table: string; rowid: number }[];
    for (const v of violations) {
      if (!(SYNCED_TABLES as readonly string[]).includes(v.table)) continue;
      const found = statements.prepare(`select id from ${quoted(v.table)} where rowid = ?`).get(v.rowid) as { id: string } | undefined;
      if (found) orphans.push({ table: v.table, id: found.id });
    }
  } else {
    for (const ref of references(statements)) {
      const ids = written.get(ref.table);
      if (!ids) continue;
      const missing = statements
        .prepare(
          `select t.id from ${quoted(ref.table)} t join json_each(?) j on t.id = j.value
           where t.${quoted(ref.column)} is not null and not exists (select 1 from ${quoted(ref.parent)} p where p.id = t.${quoted(ref.column)})`,
        )
        .all(JSON.stringify([...ids])) as { id: string }[];
      for (const m of missing) orphans.push({ table: ref.table, id: m.id });
    }
  }
  const parked = new Set<string>();
  while (orphans.length > 0) {
    const next: typeof orphans = [];
    for (const { table, id } of orphans) {
      if (parked.has(`${table}/${id}`)) continue;
      parked.add(`${table}/${id}`);
      // Its children point at nothing once it goes: they wait with it.
      for (const child of references(statements).filter((r) => r.parent === table)) {
        for (const c of statements.prepare(`select id from ${quoted(child.table)} where ${quoted(child.column)} = ?`).all(id) as { id: string }[]) next.push({ table: child.table, id: c.id });
      }
      statements.prepare(`delete from ${quoted(table)} where id = ?`).run(id);
      statements.prepare('update sync_rows set server_seq = 0 where table_name = ? and row_id = ?').run(table, id);
    }
    orphans = next;
  }
}
