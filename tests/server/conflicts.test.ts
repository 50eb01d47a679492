import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeStaleWrite } from '../../server/sync/conflicts';
import type { PushAck, RowPayload } from '../../shared/sync/protocol';
import { TABLE_POLICY } from '../../shared/sync/tables';
import { BACKENDS, useDatabase } from './support/backends';
import { caseFor, clinic, ClinicDevice } from './support/clinic';
import { listening, snapshot } from './support/fixtures';

/**
 * The server's conflict rules (server/PROTOCOL.md "Conflicts", DESIGN §5.3–5.4): a write from a stale base is
 * merged when it touches fields no one else changed, and otherwise becomes a sync_conflicts row holding both
 * sides; notes are never overwritten from a stale base; signed notes never change.
 */
describe.each(BACKENDS)('conflicts on %s', (backend) => {
  const database = useDatabase(backend);
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await listening({ db: database().db }));
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Alex holds the case; Sam supervises Alex; both have synced version 1 of every row. */
  async function sharedCase() {
    const people = await clinic(database().db, { sam: { role: 'supervisor' }, alex: { role: 'pwp', supervisor: 'sam' }, cleo: { role: 'booking-clerk' } });
    const alex = new ClinicDevice(url, people.alex);
    const sam = new ClinicDevice(url, people.sam);
    const cleo = new ClinicDevice(url, people.cleo);
    const c = await caseFor(alex, alex.userId);
    await alex.sync();
    await sam.sync();
    await cleo.sync();
    const referral = (device: ClinicDevice) => ({ ...device.rows.get(c.referral)!.payload! }) as Record<string, string | number | boolean | null>;
    return { alex, sam, cleo, c, referral };
  }

  const conflictOf = (device: ClinicDevice, ack: PushAck) => {
    expect(ack.status).toBe('conflict');
    const id = ack.status === 'conflict' ? ack.conflict_id : '';
    const row = device.rows.get(id);
    expect(row?.table).toBe('sync_conflicts');
    return row!.payload!;
  };

  it('merges a stale write that touches other fields than the write before it, at the next version', async () => {
    const { alex, sam, c, referral } = await sharedCase();
    const base = referral(alex);
    expect((await alex.send(alex.command('referrals', c.referral, { ...base, status: 'assessed' }, 2)))[0]!.status).toBe('applied');
    // Sam still holds version 1 and changes another field.
    const [ack] = await sam.send(sam.command('referrals', c.referral, { ...referral(sam), referrer_name: 'Practice nurse' }, 2));
    expect(ack!.status).toBe('merged');
    await alex.sync();
    const merged = alex.rows.get(c.referral)!;
    expect(merged.row_version).toBe(3);
    expect(merged.payload).toMatchObject({ status: 'assessed', referrer_name: 'Practice nurse', version: 3, updated_by: sam.userId });
    // Both changed the same field to the same value: nothing to dispute.
    const [same] = await sam.send(sam.command('referrals', c.referral, { ...referral(sam), status: 'assessed' }, 2));
    expect(same!.status).toBe('merged');
  });

  it('keeps the team value of a field both changed and files a field conflict holding both sides', async () => {
    const { alex, sam, c, referral } = await sharedCase();
    await alex.send(alex.command('referrals', c.referral, { ...referral(alex), referrer_name: 'Dr Patel' }, 2));
    const stale = sam.command('referrals', c.referral, { ...referral(sam), referrer_name: 'Dr Jones', status: 'waiting' }, 2);
    const [ack] = await sam.send(stale);
    await sam.sync();
    const conflict = conflictOf(sam, ack!);
    expect(conflict).toMatchObject({
      kind: 'field',
      table_name: 'referrals',
      row_id: c.referral,
      patient_id: c.patient,
      fields: JSON.stringify(['referrer_name']),
      base_version: 1,
      mine_by: sam.userId,
      status: 'open',
      version: 1,
      created_by: sam.userId,
      resolved_by: null,
    });
    expect(JSON.parse(conflict.theirs as string)).toMatchObject({ referrer_name: 'Dr Patel' });
    expect(JSON.parse(conflict.mine as string)).toEqual(stale.payload);
    // The undisputed field was merged; the disputed one kept the team's value.
    expect(sam.rows.get(c.referral)!.payload).toMatchObject({ referrer_name: 'Dr Patel', status: 'waiting', version: 3 });
    // The conflict reaches whoever may see the patient: the caseholder too.
    await alex.sync();
    expect(alex.rows.get(conflict.id as string)?.payload).toEqual(conflict);
  });

  it('files a high-risk conflict task when a risk field was changed by both, whatever the other fields', async () => {
    const { alex, sam, cleo, c, referral } = await sharedCase();
    await alex.send(alex.command('referrals', c.referral, { ...referral(alex), risk_known: 1 }, 2));
    const [ack] = await sam.send(sam.command('referrals', c.referral, { ...referral(sam), risk_known: 2, referrer_name: 'Dr Patel' }, 2));
    await sam.sync();
    const conflict = conflictOf(sam, ack!);
    expect(conflict).toMatchObject({ kind: 'high-risk', fields: JSON.stringify(['risk_known']) });
    expect(sam.rows.get(c.referral)!.payload).toMatchObject({ risk_known: 1, referrer_name: 'Dr Patel' });
    // A conflict may quote clinical content: the clerk never receives it.
    await cleo.sync();
    expect(cleo.holds(conflict.id as string)).toBe(false);
  });

  it('keeps a stale note edit as a sibling in a document conflict and never overwrites the note', async () => {
    const { alex, sam, c } = await sharedCase();
    const note = { referral_id: c.referral, status: 'draft' };
    await alex.send(alex.command('notes', c.note, { ...note, body: 'Alex: discussed sleep.' }, 2));
    const before = await snapshot(database().db);
    const [ack] = await sam.send(sam.command('notes', c.note, { ...note, body: 'Sam: discussed activity scheduling.' }, 2));
    await sam.sync();
    const conflict = conflictOf(sam, ack!);
    expect(conflict).toMatchObject({ kind: 'document', table_name: 'notes', fields: JSON.stringify(['body']) });
    expect(JSON.parse(conflict.theirs as string).body).toBe('Alex: discussed sleep.');
    expect(JSON.parse(conflict.mine as string).body).toBe('Sam: discussed activity scheduling.');
    expect(sam.rows.get(c.note)!.payload).toMatchObject({ body: 'Alex: discussed sleep.', version: 2 });
    const after = await snapshot(database().db);
    // Exactly one row was added: the conflict. The note's row is untouched.
    const added = after.log.filter((entry) => !before.log.includes(entry));
    expect(added.map((entry) => (JSON.parse(entry) as { table_name: string }).table_name)).toEqual(['sync_conflicts']);
    expect(after.log.length).toBe(before.log.length + 1);
    const noteRow = (rows: string[]) => rows.filter((r) => (JSON.parse(r) as { row_id: string }).row_id === c.note);
    expect(noteRow(after.current)).toEqual(noteRow(before.current));
  });

  it('refuses any change to a signed note, and its deletion, with forbidden: signed', async () => {
    const { alex, c } = await sharedCase();
    const signed = { referral_id: c.referral, status: 'signed', body: 'First session.', signed_by: alex.userId, signed_at: new Date().toISOString() };
    expect((await alex.send(alex.command('notes', c.note, signed, 2)))[0]!.status).toBe('applied');
    const before = await snapshot(database().db);
    const edit = alex.command('notes', c.note, { ...signed, body: 'Quietly rewritten.' }, 3);
    const remove = { ...alex.command('notes', c.note, {}, 3), tombstone: true, payload: null };
    expect(await alex.send(edit)).toEqual([{ op_id: edit.op_id, status: 'forbidden', reason: 'signed' }]);
    expect(await alex.send(remove)).toEqual([{ op_id: remove.op_id, status: 'forbidden', reason: 'signed' }]);
    const after = await snapshot(database().db);
    expect(after.log).toEqual(before.log);
    expect(after.current).toEqual(before.current);
  });
});

describe('the stale-write rule, in isolation', () => {
  const base: RowPayload = { id: 'r', version: 1, status: 'active', risk_known: 0, referrer_name: 'GP', updated_by: 'a' };
  it('ignores bookkeeping columns and treats a missing column as null', () => {
    const current = { ...base, version: 2, updated_by: 'b', updated_at: 'x' };
    const mine = { ...base, version: 2, updated_by: 'c', extra: null };
    expect(judgeStaleWrite(TABLE_POLICY.referrals, base, current, mine, 2)).toEqual({ kind: 'merged', row: { ...current, updated_by: 'c', version: 3 } });
  });
  it('files nothing to merge when every change of the write is disputed', () => {
    const outcome = judgeStaleWrite(TABLE_POLICY.referrals, base, { ...base, status: 'closed' }, { ...base, status: 'waiting' }, 2);
    expect(outcome).toEqual({ kind: 'conflict', conflict: 'high-risk', fields: ['status'], row: null });
  });
});
