import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { SyncConflict } from '../../../shared/contract/sync';
import type { RowPayload } from '../../../shared/sync/protocol';
import { SYNCED_TABLES, TABLE_POLICY, type SyncedTable } from '../../../shared/sync/tables';
import { appendAudit } from '../audit/auditChain';
import type { CaseloadContext } from '../caseload/context';
import { newColumns, notFound, refuse, stale, type Trx } from '../caseload/records';
import type { CaseloadDb, SyncConflictsTable } from '../store/schema';

/**
 * The conflicts inbox (DESIGN §5.3–5.4): what the server could not merge, and what it refused. A conflict is
 * resolved by an explicit merge written on top of the team's current row — for a document, a new draft version
 * or (once signed) an addendum — and the conflict row closed, in one audited transaction; both changes reach
 * the team through the outbox like any other write.
 */

type Scalar = string | number | boolean | null;
type Fields = Record<string, Scalar>;

/** What the clinician reads for each table. */
const LABELS: Record<SyncedTable, string> = {
  patients: 'Patient details',
  referrals: 'Referral',
  contacts: 'Appointment and attendance',
  measures: 'Questionnaire scores',
  screenings: 'Screening',
  risk_assessments: 'Risk assessment',
  notes: 'Session note',
  letters: 'Letter',
  clinics: 'Clinic',
  care_plans: 'Care plan',
  care_plan_goals: 'Care plan goal',
  goal_ratings: 'Goal rating',
  formulations: 'Formulation',
  note_versions: 'Session note version',
  contact_attempts: 'Contact attempt',
  actions: 'Follow-up action',
  service_settings: 'Service settings',
  sync_conflicts: 'Conflict',
  supervision_sessions: 'Supervision session',
  supervision_cases: 'Case discussed in supervision',
  groups: 'Group course',
  group_sessions: 'Group session',
  group_members: 'Group membership',
  waiting_pauses: 'Waiting-time pause',
  employment_support: 'Employment support referral',
};
/** Why the server refused a change, in the clinician's words (PushAck forbidden reasons, and one the outbox infers). */
const REFUSALS: Record<string, string> = {
  signed: 'the note was already signed',
  role: 'your role may not change it',
  out_of_scope: 'no longer on your caseload',
  not_logged: 'refused, or the record was deleted, while this device was out of touch',
};
const labelOf = (table: string) => LABELS[table as SyncedTable] ?? table;

const pick = (row: Fields, fields: readonly string[]): Fields => Object.fromEntries(fields.map((f) => [f, row[f] ?? null]));

async function patientName(db: Kysely<CaseloadDb> | Trx, patientId: string): Promise<string> {
  const p = await db.selectFrom('patients').select(['given_name', 'family_name']).where('id', '=', patientId).executeTakeFirst();
  return p ? `${p.given_name} ${p.family_name}` : 'A patient no longer on this device';
}

async function userName(db: Kysely<CaseloadDb> | Trx, id: string): Promise<string | null> {
  return (await db.selectFrom('users').select('display_name').where('id', '=', id).executeTakeFirst())?.display_name ?? null;
}

async function toConflict(db: Kysely<CaseloadDb> | Trx, row: SyncConflictsTable): Promise<SyncConflict> {
  const fields = JSON.parse(row.fields) as string[];
  const theirs = JSON.parse(row.theirs) as Fields;
  const mine = JSON.parse(row.mine) as Fields;
  const theirsBy = String(theirs.updated_by ?? '');
  return {
    id: row.id,
    label: labelOf(row.table_name),
    table: row.table_name,
    rowId: row.row_id,
    patientId: row.patient_id,
    patientName: await patientName(db, row.patient_id),
    kind: row.kind as SyncConflict['kind'],
    fields,
    theirs: { fields: pick(theirs, fields), by: theirsBy, byName: await userName(db, theirsBy), at: String(theirs.updated_at ?? row.created_at) },
    mine: { fields: pick(mine, fields), by: row.mine_by, byName: await userName(db, row.mine_by), at: String(mine.updated_at ?? row.created_at) },
    status: row.status as SyncConflict['status'],
    version: row.version,
    createdAt: row.created_at,
  };
}

