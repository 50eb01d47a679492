import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../electron/services/audit/auditChain';
import { listConflicts, resolveConflict, setAsideRefused } from '../../electron/services/sync/conflicts';
import { SqliteInbox } from '../../electron/services/sync/inbox';
import { SqliteOutbox } from '../../electron/services/sync/outbox';
import { SyncConflict } from '../../shared/contract/sync';
import type { RowPayload } from '../../shared/sync/protocol';
import { openSyncStore, type SyncStore } from '../helpers/syncStore';
import { contactRow, logged, noteRow, page, patientRow, referralRow } from '../helpers/syncRows';

const ME = uuidv7();
const OTHER = uuidv7();
let store: SyncStore;
afterEach(async () => store?.close());

const ids = { patient: uuidv7(), referral: uuidv7(), contact: uuidv7(), note: uuidv7(), signed: uuidv7() };

/** A store holding one patient's episode as the team has it, and two conflict rows the server logged. */
async function withConflicts() {
  store = await openSyncStore([{ id: ME, name: 'Ada' }, { id: OTHER, name: 'Grace' }]);
  const inbox = new SqliteInbox(store.db, { actorId: ME });
  const theirsContact = contactRow(ids.contact, ids.referral, OTHER, { attendance: 5, location: 'Ward 3', version: 3, updated_by: OTHER });
  const conflict = (id: string, table: string, rowId: string, kind: string, fields: string[], theirs: RowPayload, mine: RowPayload): RowPayload => ({
    id, version: 1, created_by: ME, updated_by: ME, created_at: 't1', updated_at: 't1', deleted_at: null,
    patient_id: ids.patient, table_name: table, row_id: rowId, kind, fields: JSON.stringify(fields), base_version: 2,
    theirs: JSON.stringify(theirs), mine: JSON.stringify(mine), mine_by: ME, status: 'open', resolved_by: null, resolved_at: null, resolution_note: null,
  });
  const [attendance, noteConflict, signedConflict] = [uuidv7(), uuidv7(), uuidv7()];
  const theirsNote = noteRow(ids.note, ids.referral, OTHER, { body: 'their text', version: 3 });
  const signedNote = noteRow(ids.signed, ids.referral, OTHER, { body: 'signed text', status: 'signed', signed_by: OTHER, signed_at: 't', version: 2 });
  await inbox.apply(
    page([
      logged(1, 'patients', patientRow(ids.patient, OTHER, '9990000018')),
      logged(2, 'referrals', referralRow(ids.referral, ids.patient, OTHER)),
      logged(3, 'contacts', theirsContact),
      logged(4, 'notes', theirsNote),
      logged(5, 'notes', signedNote),
      logged(6, 'sync_conflicts', conflict(attendance, 'contacts', ids.contact, 'high-risk', ['attendance'], theirsContact, { ...theirsContact, attendance: 3, location: 'Clinic 2' })),
      logged(7, 'sync_conflicts', conflict(noteConflict, 'notes', ids.note, 'document', ['body'], theirsNote, { ...theirsNote, body: 'my text' })),
      logged(8, 'sync_conflicts', conflict(signedConflict, 'notes', ids.signed, 'document', ['body'], signedNote, { ...signedNote, body: 'my late text' })),
    ]),
  );
  const ctx = { db: store.db, actorId: ME, role: 'hit' as const, now: () => new Date('2026-07-01T09:00:00.000Z') };
  return { ctx, attendance, noteConflict, signedConflict };
}

const ctxOf = (db: typeof store.db) => ({ db, actorId: ME, role: 'hit' as const, now: () => new Date('2026-07-01T09:00:00.000Z') });

