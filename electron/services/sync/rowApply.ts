import type { Kysely, Transaction } from 'kysely';
import type { LoggedChange, RowPayload } from '../../../shared/sync/protocol';
import { statementsFor, type Statements } from '../store/database';
import type { CaseloadDb } from '../store/schema';

/**
 * Writing rows the team server sent into the local store, shared by the inbox (pulled pages) and the outbox
 * (changes held back while this device's own write was unanswered). Callers hold a transaction with the
 * `applying` flag set, so these writes never re-enter the outbox. A first sync applies tens of thousands of rows,
 * so these run as prepared statements on the store's own connection (inside the caller's transaction), not
 * through the query builder.
 */
export type Trx = Transaction<CaseloadDb>;

/** Tables whose rows are final once written (a BEFORE UPDATE trigger aborts any change): insert only. */
const APPEND_ONLY = new Set(['note_versions']);

export interface AppliedSeq {
  server_seq: number;
  latest_seq: number;
  latest_change: string;
}

const columnsCache = new Map<string, ReadonlySet<string> | null>();

/** Table and column names only ever come from this store's own schema (pragma table_info), never from a payload. */
export const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

export class ServerRows {
  constructor(private readonly statements: Statements) {}

  /** The columns this store's table has, or null when the table is unknown here (a newer schema's table). */
  columns(table: string): ReadonlySet<string> | null {
    if (columnsCache.has(table)) return columnsCache.get(table)!;
    const rows = this.statements.prepare('select name from pragma_table_info(?)').all(table) as { name: string }[];
    const columns = rows.length === 0 ? null : new Set(rows.map((r) => r.name));
    columnsCache.set(table, columns);
    return columns;
  }

  setApplying(on: boolean): void {
    this.statements.prepare('update sync_state set applying = ? where id = 1').run(on ? 1 : 0);
    // Rows of one page may arrive child before parent (a backfill); references are checked at commit instead.
    if (on) this.statements.prepare('pragma defer_foreign_keys = on').run();
  }

  hasOutstandingWrite(table: string, rowId: string): boolean {
    return (
      this.statements.prepare(`select 1 as found from sync_outbox where table_name = ? and row_id = ? and state in ('pending', 'sealed') limit 1`).get(table, rowId) !==
      undefined
    );
  }

  /** Whether anything at all waits in the outbox: when not, no row of a page needs the per-row check. */
  anyOutstandingWrite(): boolean {
    return this.statements.prepare(`select 1 as found from sync_outbox where state in ('pending', 'sealed') limit 1`).get() !== undefined;
  }

  appliedSeq(table: string, rowId: string): AppliedSeq | undefined {
    return this.statements.prepare('select server_seq, latest_seq, latest_change from sync_rows where table_name = ? and row_id = ?').get(table, rowId) as AppliedSeq | undefined;
  }

  /** Writes the server's row as it is (only the columns this store has), or its tombstone; records its server_seq. */
  write(change: LoggedChange): void {
    const columns = this.columns(change.table);
    if (!columns) return;
    // A tombstone that carries the row's last content (a back-fill of a deleted row) is written first, so rows
    // that still refer to it find it; then it is marked deleted like any other.
    if (change.tombstone && change.payload) this.upsert(change, columns);
    if (change.tombstone) {
      // A tombstone never hard-deletes: the row stays, marked, so nothing can bring it back unnoticed.
      if (!APPEND_ONLY.has(change.table)) {
        this.statements.prepare(`update ${quoted(change.table)} set deleted_at = coalesce(deleted_at, ?) where id = ?`).run(change.received_at, change.row_id);
      }
    } else {
      this.upsert(change, columns);
    }
    this.record(change, change.server_seq);
  }

  private upsert(change: LoggedChange, columns: ReadonlySet<string>): void {
    const payload: RowPayload = { ...(change.payload ?? {}), id: change.row_id };
    const names = Object.keys(payload).filter((c) => columns.has(c));
    const values = names.map((c) => {
      const v = payload[c];
      return typeof v === 'boolean' ? (v ? 1 : 0) : v;
    });
    const insert = `insert into ${quoted(change.table)} (${names.map(quoted).join(', ')}) values (${names.map(() => '?').join(', ')})`;
    const updatable = names.filter((c) => c !== 'id');
    const statement =
      APPEND_ONLY.has(change.table) || updatable.length === 0
        ? `${insert} on conflict (id) do nothing`
        : `${insert} on conflict (id) do update set ${updatable.map((c) => `${quoted(c)} = excluded.${quoted(c)}`).join(', ')}`;
    this.statements.prepare(statement).run(values);
  }

  /** Remembers the server's newest version of a row; `applied` is the seq the local row now holds, if it moved. */
  record(change: LoggedChange, applied: number | null): void {
    const latest = JSON.stringify(change);
    if (applied === null) {
      this.statements
        .prepare(
          `insert into sync_rows (table_name, row_id, server_seq, latest_seq, latest_change) values (?, ?, 0, ?, ?)
           on conflict (table_name, row_id) do update set latest_seq = excluded.latest_seq, latest_change = excluded.latest_change`,
        )
        .run(change.table, change.row_id, change.server_seq, latest);
    } else {
      this.statements
        .prepare(
          `insert into sync_rows (table_name, row_id, server_seq, latest_seq, latest_change) values (?, ?, ?, ?, ?)
           on conflict (table_name, row_id) do update set server_seq = excluded.server_seq, latest_seq = excluded.latest_seq, latest_change = excluded.latest_change`,
        )
        .run(change.table, change.row_id, applied, change.server_seq, latest);
    }
  }

  /** Keeps the newest server change of a row this device is still writing, to be applied once the outbox settles. */
  hold(change: LoggedChange): void {
    const current = this.appliedSeq(change.table, change.row_id);
    if (current && current.latest_seq >= change.server_seq) return;
    this.record(change, null);
  }

  /**
   * Once nothing of this device's is outstanding for the row, brings it to the team's newest version: a change
   * held back meanwhile, or (`revert`, when the server did not take this device's write as it stood) the version
   * the team holds. Returns whether the row was written.
   */
  release(table: string, rowId: string, revert: boolean): boolean {
    if (this.hasOutstandingWrite(table, rowId)) return false;
    const current = this.appliedSeq(table, rowId);
    if (!current || (current.latest_seq <= current.server_seq && !revert)) return false;
    this.write(JSON.parse(current.latest_change) as LoggedChange);
    return true;
  }
}

export function serverRows(db: Kysely<CaseloadDb>): ServerRows {
  return new ServerRows(statementsFor(db));
}