/** The patient a row belongs to, following its table's scope key (shared/sync/tables.ts); null for team rows. */
async function patientOf(db: Kysely<CaseloadDb> | Trx, table: SyncedTable, row: Fields): Promise<string | null> {
  const scope = TABLE_POLICY[table].scope;
  if (scope.kind === 'self') return String(row.id);
  if (scope.kind === 'column') return row[scope.column] === null || row[scope.column] === undefined ? null : String(row[scope.column]);
  if (scope.kind === 'team') return null;
  const parent = (await sql<Fields>`select * from ${sql.table(scope.table)} where id = ${row[scope.column] ?? null}`.execute(db)).rows[0];
  return parent ? patientOf(db, scope.table, parent) : null;
}

/** Changes the server refused for good, shown beside conflicts so they are never silently dropped. */
async function refusedChanges(db: Kysely<CaseloadDb>): Promise<SyncConflict[]> {
  const entries = await db.selectFrom('sync_outbox').selectAll().where('state', '=', 'refused').orderBy('seq').execute();
  const out: SyncConflict[] = [];
  for (const e of entries) {
    if (!SYNCED_TABLES.includes(e.table_name as SyncedTable)) continue;
    const table = e.table_name as SyncedTable;
    const local = (await sql<Fields>`select * from ${sql.table(table)} where id = ${e.row_id}`.execute(db)).rows[0];
    const sent = (e.payload ? (JSON.parse(e.payload) as Fields) : local) ?? { id: e.row_id };
    const patientId = (await patientOf(db, table, sent)) ?? e.row_id;
    const fields = Object.keys(sent).filter((k) => !['id', 'version', 'created_by', 'updated_by', 'created_at', 'updated_at', 'deleted_at'].includes(k));
    const by = String(sent.updated_by ?? '');
    out.push({
      id: e.op_id!,
      label: `${labelOf(table)}: not accepted by the team server (${REFUSALS[e.refused_reason ?? ''] ?? 'not accepted'})`,
      table,
      rowId: e.row_id,
      patientId,
      // A refused change to the patient's own details names them even once the patient has left this device.
      patientName: table === 'patients' && typeof sent.given_name === 'string' && typeof sent.family_name === 'string' ? `${sent.given_name} ${sent.family_name}` : await patientName(db, patientId),
      kind: 'refused',
      fields,
      theirs: { fields: {}, by: '', byName: null, at: e.created_at },
      mine: { fields: pick(sent, fields), by, byName: await userName(db, by), at: String(sent.updated_at ?? e.created_at) },
      status: 'open',
      version: 1,
      createdAt: e.created_at,
    });
  }
  return out;
}

/**
 * Removes a refused change from the outbox once the clinician has copied what they need from it (the row itself
 * already shows the team's version). Audited with the change's op id and its record, never its content.
 */
export async function setAsideRefused(ctx: CaseloadContext, opId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const entry = await trx.selectFrom('sync_outbox').select(['seq', 'row_id']).where('op_id', '=', opId).where('state', '=', 'refused').executeTakeFirst();
    if (!entry) throw notFound('refused change');
    await trx.deleteFrom('sync_outbox').where('seq', '=', entry.seq).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'set-aside', entity: 'refused_change', entityIds: [opId, entry.row_id] }, ctx.now());
  });
}

/**
 * The conflicts inbox: both sides of each record, patient names and field values included, so the view is
 * audited like any other list of patient data — the conflicts and the patients shown, never the values.
 */
export async function listConflicts(ctx: CaseloadContext, status: 'open' | 'resolved'): Promise<SyncConflict[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('sync_conflicts').selectAll().where('status', '=', status).where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute();
    const out: SyncConflict[] = [];
    for (const row of rows) out.push(await toConflict(trx, row));
    if (status === 'open') out.push(...(await refusedChanges(trx)));
    await appendAudit(trx, { actorId: ctx.actorId, action: 'view', entity: 'sync-conflicts', entityIds: [...new Set(out.flatMap((c) => [c.id, c.patientId]))] }, ctx.now());
    return out;
  });
}

/** A chosen value must fit its column: the store's declared type and NOT NULL. */
async function checkValue(trx: Trx, table: string, field: string, value: Scalar): Promise<Scalar> {
  const column = (await sql<{ type: string; notnull: number }>`select type, "notnull" from pragma_table_info(${table}) where name = ${field}`.execute(trx)).rows[0];
  const path = `fields.${field}`;
  if (!column) throw refuse(path, 'is not a field of this record');
  if (value === null) {
    if (column.notnull) throw refuse(path, 'must have a value');
    return null;
  }
  const type = column.type.toLowerCase();
  if (type === 'integer') {
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw refuse(path, 'must be a whole number');
  } else if (type === 'real') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw refuse(path, 'must be a number');
  } else if (typeof value !== 'string') {
    throw refuse(path, 'must be text');
  }
  return value;
}

