import { sql, type Kysely } from 'kysely';
import { MAX_BODY_BYTES, type AuditEventWire, type AuditPushResponse, type DirectoryResponse, type EnrolResponse } from '../../../shared/sync/protocol';
import type { Role } from '../../../shared/domain/people';
import { roleReadsTable, SYNCED_TABLES } from '../../../shared/sync/tables';
import { appendAudit } from '../audit/auditChain';
import { statementsFor } from '../store/database';
import type { CaseloadDb } from '../store/schema';
import { PARENTS_FIRST, parkOrphans } from './inbox';
import { quoted, ServerRows, serverRows, type Trx } from './rowApply';

/**
 * Who this device is to the team server: enrolment, the switch from the locally made owner to the server's user,
 * the team directory, and how far the audit chain has been accepted by the server.
 */

/** Columns naming a user: rewritten when the local owner becomes the server's user. */
const USER_COLUMNS = ['created_by', 'updated_by', 'caseholder_id', 'clinician_id', 'signed_by', 'mine_by', 'resolved_by', 'supervisor_id'] as const;

/**
 * Records the device's enrolment. The pull starts from the beginning and mutation_seq from 1 (the server's
 * count for this new device); commands sealed for an earlier enrolment are unsealed, to be sealed afresh.
 */
export async function recordEnrolment(db: Kysely<CaseloadDb>, input: { serverUrl: string; enrolment: EnrolResponse; localOwnerId: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { enrolment } = input;
    await trx
      .updateTable('sync_state')
      .set({
        server_url: input.serverUrl,
        device_id: enrolment.device_id,
        user_id: enrolment.user_id,
        team_id: enrolment.team_id,
        token: enrolment.token,
        local_owner_id: input.localOwnerId,
        cursor: 0,
        next_mutation_seq: 1,
        audit_acked_seq: 0,
        audit_acked_hash: null,
      })
      .where('id', '=', 1)
      .execute();
    // A row with both a sealed and a pending entry keeps one pending entry with the earliest base (what the user saw).
    await sql`update sync_outbox set base_version = (select s.base_version from sync_outbox s
                where s.state = 'sealed' and s.table_name = sync_outbox.table_name and s.row_id = sync_outbox.row_id)
              where state = 'pending' and exists (select 1 from sync_outbox s
                where s.state = 'sealed' and s.table_name = sync_outbox.table_name and s.row_id = sync_outbox.row_id)`.execute(trx);
    await sql`delete from sync_outbox where state = 'sealed' and exists (select 1 from sync_outbox p
                where p.state = 'pending' and p.table_name = sync_outbox.table_name and p.row_id = sync_outbox.row_id)`.execute(trx);
    await trx
      .updateTable('sync_outbox')
      .set({ state: 'pending', op_id: null, mutation_seq: null, payload: null, tombstone: null, row_version: null })
      .where('state', '=', 'sealed')
      .execute();
  });
}

/**
 * Makes the server's user id the owner of everything recorded on this device before enrolment, in one
 * transaction: the users row, every column naming a user in every table, the owner setting. The audit chain's
 * earlier events keep the local id (rewriting them would break the chain); the event recorded here maps the two.
 */
