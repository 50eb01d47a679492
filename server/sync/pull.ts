import type { Kysely, Transaction } from 'kysely';
import { canonicalJson, type LoggedChange, type PullResponse, type RowPayload } from '../../shared/sync/protocol';
import type { SyncedTable } from '../../shared/sync/tables';
import { sha256Hex } from '../auth/secrets';
import type { ServerDatabase } from '../db/schema';
import { type Actor, type Scope, scopeOf, tablesForRole, TEAM_TABLES } from './scope';

type Trx = Transaction<ServerDatabase>;

/**
 * One page of the team's log after a cursor, as this device may see it (DESIGN §5.6): only rows whose patient is
 * in the user's scope (or team-wide rows) of tables the role may read. Paging by `server_seq > after` is safe
 * because pushes commit their sequence numbers in order (see push.ts). The cursor advances over rows the device
 * may not see, so a filtered tail is not scanned again.
 *
 * Scope moves between pulls (a handover, a new supervisee, a grant). The device's scope memory (device_scope)
 * says what it was last given: patients newly in scope are back-filled first with the latest logged change of
 * each of their rows at or below the cursor (their later changes come through the log as usual), in pages
 * bounded by `limit`; patients that left scope are listed in `purge` until the device's cursor passes the point
 * where they left.
 */
export async function pullPage(
  db: Kysely<ServerDatabase>,
  actor: Actor,
  after: number,
  limit: number,
  now: () => number = Date.now,
): Promise<PullResponse | 'cursor_ahead'> {
  return db.transaction().execute(async (trx) => {
    // A cursor past the team's last seq means the server lost history (restored from an older backup): paging on
    // from it would silently skip every change until the log grew past the cursor, so the client must start over.
    const counter = await trx.selectFrom('team_counters').select('last_seq').where('team_id', '=', actor.teamId).executeTakeFirstOrThrow();
    const lastSeq = Number(counter.last_seq);
    if (after > lastSeq) return 'cursor_ahead';

    const tables = tablesForRole(actor.role);
    const scope = await scopeOf(trx, actor);
    await rememberScope(trx, actor, scope, after, lastSeq);

    const backfill = await backfillRows(trx, actor, tables, limit);
    let changes = backfill.changes;
    let nextCursor = after;
    let hasMore = backfill.more;
    if (changes.length >= limit) hasMore = true;
    else {
      const room = limit - changes.length;
      const regular = await logRows(trx, actor, scope, tables, after, lastSeq, room);
      changes = [...changes, ...regular.slice(0, room)];
      hasMore = regular.length > room;
      // Without more to send, the cursor moves to the team's last seq: everything up to it was seen or filtered.
      nextCursor = hasMore ? regular[room - 1]!.server_seq : lastSeq;
    }
    const purge = await purgeList(trx, actor, after);
    return {
      changes,
      purge,
      next_cursor: nextCursor,
      has_more: hasMore,
      checksum: pageChecksum(changes, purge),
      server_time: new Date(now()).toISOString(),
    };
  });
}

/** SHA-256 of canonicalJson({ changes, purge }): what the client recomputes before applying a page. */
export function pageChecksum(changes: readonly LoggedChange[], purge: readonly string[] = []): string {
  return sha256Hex(canonicalJson({ changes, purge }));
}

/**
 * Brings the device's scope memory up to date. A first pull from 0 reads the whole visible log, so nothing needs
 * back-filling; later, a patient newly in scope is back-filled up to the current cursor, and one that left is
 * marked for purge. A role that changed since the last pull may open tables that were filtered before, so every
 * patient in scope is back-filled again (the client keeps a row only when its server_seq is newer).
 */
async function rememberScope(trx: Trx, actor: Actor, scope: Scope, after: number, lastSeq: number): Promise<void> {
  const device = await trx.selectFrom('devices').select(['scope_known', 'scope_role']).where('id', '=', actor.deviceId).forNoKeyUpdate().executeTakeFirstOrThrow();
  const memory = await trx.selectFrom('device_scope').select(['patient_id', 'in_scope']).where('device_id', '=', actor.deviceId).execute();
  const held = new Set(memory.filter((m) => m.in_scope).map((m) => m.patient_id));
  const roleChanged = device.scope_known && device.scope_role !== actor.role;
  const backfillBelow = after > 0 ? after : null;

  const arriving = [...scope.patients].filter((p) => roleChanged || !held.has(p));
  // A supervisor's first pull brings thousands of patients into scope: written a thousand rows a statement.
  for (let i = 0; i < arriving.length; i += 1_000) {
    await trx
      .insertInto('device_scope')
      .values(arriving.slice(i, i + 1_000).map((patientId) => ({ device_id: actor.deviceId, patient_id: patientId, in_scope: true, backfill_below: backfillBelow, backfill_served: 0, left_at_seq: null })))
      .onConflict((oc) => oc.columns(['device_id', 'patient_id']).doUpdateSet({ in_scope: true, backfill_below: backfillBelow, backfill_served: 0, left_at_seq: null }))
      .execute();
  }
  const leaving = [...held].filter((p) => !scope.patients.has(p));
  if (leaving.length > 0) {
    await trx
      .updateTable('device_scope')
      .set({ in_scope: false, backfill_below: null, left_at_seq: lastSeq })
      .where('device_id', '=', actor.deviceId)
      .where('patient_id', 'in', leaving)
      .execute();
  }
  if (!device.scope_known || device.scope_role !== actor.role) {
    await trx.updateTable('devices').set({ scope_known: true, scope_role: actor.role }).where('id', '=', actor.deviceId).execute();
  }
}

