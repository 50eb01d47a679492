import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedChange, PullResponse, PushAck, PushResponse } from '../../shared/sync/protocol';
import { pageChecksum } from '../../server/sync/pull';
import { BACKENDS, useDatabase } from './support/backends';
import { newRowId, pull, push, teamWithDevices, tombstone, write } from './support/fixtures';
import { listening } from './support/fixtures';

describe.each(BACKENDS)('push and pull over HTTP on %s', (backend) => {
  const database = useDatabase(backend);
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await listening({ db: database().db }));
  });
  afterAll(async () => {
    await app?.close();
  });

  async function wholeLog(token: string): Promise<LoggedChange[]> {
    const reply = await pull(url, token, 0, 1000);
    expect(reply.status).toBe(200);
    return (reply.body as PullResponse).changes;
  }

  it('applies a batch once: a replay and a concurrent duplicate delivery are acknowledged with the original seqs and write nothing', async () => {
    const [a] = await teamWithDevices(database().db, 1);
    const row = newRowId();
    const batch = [write(1, row), write(2, row, { given_name: 'Edited' }, 2), write(3, newRowId())];

    const first = await push(url, a!.token, batch);
    expect(first.status).toBe(200);
    const acks = (first.body as PushResponse).acks;
    expect(acks.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
    const seqs = acks.map((x) => (x.status === 'applied' ? x.server_seq : -1));
    expect(seqs).toEqual([1, 2, 3]);

    const replay = await push(url, a!.token, batch);
    expect((replay.body as PushResponse).acks).toEqual(batch.map((c, i) => ({ op_id: c.op_id, status: 'duplicate', server_seq: seqs[i] })));

    // The same next batch delivered twice at once: the counter lock serialises them; one applies, one is a duplicate.
    const next = [write(4, newRowId()), write(5, newRowId())];
    const [x, y] = await Promise.all([push(url, a!.token, next), push(url, a!.token, next)]);
    const statuses = [...(x.body as PushResponse).acks, ...(y.body as PushResponse).acks].map((k: PushAck) => k.status).sort();
    expect(statuses).toEqual(['applied', 'applied', 'duplicate', 'duplicate']);

    const log = await wholeLog(a!.token);
    expect(log.map((c) => c.server_seq)).toEqual([1, 2, 3, 4, 5]);
    expect(log.map((c) => c.op_id)).toEqual([...batch, ...next].map((c) => c.op_id));
  });

  it('refuses a batch that overtook an earlier one as a gap, writes nothing, and applies it once the earlier one arrives', async () => {
    const [a] = await teamWithDevices(database().db, 1);
    const early = [write(1, newRowId()), write(2, newRowId())];
    const late = [write(4, newRowId()), write(3, newRowId())];

    const overtaking = await push(url, a!.token, late);
    expect((overtaking.body as PushResponse).acks).toEqual([
      { op_id: late[1]!.op_id, status: 'gap', expected_seq: 1 },
      { op_id: late[0]!.op_id, status: 'gap', expected_seq: 1 },
    ]);
    expect(await wholeLog(a!.token)).toEqual([]);

    await push(url, a!.token, early);
    const resent = await push(url, a!.token, late);
    // Sorted by mutation_seq inside the batch, so 3 lands before 4 whatever order they travelled in.
    expect((resent.body as PushResponse).acks.map((k) => k.status)).toEqual(['applied', 'applied']);
    const log = await wholeLog(a!.token);
    expect(log.map((c) => c.op_id)).toEqual([early[0]!, early[1]!, late[1]!, late[0]!].map((c) => c.op_id));
  });

  it('pages resumably from every cursor, each page with a checksum that matches its contents', async () => {
    const [a, b] = await teamWithDevices(database().db, 2);
    for (let i = 0; i < 5; i++) {
      await push(url, a!.token, [write(2 * i + 1, newRowId(), { n: i }), write(2 * i + 2, newRowId(), { n: -i })]);
      await push(url, b!.token, [write(i + 1, newRowId(), { note: `é ${i} "quoted"`, flag: i % 2 === 0, empty: null })]);
    }
    const full = await wholeLog(a!.token);
    expect(full.map((c) => c.server_seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));

    const limit = 4;
    for (let cursor = 0; cursor <= full.length; cursor++) {
      const reply = await pull(url, b!.token, cursor, limit);
      const page = reply.body as PullResponse;
      const expected = full.slice(cursor, cursor + limit);
      expect(page.changes).toEqual(expected);
      expect(page.checksum).toBe(pageChecksum(expected));
      expect(page.next_cursor).toBe(expected.at(-1)?.server_seq ?? cursor);
      expect(page.has_more).toBe(cursor + limit < full.length);
    }

    // Walking the pages by next_cursor visits every change exactly once.
    const walked: number[] = [];
    let cursor = 0;
    for (let guard = 0; guard < 20; guard++) {
      const page = (await pull(url, a!.token, cursor, limit)).body as PullResponse;
      walked.push(...page.changes.map((c) => c.server_seq));
      cursor = page.next_cursor;
      if (!page.has_more) break;
    }
    expect(walked).toEqual(full.map((c) => c.server_seq));
  });

  it('tells a device whose cursor is beyond the log (a server restored from an older backup) to pull again from 0', async () => {
    const [a] = await teamWithDevices(database().db, 1);
    await push(url, a!.token, [write(1, newRowId()), write(2, newRowId())]);
    expect((await pull(url, a!.token, 2)).status).toBe(200);
    const ahead = await pull(url, a!.token, 3);
    expect(ahead.status).toBe(409);
    expect(ahead.body).toMatchObject({ error: { code: 'resync_required', field: 'after' } });
  });

  it('a checksum changes when any field of the page does, so a corrupted page is detectable', async () => {
    const [a] = await teamWithDevices(database().db, 1);
    await push(url, a!.token, [write(1, newRowId(), { given_name: 'Ann' })]);
    const page = (await pull(url, a!.token, 0)).body as PullResponse;
    const tampered = page.changes.map((c) => ({ ...c, payload: { ...c.payload, given_name: 'Anne' } }));
    expect(pageChecksum(page.changes)).toBe(page.checksum);
    expect(pageChecksum(tampered)).not.toBe(page.checksum);
  });

  it('delivers tombstones and refuses to resurrect a deleted row', async () => {
    const [a, b] = await teamWithDevices(database().db, 2);
    const row = newRowId();
    await push(url, a!.token, [write(1, row), tombstone(2, row, 2)]);
    const late = await push(url, b!.token, [write(1, row, { given_name: 'Edited offline' }, 2), write(2, newRowId())]);
    expect((late.body as PushResponse).acks.map((k) => k.status)).toEqual(['tombstoned', 'applied']);

    const log = await wholeLog(b!.token);
    const forRow = log.filter((c) => c.row_id === row);
    expect(forRow.map((c) => [c.tombstone, c.payload === null])).toEqual([
      [false, false],
      [true, true],
    ]);
    expect(log).toHaveLength(3);
    // The refused write still consumed b's mutation_seq 1: replaying it is a duplicate, not a second refusal.
    const replay = await push(url, b!.token, [write(1, row, {}, 3)]);
    expect((replay.body as PushResponse).acks[0]!.status).toBe('duplicate');
  });

  it("keeps teams apart: a device pulls only its own team's log", async () => {
    const [a] = await teamWithDevices(database().db, 1);
    const [other] = await teamWithDevices(database().db, 1);
    await push(url, a!.token, [write(1, newRowId())]);
    await push(url, other!.token, [write(1, newRowId()), write(2, newRowId())]);
    expect((await wholeLog(a!.token)).map((c) => c.client_id)).toEqual([a!.deviceId]);
    expect((await wholeLog(other!.token)).map((c) => c.server_seq)).toEqual([1, 2]);
  });
});
