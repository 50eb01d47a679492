import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDevices } from '../../server/directory';
import { AUDIT_GENESIS_HASH, auditEventHash } from '../../server/sync/audit';
import {
  type AuditEventWire,
  type AuditPushResponse,
  type DirectoryResponse,
  type DirectoryUser,
  MAX_SCHEMA_VERSION,
  MIN_SCHEMA_VERSION,
  StatusResponse,
  type SyncError,
  SYNC_PROTOCOL_VERSION,
} from '../../shared/sync/protocol';
import { BACKENDS, useDatabase } from './support/backends';
import { clinic } from './support/clinic';
import { call, listening, snapshot } from './support/fixtures';

/** GET /v1/status, the team directory (GET/POST /v1/directory) and each device's audit chain (POST /v1/audit). */
describe.each(BACKENDS)('status, directory and audit on %s', (backend) => {
  const database = useDatabase(backend);
  let app: FastifyInstance;
  let url: string;
  const serverClock = Date.parse('2026-11-23T12:00:00.000Z');
  beforeAll(async () => {
    ({ app, url } = await listening({ db: database().db, now: () => serverClock }));
  });
  afterAll(async () => {
    await app?.close();
  });

  const team = () => clinic(database().db, { sam: { role: 'supervisor' }, alex: { role: 'pwp', supervisor: 'sam' }, dan: { role: 'admin' } });

  it("answers status with the server's clock and range, and marks the device seen", async () => {
    const { alex } = await team();
    const reply = await call(url, '/v1/status', { token: alex.token });
    expect(reply.status).toBe(200);
    expect(StatusResponse.parse(reply.body)).toEqual({
      server_time: new Date(serverClock).toISOString(),
      protocol_version: SYNC_PROTOCOL_VERSION,
      min_schema_version: MIN_SCHEMA_VERSION,
      max_schema_version: MAX_SCHEMA_VERSION,
      user_id: alex.userId,
      device_id: alex.deviceId,
    });
    const seen = (await listDevices(database().db, alex.teamId)).find((d) => d.id === alex.deviceId)!.last_seen_at;
    expect(new Date(seen!).getTime()).toBe(serverClock); // by the server's own clock, which the test has fixed
    expect((await call<SyncError>(url, '/v1/status')).status).toBe(401);
  });

  it('lists the directory to every member; only the admin changes it, optimistically, and mistakes change nothing', async () => {
    const { sam, alex, dan } = await team();
    const listed = await call<DirectoryResponse>(url, '/v1/directory', { token: alex.token });
    expect(listed.status).toBe(200);
    expect(listed.body.me).toBe(alex.userId);
    const alexEntry = listed.body.users.find((u) => u.id === alex.userId)!;
    expect(alexEntry).toEqual({ id: alex.userId, display_name: 'alex', role: 'pwp', supervisor_id: sam.userId, active: true, version: 1 });
    expect(listed.body.users.map((u) => u.id).sort()).toEqual([sam.userId, alex.userId, dan.userId].sort());

    const write = (token: string, user: DirectoryUser, base: number | null) =>
      call<DirectoryUser | SyncError>(url, '/v1/directory', { token, json: { protocol_version: SYNC_PROTOCOL_VERSION, user, base_version: base } });
    const newcomer: DirectoryUser = { id: uuidv7(), display_name: 'New starter', role: 'hit', supervisor_id: sam.userId, active: true, version: 1 };

    const before = await snapshot(database().db);
    const refusals: Array<[string, Awaited<ReturnType<typeof write>>, number, string]> = [
      ['not an admin', await write(sam.token, newcomer, null), 403, 'forbidden'],
      ['stale base', await write(dan.token, { ...alexEntry, role: 'hit' }, 7), 400, 'base_version'],
      ['existing user as new', await write(dan.token, alexEntry, null), 400, 'user.id'],
      ['supervisor of another team', await write(dan.token, { ...newcomer, supervisor_id: uuidv7() }, null), 400, 'user.supervisor_id'],
      ['admin deactivating themselves', await write(dan.token, { id: dan.userId, display_name: 'dan', role: 'admin', supervisor_id: null, active: false, version: 1 }, 1), 400, 'user'],
      ['bad role', await call(url, '/v1/directory', { token: dan.token, json: { protocol_version: 2, user: { ...newcomer, role: 'superuser' }, base_version: null } }), 400, 'user.role'],
    ];
    for (const [name, reply, status, detail] of refusals) {
      expect(reply.status, name).toBe(status);
      const error = (reply.body as SyncError).error;
      expect(status === 403 ? error.code : error.field, name).toBe(detail);
    }
    expect(await snapshot(database().db)).toEqual(before);

    const added = await write(dan.token, newcomer, null);
    expect(added).toEqual({ status: 200, body: { ...newcomer, version: 1 } });
    const changed = await write(dan.token, { ...alexEntry, role: 'hit' }, 1);
    expect(changed).toEqual({ status: 200, body: { ...alexEntry, role: 'hit', version: 2 } });
    const again = await call<DirectoryResponse>(url, '/v1/directory', { token: sam.token });
    expect(again.body.users.find((u) => u.id === alex.userId)).toEqual({ ...alexEntry, role: 'hit', version: 2 });
  });

  function chain(count: number, from: { seq: number; hash: string } = { seq: 0, hash: AUDIT_GENESIS_HASH }, actor = 'user'): AuditEventWire[] {
    const events: AuditEventWire[] = [];
    let prev = from;
    for (let i = 1; i <= count; i++) {
      const body = { seq: prev.seq + 1, id: uuidv7(), at: new Date(serverClock + i).toISOString(), actor_id: actor, action: 'note.sign', entity: 'notes', entity_ids: JSON.stringify([uuidv7()]), prev_hash: prev.hash };
      const event = { ...body, hash: auditEventHash(body) };
      events.push(event);
      prev = event;
    }
    return events;
  }
  const sendAudit = (token: string, events: AuditEventWire[]) => call<AuditPushResponse | SyncError>(url, '/v1/audit', { token, json: { protocol_version: SYNC_PROTOCOL_VERSION, events } });

  it("keeps each device's audit chain: continues the head, accepts an identical re-send, refuses a rewritten history", async () => {
    const { alex, sam } = await team();
    const first = chain(3, undefined, alex.userId);
    expect(await sendAudit(alex.token, first)).toEqual({ status: 200, body: { head_seq: 3, head_hash: first[2]!.hash } });
    // A lost reply: the same events again change nothing and say where the head is.
    expect(await sendAudit(alex.token, first)).toEqual({ status: 200, body: { head_seq: 3, head_hash: first[2]!.hash } });
    const next = chain(2, first[2], alex.userId);
    expect(await sendAudit(alex.token, [...first.slice(1), ...next])).toEqual({ status: 200, body: { head_seq: 5, head_hash: next[1]!.hash } });
    // Another device's chain is its own, from genesis.
    expect((await sendAudit(sam.token, chain(1, undefined, sam.userId))).status).toBe(200);

    const before = await snapshot(database().db);
    const rewrittenSecond = chain(1, first[0], alex.userId)[0]!; // a different event at seq 2
    const forked = chain(1, { seq: 5, hash: 'f'.repeat(64) }, alex.userId)[0]!; // seq 6 not linked to the head
    const skipping = chain(1, { seq: 9, hash: next[1]!.hash }, alex.userId)[0]!; // seq 10 after head 5
    const tampered = { ...chain(1, next[1], alex.userId)[0]!, action: 'note.delete' }; // content no longer matches its hash
    for (const [events, field] of [
      [[rewrittenSecond], 'events.0.hash'],
      [[forked], 'events.0.prev_hash'],
      [[skipping], 'events.0.seq'],
      [[tampered], 'events.0.hash'],
      [[...chain(1, next[1], alex.userId), rewrittenSecond], 'events.1.hash'],
    ] as const) {
      const reply = await sendAudit(alex.token, [...events]);
      expect(reply.status).toBe(409);
      expect((reply.body as SyncError).error).toMatchObject({ code: 'history_rewritten', field });
    }
    const after = await snapshot(database().db);
    expect(after).toEqual(before);
    const flagged = (await listDevices(database().db, alex.teamId)).find((d) => d.id === alex.deviceId)!;
    expect(flagged.history_rewritten_at).toBeInstanceOf(Date);
    expect((await listDevices(database().db, sam.teamId)).find((d) => d.id === sam.deviceId)!.history_rewritten_at).toBeNull();
  });
});