/** Up to `limit` back-fill rows, oldest first; `more` when the back-fill needs another page. */
async function backfillRows(trx: Trx, actor: Actor, tables: readonly SyncedTable[], limit: number): Promise<{ changes: LoggedChange[]; more: boolean }> {
  if (tables.length === 0) return { changes: [], more: false };
  const rows = await trx
    .selectFrom('current_rows as cr')
    .innerJoin('device_scope as ds', (join) => join.onRef('ds.patient_id', '=', 'cr.patient_id').on('ds.device_id', '=', actor.deviceId))
    .innerJoin('change_log as cl', (join) => join.onRef('cl.team_id', '=', 'cr.team_id').onRef('cl.server_seq', '=', 'cr.server_seq'))
    .select(['cl.server_seq', 'cl.op_id', 'cl.client_id', 'cl.table_name', 'cl.row_id', 'cl.row_version', 'cl.tombstone', 'cl.payload', 'cl.received_at'])
    .where('cr.team_id', '=', actor.teamId)
    .where('cr.table_name', 'in', tables)
    .where('ds.in_scope', '=', true)
    .where('ds.backfill_below', 'is not', null)
    .whereRef('cr.server_seq', '<=', 'ds.backfill_below')
    .whereRef('cr.server_seq', '>', 'ds.backfill_served')
    .orderBy('cr.server_seq')
    .limit(limit + 1)
    .execute();
  const changes = rows.slice(0, limit).map(toLoggedChange);
  const more = rows.length > limit;
  const pending = trx.updateTable('device_scope').where('device_id', '=', actor.deviceId).where('in_scope', '=', true).where('backfill_below', 'is not', null);
  // Ordered by seq across all pending patients, so everything up to the last row sent has been sent.
  if (more) await pending.set({ backfill_served: changes.at(-1)!.server_seq }).execute();
  else await pending.set({ backfill_below: null, backfill_served: 0 }).execute();
  return { changes, more };
}

/**
 * Visible log rows after the cursor, up to the team's last seq; returns up to `room + 1` to tell if more remain.
 * The scope test joins the device's scope memory (rememberScope has just made it equal to `scope`) rather than
 * sending thousands of patient ids as parameters. The log is read in windows of consecutive seqs (a team's seqs
 * have no gaps, so a window of W seqs is W rows): each query's work is bounded by its window whatever plan the
 * database picks, even with statistics not yet caught up after a large import, when a single "everything after
 * the cursor, sorted, first N" query sorted the whole rest of the log for every page.
 */
async function logRows(trx: Trx, actor: Actor, scope: Scope, tables: readonly SyncedTable[], after: number, lastSeq: number, room: number): Promise<LoggedChange[]> {
  if (tables.length === 0) return [];
  const teamTables = TEAM_TABLES.filter((t) => tables.includes(t));
  const window = Math.max(2 * (room + 1), LOG_WINDOW);
  const found: LoggedChange[] = [];
  for (let from = after; found.length <= room && from < lastSeq; from += window) {
    const rows = await trx
      .selectFrom('change_log as cl')
      .innerJoin('current_rows as cr', (join) =>
        join.onRef('cr.team_id', '=', 'cl.team_id').onRef('cr.table_name', '=', 'cl.table_name').onRef('cr.row_id', '=', 'cl.row_id'),
      )
      .leftJoin('device_scope as ds', (join) => join.onRef('ds.patient_id', '=', 'cr.patient_id').on('ds.device_id', '=', actor.deviceId).on('ds.in_scope', '=', true))
      .select(['cl.server_seq', 'cl.op_id', 'cl.client_id', 'cl.table_name', 'cl.row_id', 'cl.row_version', 'cl.tombstone', 'cl.payload', 'cl.received_at'])
      .where('cl.team_id', '=', actor.teamId)
      .where('cl.server_seq', '>', from)
      .where('cl.server_seq', '<=', Math.min(from + window, lastSeq))
      .where('cl.table_name', 'in', tables)
      .where(({ or, eb }) =>
        or([
          ...(teamTables.length > 0 ? [eb('cl.table_name', 'in', teamTables)] : []),
          ...(scope.all ? [eb('cr.patient_id', 'is not', null)] : [eb('ds.patient_id', 'is not', null)]),
        ]),
      )
      .orderBy('cl.server_seq')
      .limit(room + 1 - found.length)
      .execute();
    found.push(...rows.map(toLoggedChange));
  }
  return found;
}

/** Seqs read per query when paging the log (see logRows). */
const LOG_WINDOW = 4_000;

/** Patients that left scope and whose departure the device's cursor has not yet passed. */
async function purgeList(trx: Trx, actor: Actor, after: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('device_scope')
    .select('patient_id')
    .where('device_id', '=', actor.deviceId)
    .where('in_scope', '=', false)
    .where('left_at_seq', '>=', after)
    .orderBy('patient_id')
    .execute();
  return rows.map((r) => r.patient_id);
}

function toLoggedChange(r: {
  server_seq: string | number | bigint;
  op_id: string;
  client_id: string;
  table_name: string;
  row_id: string;
  row_version: number;
  tombstone: boolean;
  payload: Record<string, unknown> | null;
  received_at: Date;
}): LoggedChange {
  return {
    server_seq: Number(r.server_seq),
    op_id: r.op_id,
    client_id: r.client_id,
    table: r.table_name,
    row_id: r.row_id,
    row_version: r.row_version,
    tombstone: r.tombstone,
    payload: r.payload as RowPayload | null,
    received_at: new Date(r.received_at).toISOString(),
  };
}
