import type { Note, noteMethods } from '../../../shared/contract/notes';
import { formatUkDate } from '../../../shared/domain/dates';
import { appendAudit } from '../audit/auditChain';
import type { ContextSource, HandlerMap } from '../handlers';
import type { NotesTable, NoteVersionsTable } from '../store/schema';
import type { CaseloadContext } from './context';
import { rowSyncState, type RowSyncState } from '../sync/rowSyncState';
import { openRiskAlerts } from './measures';
import { meta, newColumns, nextColumns, notFound, refuse, stale, type Trx } from './records';
import { referralInScope } from './scope';

/**
 * Session notes are versioned documents (DESIGN §5.4): a draft may change, each save is kept in note_versions;
 * signing makes the note final; after that only addenda (themselves signed notes pointing at their parent).
 */
function toNote(row: NotesTable, versions: NoteVersionsTable[], addenda: NotesTable[], sync: RowSyncState): Note {
  return {
    id: row.id,
    referralId: row.referral_id,
    contactId: row.contact_id,
    status: row.status as Note['status'],
    body: row.body,
    signedBy: row.signed_by,
    signedAt: row.signed_at,
    versions: versions.map((v) => ({ noteVersion: v.note_version, status: v.status as 'draft' | 'signed', body: v.body, by: v.created_by, at: v.created_at })),
    addenda: addenda.map((a) => ({ id: a.id, body: a.body, by: a.created_by, at: a.created_at })),
    sync,
    ...meta(row),
  };
}

async function keepVersion(ctx: CaseloadContext, trx: Trx, note: NotesTable): Promise<void> {
  await trx
    .insertInto('note_versions')
    .values({ ...newColumns(ctx), note_id: note.id, note_version: note.version, status: note.status, body: note.body })
    .execute();
}

async function noteWithHistory(trx: Trx, row: NotesTable): Promise<Note> {
  const versions = await trx.selectFrom('note_versions').selectAll().where('note_id', '=', row.id).orderBy('note_version').orderBy('created_at').orderBy('id').execute();
  const addenda = await trx.selectFrom('notes').selectAll().where('parent_note_id', '=', row.id).where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute();
  return toNote(row, versions, addenda, await rowSyncState(trx, 'notes', row.id));
}

export async function notesOf(trx: Trx, referralId: string): Promise<Note[]> {
  const rows = await trx
    .selectFrom('notes')
    .selectAll()
    .where('referral_id', '=', referralId)
    .where('parent_note_id', 'is', null)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const out: Note[] = [];
  for (const row of rows) out.push(await noteWithHistory(trx, row));
  return out;
}

async function liveNote(trx: Trx, ctx: CaseloadContext, id: string): Promise<NotesTable> {
  const row = await trx.selectFrom('notes').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('note');
  await referralInScope(trx, ctx, row.referral_id, 'note');
  return row;
}

function signedRefusal(row: NotesTable, path: string, what: string): never {
  throw refuse(path, `${what}: the note was signed on ${formatUkDate(row.signed_at?.slice(0, 10) ?? '')}; add an addendum instead`);
}

export async function createNote(ctx: CaseloadContext, input: { referralId: string; contactId?: string | undefined; body: string }): Promise<Note> {
  return ctx.db.transaction().execute(async (trx) => {
    const referral = await referralInScope(trx, ctx, input.referralId);
    if (input.contactId) {
      const contact = await trx.selectFrom('contacts').select('referral_id').where('id', '=', input.contactId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!contact || contact.referral_id !== referral.id) throw refuse('contactId', 'is not a contact of this referral');
    }
    const row: NotesTable = {
      ...newColumns(ctx),
      referral_id: referral.id,
      contact_id: input.contactId ?? null,
      parent_note_id: null,
      status: 'draft',
      body: input.body,
      signed_by: null,
      signed_at: null,
    };
    await trx.insertInto('notes').values(row).execute();
    await keepVersion(ctx, trx, row);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'create', entity: 'note', entityIds: [row.id] }, ctx.now());
    return noteWithHistory(trx, row);
  });
}

