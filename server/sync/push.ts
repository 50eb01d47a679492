import type { Kysely, Transaction } from 'kysely';
import type { PushAck, SyncCommand } from '../../shared/sync/protocol';
import type { ServerDatabase } from '../db/schema';

export interface PushingDevice {
  id: string;
  teamId: string;
}

/**
 * Applies a batch of one device's commands in one transaction. The team's counter row is locked first and
 * held until commit, so server_seq values become visible strictly in order and without gaps: a reader that
 * has seen seq N has already seen every seq below it. Exactly-once: an op_id already in the log, or a
 * mutation_seq at or below the device's last one, is acknowledged and skipped; one beyond the next expected
 * is refused as a gap so the device resends in order.
 */
export async function applyPush(
  db: Kysely<ServerDatabase>,
  device: PushingDevice,
  commands: readonly SyncCommand[],
  seams: { beforeCommit?: () => Promise<void> } = {},
): Promise<{ acks: PushAck[]; lastMutationSeq: number }> {
  return db.transaction().execute(async (trx) => {
    const counter = await trx
      .selectFrom('team_counters')
      .select('last_seq')
      .where('team_id', '=', device.teamId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    let lastSeq = Number(counter.last_seq);
    const startSeq = lastSeq;

    const state = await trx
      .selectFrom('client_state')
      .select('last_mutation_seq')
      .where('client_id', '=', device.id)
      .forUpdate()
      .executeTakeFirst();
    let lastMutation = state ? Number(state.last_mutation_seq) : 0;
    const startMutation = lastMutation;

    const logged = await knownOps(trx, commands.map((c) => c.op_id));
    const deleted = new Set<string>();
    const acks: PushAck[] = [];

    // Sorted so a batch's internal order does not matter, only which mutation_seqs it holds.
    for (const command of [...commands].sort((a, b) => a.mutation_seq - b.mutation_seq)) {
      const known = logged.get(command.op_id);
      if (known !== undefined) {
        acks.push({ op_id: command.op_id, status: 'duplicate', server_seq: known.clientId === device.id ? known.serverSeq : null });
        continue;
      }
      if (command.mutation_seq <= lastMutation) {
        acks.push({ op_id: command.op_id, status: 'duplicate', server_seq: null });
        continue;
      }
      if (command.mutation_seq > lastMutation + 1) {
        acks.push({ op_id: command.op_id, status: 'gap', expected_seq: lastMutation + 1 });
        continue;
      }
      lastMutation = command.mutation_seq;
      const rowKey = `${command.table}\u0000${command.row_id}`;
      // A tombstone is final: a late write to a deleted row must not bring it back on other devices.
      if (deleted.has(rowKey) || (await isTombstoned(trx, device.teamId, command.table, command.row_id))) {
        acks.push({ op_id: command.op_id, status: 'tombstoned' });
        continue;
      }
      lastSeq += 1;
      await trx
        .insertInto('change_log')
        .values({
          team_id: device.teamId,
          server_seq: lastSeq,
          op_id: command.op_id,
          client_id: device.id,
          mutation_seq: command.mutation_seq,
          table_name: command.table,
          row_id: command.row_id,
          row_version: command.row_version,
          tombstone: command.tombstone,
          payload: command.payload === null ? null : JSON.stringify(command.payload),
        })
        .execute();
      logged.set(command.op_id, { clientId: device.id, serverSeq: lastSeq });
      if (command.tombstone) deleted.add(rowKey);
      acks.push({ op_id: command.op_id, status: 'applied', server_seq: lastSeq });
    }

    if (lastSeq !== startSeq) {
      await trx.updateTable('team_counters').set({ last_seq: lastSeq }).where('team_id', '=', device.teamId).execute();
    }
    if (lastMutation !== startMutation) {
      await trx
        .insertInto('client_state')
        .values({ client_id: device.id, team_id: device.teamId, last_mutation_seq: lastMutation })
        .onConflict((oc) => oc.column('client_id').doUpdateSet({ last_mutation_seq: lastMutation }))
        .execute();
    }
    // Test seam: lets the ordering test hold a push open, counter locked, at the moment a later push would race it.
    await seams.beforeCommit?.();
    return { acks, lastMutationSeq: lastMutation };
  });
}

async function knownOps(trx: Transaction<ServerDatabase>, opIds: string[]) {
  const rows = await trx.selectFrom('change_log').select(['op_id', 'client_id', 'server_seq']).where('op_id', 'in', opIds).execute();
  return new Map(rows.map((r) => [r.op_id, { clientId: r.client_id, serverSeq: Number(r.server_seq) }]));
}

async function isTombstoned(trx: Transaction<ServerDatabase>, teamId: string, table: string, rowId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('change_log')
    .select('server_seq')
    .where('team_id', '=', teamId)
    .where('table_name', '=', table)
    .where('row_id', '=', rowId)
    .where('tombstone', '=', true)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
