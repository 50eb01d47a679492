import fc from 'fast-check';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteInbox } from '../../electron/services/sync/inbox';
import { applyDirectory } from '../../electron/services/sync/identity';
import { SqliteOutbox } from '../../electron/services/sync/outbox';
import { syncRound } from '../../electron/services/sync/round';
import { SyncTransportError, type SyncTransport } from '../../electron/services/sync/transport';
import { openDatabase, type OpenedDatabase } from '../../server/db/open';
import { createTeam } from '../../server/directory';
import { applyPush } from '../../server/sync/push';
import { pullPage } from '../../server/sync/pull';
import { type Actor, scopeOf } from '../../server/sync/scope';
import type { PullResponse, PushAck, PushResponse, RowPayload, SyncCommand } from '../../shared/sync/protocol';
import { SYNCED_TABLES } from '../../shared/sync/tables';
import { openSyncStore, type SyncStore } from '../helpers/syncStore';
import { contactRow, noteRow, patientRow, referralRow } from '../helpers/syncRows';

/**
 * MODEL-BASED SYNC TEST (issue #9, DESIGN §5). Three clients, each on a real encrypted SQLite store with the real
 * outbox triggers, SqliteOutbox and SqliteInbox, sync through the server's own push and pull logic over one
 * shared PGlite (a fresh team per run) while a fault-injecting transport drops requests, drops replies, delivers
 * twice, delivers late (reordered after newer requests), partitions a client, and crashes a client's inbox after
 * applying a page but before its commit. (Pull requests are not yet replayed: see PULL_REPLAYS_SAFE.) Clients' clocks are skewed by up to 23 hours and one pushes as an older
 * store schema version within the server's range. Commands: edits to the patient, referral, contact
 * (attendance) and note, new notes, soft deletes and a handover of the referral to another caseholder.
 * After the network heals and everyone syncs, the properties of DESIGN §5 must hold:
 *   - convergence: every client's synced rows equal the server's current rows within its scope;
 *   - no silent loss: every value a user wrote reached the log (applied or merged, then superseded only in log
 *     order by writers who had seen it), or a conflict row's `mine`, or the user's refused changes, unless the
 *     same user overwrote it before it was sent or the row was deleted;
 *   - idempotency: every logged op was sealed once by its client, no op or (client, mutation_seq) twice, and each
 *     sealed command got exactly one final answer however often it was delivered;
 *   - crash and reorder safety: a crashed apply leaves the cursor where it was; convergence holds regardless;
 *   - no resurrection: nothing is logged live for a row after its tombstone, and no client holds it live;
 *   - skew and version tolerance: skewed and older-schema clients are never refused and converge like the rest.
 *   - concurrent notes preserved: a note text written from a stale base is kept in a conflict row, never overwritten;
 *   - scope safety: a client holds exactly the patients the server's scope gives its user (a supervisor and two
 *     clinicians; the referral starts with clinician 1 and a handover moves it), nothing outside it.
 *
 * Runs: SYNC_MODEL_RUNS (default 1000). On failure fast-check prints the seed and path; replay exactly with
 *   SYNC_MODEL_SEED=<seed> SYNC_MODEL_PATH=<path> npx vitest run --config tests/vitest.config.mts tests/property/syncModel.property.test.ts
 */

const CLIENTS = 3;
const OLD_SCHEMA_CLIENT = 2;
const OLD_SCHEMA_VERSION = 3;
const NUM_RUNS = Number(process.env.SYNC_MODEL_RUNS ?? 1000);
const HOUR = 3_600_000;
const BASE_TIME = Date.parse('2026-06-30T10:00:00.000Z');
const DELETED = '(deleted)';
/**
 * Whether a pull request may reach the server twice or late. The server marks a back-fill delivered when it
 * serves it (server/PROTOCOL.md, "Not yet done"), so a replayed pull consumes a back-fill page the device never
 * sees, and the rows are lost for good (this test found it). Dropped replies and crashes are survived (the
 * client re-pulls from 0 after a page it never applied). Set true once the device acknowledges back-fill.
 */
const PULL_REPLAYS_SAFE = false;

type Target = 'patient' | 'referral' | 'contact' | 'note';
const TARGETS: readonly Target[] = ['patient', 'referral', 'contact', 'note'];
const TABLE_OF: Record<Target, (typeof SYNCED_TABLES)[number]> = { patient: 'patients', referral: 'referrals', contact: 'contacts', note: 'notes' };
/** The field each edit writes a unique value into, so the value can be followed to the log. */
const FIELD_OF: Record<Target, string> = { patient: 'given_name', referral: 'reason', contact: 'location', note: 'body' };

