import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Inbox, type Outbox, syncRound } from '../../electron/services/sync/round';
import { enrolDevice, httpTransport, pageChecksum as clientChecksum, SyncTransportError } from '../../electron/services/sync/transport';
import { createUser, enrolDevice as issueCode, revokeDevice } from '../../server/directory';
import { pageChecksum as serverChecksum } from '../../server/sync/pull';
import type { LoggedChange, PullResponse, PushAck, SyncCommand } from '../../shared/sync/protocol';
import { BACKENDS, useDatabase } from './support/backends';
import { listening, newRowId, teamWithDevices, tombstone, write } from './support/fixtures';

/** The server takes a write only under the name of the device's own user (PROTOCOL.md, re-authorised writes). */
const by = (userId: string, commands: SyncCommand[]): SyncCommand[] => commands.map((c) => (c.payload ? { ...c, payload: { ...c.payload, updated_by: userId } } : c));

class MemoryOutbox implements Outbox {
  commands: SyncCommand[] = [];
  async pending(limit: number) {
    return this.commands.slice(0, limit);
  }
  async settle(acks: readonly PushAck[]) {
    const opIds = acks.filter((a) => a.status !== 'gap').map((a) => a.op_id);
    this.commands = this.commands.filter((c) => !opIds.includes(c.op_id));
  }
}

class MemoryInbox implements Inbox {
  log: LoggedChange[] = [];
  private at = 0;
  async cursor() {
    return this.at;
  }
  async apply(page: PullResponse) {
    this.log.push(...page.changes);
    this.at = page.next_cursor;
  }
}

describe.each(BACKENDS)('the client sync round against the real server on %s', (backend) => {
  const database = useDatabase(backend);
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await listening({ db: database().db }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('enrols, pushes its outbox in batches, pulls in pages, and two devices end with the same log', async () => {
    const [first] = await teamWithDevices(database().db, 1);
    const userId = await createUser(database().db, { teamId: first!.teamId, displayName: 'Second', role: 'supervisor' });
    const { code } = await issueCode(database().db, userId, 'second laptop');
    const second = await enrolDevice({ baseUrl: url }, code);
    expect(second.team_id).toBe(first!.teamId);

    const devices = [first!.token, second.token].map((token) => ({ transport: httpTransport({ baseUrl: url, token }), outbox: new MemoryOutbox(), inbox: new MemoryInbox() }));
    const shared = newRowId();
    devices[0]!.outbox.commands = by(first!.userId, Array.from({ length: 7 }, (_, i) => write(i + 1, i === 0 ? shared : newRowId(), { i })));
    devices[1]!.outbox.commands = by(userId, [write(1, newRowId()), write(2, newRowId())]);

    const limits = { batch: 3, page: 4, maxRequests: 100 };
    expect(await syncRound(devices[0]!.transport, devices[0]!.outbox, devices[0]!.inbox, limits)).toMatchObject({ pushed: 7, pulled: 7, conflicts: 0, refused: 0 });
    devices[1]!.outbox.commands.push(tombstone(3, shared, 2));
    expect(await syncRound(devices[1]!.transport, devices[1]!.outbox, devices[1]!.inbox, limits)).toMatchObject({ pushed: 3, pulled: 10, conflicts: 0, refused: 0 });
    expect(await syncRound(devices[0]!.transport, devices[0]!.outbox, devices[0]!.inbox, limits)).toMatchObject({ pushed: 0, pulled: 3, conflicts: 0, refused: 0 });

    expect(devices[0]!.inbox.log).toEqual(devices[1]!.inbox.log);
    expect(devices[0]!.inbox.log.map((c) => c.server_seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(devices[0]!.inbox.log.at(-1)).toMatchObject({ row_id: shared, tombstone: true, payload: null });
    expect(devices.every((d) => d.outbox.commands.length === 0)).toBe(true);
  });

  it('stops with outbox_gap, settling nothing, when the outbox no longer holds what the server expects next', async () => {
    const [device] = await teamWithDevices(database().db, 1);
    const outbox = new MemoryOutbox();
    outbox.commands = by(device!.userId, [write(2, newRowId()), write(3, newRowId())]);
    await expect(syncRound(httpTransport({ baseUrl: url, token: device!.token }), outbox, new MemoryInbox())).rejects.toMatchObject({ code: 'outbox_gap' });
    expect(outbox.commands).toHaveLength(2);
  });

  it('surfaces typed refusals and an unreachable server, leaving the outbox for the next round', async () => {
    const [device] = await teamWithDevices(database().db, 1);
    await revokeDevice(database().db, device!.deviceId);
    const outbox = new MemoryOutbox();
    outbox.commands = [write(1, newRowId())];
    const refused = syncRound(httpTransport({ baseUrl: url, token: device!.token }), outbox, new MemoryInbox());
    await expect(refused).rejects.toMatchObject({ code: 'unauthorized' });
    expect(outbox.commands).toHaveLength(1);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const offline = syncRound(httpTransport({ baseUrl: `http://127.0.0.1:${port}`, token: device!.token, timeoutMs: 2_000 }), outbox, new MemoryInbox());
    await expect(offline).rejects.toBeInstanceOf(SyncTransportError);
    await expect(offline).rejects.toMatchObject({ code: 'network' });
    expect(outbox.commands).toHaveLength(1);
  });
});

describe('the client checks what it pulls', () => {
  it('computes the same page checksum as the server', () => {
    const changes: LoggedChange[] = [
      { server_seq: 1, op_id: '019a0000-0000-7000-8000-000000000001', client_id: '019a0000-0000-7000-8000-0000000000c1', table: 'notes', row_id: '019a0000-0000-7000-8000-0000000000aa', row_version: 1, tombstone: false, payload: { b: 'é', a: 1, c: null }, received_at: '2026-11-23T10:00:00.000Z' },
    ];
    expect(clientChecksum(changes)).toBe(serverChecksum(changes));
  });

  it('refuses a page whose checksum does not match and never applies it', async () => {
    const change: LoggedChange = { server_seq: 1, op_id: '019a0000-0000-7000-8000-000000000001', client_id: '019a0000-0000-7000-8000-0000000000c1', table: 'notes', row_id: '019a0000-0000-7000-8000-0000000000aa', row_version: 1, tombstone: false, payload: { text: 'original' }, received_at: '2026-11-23T10:00:00.000Z' };
    const tampered = { changes: [{ ...change, payload: { text: 'altered in transit' } }], next_cursor: 1, has_more: false, checksum: serverChecksum([change]) };
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(tampered));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const inbox = new MemoryInbox();
      const transport = httpTransport({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'x' });
      await expect(syncRound(transport, new MemoryOutbox(), inbox)).rejects.toMatchObject({ code: 'bad_response' });
      expect(inbox.log).toEqual([]);
      expect(await inbox.cursor()).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
