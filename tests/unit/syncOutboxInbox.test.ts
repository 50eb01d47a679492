import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteInbox } from '../../electron/services/sync/inbox';
import { SqliteOutbox } from '../../electron/services/sync/outbox';
import { MIGRATION_NAMES } from '../../electron/services/store/migrations';
import { openSyncStore, type SyncStore } from '../helpers/syncStore';
import { contactRow, logged, noteRow, noteVersionRow, page, patientRow, referralRow } from '../helpers/syncRows';

/** The store's outbox triggers, SqliteOutbox and SqliteInbox on a real encrypted store (migration 0004). */
const ME = uuidv7();
const OTHER = uuidv7();
let store: SyncStore;
afterEach(async () => store?.close());

async function open() {
  store = await openSyncStore([
    { id: ME, name: 'Ada' },
    { id: OTHER, name: 'Grace' },
  ]);
  return {
    db: store.db,
    outbox: new SqliteOutbox(store.db, { actorId: ME }),
    inbox: new SqliteInbox(store.db, { actorId: ME }),
  };
}

const outboxRows = (s: SyncStore) => s.db.selectFrom('sync_outbox').selectAll().orderBy('seq').execute();
const insertPatient = (s: SyncStore, id: string, nhs = '9990000018') =>
  s.db.insertInto('patients').values(patientRow(id, ME, nhs) as never).execute();
const rename = (s: SyncStore, id: string, name: string) =>
  sql`update patients set given_name = ${name}, version = version + 1 where id = ${id}`.execute(s.db);

describe('outbox triggers (migration 0004)', () => {
  it('record one pending entry per row whatever writes it, keep the first base version, and skip rows the inbox applies', async () => {
    const { inbox } = await open();
    const p = uuidv7();
    await insertPatient(store, p);
    await rename(store, p, 'Rosie');
    await rename(store, p, 'Rosa May');
    expect(await outboxRows(store)).toMatchObject([{ table_name: 'patients', row_id: p, base_version: 0, state: 'pending', op_id: null }]);

    const q = uuidv7();
    await inbox.apply(page([logged(1, 'patients', patientRow(q, OTHER, '9990000026'))]));
    expect((await outboxRows(store)).map((r) => r.row_id)).toEqual([p]);
    await rename(store, q, 'Mary');
    expect((await outboxRows(store)).at(-1)).toMatchObject({ row_id: q, base_version: 1 });
  });
});