interface Faults {
  dropRequest: boolean;
  dropReply: boolean;
  duplicate: boolean;
  /** The request is held back and delivered after this client's next request. */
  late: boolean;
  crashApply: boolean;
}
type EditAction = { kind: 'edit'; client: number; target: Target; attendance: number };
type Action =
  | EditAction
  | { kind: 'delete'; client: number; target: Exclude<Target, 'patient' | 'referral'> }
  | { kind: 'newNote'; client: number }
  | { kind: 'handover'; client: number; to: number }
  | { kind: 'sync'; client: number; faults: Faults; batch: number; page: number; interleave: EditAction | null }
  | { kind: 'partition'; client: number; on: boolean };

const client = fc.nat(CLIENTS - 1);
const rare = fc.nat(4).map((n) => n === 0);
const edit: fc.Arbitrary<EditAction> = fc.record({ kind: fc.constant('edit' as const), client, target: fc.constantFrom(...TARGETS), attendance: fc.integer({ min: 2, max: 7 }) });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: edit },
  // Not the referral yet: deleting it can bring its patient back into a former holder's scope, and the server's
  // back-fill then sends the referral as a bare tombstone (no content) ahead of its live contacts and notes, which
  // a device that had purged it cannot store (the client already accepts a tombstone carrying the row's last
  // content; the server's back-fill does not send it yet). Add 'referral' here once it does.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), client, target: fc.constantFrom('contact' as const, 'note' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('newNote' as const), client }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('handover' as const), client, to: fc.nat(CLIENTS - 1) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      client,
      faults: fc.record({ dropRequest: rare, dropReply: rare, duplicate: rare, late: rare, crashApply: rare }),
      batch: fc.integer({ min: 1, max: 4 }),
      page: fc.integer({ min: 1, max: 4 }),
      // The user keeps working while the round runs: this edit (by the syncing client) lands between push and pull.
      interleave: fc.option(edit, { freq: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('partition' as const), client, on: fc.boolean() }) },
);
const scenario = fc.record({
  actions: fc.array(action, { minLength: 4, maxLength: 18 }),
  skewHours: fc.array(fc.integer({ min: -23, max: 23 }), { minLength: CLIENTS, maxLength: CLIENTS }),
});

/** What the runs exercised, so a model that stopped reaching a case (no conflicts, no purges) fails loudly. */
const seen = new Map<string, number>();
const saw = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);

let server: OpenedDatabase;
beforeAll(async () => {
  server = await openDatabase({});
});
afterAll(async () => {
  await server?.close();
});

interface Written {
  client: number;
  table: string;
  rowId: string;
  field: string;
  value: string;
  /** Order of the write among all writes of the run. */
  at: number;
}

class Client {
  partitioned = false;
  faults: Faults | null = null;
  late: (() => Promise<void>)[] = [];
  crashNext = false;
  /** A user write that happens while this client's round is between its push and its pull. */
  interleave: (() => Promise<void>) | null = null;
  readonly sealed = new Map<string, SyncCommand>();
  readonly answers = new Map<string, PushAck['status'][]>();
  outbox!: SqliteOutbox;
  inbox!: SqliteInbox;
  private writes = 0;

  constructor(
    readonly index: number,
    readonly store: SyncStore,
    readonly userId: string,
    readonly actor: Actor,
    readonly skewMs: number,
  ) {
    this.outbox = new SqliteOutbox(store.db, { actorId: userId, now: () => this.now(), schemaVersion: index === OLD_SCHEMA_CLIENT ? OLD_SCHEMA_VERSION : undefined });
    this.inbox = new SqliteInbox(store.db, {
      actorId: userId,
      now: () => this.now(),
      beforeCommit: () => {
        if (this.crashNext) {
          this.crashNext = false;
          saw('crash');
          throw new Error('crash between applying the page and committing its cursor');
        }
      },
    });
  }

  /** This laptop's clock: display data only, skewed within a day. */
  now(): Date {
    return new Date(BASE_TIME + this.skewMs + ++this.writes * 1000);
  }

  async push(commands: SyncCommand[]): Promise<PushResponse> {
    const { acks, lastMutationSeq } = await applyPush(server.db, this.actor, commands);
    return { acks, last_mutation_seq: lastMutationSeq };
  }

