import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantPatient, revokeGrant } from '../../server/directory';
import type { DirectoryUser, PullResponse, SyncError } from '../../shared/sync/protocol';
import { BACKENDS, useDatabase } from './support/backends';
import { caseFor, clinic, ClinicDevice } from './support/clinic';
import { call, listening, newRowId, snapshot } from './support/fixtures';

/**
 * Read scope and role (DESIGN §5.6, shared/sync/tables.ts): over real HTTP, each device receives exactly the
 * rows its user may see, every write is re-authorised, and scope that moves (handover, supervision, grants)
 * back-fills and purges devices at their next pull.
 */
describe.each(BACKENDS)('scope and role on %s', (backend) => {
  const database = useDatabase(backend);
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await listening({ db: database().db }));
  });
  afterAll(async () => {
    await app?.close();
  });

  async function team() {
    const people = await clinic(database().db, {
      sam: { role: 'supervisor' },
      alex: { role: 'pwp', supervisor: 'sam' },
      bea: { role: 'hit' },
      cleo: { role: 'booking-clerk' },
      dan: { role: 'admin' },
      lee: { role: 'service-lead' },
    });
    const d = Object.fromEntries(Object.entries(people).map(([name, device]) => [name, new ClinicDevice(url, device)])) as Record<keyof typeof people, ClinicDevice>;
    return d;
  }

  it('gives each role exactly its rows: own caseload, supervisees, grants; the clerk no clinical rows; the admin no patients; the service lead what reports read, of everyone', async () => {
    const { sam, alex, bea, cleo, dan, lee } = await team();
    const a = await caseFor(alex, alex.userId);
    const b = await caseFor(bea, bea.userId);
    const settings = await dan.create('service_settings', { outcome_overrides: '{}', source_codes: '{}' });
    expect(settings.ack.status).toBe('applied');
    for (const device of [sam, alex, bea, cleo, dan, lee]) await device.sync(3);

    const everything = (c: typeof a) => Object.values(c);
    expect(everything(a).every((id) => alex.holds(id))).toBe(true);
    expect(everything(b).some((id) => alex.holds(id))).toBe(false);
    expect(everything(b).every((id) => bea.holds(id))).toBe(true);
    expect(everything(a).some((id) => bea.holds(id))).toBe(false);
    // The supervisor sees the supervisee's caseload, not a colleague's they do not supervise.
    expect(everything(a).every((id) => sam.holds(id))).toBe(true);
    expect(everything(b).some((id) => sam.holds(id))).toBe(false);
    // The clerk: demographics and referrals of every patient, never notes or measures.
    expect([a.patient, a.referral, b.patient, b.referral].every((id) => cleo.holds(id))).toBe(true);
    expect([a.note, a.measure, a.risk, b.note, b.measure, b.risk].some((id) => cleo.holds(id))).toBe(false);
    // The admin: team settings only.
    expect([...dan.rows.keys()]).toEqual([settings.id]);
    for (const device of [sam, alex, bea, cleo, lee]) expect(device.holds(settings.id)).toBe(true);
    // The service lead: every caseholder's patients, referrals and scores (what reports and exports read), never
    // notes or risk reviews.
    expect([a.patient, a.referral, a.measure, b.patient, b.referral, b.measure].every((id) => lee.holds(id))).toBe(true);
    expect([a.note, a.risk, b.note, b.risk].some((id) => lee.holds(id))).toBe(false);

    // A grant brings a patient in (back-filled though the cursor is past those rows); revoking it purges them.
    await grantPatient(database().db, sam.userId, b.patient, bea.userId);
    const granted = await sam.sync(2);
    expect(everything(b).every((id) => sam.holds(id))).toBe(true);
    expect(granted.length).toBeGreaterThan(2); // five rows back-filled two at a time
    expect(await revokeGrant(database().db, sam.userId, b.patient)).toBe(true);
    // A purge whose reply is lost is not lost: the same cursor is told again.
    const lostReply = await call<PullResponse>(url, `/v1/pull?after=${sam.cursor}&protocol_version=2`, { token: sam.device.token });
    expect(lostReply.body.purge).toEqual([b.patient]);
    const revoked = await sam.sync();
    expect(revoked[0]!.purge).toEqual([b.patient]);
    expect(everything(b).some((id) => sam.holds(id))).toBe(false);
    expect(everything(a).every((id) => sam.holds(id))).toBe(true);
  });

  it('refuses writes outside scope or role with a forbidden ack and writes nothing', async () => {
    const { alex, bea, cleo, dan, lee } = await team();
    const b = await caseFor(bea, bea.userId);
    await lee.sync(3);
    const before = await snapshot(database().db);
    const refused = [
      [alex, alex.command('referrals', b.referral, { patient_id: b.patient, caseholder_id: bea.userId, status: 'closed' }, 2), 'out_of_scope'],
      [alex, alex.command('notes', newRowId(), { referral_id: b.referral, status: 'draft', body: 'Not my patient.' }), 'out_of_scope'],
      [alex, alex.command('referrals', newRowId(), { patient_id: b.patient, caseholder_id: bea.userId, status: 'active' }), 'out_of_scope'],
      [cleo, cleo.command('notes', newRowId(), { referral_id: b.referral, status: 'draft', body: 'A clerk writing a note.' }), 'role'],
      [cleo, cleo.command('measures', newRowId(), { referral_id: b.referral, instrument: 'GAD-7', score: 3 }), 'role'],
      [dan, dan.command('patients', newRowId(), { given_name: 'Admin-made' }), 'role'],
      // The service lead reads scores and referrals for reports, and writes neither.
      [lee, lee.command('measures', b.measure, { referral_id: b.referral, instrument: 'PHQ-9', score: 1 }, 2), 'role'],
      [lee, lee.command('referrals', newRowId(), { patient_id: b.patient, caseholder_id: bea.userId, status: 'active' }), 'role'],
      [lee, lee.command('patients', newRowId(), { given_name: 'Lead-made' }), 'role'],
      [alex, alex.command('notes', newRowId(), { referral_id: newRowId(), status: 'draft', body: 'Parent unknown.' }), 'out_of_scope'],
    ] as const;
    for (const [device, command, reason] of refused) {
      const [ack] = await device.send(command);
      expect(ack).toEqual({ op_id: command.op_id, status: 'forbidden', reason });
    }
    const after = await snapshot(database().db);
    // Only the devices' mutation counters moved (a refused command is settled, so later ones are not held up).
    expect({ ...after, clients: [] }).toEqual({ ...before, clients: [] });
    expect(after.log).toEqual(before.log);
    expect(after.current).toEqual(before.current);
  });

  it('judges each command of one push by the rows as the push has left them: a handover early in a batch takes the patient out of reach for its later writes', async () => {
    const { alex, bea } = await team();
    const a = await caseFor(alex, alex.userId);
    // In mutation order, which is the order the server judges them in.
    const beforeNote = alex.command('measures', newRowId(), { referral_id: a.referral, instrument: 'GAD-7', score: 9 });
    const handover = alex.command('referrals', a.referral, { patient_id: a.patient, caseholder_id: bea.userId, status: 'active', risk_known: 0, referrer_name: 'GP' }, 2);
    const note = alex.command('notes', newRowId(), { referral_id: a.referral, status: 'draft', body: 'Written after handing over.' });
    const acks = await alex.send(beforeNote, handover, note);
    expect(acks.map((x) => x.status)).toEqual(['applied', 'applied', 'forbidden']);
    // Bea now holds the case, with the measure written before the handover and without the refused note.
    await bea.sync();
    expect([a.patient, a.referral, beforeNote.row_id].map((id) => bea.holds(id))).toEqual([true, true, true]);
    expect(bea.holds(note.row_id)).toBe(false);
  });

  it("never shows or accepts another team's rows", async () => {
    const ours = await team();
    const theirs = await team();
    const foreign = await caseFor(theirs.alex, theirs.alex.userId);
    await ours.cleo.sync();
    expect([...ours.cleo.rows.keys()].some((id) => Object.values(foreign).includes(id))).toBe(false);
    const before = await snapshot(database().db);
    const attempts = [
      ours.alex.command('patients', foreign.patient, { given_name: 'Overwrite' }, 2),
      ours.alex.command('referrals', newRowId(), { patient_id: foreign.patient, caseholder_id: ours.alex.userId, status: 'active' }),
      ours.cleo.command('referrals', foreign.referral, { patient_id: foreign.patient, caseholder_id: ours.alex.userId, status: 'active' }, 2),
    ];
    for (const command of attempts) {
      const device = command.payload!.updated_by === ours.cleo.userId ? ours.cleo : ours.alex;
      expect(await device.send(command)).toEqual([{ op_id: command.op_id, status: 'forbidden', reason: 'out_of_scope' }]);
    }
    const after = await snapshot(database().db);
    expect(after.log).toEqual(before.log);
    expect(after.current).toEqual(before.current);
  });

  it('lets the clerk book for any caseholder, which brings the patient to that caseholder at their next pull', async () => {
    const { alex, cleo, sam } = await team();
    await alex.sync();
    const patient = await cleo.create('patients', { given_name: 'Booked' });
    const referral = await cleo.create('referrals', { patient_id: patient.id, caseholder_id: alex.userId, status: 'active' });
    expect([patient.ack.status, referral.ack.status]).toEqual(['applied', 'applied']);
    await alex.sync();
    await sam.sync();
    for (const device of [alex, sam]) expect(device.holds(patient.id) && device.holds(referral.id)).toBe(true);

    // A clinician may register a patient, but refer them only to themselves or a supervisee: a referral to a
    // colleague they do not supervise would leave them writing outside their own scope.
    const registered = await alex.create('patients', { given_name: 'Walk-in' });
    expect(registered.ack.status).toBe('applied');
    const toColleague = await alex.create('referrals', { patient_id: registered.id, caseholder_id: cleo.userId, status: 'active' });
    expect(toColleague.ack).toMatchObject({ status: 'forbidden', reason: 'out_of_scope' });
    const supervisorsOwn = await sam.create('referrals', { patient_id: patient.id, caseholder_id: alex.userId, status: 'active' });
    expect(supervisorsOwn.ack.status).toBe('applied');
    expect((await alex.create('referrals', { patient_id: registered.id, caseholder_id: alex.userId, status: 'active' })).ack.status).toBe('applied');
  });

  it('back-fills the new caseholder on a handover and purges the old one, after their pending changes were pushed', async () => {
    const { alex, bea } = await team();
    const c = await caseFor(alex, alex.userId);
    await alex.sync();
    await bea.sync();
    expect(bea.holds(c.patient)).toBe(false);
    const cursorBefore = bea.cursor;

    const [handover] = await alex.send(alex.command('referrals', c.referral, { patient_id: c.patient, caseholder_id: bea.userId, status: 'active', risk_known: 0, referrer_name: 'GP' }, 2));
    expect(handover!.status).toBe('applied');
    const pages = await bea.sync(2);
    // Rows logged before Bea's cursor arrive as back-fill (below `after`), then the handover itself from the log.
    expect(pages[0]!.changes.every((ch) => ch.server_seq <= cursorBefore)).toBe(true);
    for (const id of Object.values(c)) expect(bea.holds(id)).toBe(true);
    expect(bea.rows.get(c.referral)!.payload!.caseholder_id).toBe(bea.userId);

    const [purged] = await alex.sync();
    expect(purged!.purge).toEqual([c.patient]);
    for (const id of Object.values(c)) expect(alex.holds(id)).toBe(false);
    // Alex may no longer write to the case.
    const [late] = await alex.send(alex.command('notes', c.note, { referral_id: c.referral, status: 'draft', body: 'Too late.' }, 2));
    expect(late).toMatchObject({ status: 'forbidden', reason: 'out_of_scope' });
  });

  it('back-fills the tables a wider role opens for patients the device already held', async () => {
    const { alex, bea, cleo, dan } = await team();
    const a = await caseFor(alex, alex.userId);
    const b = await caseFor(bea, bea.userId);
    await cleo.sync();
    expect(cleo.holds(a.patient) && !cleo.holds(a.note)).toBe(true);

    // The clerk retrains as a HIT: clinical tables open, and scope narrows to what is granted to her.
    await grantPatient(database().db, cleo.userId, a.patient, dan.userId);
    const directory = await call<{ users: DirectoryUser[] }>(url, '/v1/directory', { token: dan.device.token });
    const entry = directory.body.users.find((u) => u.id === cleo.userId)!;
    const changed = await call(url, '/v1/directory', { token: dan.device.token, json: { protocol_version: 2, user: { ...entry, role: 'hit' }, base_version: entry.version } });
    expect(changed.status).toBe(200);
    const pages = await cleo.sync(2);
    expect(pages.flatMap((p) => p.purge)).toContain(b.patient);
    for (const id of Object.values(a)) expect(cleo.holds(id)).toBe(true);
    for (const id of Object.values(b)) expect(cleo.holds(id)).toBe(false);
  });

  it('purges a supervisor who loses a supervisee, and refuses a deactivated user', async () => {
    const { sam, alex, dan } = await team();
    const c = await caseFor(alex, alex.userId);
    await sam.sync();
    expect(sam.holds(c.note)).toBe(true);

    const directory = await call<{ users: DirectoryUser[] }>(url, '/v1/directory', { token: dan.device.token });
    const alexEntry = directory.body.users.find((u) => u.id === alex.userId)!;
    const moved = await call<DirectoryUser>(url, '/v1/directory', {
      token: dan.device.token,
      json: { protocol_version: 2, user: { ...alexEntry, supervisor_id: null }, base_version: alexEntry.version },
    });
    expect(moved.status).toBe(200);
    const [page] = await sam.sync();
    expect(page!.purge).toEqual([c.patient]);
    expect(sam.holds(c.note)).toBe(false);

    const off = await call<DirectoryUser>(url, '/v1/directory', {
      token: dan.device.token,
      json: { protocol_version: 2, user: { ...moved.body, active: false }, base_version: moved.body.version },
    });
    expect(off.status).toBe(200);
    const before = await snapshot(database().db);
    const refused = await call<SyncError>(url, '/v1/push', { token: alex.device.token, json: { protocol_version: 2, commands: [alex.command('patients', newRowId(), {})] } });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');
    expect((await call<SyncError>(url, '/v1/pull?after=0&protocol_version=2', { token: alex.device.token })).status).toBe(401);
    expect(await snapshot(database().db)).toEqual(before);
  });
});