describe('SqliteOutbox', () => {
  it('seals pending entries in order with UUIDv7 op ids and gap-free mutation seqs, resending a sealed command unchanged', async () => {
    const { outbox } = await open();
    const [a, b] = [uuidv7(), uuidv7()];
    await insertPatient(store, a, '9990000018');
    await insertPatient(store, b, '9990000026');
    const first = await outbox.pending(10);
    expect(first.map((c) => [c.row_id, c.mutation_seq, c.base_version, c.row_version, c.tombstone])).toEqual([
      [a, 1, 0, 1, false],
      [b, 2, 0, 1, false],
    ]);
    expect(first[0]!.op_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(first[0]!.payload).toMatchObject({ id: a, nhs_number: '9990000018', given_name: 'Rosa', version: 1 });
    expect(first[0]!.schema_version).toBe(MIGRATION_NAMES.length);
    expect(await outbox.pending(10)).toEqual(first);
    expect(await outbox.pending(1)).toEqual(first.slice(0, 1));

    // Changed again after sealing: a new entry whose base is the sealed version; the sealed one is untouched.
    await rename(store, a, 'Rosie');
    const second = await outbox.pending(10);
    expect(second.slice(0, 2)).toEqual(first);
    expect(second[2]).toMatchObject({ row_id: a, mutation_seq: 3, base_version: 1, row_version: 2, payload: { given_name: 'Rosie' } });
  });

  it('sends a soft delete as a tombstone, and nothing for a row made and deleted before the team saw it', async () => {
    const { outbox, inbox } = await open();
    const [a, b] = [uuidv7(), uuidv7()];
    await inbox.apply(page([logged(1, 'patients', patientRow(a, OTHER, '9990000018'))]));
    await sql`update patients set deleted_at = 'now', version = 2 where id = ${a}`.execute(store.db);
    await insertPatient(store, b, '9990000026');
    await sql`update patients set deleted_at = 'now', version = 2 where id = ${b}`.execute(store.db);
    expect(await outbox.pending(10)).toMatchObject([{ row_id: a, tombstone: true, payload: null, row_version: 2, base_version: 1 }]);
    expect(await outboxRows(store)).toHaveLength(1);
  });

  it('settles answers: final ones removed, forbidden kept as refused with its reason, gaps left to resend; a repeated reply changes nothing', async () => {
    const { outbox } = await open();
    const ids = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    for (const [i, id] of ids.entries()) await insertPatient(store, id, `99900000${['18', '26', '34', '42'][i]}`);
    const sent = await outbox.pending(10);
    const acks = [
      { op_id: sent[0]!.op_id, status: 'applied' as const, server_seq: 5 },
      { op_id: sent[1]!.op_id, status: 'forbidden' as const, reason: 'out_of_scope' as const },
      { op_id: sent[2]!.op_id, status: 'conflict' as const, server_seq: 6, conflict_id: uuidv7() },
      { op_id: sent[3]!.op_id, status: 'gap' as const, expected_seq: 4 },
    ];
    await outbox.settle(acks);
    await outbox.settle(acks);
    expect((await outboxRows(store)).map((r) => [r.row_id, r.state, r.refused_reason])).toEqual([
      [ids[1], 'refused', 'out_of_scope'],
      [ids[3], 'sealed', null],
    ]);
    expect(await outbox.counts()).toEqual({ pending: 1, refused: 1 });
    expect(await outbox.pending(10)).toEqual([sent[3]]);
    expect(await store.db.selectFrom('sync_rows').select(['row_id', 'server_seq']).execute()).toEqual([{ row_id: ids[0], server_seq: 5 }]);
  });
});

describe('SqliteInbox', () => {
  it('applies whole rows and the cursor together, only above the seq it holds, skipping unknown tables and columns', async () => {
    const { inbox } = await open();
    const p = uuidv7();
    await inbox.apply(
      page(
        [
          logged(3, 'patients', { ...patientRow(p, OTHER, '9990000018'), from_a_newer_app: 'x' }),
          logged(4, 'care_plans_of_the_future', { id: uuidv7(), version: 1 }),
        ],
        { serverTime: '2026-07-01T09:00:00.000Z' },
      ),
    );
    expect(await inbox.cursor()).toBe(4);
    expect(await store.db.selectFrom('sync_state').select('last_synced_at').executeTakeFirst()).toEqual({ last_synced_at: '2026-07-01T09:00:00.000Z' });
    await inbox.apply(page([logged(2, 'patients', patientRow(p, OTHER, '9990000018', { given_name: 'Older' }))], { next: 4 }));
    await inbox.apply(page([logged(5, 'patients', patientRow(p, OTHER, '9990000018', { given_name: 'Newer', version: 2 }))]));
    expect(await store.db.selectFrom('patients').select(['given_name', 'version']).execute()).toEqual([{ given_name: 'Newer', version: 2 }]);
    await inbox.apply(page([logged(6, 'patients', null, p)]));
    // A back-fill may carry a deleted row's last content with its tombstone: stored, then marked deleted.
    const gone = uuidv7();
    await inbox.apply(page([{ ...logged(7, 'patients', patientRow(gone, OTHER, '9990000026')), tombstone: true }]));
    expect((await store.db.selectFrom('patients').select(['deleted_at']).where('id', '=', gone).executeTakeFirstOrThrow()).deleted_at).not.toBeNull();
    expect((await store.db.selectFrom('patients').select('deleted_at').executeTakeFirstOrThrow()).deleted_at).not.toBeNull();
    expect(await store.db.selectFrom('patients').select('id').where('id', '=', p).execute()).toHaveLength(1); // a tombstone never hard-deletes
    expect(await outboxRows(store)).toEqual([]);
  });

  it('holds a change to a row with an unanswered local write, and applies it once the server has answered', async () => {
    const { inbox, outbox } = await open();
    const p = uuidv7();
    await inbox.apply(page([logged(1, 'patients', patientRow(p, OTHER, '9990000018'))]));
    await rename(store, p, 'Mine');
    const [mine] = await outbox.pending(10);
    await inbox.apply(page([logged(2, 'patients', patientRow(p, OTHER, '9990000018', { given_name: 'Theirs', version: 2 }))]));
    expect((await store.db.selectFrom('patients').select('given_name').executeTakeFirstOrThrow()).given_name).toBe('Mine');
    await outbox.settle([{ op_id: mine!.op_id, status: 'conflict', server_seq: 3, conflict_id: uuidv7() }]);
    expect((await store.db.selectFrom('patients').select('given_name').executeTakeFirstOrThrow()).given_name).toBe('Theirs');
    expect(await outboxRows(store)).toEqual([]);
  });

  it('returns a row to the team version when the server refuses or does not take the write, keeping the write in the refused entry', async () => {
    const { inbox, outbox } = await open();
    const p = uuidv7();
    await inbox.apply(page([logged(1, 'patients', patientRow(p, OTHER, '9990000018', { given_name: 'Team' }))]));
    await rename(store, p, 'Mine');
    const [mine] = await outbox.pending(10);
    await outbox.settle([{ op_id: mine!.op_id, status: 'forbidden', reason: 'out_of_scope' }]);
    expect((await store.db.selectFrom('patients').select('given_name').executeTakeFirstOrThrow()).given_name).toBe('Team');
    const [refused] = await outboxRows(store);
    expect(refused).toMatchObject({ state: 'refused', refused_reason: 'out_of_scope' });
    expect(JSON.parse(refused!.payload!)).toMatchObject({ given_name: 'Mine' });
    // An accepted write stays as written.
    await rename(store, p, 'Accepted');
    const [next] = await outbox.pending(10);
    await outbox.settle([{ op_id: next!.op_id, status: 'applied', server_seq: 2 }]);
    expect((await store.db.selectFrom('patients').select('given_name').executeTakeFirstOrThrow()).given_name).toBe('Accepted');
    await inbox.apply(page([logged(2, 'patients', patientRow(p, OTHER, '9990000018', { given_name: 'Accepted' }))]));
    expect(await store.db.selectFrom('sync_rows').select(['server_seq', 'latest_seq']).execute()).toEqual([{ server_seq: 2, latest_seq: 2 }]);
  });

  it('remembers a purge it had to defer and carries it out at a later pull, once the outbox is empty', async () => {
    const { inbox, outbox } = await open();
    const p = uuidv7();
    await inbox.apply(page([logged(1, 'patients', patientRow(p, OTHER, '9990000018'))]));
    await rename(store, p, 'Mine');
    await inbox.apply(page([], { purge: [p], next: 2 }));
    expect(await store.db.selectFrom('patients').select('id').execute()).toHaveLength(1);
    expect(await store.db.selectFrom('sync_state').select('deferred_purge').executeTakeFirst()).toEqual({ deferred_purge: JSON.stringify([p]) });
    const [mine] = await outbox.pending(10);
    await outbox.settle([{ op_id: mine!.op_id, status: 'forbidden', reason: 'out_of_scope' }]);
    await inbox.apply(page([], { next: 2 }));
    expect(await store.db.selectFrom('patients').select('id').execute()).toEqual([]);
    expect(await store.db.selectFrom('sync_state').select('deferred_purge').executeTakeFirst()).toEqual({ deferred_purge: '[]' });
    expect(await outbox.counts()).toEqual({ pending: 0, refused: 1 });
  });

  it('parks a row whose parent has not arrived and stores it once the parent comes in a later page', async () => {
    const { inbox } = await open();
    const [p, r, c] = [uuidv7(), uuidv7(), uuidv7()];
    await inbox.apply(page([logged(1, 'patients', patientRow(p, OTHER, '9990000018')), logged(3, 'contacts', contactRow(c, r, OTHER))]));
    expect(await store.db.selectFrom('contacts').select('id').execute()).toEqual([]);
    expect(await inbox.cursor()).toBe(3);
    await inbox.apply(page([logged(4, 'referrals', referralRow(r, p, OTHER))], { next: 4 }));
    expect(await store.db.selectFrom('contacts').select('id').execute()).toEqual([{ id: c }]);
    expect(store.sqlite.pragma('foreign_key_check')).toEqual([]);
  });

  it('parks a whole branch whose root is missing, again on every page, until the root arrives (found by the model test, seed 1170169920)', async () => {
    const { inbox } = await open();
    const [p, r, c, n] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    // The referral's patient has not come; the contact and note wait on the referral, which waits on the patient.
    await inbox.apply(page([logged(2, 'referrals', referralRow(r, p, OTHER)), logged(3, 'contacts', contactRow(c, r, OTHER)), logged(4, 'notes', noteRow(n, r, OTHER, { body: 'seen' }))], { next: 4 }));
    // The next page repeats the referral alone: retried, it brings its children back, and all must be parked again.
    await inbox.apply(page([logged(5, 'referrals', referralRow(r, p, OTHER, { version: 2 }))], { next: 5 }));
    expect(await store.db.selectFrom('referrals').select('id').execute()).toEqual([]);
    expect(await store.db.selectFrom('contacts').select('id').execute()).toEqual([]);
    expect(await inbox.cursor()).toBe(5);
    await inbox.apply(page([logged(6, 'patients', patientRow(p, OTHER, '9990000018'))], { next: 6 }));
    expect((await store.db.selectFrom('referrals').select('version').execute())).toEqual([{ version: 2 }]);
    expect(await store.db.selectFrom('contacts').select('id').execute()).toEqual([{ id: c }]);
    expect(await store.db.selectFrom('notes').select('id').execute()).toEqual([{ id: n }]);
    expect(store.sqlite.pragma('foreign_key_check')).toEqual([]);
  });

  it('leaves rows and cursor untouched when it fails before commit', async () => {
    store = await openSyncStore([{ id: OTHER, name: 'Grace' }]);
    let crash = true;
    const inbox = new SqliteInbox(store.db, { actorId: OTHER, beforeCommit: () => { if (crash) throw new Error('power cut'); } });
    const p = uuidv7();
    await expect(inbox.apply(page([logged(7, 'patients', patientRow(p, OTHER, '9990000018'))]))).rejects.toThrow('power cut');
    expect(await inbox.cursor()).toBe(0);
    expect(await store.db.selectFrom('patients').select('id').execute()).toEqual([]);
    expect(await store.db.selectFrom('sync_state').select('applying').executeTakeFirst()).toEqual({ applying: 0 });
    crash = false;
    await inbox.apply(page([logged(7, 'patients', patientRow(p, OTHER, '9990000018'))]));
    expect(await inbox.cursor()).toBe(7);
  });

  it('pulls again from 0 after a page that was asked for but never applied (a lost reply may have held a back-fill)', async () => {
    const { inbox } = await open();
    await inbox.apply(page([logged(5, 'patients', patientRow(uuidv7(), OTHER, '9990000018'))]));
    expect(await inbox.cursor()).toBe(5); // asked for the page after 5 …
    expect(await inbox.cursor()).toBe(0); // … which never arrived: start again
    await inbox.apply(page([], { next: 5 }));
    expect(await inbox.cursor()).toBe(5);
  });

  it('purges a patient leaving scope with every row leading to them, children first, but keeps one with a change not yet pushed', async () => {
    const { inbox } = await open();
    const [p, r, c, n, v, q, rq] = Array.from({ length: 7 }, () => uuidv7()) as [string, string, string, string, string, string, string];
    await inbox.apply(
      page([
        logged(1, 'patients', patientRow(p, OTHER, '9990000018')),
        logged(2, 'referrals', referralRow(r, p, OTHER)),
        logged(3, 'contacts', contactRow(c, r, OTHER)),
        logged(4, 'notes', noteRow(n, r, OTHER, { body: 'seen in clinic' })),
        logged(5, 'note_versions', noteVersionRow(v, n, OTHER, { body: 'seen in clinic' })),
        logged(6, 'patients', patientRow(q, OTHER, '9990000026')),
        logged(7, 'referrals', referralRow(rq, q, OTHER)),
      ]),
    );
    await sql`update referrals set reason = 'edited here', version = 2 where id = ${rq}`.execute(store.db);
    await inbox.apply(page([], { purge: [p, q], next: 7 }));
    const left = async (t: 'patients' | 'referrals' | 'contacts' | 'notes' | 'note_versions') => (await store.db.selectFrom(t).select('id').execute()).map((x) => x.id);
    expect(await left('patients')).toEqual([q]);
    expect(await left('referrals')).toEqual([rq]);
    expect([...(await left('contacts')), ...(await left('notes')), ...(await left('note_versions'))]).toEqual([]);
    expect((await store.db.selectFrom('sync_rows').select('row_id').execute()).map((x) => x.row_id).sort()).toEqual([q, rq].sort());
    const audit = await store.db.selectFrom('audit_event').select(['action', 'entity_ids']).where('action', '=', 'purge').execute();
    expect(audit).toEqual([{ action: 'purge', entity_ids: JSON.stringify([p]) }]);
  });
});
