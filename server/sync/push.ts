import type { Kysely, Transaction } from 'kysely';
import type { PushAck, RowPayload, SyncCommand } from '../../shared/sync/protocol';
import { roleWritesTable, TABLE_POLICY } from '../../shared/sync/tables';
import type { ServerDatabase } from '../db/schema';
import { changedColumns, conflictRow, judgeStaleWrite } from './conflicts';
import { PushView } from './pushView';
import { type Actor, caseholdersReachedBy } from './scope';

/** Kept for callers of the first slice: a pushing device is now the whole actor (device, team, user, role). */
export type PushingDevice = Actor;

type Trx = Transaction<ServerDatabase>;

export interface PushSeams {
  /** Test seam: lets the ordering test hold a push open, counter locked, at the moment a later push would race it. */
  beforeCommit?: () => Promise<void>;
  /** The server's clock (conflict rows are stamped with it). */
  now?: () => number;
}

/** One entry to append to the log (and mirror into current_rows). */
interface LogEntry {
  opId: string;
  mutationSeq: number | null;
  table: SyncCommand['table'];
  rowId: string;
  rowVersion: number;
  tombstone: boolean;
  payload: RowPayload | null;
  patientId: string | null;
}

type Decision =
  | { ack: 'applied' | 'merged'; entries: [LogEntry] }
  | { ack: 'conflict'; entries: LogEntry[]; conflictId: string }
  | { ack: 'tombstoned' }
  | { ack: 'forbidden'; reason: 'out_of_scope' | 'role' | 'signed' };

/**
 * A write must name the device's user as its author: a device cannot write under another user's name. Returns
 * the offending field path for the HTTP layer's 400, or null.
 */
export function forgedAuthorField(commands: readonly SyncCommand[], userId: string): string | null {
  const index = commands.findIndex((c) => c.payload !== null && c.payload.updated_by !== userId);
  return index < 0 ? null : `commands.${index}.payload.updated_by`;
}

/**
 * Applies a batch of one device's commands in one transaction. The team's counter row is locked first and
 * held until commit, so server_seq values become visible strictly in order and without gaps: a reader that
 * has seen seq N has already seen every seq below it. Exactly-once: an op_id already in the log, or a
 * mutation_seq at or below the device's last one, is acknowledged and skipped; one beyond the next expected
 * is refused as a gap so the device resends in order. Every write is re-authorised against the writer's scope
 * and role as they are now, and judged for conflicts against the row's current version.
 */
