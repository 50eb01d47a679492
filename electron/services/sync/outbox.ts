import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { LoggedChange, PushAck, RowPayload, SyncCommand } from '../../../shared/sync/protocol';
import type { SyncedTable } from '../../../shared/sync/tables';
import { appendAudit } from '../audit/auditChain';
import { MIGRATION_NAMES } from '../store/migrations';
import type { Selectable } from 'kysely';
import type { CaseloadDb, SyncOutboxTable } from '../store/schema';
import type { Outbox } from './round';
import { serverRows } from './rowApply';

/**
 * The outbox in the store (migration 0004). Triggers on every synced table record a pending entry per changed
 * row; `pending` seals entries into commands (op_id, the next mutation_seq, the whole row frozen) and a sealed
 * command is resent unchanged until the server answers for it, so a lost reply can only ever produce a
 * duplicate, never a second write. `settle` applies the server's answers.
 */
export class SqliteOutbox implements Outbox {
  constructor(
    private readonly db: Kysely<CaseloadDb>,
    private readonly options: { actorId: string; now?: () => Date; schemaVersion?: number },
  ) {}

  async pending(limit: number): Promise<SyncCommand[]> {
    return this.db.transaction().execute(async (trx) => {
      const { n } = await trx.selectFrom('sync_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'sealed').executeTakeFirstOrThrow();
      const toSeal = await trx.selectFrom('sync_outbox').selectAll().where('state', '=', 'pending').orderBy('seq').limit(Math.max(0, limit - Number(n))).execute();
      if (toSeal.length > 0) {
        let { next_mutation_seq: next } = await trx.selectFrom('sync_state').select('next_mutation_seq').where('id', '=', 1).executeTakeFirstOrThrow();
        for (const entry of toSeal) {
          const row = (await sql<RowPayload>`select * from ${sql.table(entry.table_name)} where id = ${entry.row_id}`.execute(trx)).rows[0];
          if (!row) {
            // Purged with its patient (which waits for the outbox) or never committed: nothing left to send.
            await trx.deleteFrom('sync_outbox').where('seq', '=', entry.seq).execute();
            continue;
          }
          const tombstone = row.deleted_at !== null && row.deleted_at !== undefined;
          if (tombstone && entry.base_version === 0 && !serverRows(this.db).appliedSeq(entry.table_name, entry.row_id)) {
            // Made and deleted here before the team ever saw it: there is nothing to tell the team.
            await trx.deleteFrom('sync_outbox').where('seq', '=', entry.seq).execute();
            continue;
          }
          await trx
            .updateTable('sync_outbox')
            .set({
              state: 'sealed',
              op_id: uuidv7(),
              mutation_seq: next++,
              payload: tombstone ? null : JSON.stringify(row),
              tombstone: tombstone ? 1 : 0,
              row_version: Number(row.version),
            })
            .where('seq', '=', entry.seq)
            .execute();
        }
        await trx.updateTable('sync_state').set({ next_mutation_seq: next }).where('id', '=', 1).execute();
      }
      const sealed = await trx.selectFrom('sync_outbox').selectAll().where('state', '=', 'sealed').orderBy('mutation_seq').limit(limit).execute();
      return sealed.map((e) => this.command(e));
    });
  }

  private command(entry: Selectable<SyncOutboxTable>): SyncCommand {
    return {
      op_id: entry.op_id!,
      mutation_seq: entry.mutation_seq!,
      schema_version: this.options.schemaVersion ?? MIGRATION_NAMES.length,
      table: entry.table_name as SyncedTable,
      row_id: entry.row_id,
      row_version: entry.row_version!,
      base_version: entry.base_version,
      tombstone: entry.tombstone === 1,
      payload: entry.tombstone === 1 ? null : (JSON.parse(entry.payload!) as RowPayload),
    };
  }

  /**
   * applied, merged, conflict, duplicate, tombstoned: answered for good, removed (the pull brings the team's
   * row). forbidden: kept as refused with its reason, for the user; so is a duplicate the server never logged
   * (server_seq null: its first answer, lost in transit, was a refusal or a tombstone). gap: untouched, resent
   * in order. Once a
   * row has nothing outstanding it returns to the team's newest version known here (a change held back while
   * the write was unanswered, or, when the write was not taken as it stood, the version before it), so a
   * refused or conflicting write never lingers as if accepted; its content stays in the refused entry or the
   * conflict row, and the pull brings any merge.
   */
  async settle(acks: readonly PushAck[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const rows = serverRows(this.db);
      rows.setApplying(true);
      const released: string[] = [];
      for (const ack of acks) {
        if (ack.status === 'gap') continue;
        const entry = await trx.selectFrom('sync_outbox').selectAll().where('op_id', '=', ack.op_id).where('state', '=', 'sealed').executeTakeFirst();
        if (!entry) continue; // answered before (a duplicated reply)
        if (ack.status === 'forbidden') {
          await trx.updateTable('sync_outbox').set({ state: 'refused', refused_reason: ack.reason }).where('seq', '=', entry.seq).execute();
        } else if (ack.status === 'duplicate' && ack.server_seq === null) {
          // Received before but never logged: its first answer (forbidden, or tombstoned) was lost in transit.
          // Which one cannot be known now, so the change is kept for the user rather than dropped unseen.
          await trx.updateTable('sync_outbox').set({ state: 'refused', refused_reason: 'not_logged' }).where('seq', '=', entry.seq).execute();
        } else {
          await trx.deleteFrom('sync_outbox').where('seq', '=', entry.seq).execute();
        }
        const rest = await trx.selectFrom('sync_outbox').select('seq').where('table_name', '=', entry.table_name).where('row_id', '=', entry.row_id).where('state', 'in', ['pending', 'sealed']).executeTakeFirst();
        if (rest) continue;
        if (ack.status === 'applied') {
          // The row here is exactly what the log holds at that seq: older changes of it are superseded.
          const current = rows.appliedSeq(entry.table_name, entry.row_id);
          if (!current || current.latest_seq <= ack.server_seq) {
            const change: LoggedChange = {
              server_seq: ack.server_seq,
              op_id: entry.op_id!,
              client_id: '',
              table: entry.table_name,
              row_id: entry.row_id,
              row_version: entry.row_version!,
              tombstone: entry.tombstone === 1,
              payload: entry.payload === null ? null : (JSON.parse(entry.payload) as RowPayload),
              received_at: entry.created_at,
            };
            rows.record(change, ack.server_seq);
          }
        }
        if (rows.release(entry.table_name, entry.row_id, ack.status !== 'applied')) released.push(entry.row_id);
      }
      if (released.length > 0) {
        await appendAudit(trx, { actorId: this.options.actorId, action: 'sync-apply', entity: 'row', entityIds: released }, this.options.now?.() ?? new Date());
      }
      rows.setApplying(false);
    });
  }

  /** What the badge counts: changes not yet accepted, and changes the server refused for good. */
  async counts(): Promise<{ pending: number; refused: number }> {
    const rows = await this.db.selectFrom('sync_outbox').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
    const of = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
    return { pending: of('pending') + of('sealed'), refused: of('refused') };
  }
}