export async function adoptServerIdentity(db: Kysely<CaseloadDb>, localOwnerId: string, serverUserId: string, now = new Date()): Promise<void> {
  if (localOwnerId === serverUserId) return;
  await db.transaction().execute(async (trx) => {
    await sql`pragma defer_foreign_keys = on`.execute(trx);
    const owner = await trx.selectFrom('users').selectAll().where('id', '=', localOwnerId).executeTakeFirst();
    if (!owner) throw new Error('the local owner is not in the users table');
    const existing = await trx.selectFrom('users').select('id').where('id', '=', serverUserId).executeTakeFirst();
    if (!existing) await trx.insertInto('users').values({ ...owner, id: serverUserId }).execute();
    // note_versions refuses updates (a signed version is final), but its pre-enrolment rows must carry the server
    // id to be accepted by the team: its guard trigger is lifted for this one rewrite and put back, from its own
    // stored text, in the same transaction (so the schema check at open sees it unchanged).
    const guards = await sql<{ sql: string }>`select sql from sqlite_master where type = 'trigger' and name = 'note_versions_no_update'`.execute(trx);
    if (guards.rows.length > 0) await sql`drop trigger note_versions_no_update`.execute(trx);
    for (const table of ['users', ...SYNCED_TABLES]) {
      const columns = serverRows(db).columns(table);
      for (const column of USER_COLUMNS) {
        if (!columns?.has(column)) continue;
        await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${serverUserId} where ${sql.ref(column)} = ${localOwnerId}`.execute(trx);
      }
    }
    for (const guard of guards.rows) await sql.raw(guard.sql).execute(trx);
    await trx.deleteFrom('users').where('id', '=', localOwnerId).execute();
    await trx.updateTable('settings').set({ value: serverUserId }).where('key', '=', 'owner_user_id').execute();
    await trx.updateTable('sync_state').set({ local_owner_id: localOwnerId, user_id: serverUserId }).where('id', '=', 1).execute();
    await appendAudit(trx, { actorId: serverUserId, action: 'adopt-identity', entity: 'user', entityIds: [localOwnerId, serverUserId] }, now);
  });
}

/** Columns of any table that refer to users, found from the schema's foreign keys. */
async function userReferences(trx: Trx): Promise<{ table: string; column: string }[]> {
  const rows = await sql<{ tbl: string; col: string }>`
    select m.name as tbl, f."from" as col from sqlite_master m join pragma_foreign_key_list(m.name) f
    where m.type = 'table' and f."table" = 'users'`.execute(trx);
  return rows.rows.map((r) => ({ table: r.tbl, column: r.col }));
}

/**
 * Replaces the users table with the server's directory, which is authoritative once enrolled. A user the
 * directory no longer lists is removed unless rows still name them (their records keep their author).
 */
export async function applyDirectory(db: Kysely<CaseloadDb>, directory: DirectoryResponse, actorId: string, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`pragma defer_foreign_keys = on`.execute(trx);
    const at = now.toISOString();
    for (const user of directory.users) {
      const values = { display_name: user.display_name, role: user.role, supervisor_id: user.supervisor_id, version: user.version, updated_at: at };
      await trx
        .insertInto('users')
        .values({ id: user.id, ...values, created_at: at })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
    }
    const own = directory.users.find((u) => u.id === actorId);
    if (own) await forgetTablesBeyondRole(db, trx, actorId, own.role as Role, now);
    const listed = new Set(directory.users.map((u) => u.id));
    const references = await userReferences(trx);
    for (const { id } of await trx.selectFrom('users').select('id').execute()) {
      if (listed.has(id)) continue;
      let named = false;
      for (const ref of references) {
        const hit = await sql`select 1 from ${sql.table(ref.table)} where ${sql.ref(ref.column)} = ${id} limit 1`.execute(trx);
        if (hit.rows.length > 0) named = true;
      }
      if (!named) await trx.deleteFrom('users').where('id', '=', id).execute();
    }
    await appendAudit(trx, { actorId, action: 'directory', entity: 'user', entityIds: [...listed] }, now);
  });
}

/**
 * A narrower role (a clinician made booking clerk) stops the server sending and accepting those tables at once;
 * here the rows already on the device go too, children first, so the device holds what its user may now read.
 * A row with a change still to push stays until the server has answered it (it will refuse it, and the change
 * stays in the outbox for the user). Rows that referred to what went wait parked, as after a purge.
 */
async function forgetTablesBeyondRole(db: Kysely<CaseloadDb>, trx: Trx, actorId: string, role: Role, now: Date): Promise<void> {
  const statements = statementsFor(db);
  const rows = new ServerRows(statements);
  const forgotten: string[] = [];
  for (const table of [...PARENTS_FIRST].reverse()) {
    if (roleReadsTable(role, table) || !rows.columns(table)) continue;
    const ids = (statements.prepare(`select id from ${quoted(table)}`).all() as { id: string }[]).map((r) => r.id).filter((id) => !rows.hasOutstandingWrite(table, id));
    if (ids.length === 0) continue;
    statements.prepare(`delete from ${quoted(table)} where id in (select value from json_each(?))`).run(JSON.stringify(ids));
    statements.prepare('delete from sync_rows where table_name = ? and row_id in (select value from json_each(?))').run(table, JSON.stringify(ids));
    forgotten.push(table);
  }
  if (forgotten.length === 0) return;
  rows.setApplying(true); // rows parked or brought back here are the server's, not changes to push
  parkOrphans(statements, rows, new Map(), true);
  rows.setApplying(false);
  await appendAudit(trx, { actorId, action: 'purge', entity: 'table', entityIds: forgotten }, now);
}

/**
 * The device's audit events the server has not yet accepted, oldest first, as POST /v1/audit takes them. A view
 * of a long caseload names up to a thousand ids in one event, so a batch is also cut to stay well inside the
 * server's body limit.
 */
export async function auditEventsAfter(db: Kysely<CaseloadDb>, seq: number, limit = 500): Promise<AuditEventWire[]> {
  const events = await db.selectFrom('audit_event').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
  const batch: AuditEventWire[] = [];
  let bytes = 0;
  for (const event of events) {
    bytes += event.entity_ids.length + 400;
    if (batch.length > 0 && bytes > MAX_BODY_BYTES / 2) break;
    batch.push(event);
  }
  return batch;
}

export async function auditAckedHead(db: Kysely<CaseloadDb>): Promise<{ seq: number; hash: string | null }> {
  const row = await db.selectFrom('sync_state').select(['audit_acked_seq', 'audit_acked_hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { seq: row.audit_acked_seq, hash: row.audit_acked_hash };
}

/** Keeps the head the server acknowledged; only ever moves forward. */
export async function recordAuditAck(db: Kysely<CaseloadDb>, ack: AuditPushResponse): Promise<void> {
  await db
    .updateTable('sync_state')
    .set({ audit_acked_seq: ack.head_seq, audit_acked_hash: ack.head_hash })
    .where('id', '=', 1)
    .where('audit_acked_seq', '<=', ack.head_seq)
    .execute();
}