export async function applyPush(db: Kysely<ServerDatabase>, actor: Actor, commands: readonly SyncCommand[], seams: PushSeams = {}): Promise<{ acks: PushAck[]; lastMutationSeq: number }> {
  return db.transaction().execute(async (trx) => {
    const counter = await trx.selectFrom('team_counters').select('last_seq').where('team_id', '=', actor.teamId).forUpdate().executeTakeFirstOrThrow();
    let lastSeq = Number(counter.last_seq);
    const startSeq = lastSeq;

    const state = await trx.selectFrom('client_state').select('last_mutation_seq').where('client_id', '=', actor.deviceId).forUpdate().executeTakeFirst();
    let lastMutation = state ? Number(state.last_mutation_seq) : 0;
    const startMutation = lastMutation;

    const logged = await knownOps(trx, commands.map((c) => c.op_id));
    const reach = await caseholdersReachedBy(trx, actor);
    const view = await PushView.load(trx, actor, reach, commands);
    const appended: Appended[] = [];
    const at = new Date((seams.now ?? Date.now)()).toISOString();
    const acks: PushAck[] = [];

    // Sorted so a batch's internal order does not matter, only which mutation_seqs it holds.
    for (const command of [...commands].sort((a, b) => a.mutation_seq - b.mutation_seq)) {
      const known = logged.get(command.op_id);
      if (known !== undefined) {
        acks.push({ op_id: command.op_id, status: 'duplicate', server_seq: known.clientId === actor.deviceId ? known.serverSeq : null });
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
      // Every other outcome settles the command, so it consumes its mutation_seq (a refused write must not
      // block the device's later ones behind a gap).
      lastMutation = command.mutation_seq;
      const decision = await decide(trx, view, appended, actor, reach, command, at);
      if (decision.ack === 'tombstoned' || decision.ack === 'forbidden') {
        acks.push(decision.ack === 'forbidden' ? { op_id: command.op_id, status: 'forbidden', reason: decision.reason } : { op_id: command.op_id, status: 'tombstoned' });
        continue;
      }
      for (const entry of decision.entries) {
        lastSeq += 1;
        appended.push({ serverSeq: lastSeq, entry });
        // A tombstone keeps the row's last content: its patient still decides who receives the tombstone.
        const before = await view.current(entry.table, entry.rowId);
        view.appended(entry.table, entry.rowId, {
          patient_id: entry.patientId,
          version: entry.rowVersion,
          payload: entry.tombstone ? (before?.payload ?? null) : entry.payload,
          deleted: entry.tombstone,
        });
      }
      logged.set(command.op_id, { clientId: actor.deviceId, serverSeq: lastSeq });
      acks.push(
        decision.ack === 'conflict'
          ? { op_id: command.op_id, status: 'conflict', server_seq: lastSeq, conflict_id: decision.conflictId }
          : { op_id: command.op_id, status: decision.ack, server_seq: lastSeq },
      );
    }

    await writeAppended(trx, actor, appended, view);
    if (lastSeq !== startSeq) {
      await trx.updateTable('team_counters').set({ last_seq: lastSeq }).where('team_id', '=', actor.teamId).execute();
    }
    if (lastMutation !== startMutation) {
      await trx
        .insertInto('client_state')
        .values({ client_id: actor.deviceId, team_id: actor.teamId, last_mutation_seq: lastMutation })
        .onConflict((oc) => oc.column('client_id').doUpdateSet({ last_mutation_seq: lastMutation }))
        .execute();
    }
    await seams.beforeCommit?.();
    return { acks, lastMutationSeq: lastMutation };
  });
}

async function decide(trx: Trx, view: PushView, appended: readonly Appended[], actor: Actor, reach: readonly string[], command: SyncCommand, at: string): Promise<Decision> {
  const { table } = command;
  const policy = TABLE_POLICY[table];
  const current = await view.current(table, command.row_id);
  // A tombstone is final: a late write to a deleted row must not bring it back on other devices.
  if (current?.deleted) return { ack: 'tombstoned' };
  if (!roleWritesTable(actor.role, table)) return { ack: 'forbidden', reason: 'role' };

  const patientId = command.tombstone && current ? current.patient_id : await view.patientOf(table, command.row_id, command.payload);
  if (policy.scope.kind !== 'team') {
    if (await view.belongsToAnotherTeam(table, command.row_id, patientId)) return { ack: 'forbidden', reason: 'out_of_scope' };
    // The row as it stands must be the writer's now, and where the write leaves it must be theirs too.
    if (current && !(current.patient_id && (await view.reaches(current.patient_id)))) return { ack: 'forbidden', reason: 'out_of_scope' };
    if (!patientId || !(await reachesAfterWrite(view, actor, reach, command, patientId, !current))) return { ack: 'forbidden', reason: 'out_of_scope' };
  }
  if (patientId === undefined) return { ack: 'forbidden', reason: 'out_of_scope' };
  const entry: LogEntry = {
    opId: command.op_id,
    mutationSeq: command.mutation_seq,
    table,
    rowId: command.row_id,
    rowVersion: command.row_version,
    tombstone: command.tombstone,
    payload: command.payload,
    patientId,
  };
  if (!current) return { ack: 'applied', entries: [entry] };

  const theirs = (current.payload ?? {}) as RowPayload;
  const signedWhen = policy.document?.signedWhen;
  const signed = signedWhen !== undefined && theirs[signedWhen.column] === signedWhen.value;
  const stale = command.base_version < current.version;
  if (command.tombstone) {
    if (signed) return { ack: 'forbidden', reason: 'signed' };
    return { ack: 'applied', entries: [{ ...entry, rowVersion: Math.max(command.row_version, current.version + 1) }] };
  }
  const mine = command.payload!;
  if (!stale) {
    // Signed notes take addenda only (DESIGN §5.4): the signed row itself never changes again.
    if (signed && changedColumns(theirs, mine).length > 0) return { ack: 'forbidden', reason: 'signed' };
    return { ack: 'applied', entries: [entry] };
  }

  const base = (await payloadAtVersion(trx, appended, actor.teamId, table, command.row_id, command.base_version)) ?? {};
  const outcome = judgeStaleWrite(policy, base, theirs, mine, current.version);
  if (outcome.kind === 'merged') return { ack: 'merged', entries: [{ ...entry, payload: outcome.row, rowVersion: current.version + 1 }] };
  if (patientId === null) {
    // Team-wide settings have no patient to file a conflict under and carry no clinical risk: the later writer's
    // fields win, merged onto the current row, and every device receives the result.
    const row: RowPayload = { ...theirs, ...Object.fromEntries(changedColumns(base, mine).map((c) => [c, mine[c] ?? null])) };
    row.updated_by = mine.updated_by ?? null;
    if (mine.updated_at !== undefined) row.updated_at = mine.updated_at;
    row.version = current.version + 1;
    return { ack: 'merged', entries: [{ ...entry, payload: row, rowVersion: current.version + 1 }] };
  }
  const conflict = conflictRow({
    patientId,
    table,
    rowId: command.row_id,
    kind: outcome.conflict,
    fields: outcome.fields,
    baseVersion: command.base_version,
    theirs,
    mine,
    userId: actor.userId,
    at,
  });
  const conflictId = conflict.id as string;
  const conflictEntry = (opId: string, mutationSeq: number | null): LogEntry => ({
    opId,
    mutationSeq,
    table: 'sync_conflicts',
    rowId: conflictId,
    rowVersion: 1,
    tombstone: false,
    payload: conflict,
    patientId,
  });
  if (outcome.row === null) return { ack: 'conflict', conflictId, entries: [conflictEntry(command.op_id, command.mutation_seq)] };
  // The merged part carries the command's op (so a replay finds it); the conflict row is the server's own entry.
  return {
    ack: 'conflict',
    conflictId,
    entries: [{ ...entry, payload: outcome.row, rowVersion: current.version + 1 }, conflictEntry(conflict.id as string, null)],
  };
}

/**
 * Whether the row's patient is in the writer's scope once this write lands: already in scope, or brought in by
 * the write itself (a patient the user registers, a referral they or a supervisee will hold). A clerk reaches
 * every patient of the team; an admin none.
 */
async function reachesAfterWrite(view: PushView, actor: Actor, reach: readonly string[], command: SyncCommand, patientId: string, isNew: boolean): Promise<boolean> {
  if (isNew && command.table === 'referrals' && command.payload !== null && actor.role !== 'booking-clerk') {
    // A new referral: the patient is the writer's afterwards only if they or a supervisee hold it, or another
    // route (a grant, another referral they reach) keeps the patient theirs.
    const caseholder = command.payload.caseholder_id;
    return (typeof caseholder === 'string' && reach.includes(caseholder)) || (await view.reaches(patientId, false));
  }
  if (await view.reaches(patientId)) return true;
  if (isNew && command.table === 'patients' && command.payload?.created_by === actor.userId && actor.role !== 'admin') {
    return !(await view.hasLiveReferral(patientId));
  }
  return false;
}

interface Appended {
  serverSeq: number;
  entry: LogEntry;
}

/** Rows a statement: a push is at most MAX_PUSH_COMMANDS commands, two entries at most each. */
const WRITE_CHUNK = 250;

/**
 * Writes the batch's log entries and the newest state of each row they touched (PushView keeps it) in a few
 * statements, at the end of the batch: the counter is held for every round trip, and one insert per entry made
 * the team's writes wait on each other.
 */
async function writeAppended(trx: Trx, actor: Actor, appended: readonly Appended[], view: PushView): Promise<void> {
  const json = (payload: unknown) => (payload === null || payload === undefined ? null : JSON.stringify(payload));
  for (let i = 0; i < appended.length; i += WRITE_CHUNK) {
    await trx
      .insertInto('change_log')
      .values(
        appended.slice(i, i + WRITE_CHUNK).map(({ serverSeq, entry }) => ({
          team_id: actor.teamId,
          server_seq: serverSeq,
          op_id: entry.opId,
          client_id: actor.deviceId,
          mutation_seq: entry.mutationSeq,
          table_name: entry.table,
          row_id: entry.rowId,
          row_version: entry.rowVersion,
          tombstone: entry.tombstone,
          payload: json(entry.payload),
        })),
      )
      .execute();
  }
  const lastSeqOf = new Map(appended.map(({ serverSeq, entry }) => [`${entry.table}/${entry.rowId}`, serverSeq]));
  const rows = view.appendedRows();
  for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
    await trx
      .insertInto('current_rows')
      .values(
        rows.slice(i, i + WRITE_CHUNK).map(({ table, rowId, row }) => ({
          team_id: actor.teamId,
          table_name: table,
          row_id: rowId,
          patient_id: row.patient_id,
          version: row.version,
          server_seq: lastSeqOf.get(`${table}/${rowId}`)!,
          payload: json(row.payload),
          deleted: row.deleted,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['team_id', 'table_name', 'row_id']).doUpdateSet((eb) => ({
          patient_id: eb.ref('excluded.patient_id'),
          version: eb.ref('excluded.version'),
          server_seq: eb.ref('excluded.server_seq'),
          payload: eb.ref('excluded.payload'),
          deleted: eb.ref('excluded.deleted'),
        })),
      )
      .execute();
  }
}

async function knownOps(trx: Trx, opIds: string[]) {
  const rows = await trx.selectFrom('change_log').select(['op_id', 'client_id', 'server_seq']).where('op_id', 'in', opIds).execute();
  return new Map(rows.map((r) => [r.op_id, { clientId: r.client_id, serverSeq: Number(r.server_seq) }]));
}

async function payloadAtVersion(trx: Trx, appended: readonly Appended[], teamId: string, table: string, rowId: string, version: number): Promise<RowPayload | null> {
  // The batch's own entries are not in the log until it ends (writeAppended): the newest matching one first.
  for (let i = appended.length - 1; i >= 0; i--) {
    const { entry } = appended[i]!;
    if (entry.table === table && entry.rowId === rowId && entry.rowVersion === version && !entry.tombstone) return entry.payload;
  }
  const row = await trx
    .selectFrom('change_log')
    .select('payload')
    .where('team_id', '=', teamId)
    .where('table_name', '=', table)
    .where('row_id', '=', rowId)
    .where('row_version', '=', version)
    .where('tombstone', '=', false)
    .orderBy('server_seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return (row?.payload as RowPayload | undefined) ?? null;
}