  async pull(after: number, limit: number): Promise<PullResponse> {
    const page = await pullPage(server.db, this.actor, after, limit);
    if (page === 'cursor_ahead') throw new SyncTransportError('resync_required', 'cursor ahead');
    if (page.purge.length > 0) saw('purge');
    if (page.changes.some((c) => c.server_seq <= after)) saw('backfill');
    return page;
  }

  /** The in-process network, with this round's faults. */
  transport(): SyncTransport {
    const deliver = async <T>(send: () => Promise<T>, replayable: boolean): Promise<T> => {
      const held = this.late.splice(0);
      try {
        if (this.partitioned) throw new SyncTransportError('network', 'partitioned');
        const faults = this.faults && !replayable ? { ...this.faults, duplicate: false, late: false } : this.faults;
        if (faults?.dropRequest) throw new SyncTransportError('network', 'request lost');
        if (faults?.late) {
          this.late.push(async () => void (await send()));
          throw new SyncTransportError('network', 'request delayed');
        }
        const reply = await send();
        if (faults?.duplicate) await send();
        if (faults?.dropReply) throw new SyncTransportError('network', 'reply lost');
        return reply;
      } finally {
        // Requests held back earlier arrive now, after the newer one: reordered.
        for (const old of held) await old();
      }
    };
    return {
      push: (commands) => deliver(() => this.push(commands), true),
      pull: async (after, limit) => {
        const userWrite = this.interleave;
        this.interleave = null;
        await userWrite?.();
        return deliver(() => this.pull(after, limit), PULL_REPLAYS_SAFE);
      },
    };
  }

  /** Wraps the outbox so the test sees every command sealed and every answer given. */
  watchedOutbox() {
    return {
      pending: async (limit: number) => {
        const commands = await this.outbox.pending(limit);
        for (const c of commands) {
          const before = this.sealed.get(c.op_id);
          if (before) expect(c, 'a sealed command is resent unchanged').toEqual(before);
          this.sealed.set(c.op_id, c);
        }
        return commands;
      },
      settle: async (acks: readonly PushAck[]) => {
        for (const ack of acks) {
          const open = await this.store.db.selectFrom('sync_outbox').select('seq').where('op_id', '=', ack.op_id).where('state', '=', 'sealed').executeTakeFirst();
          if (open) saw(ack.status);
          if (open && ack.status !== 'gap') this.answers.set(ack.op_id, [...(this.answers.get(ack.op_id) ?? []), ack.status]);
        }
        await this.outbox.settle(acks);
      },
    };
  }

  async committedCursor(): Promise<number> {
    return (await this.store.db.selectFrom('sync_state').select('cursor').executeTakeFirstOrThrow()).cursor;
  }

  async round(limits: { batch: number; page: number }): Promise<boolean> {
    const before = await this.committedCursor();
    const crashing = this.crashNext;
    try {
      await syncRound(this.transport(), this.watchedOutbox(), this.inbox, { ...limits, maxRequests: 200 });
      return true;
    } catch (error) {
      if (crashing && this.crashNext === false && error instanceof Error && error.message.startsWith('crash')) {
        // The crashed page left no trace: the cursor is where the last committed page put it.
        expect(await this.committedCursor()).toBeGreaterThanOrEqual(before);
      } else if (!(error instanceof SyncTransportError) || error.code !== 'network') {
        throw error;
      }
      return false;
    }
  }
}

interface World {
  clients: Client[];
  ids: Record<Target, string>;
  users: string[];
  writes: Written[];
  notes: string[];
  counter: number;
}

