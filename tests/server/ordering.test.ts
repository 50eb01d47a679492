import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../server/db/open';
import { applyPush } from '../../server/sync/push';
import { pullPage as pullOrAhead } from '../../server/sync/pull';
import { actorOf, newRowId, teamWithDevices, write } from './support/fixtures';
import { postgresAvailable, startPostgres, type TempPostgres } from './support/postgres';

/**
 * DESIGN.md §5.1 on real PostgreSQL (PGlite has one connection, so it cannot interleave transactions at all):
 * a BIGSERIAL hands out numbers that commit out of order, and a reader paging `seq > cursor` loses a row for
 * ever; the per-team counter row does not let that happen.
 */
async function pullPage(...args: Parameters<typeof pullOrAhead>) {
  const page = await pullOrAhead(...args);
  if (page === 'cursor_ahead') throw new Error('cursor ahead of the log');
  return page;
}

describe.skipIf(!postgresAvailable)('server_seq ordering under concurrent transactions (PostgreSQL)', () => {
  let cluster: TempPostgres;
  let url: string;
  let opened: OpenedDatabase;
  const clients: pg.Client[] = [];

  async function client(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    cluster = await startPostgres();
    url = await cluster.newDatabase('ordering');
    opened = await openDatabase({ databaseUrl: url });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await opened?.close();
    cluster?.stop();
  });

  it('a plain BIGSERIAL lets the later-started transaction commit first, and a cursor reader skips the earlier row for ever', async () => {
    const [a, b, reader] = [await client(), await client(), await client()];
    await reader.query('create table serial_log (seq bigserial primary key, who text not null)');

    await a.query('begin');
    const seqA = Number((await a.query('insert into serial_log (who) values ($1) returning seq', ['a'])).rows[0].seq);
    await b.query('begin');
    const seqB = Number((await b.query('insert into serial_log (who) values ($1) returning seq', ['b'])).rows[0].seq);
    expect(seqB).toBe(seqA + 1);
    await b.query('commit'); // started later, commits first

    let cursor = 0;
    const seen: number[] = [];
    const page = async () => {
      const rows = (await reader.query('select seq from serial_log where seq > $1 order by seq', [cursor])).rows.map((r) => Number(r.seq));
      seen.push(...rows);
      cursor = rows.at(-1) ?? cursor;
    };
    await page();
    expect(seen).toEqual([seqB]);

    await a.query('commit');
    await page();
    const everything = (await reader.query('select seq from serial_log order by seq')).rows.map((r) => Number(r.seq));
    expect(everything).toEqual([seqA, seqB]);
    expect(seen).toEqual([seqB]); // seqA committed, yet the reader is past it: lost for ever
  });

  it('the counter row makes a later push wait for the earlier one, so seqs become visible in order and a cursor reader misses nothing', async () => {
    const { db } = opened;
    const [first, second] = await teamWithDevices(db, 2);
    const reader = await client();

    let reachedCommit!: () => void;
    const firstHoldsLock = new Promise<void>((resolve) => (reachedCommit = resolve));
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));

    const pushA = applyPush(db, actorOf(first!), [write(1, newRowId())], {
      beforeCommit: async () => {
        reachedCommit();
        await firstMayCommit;
      },
    });
    await firstHoldsLock; // A has taken seq 1 and holds the counter, not yet committed

    let secondDone = false;
    const pushB = applyPush(db, actorOf(second!), [write(1, newRowId())]).then((r) => {
      secondDone = true;
      return r;
    });

    // B is blocked on the counter row: it cannot take a seq, let alone commit one, while A is open.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(secondDone).toBe(false);
    const blocked = await reader.query(
      `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    expect(blocked.rows[0].waiting).toBe(1);

    let cursor = 0;
    const seen: number[] = [];
    const page = async () => {
      const result = await pullPage(db, actorOf(first!), cursor, 100);
      seen.push(...result.changes.map((c) => c.server_seq));
      cursor = result.next_cursor;
    };
    await page();
    expect(seen).toEqual([]);

    releaseFirst();
    const [resultA, resultB] = await Promise.all([pushA, pushB]);
    expect(resultA.acks[0]).toMatchObject({ status: 'applied', server_seq: 1 });
    expect(resultB.acks[0]).toMatchObject({ status: 'applied', server_seq: 2 });
    await page();
    expect(seen).toEqual([1, 2]);
  });

  it('many concurrent pushes against a reader paging all the while: every seq is seen once, in order, with no gap', async () => {
    const { db } = opened;
    const devices = await teamWithDevices(db, 6);
    const pushesPerDevice = 8;

    let writing = true;
    const seen: number[] = [];
    const readerLoop = (async () => {
      let cursor = 0;
      for (let guard = 0; guard < 10_000; guard++) {
        const stillWriting = writing;
        const page = await pullPage(db, actorOf(devices[0]!), cursor, 3);
        seen.push(...page.changes.map((c) => c.server_seq));
        cursor = page.next_cursor;
        if (!stillWriting && !page.has_more) return;
      }
      throw new Error('reader did not catch up');
    })();

    await Promise.all(
      devices.map(async (device) => {
        for (let i = 1; i <= pushesPerDevice; i++) {
          await applyPush(db, actorOf(device), [write(2 * i - 1, newRowId()), write(2 * i, newRowId())]);
        }
      }),
    );
    writing = false;
    await readerLoop;

    const total = devices.length * pushesPerDevice * 2;
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });
});
