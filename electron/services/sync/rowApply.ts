import { sql, type Kysely, type Transaction } from 'kysely';
import type { LoggedChange, RowPayload } from '../../../shared/sync/protocol';
import type { CaseloadDb } from '../store/schema';

/**
 * Writing rows the team server sent into the local store, shared by the inbox (pulled pages) and the outbox
 * (changes held back while this device's own write was unanswered). Callers hold a transaction with the
 * `applying` flag set, so these writes never re-enter the outbox.
 */
export type Trx = Transaction<CaseloadDb>;
type Db = Trx | Kysely<CaseloadDb>;

/** Tables whose rows are final once written (a BEFORE UPDATE trigger aborts any change): insert only. */
const APPEND_ONLY = new Set(['note_versions']);

const columnsCache = new Map<string, ReadonlySet<string> | null>();

/** The columns this store's table has, or null when the table is unknown here (a newer schema's table). */
export async function localColumns(db: Db, table: string): Promise<ReadonlySet<string> | null> {
  if (columnsCache.has(table)) return columnsCache.get(table)!;
  const rows = (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db)).rows;
  const columns = rows.length === 0 ? null : new Set(rows.map((r) => r.name));
  columnsCache.set(table, columns);
  return columns;
}

export async function setApplying(trx: Trx, on: boolean): Promise<void> {
  await trx.updateTable('sync_state').set({ applying: on ? 1 : 0 }).where('id', '=', 1).execute();
  // Rows of one page may arrive child before parent (a backfill); references are checked at commit instead.
  if (on) await sql`pragma defer_foreign_keys = on`.execute(trx);
}

export async function hasOutstandingWrite(trx: Trx, table: string, rowId: string): Promise<boolean> {
  const entry = await trx
    .selectFrom('sync_outbox')
    .select('seq')
    .where('table_name', '=', table)
    .where('row_id', '=', rowId)
    .where('state', 'in', ['pending', 'sealed'])
    .limit(1)
    .executeTakeFirst();
  return entry !== undefined;
}

export async function appliedSeq(trx: Trx, table: string, rowId: string): Promise<{ server_seq: number; held_seq: number | null; held_change: string | null } | undefined> {
  return trx.selectFrom('sync_rows').select(['server_seq', 'held_seq', 'held_change']).where('table_name', '=', table).where('row_id', '=', rowId).executeTakeFirst();
}

/** Writes the server's row as it is (only the columns this store has), or its tombstone; records its server_seq. */
export async function writeServerRow(trx: Trx, change: LoggedChange): Promise<void> {
  const columns = await localColumns(trx, change.table);
  if (!columns) return;
  const table = sql.table(change.table);
  if (change.tombstone) {
    // A tombstone never hard-deletes: the row stays, marked, so nothing can bring it back unnoticed.
    if (!APPEND_ONLY.has(change.table)) {
      await sql`update ${table} set deleted_at = coalesce(deleted_at, ${change.received_at}) where id = ${change.row_id}`.execute(trx);
    }
  } else {
    const payload: RowPayload = { ...(change.payload ?? {}), id: change.row_id };
    const names = Object.keys(payload).filter((c) => columns.has(c));
    const values = names.map((c) => {
      const v = payload[c];
      return typeof v === 'boolean' ? (v ? 1 : 0) : v;
    });
    const insert = sql`insert into ${table} (${sql.join(names.map((c) => sql.ref(c)))}) values (${sql.join(values)})`;
    const updatable = names.filter((c) => c !== 'id');
    if (APPEND_ONLY.has(change.table) || updatable.length === 0) {
      await sql`${insert} on conflict (id) do nothing`.execute(trx);
    } else {
      const sets = sql.join(updatable.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`));
      await sql`${insert} on conflict (id) do update set ${sets}`.execute(trx);
    }
  }
  await trx
    .insertInto('sync_rows')
    .values({ table_name: change.table, row_id: change.row_id, server_seq: change.server_seq, held_seq: null, held_change: null })
    .onConflict((oc) => oc.columns(['table_name', 'row_id']).doUpdateSet({ server_seq: change.server_seq, held_seq: null, held_change: null }))
    .execute();
}

/** Keeps the newest server change of a row this device is still writing, to be applied once the outbox settles. */
export async function holdServerRow(trx: Trx, change: LoggedChange): Promise<void> {
  const current = await appliedSeq(trx, change.table, change.row_id);
  if (current && (current.held_seq ?? 0) >= change.server_seq) return;
  const held = { held_seq: change.server_seq, held_change: JSON.stringify(change) };
  await trx
    .insertInto('sync_rows')
    .values({ table_name: change.table, row_id: change.row_id, server_seq: 0, ...held })
    .onConflict((oc) => oc.columns(['table_name', 'row_id']).doUpdateSet(held))
    .execute();
}

/** Applies a held change once nothing of this device's is outstanding for the row; returns whether it did. */
export async function releaseHeldRow(trx: Trx, table: string, rowId: string): Promise<boolean> {
  if (await hasOutstandingWrite(trx, table, rowId)) return false;
  const current = await appliedSeq(trx, table, rowId);
  if (!current?.held_change || (current.held_seq ?? 0) <= current.server_seq) return false;
  await writeServerRow(trx, JSON.parse(current.held_change) as LoggedChange);
  return true;
}