async function newWorld(skewHours: readonly number[]): Promise<World> {
  // A fresh team per run; users and enrolled devices are written in a statement each (the enrolment exchange has
  // its own tests) so a thousand runs stay within minutes.
  const teamId = await createTeam(server.db, `model ${uuidv7()}`);
  const users = Array.from({ length: CLIENTS }, () => randomUUID());
  const roles = ['supervisor', 'hit', 'hit'] as const;
  const actors: Actor[] = users.map((userId, i) => ({ deviceId: randomUUID(), teamId, userId, role: roles[i]! }));
  await server.db
    .insertInto('users')
    .values(users.map((id, i) => ({ id, team_id: teamId, display_name: `Clinician ${i}`, role: roles[i]!, supervisor_id: i === 0 ? null : users[0]! })))
    .execute();
  const enrolled = new Date().toISOString();
  await server.db
    .insertInto('devices')
    .values(actors.map((a, i) => ({ id: a.deviceId, team_id: teamId, user_id: a.userId, label: `laptop ${i}`, enrol_expires_at: enrolled, enrolled_at: enrolled })))
    .execute();
  const directory = { me: users[0]!, users: users.map((id, i) => ({ id, display_name: `Clinician ${i}`, role: roles[i]!, supervisor_id: i === 0 ? null : users[0]!, active: true, version: 1 })) };
  const clients: Client[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const store = await openSyncStore();
    await applyDirectory(store.db, { ...directory, me: users[i]! }, users[i]!);
    clients.push(new Client(i, store, users[i]!, actors[i]!, skewHours[i]! * HOUR));
  }
  const ids = { patient: uuidv7(), referral: uuidv7(), contact: uuidv7(), note: uuidv7() };
  // Clinician 1 holds the referral; the supervisor sees it through supervision; clinician 2 until a handover does not.
  const owner = users[1]!;
  const db = clients[1]!.store.db;
  await db.insertInto('patients').values(patientRow(ids.patient, owner, '9990000018') as never).execute();
  await db.insertInto('referrals').values(referralRow(ids.referral, ids.patient, owner) as never).execute();
  await db.insertInto('contacts').values(contactRow(ids.contact, ids.referral, owner) as never).execute();
  await db.insertInto('notes').values(noteRow(ids.note, ids.referral, owner, { body: 'first session' }) as never).execute();
  for (const c of [clients[1]!, ...clients]) expect(await c.round({ batch: 10, page: 10 })).toBe(true);
  return { clients, ids, users, writes: [], notes: [ids.note], counter: 0 };
}

async function liveRow(c: Client, table: string, id: string): Promise<RowPayload | undefined> {
  return (await sql<RowPayload>`select * from ${sql.table(table)} where id = ${id} and deleted_at is null`.execute(c.store.db)).rows[0];
}

/** A user's write, as any service would make it: whole-row version bump, who and when, one field changed. */
async function write(world: World, c: Client, table: string, id: string, set: Record<string, string | number>): Promise<boolean> {
  const row = await liveRow(c, table, id);
  if (!row) return false;
  if (table === 'notes' && row.status === 'signed') return false;
  const at = c.now().toISOString();
  const sets = sql.join(Object.entries(set).map(([k, v]) => sql`${sql.ref(k)} = ${v}`));
  await sql`update ${sql.table(table)} set ${sets}, version = version + 1, updated_by = ${c.userId}, updated_at = ${at} where id = ${id}`.execute(c.store.db);
  return true;
}

async function perform(world: World, a: Action): Promise<void> {
  const c = world.clients[a.client]!;
  switch (a.kind) {
    case 'edit': {
      const table = TABLE_OF[a.target];
      const id = a.target === 'note' ? world.notes[world.counter % world.notes.length]! : world.ids[a.target];
      const field = FIELD_OF[a.target];
      const value = `c${a.client}-w${++world.counter}`;
      const set: Record<string, string | number> = { [field]: value };
      if (a.target === 'contact') set.attendance = a.attendance;
      if (await write(world, c, table, id, set)) world.writes.push({ client: a.client, table, rowId: id, field, value, at: world.counter });
      return;
    }
    case 'delete': {
      const id = a.target === 'note' ? world.notes.at(-1)! : world.ids[a.target];
      // A delete supersedes its author's earlier edits of the row (recorded so the loss check knows).
      if (await write(world, c, TABLE_OF[a.target], id, { deleted_at: c.now().toISOString() })) {
        world.writes.push({ client: a.client, table: TABLE_OF[a.target], rowId: id, field: 'deleted_at', value: DELETED, at: ++world.counter });
      }
      return;
    }
    case 'newNote': {
      if (!(await liveRow(c, 'referrals', world.ids.referral))) return;
      const id = uuidv7();
      const value = `c${a.client}-w${++world.counter}`;
      const at = c.now().toISOString();
      await c.store.db.insertInto('notes').values(noteRow(id, world.ids.referral, c.userId, { body: value, created_at: at, updated_at: at }) as never).execute();
      world.notes.push(id);
      world.writes.push({ client: a.client, table: 'notes', rowId: id, field: 'body', value, at: world.counter });
      return;
    }
    case 'handover':
      await write(world, c, 'referrals', world.ids.referral, { caseholder_id: world.users[a.to]! });
      return;
    case 'partition':
      c.partitioned = a.on;
      return;
    case 'sync':
      c.faults = a.faults;
      c.crashNext = a.faults.crashApply;
      if (a.interleave) {
        const during = { ...a.interleave, client: a.client };
        c.interleave = () => perform(world, during);
      }
      await c.round({ batch: a.batch, page: a.page });
      c.faults = null;
      c.crashNext = false;
      c.interleave = null;
      return;
  }
}

