import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../electron/services/audit/auditChain';
import { adoptServerIdentity, applyDirectory, auditAckedHead, auditEventsAfter, recordAuditAck, recordEnrolment } from '../../electron/services/sync/identity';
import { SqliteOutbox } from '../../electron/services/sync/outbox';
import { AuditEventWire } from '../../shared/sync/protocol';
import { openSyncStore, type SyncStore } from '../helpers/syncStore';
import { SqliteInbox } from '../../electron/services/sync/inbox';
import { contactRow, logged, noteRow, noteVersionRow, page, patientRow, referralRow } from '../helpers/syncRows';

let store: SyncStore;
afterEach(async () => store?.close());

describe('sync identity', () => {
  it('adopts the server user id for everything recorded before enrolment, in users, every user column and the owner setting, audited', async () => {
    const local = uuidv7();
    const server = uuidv7();
    store = await openSyncStore([{ id: local, name: 'Ada' }]);
    const db = store.db;
    await db.insertInto('settings').values({ key: 'owner_user_id', value: local }).execute();
    const [p, r, n] = [uuidv7(), uuidv7(), uuidv7()];
    await db.insertInto('patients').values(patientRow(p, local, '9990000018') as never).execute();
    await db.insertInto('referrals').values(referralRow(r, p, local) as never).execute();
    await db.insertInto('notes').values(noteRow(n, r, local, { status: 'signed', signed_by: local, signed_at: 'x', body: 'b' }) as never).execute();

    await recordEnrolment(db, { serverUrl: 'https://sync.example', enrolment: { device_id: uuidv7(), user_id: server, team_id: uuidv7(), token: 't' }, localOwnerId: local });
    await adoptServerIdentity(db, local, server);

    expect(await db.selectFrom('users').select('id').execute()).toEqual([{ id: server }]);
    expect(await db.selectFrom('referrals').select(['created_by', 'updated_by', 'caseholder_id']).execute()).toEqual([{ created_by: server, updated_by: server, caseholder_id: server }]);
    expect(await db.selectFrom('notes').select(['signed_by']).execute()).toEqual([{ signed_by: server }]);
    expect(await db.selectFrom('settings').select('value').where('key', '=', 'owner_user_id').executeTakeFirst()).toEqual({ value: server });
    expect(store.sqlite.pragma('foreign_key_check')).toEqual([]);
    const commands = await new SqliteOutbox(db, { actorId: server }).pending(10);
    expect(commands.map((c) => [c.table, c.base_version, c.payload?.created_by])).toEqual([
      ['patients', 0, server],
      ['referrals', 0, server],
      ['notes', 0, server],
    ]);
    const adopted = await db.selectFrom('audit_event').select(['actor_id', 'entity_ids']).where('action', '=', 'adopt-identity').execute();
    expect(adopted).toEqual([{ actor_id: server, entity_ids: JSON.stringify([local, server]) }]);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('replaces the users table with the directory, keeping a removed user only while rows still name them', async () => {
    const me = uuidv7();
    const [author, gone, added] = [uuidv7(), uuidv7(), uuidv7()];
    store = await openSyncStore([{ id: me, name: 'Ada' }, { id: author, name: 'Old author' }, { id: gone, name: 'Left' }]);
    await store.db.insertInto('patients').values(patientRow(uuidv7(), author, '9990000018') as never).execute();
    await applyDirectory(store.db, { me, users: [
      { id: me, display_name: 'Ada L.', role: 'hit', supervisor_id: added, active: true, version: 2 },
      { id: added, display_name: 'Sup', role: 'supervisor', supervisor_id: null, active: true, version: 1 },
    ] }, me);
    const users = await store.db.selectFrom('users').select(['id', 'display_name', 'supervisor_id']).orderBy('display_name').execute();
    expect(users).toEqual([
      { id: me, display_name: 'Ada L.', supervisor_id: added },
      { id: author, display_name: 'Old author', supervisor_id: null },
      { id: added, display_name: 'Sup', supervisor_id: null },
    ]);
  });

  it("takes the tables a narrower role may not read off the device at once, keeping a change still to push; audited", async () => {
    const [me, other] = [uuidv7(), uuidv7()];
    store = await openSyncStore([{ id: me, name: 'Ada' }, { id: other, name: 'Grace' }]);
    const inbox = new SqliteInbox(store.db, { actorId: me });
    const [p, r, c, n, v, mine] = Array.from({ length: 6 }, () => uuidv7()) as [string, string, string, string, string, string];
    await inbox.apply(
      page([
        logged(1, 'patients', patientRow(p, other, '9990000018')),
        logged(2, 'referrals', referralRow(r, p, other)),
        logged(3, 'contacts', contactRow(c, r, other)),
        logged(4, 'notes', noteRow(n, r, other, { body: 'seen in clinic' })),
        logged(5, 'note_versions', noteVersionRow(v, n, other, { body: 'seen in clinic' })),
      ], { next: 5 }),
    );
    // Written here before the role changed and not yet pushed: the server will answer for it.
    await store.db.insertInto('notes').values(noteRow(mine, r, me, { body: 'my unsent note' }) as never).execute();

    const directory = (role: string) => ({ me, users: [{ id: me, display_name: 'Ada', role, supervisor_id: null, active: true, version: 2 }, { id: other, display_name: 'Grace', role: 'hit', supervisor_id: null, active: true, version: 1 }] });
    await applyDirectory(store.db, directory('hit') as never, me);
    expect(await store.db.selectFrom('notes').select('id').execute()).toHaveLength(2); // the same role keeps everything
    await applyDirectory(store.db, directory('booking-clerk') as never, me);

    expect(await store.db.selectFrom('notes').select('id').execute()).toEqual([{ id: mine }]);
    expect(await store.db.selectFrom('note_versions').select('id').execute()).toEqual([]);
    // A clerk keeps demographics, referrals and bookings.
    expect(await store.db.selectFrom('patients').select('id').execute()).toEqual([{ id: p }]);
    expect(await store.db.selectFrom('contacts').select('id').execute()).toEqual([{ id: c }]);
    expect(await store.db.selectFrom('sync_rows').select('row_id').where('table_name', 'in', ['notes', 'note_versions']).execute()).toEqual([]);
    expect(store.sqlite.pragma('foreign_key_check')).toEqual([]);
    const purge = await store.db.selectFrom('audit_event').select(['entity', 'entity_ids']).where('action', '=', 'purge').execute();
    expect(purge).toEqual([{ entity: 'table', entity_ids: expect.stringContaining('"notes"') }]);
    expect(JSON.parse(purge[0]!.entity_ids)).toEqual(expect.arrayContaining(['notes', 'note_versions']));
    expect((await verifyAudit(store.db)).ok).toBe(true);
  });

  it('hands the audit chain out after the acknowledged head in wire shape, and the head only moves forward', async () => {
    const me = uuidv7();
    store = await openSyncStore([{ id: me, name: 'Ada' }]);
    await applyDirectory(store.db, { me, users: [{ id: me, display_name: 'Ada', role: 'hit', supervisor_id: null, active: true, version: 1 }] }, me);
    await applyDirectory(store.db, { me, users: [{ id: me, display_name: 'Ada', role: 'hit', supervisor_id: null, active: true, version: 1 }] }, me);
    const events = await auditEventsAfter(store.db, 0);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    for (const e of events) expect(AuditEventWire.safeParse(e).success).toBe(true);
    await recordAuditAck(store.db, { head_seq: 2, head_hash: events[1]!.hash });
    await recordAuditAck(store.db, { head_seq: 1, head_hash: events[0]!.hash });
    expect(await auditAckedHead(store.db)).toEqual({ seq: 2, hash: events[1]!.hash });
    expect(await auditEventsAfter(store.db, 2)).toEqual([]);
  });
});
