import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { PushAck, RowPayload, SyncCommand } from '../../../shared/sync/protocol';
import type { SyncedTable } from '../../../shared/sync/tables';
import { appendAudit } from '../audit/auditChain';
import { MIGRATION_NAMES } from '../store/migrations';
import type { Selectable } from 'kysely';
import type { CaseloadDb, SyncOutboxTable } from '../store/schema';
import type { Outbox } from './round';
import { releaseHeldRow, setApplying } from './rowApply';

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
   * row). forbidden: kept as refused with its reason, for the user. gap: untouched, resent in order. Once a
   * row has nothing outstanding, a pulled change held back for it is applied, so the row ends as the team has it.
   */
  async settle(acks: readonly PushAck[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await setApplying(trx, true);
      const released: string[] = [];
      for (const ack of acks) {
        if (ack.status === 'gap') continue;
        const entry = await trx.selectFrom('sync_outbox').selectAll().where('op_id', '=', ack.op_id).where('state', '=', 'sealed').executeTakeFirst();
        if (!entry) continue; // answered before (a duplicated reply)
        if (ack.status === 'forbidden') {
          await trx.updateTable('sync_outbox').set({ state: 'refused', refused_reason: ack.reason }).where('seq', '=', entry.seq).execute();
        } else {
          await trx.deleteFrom('sync_outbox').where('seq', '=', entry.seq).execute();
        }
        const rest = await trx.selectFrom('sync_outbox').select('seq').where('table_name', '=', entry.table_name).where('row_id', '=', entry.row_id).where('state', 'in', ['pending', 'sealed']).executeTakeFirst();
        if (rest) continue;
        if (ack.status === 'applied') {
          // The row here is exactly what the log holds at that seq: older changes of it are superseded.
          await trx
            .insertInto('sync_rows')
            .values({ table_name: entry.table_name, row_id: entry.row_id, server_seq: ack.server_seq, held_seq: null, held_change: null })
            .onConflict((oc) => oc.columns(['table_name', 'row_id']).doUpdateSet({ server_seq: sql`max(server_seq, ${ack.server_seq})` }))
            .execute();
        }
        if (await releaseHeldRow(trx, entry.table_name, entry.row_id)) released.push(entry.row_id);
      }
      if (released.length > 0) {
        await appendAudit(trx, { actorId: this.options.actorId, action: 'sync-apply', entity: 'row', entityIds: released }, this.options.now?.() ?? new Date());
      }
      await setApplying(trx, false);
    });
  }

  /** What the badge counts: changes not yet accepted, and changes the server refused for good. */
  async counts(): Promise<{ pending: number; refused: number }> {
    const rows = await this.db.selectFrom('sync_outbox').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
    const of = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
    return { pending: of('pending') + of('sealed'), refused: of('refused') };
  }
}