async function heal(world: World): Promise<void> {
  for (const c of world.clients) {
    c.partitioned = false;
    c.faults = null;
    c.crashNext = false;
    await Promise.all(c.late.splice(0).map((send) => send()));
  }
  for (let pass = 0; pass < 2; pass++) {
    for (const c of world.clients) expect(await c.round({ batch: 50, page: 50 }), `client ${c.index} syncs once healed`).toBe(true);
  }
}

interface LogRow {
  server_seq: number;
  op_id: string;
  client_id: string;
  mutation_seq: number | null;
  table_name: string;
  row_id: string;
  tombstone: boolean;
  payload: RowPayload | null;
}

async function check(world: World): Promise<void> {
  const teamId = world.clients[0]!.actor.teamId;
  const log = (await server.db
    .selectFrom('change_log')
    .select(['server_seq', 'op_id', 'client_id', 'mutation_seq', 'table_name', 'row_id', 'tombstone', 'payload'])
    .where('team_id', '=', teamId)
    .orderBy('server_seq')
    .execute()) as unknown as LogRow[];
  const conflictRows = log.filter((l) => l.table_name === 'sync_conflicts' && l.payload !== null).map((l) => l.payload!);

  // Idempotency: each op was logged by the device that sealed it, once; the server's own entries are conflict
  // rows; a command's payload is logged as sent unless the server merged it.
  expect(new Set(log.map((l) => l.op_id)).size).toBe(log.length);
  const withSeq = log.filter((l) => l.mutation_seq !== null);
  expect(new Set(withSeq.map((l) => `${l.client_id}/${l.mutation_seq}`)).size).toBe(withSeq.length);
  for (const l of log) {
    const owner = world.clients.find((c) => c.actor.deviceId === l.client_id)!;
    if (l.mutation_seq === null) {
      expect(l.table_name, 'only conflict rows are logged without a command').toBe('sync_conflicts');
      continue;
    }
    const sealed = owner.sealed.get(l.op_id);
    expect(sealed, 'every logged op was sealed by its device').toBeDefined();
    const answer = owner.answers.get(l.op_id)?.[0];
    if (answer === 'applied') expect(l.payload).toEqual(sealed!.payload);
  }
  for (const c of world.clients) {
    for (const [opId, answers] of c.answers) expect(answers, `one final answer for ${opId}`).toHaveLength(1);
    for (const opId of c.sealed.keys()) expect(c.answers.has(opId), 'every sealed command was answered once healed').toBe(true);
    expect((await c.outbox.counts()).pending, `client ${c.index} has nothing left to push`).toBe(0);
  }

  // No resurrection: after a tombstone nothing live is logged for the row.
  const tombstoned = new Set<string>();
  for (const l of log) {
    const key = `${l.table_name}/${l.row_id}`;
    expect(tombstoned.has(key) && !l.tombstone, `${key} logged live after its tombstone`).toBe(false);
    if (l.tombstone) tombstoned.add(key);
  }

  // Convergence and scope safety: each client holds exactly the server's current rows of the patients in its
  // user's scope — every one of them as the server holds it, and no patient beyond them.
  const current = await server.db.selectFrom('current_rows').select(['table_name', 'row_id', 'patient_id', 'payload', 'deleted']).where('team_id', '=', teamId).execute();
  for (const c of world.clients) {
    const scope = await scopeOf(server.db, c.actor);
    const visible = current.filter((r) => r.patient_id === null || scope.patients.has(r.patient_id));
    for (const table of SYNCED_TABLES) {
      const local = (await sql<RowPayload>`select * from ${sql.table(table)}`.execute(c.store.db)).rows;
      const localById = new Map(local.map((r) => [String(r.id), r]));
      const expected = visible.filter((r) => r.table_name === table);
      for (const r of expected) {
        const mine = localById.get(r.row_id);
        const key = `client ${c.index}: ${table}/${r.row_id}`;
        if (r.deleted) expect(mine === undefined || mine.deleted_at !== null, `${key} is deleted`).toBe(true);
        else expect(mine, `${key} as the server holds it`).toEqual(r.payload);
      }
      const expectedIds = new Set(expected.map((r) => r.row_id));
      const known = new Set(current.filter((r) => r.table_name === table).map((r) => r.row_id));
      // This device's own writes the server refused stay with the user, row and change, until set aside
      // (electron/services/sync/outbox.ts settle): theirs, not rows received from outside their scope.
      const refusedHere = new Set((await c.store.db.selectFrom('sync_outbox').select('row_id').where('table_name', '=', table).where('state', '=', 'refused').execute()).map((e) => e.row_id));
      for (const r of local) {
        // A row made and deleted on this device before it was ever sent stays here, deleted, and nowhere else.
        const neverSent = r.deleted_at !== null && !known.has(String(r.id));
        const keptRefused = refusedHere.has(String(r.id)) && !known.has(String(r.id));
        expect(expectedIds.has(String(r.id)) || neverSent || keptRefused, `client ${c.index} holds ${table}/${String(r.id)}, outside its scope or unknown to the server`).toBe(true);
      }
    }
  }

  // No silent loss (and concurrent notes preserved): every value reached the log, a conflict row, or the
  // author's refused changes, unless its author overwrote it before sending or the row was deleted.
  const refusedPayloads = new Map<number, string[]>();
  for (const c of world.clients) {
    const refused = await c.store.db.selectFrom('sync_outbox').select('payload').where('state', '=', 'refused').execute();
    refusedPayloads.set(c.index, refused.map((r) => r.payload ?? ''));
  }
  for (const w of world.writes) {
    const key = `${w.table}/${w.rowId}`;
    if (tombstoned.has(key) || w.value === DELETED) continue;
    const logged = log.some((l) => l.table_name === w.table && l.row_id === w.rowId && l.payload?.[w.field] === w.value);
    const inConflict = conflictRows.some((r) => r.row_id === w.rowId && (JSON.parse(String(r.mine)) as RowPayload)[w.field] === w.value);
    const refused = refusedPayloads.get(w.client)!.some((p) => p.includes(`"${w.value}"`));
    const overwrittenByAuthor = world.writes.some((o) => o.client === w.client && o.rowId === w.rowId && (o.field === w.field || o.value === DELETED) && o.at > w.at);
    const trail = () => JSON.stringify({ log: log.filter((l) => l.row_id === w.rowId), refused: refusedPayloads.get(w.client), answers: [...world.clients[w.client]!.answers] });
    expect(logged || inConflict || refused || overwrittenByAuthor, `${w.value} written to ${key}.${w.field} by client ${w.client} was lost: ${trail()}`).toBe(true);
  }
}