describe('sync conflicts inbox', () => {
  it('lists open conflicts with the patient, both sides of the disputed fields and who wrote them', async () => {
    const { ctx, attendance, noteConflict, signedConflict } = await withConflicts();
    const open = await listConflicts(ctx, 'open');
    expect(open).toHaveLength(3);
    for (const c of open) expect(SyncConflict.safeParse(c).success).toBe(true);
    expect(open[0]).toMatchObject({
      id: attendance,
      label: 'Appointment and attendance',
      patientName: 'Rosa Parks',
      kind: 'high-risk',
      fields: ['attendance'],
      theirs: { fields: { attendance: 5 }, by: OTHER, byName: 'Grace' },
      mine: { fields: { attendance: 3 }, by: ME, byName: 'Ada' },
      status: 'open',
    });
    expect(await listConflicts(ctx, 'resolved')).toEqual([]);
    // Each listing is a view of patient data, audited with the conflicts and patients it showed (never values).
    const views = await store.db.selectFrom('audit_event').select(['action', 'entity_ids']).where('entity', '=', 'sync-conflicts').orderBy('seq').execute();
    expect(views.map((v) => v.action)).toEqual(['view', 'view']);
    const shown = JSON.parse(views[0]!.entity_ids) as string[];
    expect(shown).toEqual(expect.arrayContaining([attendance, noteConflict, signedConflict, ...open.map((c) => c.patientId)]));
    expect(views[0]!.entity_ids).not.toContain('my text');
    expect(JSON.parse(views[1]!.entity_ids)).toEqual([]);
  });

  it('writes the chosen values on top of the team row and closes the conflict, both through the outbox, audited as a merge', async () => {
    const { ctx, attendance } = await withConflicts();
    const resolved = await resolveConflict(ctx, { id: attendance, version: 1, fields: { attendance: 3 }, note: 'checked the register' });
    expect(resolved).toMatchObject({ status: 'resolved', version: 2 });
    expect(await store.db.selectFrom('contacts').select(['attendance', 'location', 'version', 'updated_by']).executeTakeFirst()).toEqual({ attendance: 3, location: 'Ward 3', version: 4, updated_by: ME });
    const row = await store.db.selectFrom('sync_conflicts').select(['status', 'resolved_by', 'resolution_note', 'version']).where('id', '=', attendance).executeTakeFirst();
    expect(row).toEqual({ status: 'resolved', resolved_by: ME, resolution_note: 'checked the register', version: 2 });
    const commands = await new SqliteOutbox(store.db, { actorId: ME }).pending(10);
    expect(commands.map((c) => [c.table, c.base_version, c.row_version])).toEqual([
      ['contacts', 3, 4],
      ['sync_conflicts', 1, 2],
    ]);
    expect(await store.db.selectFrom('audit_event').select(['action', 'entity_ids']).where('action', '=', 'merge').execute()).toEqual([
      { action: 'merge', entity_ids: JSON.stringify([attendance, ids.contact]) },
    ]);
    expect((await verifyAudit(store.db)).ok).toBe(true);
    expect((await listConflicts(ctxOf(store.db), 'resolved')).map((c) => c.id)).toEqual([attendance]);
  });

  it('merges a draft note as a new version, and a signed one as an addendum', async () => {
    const { ctx, noteConflict, signedConflict } = await withConflicts();
    await resolveConflict(ctx, { id: noteConflict, version: 1, fields: { body: 'their text\nmy text' } });
    expect(await store.db.selectFrom('notes').select(['body', 'version', 'status']).where('id', '=', ids.note).executeTakeFirst()).toEqual({ body: 'their text\nmy text', version: 4, status: 'draft' });
    expect(await store.db.selectFrom('note_versions').select(['note_version', 'body']).where('note_id', '=', ids.note).execute()).toEqual([{ note_version: 4, body: 'their text\nmy text' }]);

    await resolveConflict(ctx, { id: signedConflict, version: 1, fields: { body: 'my late text' } });
    expect(await store.db.selectFrom('notes').select(['body', 'status']).where('id', '=', ids.signed).executeTakeFirst()).toEqual({ body: 'signed text', status: 'signed' });
    expect(await store.db.selectFrom('notes').select(['body', 'status', 'signed_by']).where('parent_note_id', '=', ids.signed).execute()).toEqual([{ body: 'my late text', status: 'signed', signed_by: ME }]);
  });

  it('refuses a stale version, a field not in dispute, a value of the wrong type, or a second resolution, changing nothing', async () => {
    const { ctx, attendance } = await withConflicts();
    const before = await store.db.selectFrom('contacts').selectAll().execute();
    const outbox = await store.db.selectFrom('sync_outbox').selectAll().execute();
    await expect(resolveConflict(ctx, { id: attendance, version: 2, fields: { attendance: 3 } })).rejects.toMatchObject({ code: 'STALE_VERSION' });
    await expect(resolveConflict(ctx, { id: attendance, version: 1, fields: { location: 'x' } })).rejects.toMatchObject({ code: 'VALIDATION', fields: [{ path: 'fields.location' }] });
    await expect(resolveConflict(ctx, { id: attendance, version: 1, fields: { attendance: 'three' } })).rejects.toMatchObject({ fields: [{ path: 'fields.attendance', message: 'must be a whole number' }] });
    await expect(resolveConflict(ctx, { id: uuidv7(), version: 1, fields: {} })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await store.db.selectFrom('contacts').selectAll().execute()).toEqual(before);
    expect(await store.db.selectFrom('sync_outbox').selectAll().execute()).toEqual(outbox);
    await resolveConflict(ctx, { id: attendance, version: 1, fields: {} });
    await expect(resolveConflict(ctx, { id: attendance, version: 2, fields: {} })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('shows a change the server refused as a refused item, never dropped', async () => {
    await withConflicts();
    const outbox = new SqliteOutbox(store.db, { actorId: ME });
    await store.db.updateTable('patients').set({ given_name: 'Rosie', version: 2, updated_by: ME }).execute();
    const [sent] = await outbox.pending(10);
    await outbox.settle([{ op_id: sent!.op_id, status: 'forbidden', reason: 'out_of_scope' }]);
    const refused = (await listConflicts(ctxOf(store.db), 'open')).filter((c) => c.kind === 'refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ id: sent!.op_id, table: 'patients', patientId: ids.patient, mine: { fields: { given_name: 'Rosie' }, by: ME } });
    expect(refused[0]!.label).toMatch(/no longer on your caseload/);
    expect(SyncConflict.safeParse(refused[0]).success).toBe(true);
  });

  it('sets a refused change aside only when asked, by its id: gone from the outbox and the inbox, audited by id, never by content', async () => {
    const { ctx } = await withConflicts();
    const outbox = new SqliteOutbox(store.db, { actorId: ME });
    await store.db.updateTable('patients').set({ given_name: 'Rosie', version: 2, updated_by: ME }).execute();
    const [sent] = await outbox.pending(10);
    await outbox.settle([{ op_id: sent!.op_id, status: 'forbidden', reason: 'out_of_scope' }]);
    const changes = () => store.sqlite.prepare('select total_changes() as n').get() as { n: number };
    const before = changes().n;
    await expect(setAsideRefused(ctx, uuidv7())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(changes().n).toBe(before);
    expect(await outbox.counts()).toEqual({ pending: 0, refused: 1 });

    await setAsideRefused(ctx, sent!.op_id);
    expect(await outbox.counts()).toEqual({ pending: 0, refused: 0 });
    expect((await listConflicts(ctxOf(store.db), 'open')).filter((c) => c.kind === 'refused')).toEqual([]);
    const audit = await store.db.selectFrom('audit_event').select(['action', 'entity', 'entity_ids']).where('action', '=', 'set-aside').execute();
    expect(audit).toEqual([{ action: 'set-aside', entity: 'refused_change', entity_ids: JSON.stringify([sent!.op_id, ids.patient]) }]);
    expect((await verifyAudit(store.db)).ok).toBe(true);
    // Already set aside: a second call finds nothing.
    await expect(setAsideRefused(ctx, sent!.op_id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