/**
 * Resolves an open conflict with the clinician's chosen values for (some of) the disputed fields; fields not
 * given keep the team's current value. Refused when the conflict changed since it was shown (a stale version),
 * is already resolved, or names a field not in dispute or a value its column cannot hold. Nothing is written then.
 */
export async function resolveConflict(ctx: CaseloadContext, input: { id: string; version: number; fields: Fields; note?: string | undefined }): Promise<SyncConflict> {
  return ctx.db.transaction().execute(async (trx) => {
    const conflict = await trx.selectFrom('sync_conflicts').selectAll().where('id', '=', input.id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!conflict) {
      const refused = await trx.selectFrom('sync_outbox').select('seq').where('op_id', '=', input.id).where('state', '=', 'refused').executeTakeFirst();
      if (refused) throw refuse('id', 'is a change the team server refused; it cannot be merged, only copied into a record you may change');
      throw notFound('conflict');
    }
    if (conflict.status !== 'open') throw refuse('id', 'is already resolved');
    if (conflict.version !== input.version) throw stale();
    if (!SYNCED_TABLES.includes(conflict.table_name as SyncedTable)) throw refuse('id', 'is about a record this version of the app does not hold');
    const table = conflict.table_name as SyncedTable;
    const disputed = JSON.parse(conflict.fields) as string[];
    const chosen: Fields = {};
    for (const [field, value] of Object.entries(input.fields)) {
      if (!disputed.includes(field)) throw refuse(`fields.${field}`, 'is not in dispute in this conflict');
      chosen[field] = await checkValue(trx, table, field, value);
    }
    const current = (await sql<RowPayload>`select * from ${sql.table(table)} where id = ${conflict.row_id}`.execute(trx)).rows[0];
    if (!current || current.deleted_at !== null) throw refuse('id', 'is about a record that has since been deleted');

    const at = ctx.now().toISOString();
    const written: string[] = [conflict.id];
    const document = TABLE_POLICY[table].document;
    if (document && table === 'notes' && current[document.signedWhen.column] === document.signedWhen.value) {
      // A signed note takes addenda only (DESIGN §5.4): the merged text becomes one.
      const addendum = {
        ...newColumns(ctx),
        referral_id: String(current.referral_id),
        contact_id: (current.contact_id as string | null) ?? null,
        parent_note_id: String(current.id),
        status: 'signed',
        body: String(chosen.body ?? current.body),
        signed_by: ctx.actorId,
        signed_at: at,
      };
      await trx.insertInto('notes').values(addendum).execute();
      await trx.insertInto('note_versions').values({ ...newColumns(ctx), note_id: addendum.id, note_version: 1, status: 'signed', body: addendum.body }).execute();
      written.push(addendum.id);
    } else if (Object.keys(chosen).length > 0) {
      const version = Number(current.version) + 1;
      const sets = sql.join(Object.entries(chosen).map(([k, v]) => sql`${sql.ref(k)} = ${v}`));
      await sql`update ${sql.table(table)} set ${sets}, version = ${version}, updated_by = ${ctx.actorId}, updated_at = ${at} where id = ${conflict.row_id}`.execute(trx);
      if (table === 'notes') {
        // The merge is a new draft version of the note, kept like every other version.
        const merged = { ...current, ...chosen };
        await trx.insertInto('note_versions').values({ ...newColumns(ctx), note_id: conflict.row_id, note_version: version, status: String(merged.status), body: String(merged.body) }).execute();
      }
      written.push(conflict.row_id);
    }
    const resolved = {
      status: 'resolved',
      resolved_by: ctx.actorId,
      resolved_at: at,
      resolution_note: input.note ?? null,
      version: conflict.version + 1,
      updated_by: ctx.actorId,
      updated_at: at,
    };
    await trx.updateTable('sync_conflicts').set(resolved).where('id', '=', conflict.id).where('version', '=', conflict.version).execute();
    await appendAudit(trx, { actorId: ctx.actorId, action: 'merge', entity: 'sync_conflict', entityIds: written }, ctx.now());
    return toConflict(trx, { ...conflict, ...resolved });
  });
}