export async function updateNote(ctx: CaseloadContext, id: string, version: number, body: string): Promise<Note> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await liveNote(trx, ctx, id);
    if (row.status === 'signed') signedRefusal(row, 'body', 'cannot be changed');
    if (row.version !== version) throw stale();
    const updated: NotesTable = { ...row, body, ...nextColumns(row, ctx) };
    await trx.updateTable('notes').set(updated).where('id', '=', id).where('version', '=', version).execute();
    await keepVersion(ctx, trx, updated);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'update', entity: 'note', entityIds: [id] }, ctx.now());
    return noteWithHistory(trx, updated);
  });
}

/** Signing is refused while a risk alert of the referral has no risk review (DESIGN §4). */
export async function signNote(ctx: CaseloadContext, id: string, version: number): Promise<Note> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await liveNote(trx, ctx, id);
    if (row.status === 'signed') signedRefusal(row, 'id', 'is already signed');
    if (row.version !== version) throw stale();
    const measures = await trx.selectFrom('measures').selectAll().where('referral_id', '=', row.referral_id).execute();
    const alerts = openRiskAlerts(measures);
    if (alerts.length > 0) {
      throw refuse('riskReview', `is needed first: ${alerts.map((a) => `${a.flags.join(', ')} on ${formatUkDate(a.date)}`).join('; ')} has no risk review saved`);
    }
    const at = ctx.now().toISOString();
    const signed: NotesTable = { ...row, status: 'signed', signed_by: ctx.actorId, signed_at: at, ...nextColumns(row, ctx) };
    await trx.updateTable('notes').set(signed).where('id', '=', id).where('version', '=', version).execute();
    await keepVersion(ctx, trx, signed);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'sign', entity: 'note', entityIds: [id] }, ctx.now());
    return noteWithHistory(trx, signed);
  });
}

export async function addAddendum(ctx: CaseloadContext, id: string, body: string): Promise<Note> {
  return ctx.db.transaction().execute(async (trx) => {
    let parent = await liveNote(trx, ctx, id);
    if (parent.parent_note_id) parent = await liveNote(trx, ctx, parent.parent_note_id); // an addendum to an addendum joins the note
    if (parent.status !== 'signed') throw refuse('id', 'is a draft: change the draft itself; addenda are for signed notes');
    const at = ctx.now().toISOString();
    const row: NotesTable = {
      ...newColumns(ctx),
      referral_id: parent.referral_id,
      contact_id: parent.contact_id,
      parent_note_id: parent.id,
      status: 'signed',
      body,
      signed_by: ctx.actorId,
      signed_at: at,
    };
    await trx.insertInto('notes').values(row).execute();
    await keepVersion(ctx, trx, row);
    await appendAudit(trx, { actorId: ctx.actorId, action: 'addendum', entity: 'note', entityIds: [parent.id, row.id] }, ctx.now());
    return noteWithHistory(trx, parent);
  });
}

/**
 * The sync barrier around signing (electron/services/sync/runtime.ts): `before` runs a round when the team server
 * answers and says whether it did; then `after` sends the signature at once, so a note signed online is never
 * shown as "signed offline". Offline, signing proceeds and the note says it is not yet synced.
 */
export interface SignBarrier {
  before(): Promise<boolean>;
  after(): Promise<void>;
}

export function noteHandlers(context: ContextSource, barrier: SignBarrier = { before: async () => false, after: async () => {} }): HandlerMap<typeof noteMethods> {
  return {
    'notes.create': (i) => createNote(context(), i),
    'notes.update': (i) => updateNote(context(), i.id, i.version, i.body),
    'notes.sign': async (i) => {
      context(); // locked: refused before any network
      const online = await barrier.before();
      const signed = await signNote(context(), i.id, i.version);
      if (!online) return signed;
      await barrier.after();
      const ctx = context();
      return ctx.db.transaction().execute(async (trx) => noteWithHistory(trx, await liveNote(trx, ctx, i.id)));
    },
    'notes.addendum': (i) => addAddendum(context(), i.id, i.body),
  };
}
