import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailureWindow } from '../../server/auth/failure-window';
import { TOKEN_IDLE_EXPIRY_DAYS } from '../../server/http/app';
import { createUser, enrolDevice, listDevices, revokeDevice } from '../../server/directory';
import type { EnrolResponse, PullResponse, PushResponse, SyncError } from '../../shared/sync/protocol';
import { BACKENDS, useDatabase } from './support/backends';
import { pageChecksum } from '../../server/sync/pull';
import { call, listening, newRowId, pull, push, row, snapshot, teamWithDevices, write } from './support/fixtures';

describe.each(BACKENDS)('authentication, enrolment and bad input on %s', (backend) => {
  const database = useDatabase(backend);
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    // Generous, so the deliberate failures of this suite never trip it; the rate-limit test runs its own app.
    ({ app, url } = await listening({ db: database().db, failures: new FailureWindow(1000, 60_000) }));
  });
  afterAll(async () => {
    await app?.close();
  });

  const enrol = (code: string) => call<EnrolResponse | SyncError>(url, '/v1/enrol', { json: { code, protocol_version: 2 } });

  it('exchanges an enrolment code for a working token exactly once, even when two exchanges race', async () => {
    const [existing] = await teamWithDevices(database().db, 1);
    const userId = await createUser(database().db, { teamId: existing!.teamId, displayName: 'New starter', role: 'hit' });
    const { code, deviceId } = await enrolDevice(database().db, userId, 'clinic laptop');

    const typed = code.toLowerCase().replaceAll('-', ' ');
    const [x, y] = await Promise.all([enrol(typed), enrol(code)]);
    expect([x.status, y.status].sort()).toEqual([201, 401]);
    const winner = (x.status === 201 ? x.body : y.body) as EnrolResponse;
    expect(winner).toMatchObject({ device_id: deviceId, user_id: userId, team_id: existing!.teamId });

    expect((await enrol(code)).status).toBe(401);
    const pushed = await push(url, winner.token, [write(1, newRowId(), { updated_by: userId })]);
    expect(pushed.status).toBe(200);
    const devices = await listDevices(database().db, existing!.teamId);
    expect(devices.find((d) => d.id === deviceId)?.last_seen_at).toBeInstanceOf(Date);
  });

  it('refuses an expired code and a code for a revoked device', async () => {
    const [existing] = await teamWithDevices(database().db, 1);
    const expired = await enrolDevice(database().db, existing!.userId, 'old code', 1e-7);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await enrol(expired.code)).status).toBe(401);

    const lost = await enrolDevice(database().db, existing!.userId, 'lost before use');
    expect(await revokeDevice(database().db, lost.deviceId)).toBe(true);
    expect((await enrol(lost.code)).status).toBe(401);
  });

  it('refuses missing, malformed, forged and revoked tokens with 401 and writes nothing', async () => {
    const [device, colleague] = await teamWithDevices(database().db, 2);
    const commands = [write(1, newRowId())];
    const forged = `${device!.deviceId}.${'A'.repeat(43)}`;
    const before = await snapshot(database().db);
    for (const token of [undefined, 'not-a-token', forged, `${colleague!.deviceId}.${device!.token.split('.')[1]}`]) {
      const reply = await call<SyncError>(url, '/v1/push', { token, json: { protocol_version: 2, commands } });
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe('unauthorized');
    }
    expect(await snapshot(database().db)).toEqual(before);

    expect((await push(url, device!.token, [write(1, newRowId())])).status).toBe(200);
    expect(await revokeDevice(database().db, device!.deviceId)).toBe(true);
    const afterRevoke = await snapshot(database().db);
    const refusedPush = await push(url, device!.token, [write(2, newRowId())]);
    expect(refusedPush.status).toBe(401);
    expect((refusedPush.body as SyncError).error.message).toMatch(/revoked/);
    expect((await pull(url, device!.token, 0)).status).toBe(401);
    expect(await snapshot(database().db)).toEqual(afterRevoke);
    // The colleague's device is unaffected by the revocation.
    expect(((await pull(url, colleague!.token, 0)).body as PullResponse).changes).toHaveLength(1);
  });

  it(`refuses a token idle for more than ${TOKEN_IDLE_EXPIRY_DAYS} days with 401 and writes nothing; one used within them still works`, async () => {
    const [idle, recent] = await teamWithDevices(database().db, 2);
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
    await database().db.updateTable('devices').set({ last_seen_at: daysAgo(TOKEN_IDLE_EXPIRY_DAYS + 1) }).where('id', '=', idle!.deviceId).execute();
    await database().db.updateTable('devices').set({ last_seen_at: daysAgo(TOKEN_IDLE_EXPIRY_DAYS - 1) }).where('id', '=', recent!.deviceId).execute();
    const before = await snapshot(database().db);
    const refused = await push(url, idle!.token, [write(1, newRowId())]);
    expect(refused.status).toBe(401);
    expect((refused.body as SyncError).error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/expired after 90 days without syncing/) });
    expect((await pull(url, idle!.token, 0)).status).toBe(401);
    expect(await snapshot(database().db)).toEqual(before);
    expect((await pull(url, recent!.token, 0)).status).toBe(200);
  });

  const badPushes: Array<[string, unknown, number, string]> = [
    ['no commands', { protocol_version: 2 }, 400, 'commands'],
    ['empty commands', { protocol_version: 2, commands: [] }, 400, 'commands'],
    ['op_id not a UUIDv7', { protocol_version: 2, commands: [{ ...write(1, newRowId()), op_id: '8a7d3c1e-1111-4111-8111-111111111111' }] }, 400, 'commands.0.op_id'],
    ['mutation_seq 0', { protocol_version: 2, commands: [write(0, newRowId())] }, 400, 'commands.0.mutation_seq'],
    ['tombstone with a payload', { protocol_version: 2, commands: [{ ...write(1, newRowId()), tombstone: true }] }, 400, 'commands.0.payload'],
    ['write without a payload', { protocol_version: 2, commands: [{ ...write(1, newRowId()), payload: null }] }, 400, 'commands.0.payload'],
    ['nested payload value', { protocol_version: 2, commands: [{ ...write(1, newRowId()), payload: { a: { b: 1 } } }] }, 400, 'commands.0.payload.a'],
    ['table name with SQL in it', { protocol_version: 2, commands: [{ ...write(1, newRowId()), table: 'patients; drop table' }] }, 400, 'commands.0.table'],
    ['a device-only table', { protocol_version: 2, commands: [{ ...write(1, newRowId()), table: 'settings' }] }, 400, 'commands.0.table'],
    ['unknown field', { protocol_version: 2, commands: [{ ...write(1, newRowId()), admin: true }] }, 400, 'commands.0'],
    ['second command broken', { protocol_version: 2, commands: [write(1, newRowId()), { ...write(2, newRowId()), row_version: -1 }] }, 400, 'commands.1.row_version'],
    ['old protocol', { protocol_version: 0, commands: [write(1, newRowId())] }, 426, 'protocol_version'],
    ['a row stamped two days ahead', { protocol_version: 2, commands: [write(1, newRowId(), { updated_at: new Date(Date.now() + 48 * 3_600_000).toISOString() })] }, 422, 'commands.0.payload.updated_at'],
    ['future schema', { protocol_version: 2, commands: [write(1, newRowId()), { ...write(2, newRowId()), schema_version: 99 }] }, 426, 'commands.1.schema_version'],
  ];

  it.each(badPushes)('refuses a push with %s, naming the field, and writes nothing', async (_name, body, status, field) => {
    const [device] = await teamWithDevices(database().db, 1);
    const before = await snapshot(database().db);
    const reply = await call<SyncError>(url, '/v1/push', { token: device!.token, json: body });
    expect(reply.status).toBe(status);
    expect(reply.body.error.field).toBe(field);
    expect(reply.body.error.code).toBe({ 400: 'bad_request', 422: 'clock_ahead', 426: 'version_unsupported' }[status]);
    expect(await snapshot(database().db)).toEqual(before);
  });

  it('refuses malformed JSON, a wrong content type and an oversized body without writing', async () => {
    const [device] = await teamWithDevices(database().db, 1);
    const before = await snapshot(database().db);
    const malformed = await call<SyncError>(url, '/v1/push', { token: device!.token, raw: '{"protocol_version": 1, "commands": [' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'bad_request', field: 'body' });

    const text = await fetch(`${url}/v1/push`, { method: 'POST', headers: { authorization: `Bearer ${device!.token}`, 'content-type': 'application/xml' }, body: '<push/>' });
    expect(text.status).toBe(415);
    expect(((await text.json()) as SyncError).error.code).toBe('bad_request');

    const huge = { protocol_version: 2, commands: [write(1, newRowId(), { note: 'x'.repeat(1_100_000) })] };
    const oversized = await call<SyncError>(url, '/v1/push', { token: device!.token, json: huge });
    expect(oversized.status).toBe(413);
    expect(oversized.body.error.code).toBe('payload_too_large');
    expect(await snapshot(database().db)).toEqual(before);
  });

  it.each([
    ['after=-1&protocol_version=2', 'after'],
    ['after=abc&protocol_version=2', 'after'],
    ['after=0&limit=5000&protocol_version=2', 'limit'],
    ['after=0', 'protocol_version'],
    ['after=0&protocol_version=2&extra=1', 'query'],
  ])('refuses the pull query %s naming %s', async (query, field) => {
    const [device] = await teamWithDevices(database().db, 1);
    const reply = await call<SyncError>(url, `/v1/pull?${query}`, { token: device!.token });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe(field);
  });

  it('accepts stamps up to a day ahead of the server clock (small skews are normal) and judges by the server clock', async () => {
    const [device] = await teamWithDevices(database().db, 1);
    const hoursAhead = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const ok = await push(url, device!.token, [write(1, newRowId(), { created_at: hoursAhead(-72), updated_at: hoursAhead(23) })]);
    expect(ok.status).toBe(200);
    // A server whose clock is itself two days ahead accepts what this one refuses: its clock decides.
    const later = await listening({ db: database().db, now: () => Date.now() + 48 * 3_600_000 });
    try {
      expect((await push(later.url, device!.token, [write(2, newRowId(), { updated_at: hoursAhead(48) })])).status).toBe(200);
    } finally {
      await later.app.close();
    }
  });

  it('answers an unknown endpoint with a typed 404', async () => {
    const reply = await call<SyncError>(url, '/v1/nothing');
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('not_found');
  });

  it('rate-limits an address after repeated failed authentication, even when it then presents a valid token', async () => {
    const [device] = await teamWithDevices(database().db, 1);
    const limited = await listening({ db: database().db, failures: new FailureWindow(3, 60_000) });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await call(limited.url, '/v1/enrol', { json: { code: 'WRONG-CODE-0000', protocol_version: 2 } })).status).toBe(401);
      }
      const refused = await pull(limited.url, device!.token, 0);
      expect(refused.status).toBe(429);
      expect((refused.body as SyncError).error.code).toBe('rate_limited');
      // The main app (another window) still serves the same device: the limit is per window, not a ban.
      expect((await pull(url, device!.token, 0)).status).toBe(200);
    } finally {
      await limited.app.close();
    }
  });

  it('never echoes a refused payload back', async () => {
    const [device] = await teamWithDevices(database().db, 1);
    const secret = 'Patient disclosed something private';
    const reply = await call<SyncError>(url, '/v1/push', {
      token: device!.token,
      json: { protocol_version: 2, commands: [{ ...write(1, newRowId(), { note: secret }), row_version: 0 }] },
    });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).not.toContain(secret);
    expect((reply.body as SyncError).error.field).toBe('commands.0.row_version');
  });

  it("refuses a write under another user's name, or under none, naming the field, and writes nothing", async () => {
    const [device, colleague] = await teamWithDevices(database().db, 2);
    const before = await snapshot(database().db);
    for (const [commands, field] of [
      [[write(1, newRowId(), { updated_by: colleague!.userId })], 'commands.0.payload.updated_by'],
      [[write(1, newRowId(), { updated_by: device!.userId }), write(2, newRowId(), { updated_by: null })], 'commands.1.payload.updated_by'],
    ] as const) {
      const reply = await call<SyncError>(url, '/v1/push', { token: device!.token, json: { protocol_version: 2, commands } });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 'bad_request', field });
    }
    expect(await snapshot(database().db)).toEqual(before);
  });

  it('treats a malformed patient id as naming no patient: a forbidden ack, not a server error', async () => {
    const [device] = await teamWithDevices(database().db, 1);
    const before = await snapshot(database().db);
    const command = row('referrals', 1, newRowId(), { patient_id: "x' or 1=1 --", caseholder_id: device!.userId });
    const reply = await push(url, device!.token, [command]);
    expect(reply.status).toBe(200);
    expect((reply.body as PushResponse).acks).toEqual([{ op_id: command.op_id, status: 'forbidden', reason: 'out_of_scope' }]);
    expect({ ...(await snapshot(database().db)), clients: [] }).toEqual({ ...before, clients: [] });
  });

  it('signs every page over its changes and its purge list, so a page altered in transit is detected', async () => {
    const [device] = await teamWithDevices(database().db, 1);
    await push(url, device!.token, [write(1, newRowId(), { source_codes: 'original' })]);
    const page = (await pull(url, device!.token, 0)).body as PullResponse;
    expect(pageChecksum(page.changes, page.purge)).toBe(page.checksum);
    const altered = page.changes.map((c) => ({ ...c, payload: { ...c.payload, source_codes: 'altered' } }));
    expect(pageChecksum(altered, page.purge)).not.toBe(page.checksum);
    expect(pageChecksum(page.changes, [newRowId()])).not.toBe(page.checksum);
    expect(pageChecksum([], page.purge)).not.toBe(page.checksum);
  });

  it('acknowledges a valid push so the suite proves a good request is not refused too', async () => {
    const [device] = await teamWithDevices(database().db, 1);
    const reply = await push(url, device!.token, [write(1, newRowId())]);
    expect(reply.status).toBe(200);
    expect((reply.body as PushResponse).acks[0]!.status).toBe('applied');
  });
});