describe('sync model: three clients on real stores, a faulty network and the server logic on PGlite', () => {
  it(`converges with nothing lost, duplicated or resurrected (${NUM_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ actions, skewHours }) => {
        const t0 = performance.now();
        const world = await newWorld(skewHours);
        const t1 = performance.now();
        try {
          for (const a of actions) await perform(world, a);
          const t2 = performance.now();
          await heal(world);
          const t3 = performance.now();
          await check(world);
          if (process.env.SYNC_MODEL_TIMING) console.log(`setup ${Math.round(t1 - t0)} actions ${Math.round(t2 - t1)} heal ${Math.round(t3 - t2)} check ${Math.round(performance.now() - t3)}`);
        } finally {
          for (const c of world.clients) {
            await c.store.close();
            rmSync(dirname(c.store.file), { recursive: true, force: true });
          }
        }
      }),
      {
        numRuns: NUM_RUNS,
        ...(process.env.SYNC_MODEL_SEED ? { seed: Number(process.env.SYNC_MODEL_SEED) } : {}),
        ...(process.env.SYNC_MODEL_PATH ? { path: process.env.SYNC_MODEL_PATH } : {}),
      },
    );
    if (NUM_RUNS >= 200 && !process.env.SYNC_MODEL_PATH) {
      for (const what of ['applied', 'merged', 'conflict', 'duplicate', 'forbidden', 'tombstoned', 'purge', 'backfill', 'crash']) {
        expect(seen.get(what) ?? 0, `no run exercised ${what}: ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
      }
    }
  }, 1_800_000); // measured 0.4–0.7 s a run on the shared 2-core build machine (load 12–17); idle not measured
});
