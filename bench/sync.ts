import { sql } from 'kysely';
import { todayIso } from '../shared/domain/dates';
import type { SyncCommand } from '../shared/sync/protocol';
import { dayOf, isoOf } from '../resources/synthetic/calendar';
import type { TeamMember } from '../resources/synthetic/episode';
import { syntheticService } from '../resources/synthetic/service';
import { PG_BIN, postgresAvailable } from '../tests/server/support/postgres';
import { clientSyncBench } from './syncClient';
import { benchTeam, commandsOf, countingRelay, pushBatch, startBenchServer, takeBatch, type BenchServer } from './syncServer';

/**
 * Issue #9's sync figures (`npm run bench`), measured against the real server process on real PostgreSQL:
 * - sync.server_changes_per_s: 50 devices pushing at once for 60 s;
 * - sync.bytes_per_change: one session record (a contact, PHQ-9, GAD-7 and a short note) as pushed, on the wire;
 * - sync.bootstrap_w1_s and sync.incremental_100_ms: the app's side (syncClient.ts).
 * SYNC_BENCH_ONLY=bytes,client,server runs a part; SYNC_BENCH_CLIENTS and SYNC_BENCH_SECONDS shorten a trial.
 */
export interface SyncResult {
  name: string;
  value: number;
  unit: string;
  note: string;
}

const CLIENTS = Number(process.env.SYNC_BENCH_CLIENTS ?? 50);
const SECONDS = Number(process.env.SYNC_BENCH_SECONDS ?? 60);
/** Commands per push: a device that has been offline through a clinic pushes a few session records at once. */
const BATCH = 50;
/** Pushes made ready per device before the clock starts, so generating data does not compete with the server. */
const READY_PER_CLIENT = Number(process.env.SYNC_BENCH_READY ?? 80);
const WINDOW_MS = 10_000;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const quantile = (xs: number[], q: number) => sorted(xs)[Math.min(xs.length - 1, Math.max(0, Math.ceil(xs.length * q) - 1))]!;
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;

/** Today in UTC: generated rows are all stamped before it, so the server's clock check never refuses them. */
const asOf = () => todayIso(new Date(Date.now() - new Date().getTimezoneOffset() * 60_000));

function caseloadOf(member: TeamMember, index: number): Generator<SyncCommand> {
  const today = asOf();
  const records = syntheticService({ seed: 9_000 + index, team: [member], from: isoOf(dayOf(today) - 730), asOf: today, patients: 1_000_000 });
  return commandsOf(records);
}

async function serverChangesPerSecond(server: BenchServer): Promise<SyncResult[]> {
  const { teamId, team, devices } = await benchTeam(server.db, CLIENTS);
  const clinicians = team.filter((m) => m.role !== 'supervisor');
  const clients = clinicians.map((member, i) => {
    const stream = caseloadOf(member, i);
    const ready: string[] = [];
    for (let b = 0; b < READY_PER_CLIENT; b++) ready.push(JSON.stringify(takeBatch(stream, BATCH)));
    return { token: devices.get(member.id)!.token, stream, ready };
  });
  const latencies: number[] = [];
  const windows: number[] = [];
  let accepted = 0;
  let refusedOrOther = 0;
  let madeLate = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        let body = client.ready.shift();
        if (body === undefined) {
          madeLate++;
          body = JSON.stringify(takeBatch(client.stream, BATCH));
        }
        const t = performance.now();
        const reply = await pushBatch(server.url, client.token, JSON.parse(body) as SyncCommand[]);
        const done = performance.now();
        latencies.push(done - t);
        const applied = reply.acks.filter((a) => a.status === 'applied').length;
        accepted += applied;
        refusedOrOther += reply.acks.length - applied;
        const w = Math.floor((done - started) / WINDOW_MS);
        windows[w] = (windows[w] ?? 0) + applied;
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const logged = Number(
    (await sql<{ n: string }>`select count(*) as n from change_log where team_id = ${teamId}`.execute(server.db)).rows[0]!.n,
  );
  if (logged !== accepted) throw new Error(`the server logged ${logged} changes but acknowledged ${accepted}`);
  const perSecond = accepted / elapsedS;
  const fullWindows = windows.slice(0, Math.floor((SECONDS * 1000) / WINDOW_MS)).map((n) => n / (WINDOW_MS / 1000));
  const p50 = quantile(latencies, 0.5);
  const p95 = quantile(latencies, 0.95);
  return [
    {
      name: 'sync.server_changes_per_s',
      value: Math.round(perSecond),
      unit: 'changes/s',
      note:
        `goal ≥ 2,000 — ${perSecond >= 2000 ? 'met' : 'NOT met'}; ${CLIENTS} enrolled devices pushing generated caseloads (${BATCH} commands a push) for ${SECONDS} s ` +
        `to server/main.ts in its own process on PostgreSQL 15 (throwaway cluster, fsync off as in the server tests); ${accepted} changes accepted and logged, ` +
        `${refusedOrOther} other acks, 0 errors; median of ${fullWindows.length} 10-s windows ${Math.round(median(fullWindows))}/s; ` +
        `push latency p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms over ${latencies.length} pushes` +
        (madeLate > 0 ? `; ${madeLate} pushes were generated during the run` : ''),
    },
    { name: 'sync.push_latency_p50_ms', value: Number(p50.toFixed(1)), unit: 'ms', note: `${BATCH}-command pushes with ${CLIENTS} devices pushing at once (see sync.server_changes_per_s)` },
    { name: 'sync.push_latency_p95_ms', value: Number(p95.toFixed(1)), unit: 'ms', note: `${BATCH}-command pushes with ${CLIENTS} devices pushing at once (see sync.server_changes_per_s)` },
  ];
}

/**
 * A session record as the app writes it at the end of a session: the contact with its attendance, PHQ-9, GAD-7
 * and a short draft note with its first version (notes.create keeps every version). The generated note may since
 * have been signed; here it is as first saved.
 */
function sessionRecords(commands: SyncCommand[]): SyncCommand[][] {
  const byTable = (table: string) => commands.filter((c) => c.table === table);
  const records: SyncCommand[][] = [];
  for (const note of byTable('notes')) {
    const contactId = note.payload!.contact_id;
    const contact = byTable('contacts').find((c) => c.row_id === contactId && c.payload!.type === 'treatment');
    const measures = byTable('measures').filter((m) => m.payload!.contact_id === contactId);
    if (!contact || measures.length !== 2) continue;
    const firstVersion = byTable('note_versions').find((v) => v.payload!.note_id === note.row_id && v.payload!.note_version === 1);
    if (!firstVersion) continue;
    const asWritten: SyncCommand = {
      ...note,
      row_version: 1,
      payload: { ...note.payload!, version: 1, status: 'draft', signed_by: null, signed_at: null, updated_at: note.payload!.created_at!, updated_by: note.payload!.created_by! },
    };
    records.push([contact, ...measures, asWritten, firstVersion]);
  }
  return records;
}

async function bytesPerChange(server: BenchServer): Promise<SyncResult[]> {
  const { team, devices } = await benchTeam(server.db, 1);
  const member = team.find((m) => m.role !== 'supervisor')!;
  const token = devices.get(member.id)!.token;
  const relay = await countingRelay(server.url);
  try {
    const today = asOf();
    const records = syntheticService({ seed: 77, team: [member], from: isoOf(dayOf(today) - 730), asOf: today, patients: 200 });
    const perChange: number[] = [];
    const upOnly: number[] = [];
    let seq = 0;
    for (const patient of records) {
      if (perChange.length >= 21) break;
      const all = [...commandsOf([patient])];
      const record = sessionRecords(all)[0];
      if (!record) continue;
      const ids = new Set(record.map((c) => c.op_id));
      const parents = all.filter((c) => c.table === 'patients' || c.table === 'referrals');
      const renumber = (cs: SyncCommand[]) => cs.map((c) => ({ ...c, mutation_seq: ++seq }));
      await pushBatch(server.url, token, renumber(parents.filter((c) => !ids.has(c.op_id))));
      const before = relay.bytes();
      const reply = await pushBatch(relay.url, token, renumber(record));
      const after = relay.bytes();
      if (reply.acks.some((a) => a.status !== 'applied')) throw new Error(`session record not applied: ${JSON.stringify(reply.acks)}`);
      perChange.push((after.up - before.up + after.down - before.down) / record.length);
      upOnly.push((after.up - before.up) / record.length);
    }
    const value = median(perChange);
    return [
      {
        name: 'sync.bytes_per_change',
        value: Math.round(value),
        unit: 'bytes',
        note:
          `goal ≤ 2,048 — ${value <= 2048 ? 'met' : 'NOT met'}; a session record (contact, PHQ-9, GAD-7, short draft note and its first version: 5 changes) ` +
          `pushed in one request over HTTP/1.1 keep-alive, counted by a TCP relay both ways (request ${Math.round(median(upOnly))} B/change, the rest the acks), ` +
          `median of ${perChange.length} records; no compression; TLS would add ~30 B per record`,
      },
    ];
  } finally {
    await relay.close();
  }
}

export async function syncBench(): Promise<SyncResult[]> {
  if (!postgresAvailable) {
    return [{ name: 'sync.server_changes_per_s', value: 0, unit: 'changes/s', note: `NOT measured: PostgreSQL 15 is not installed (${PG_BIN}); apt-get install -y postgresql` }];
  }
  const server = await startBenchServer();
  // A bench stopped by a signal still removes its PostgreSQL cluster and server process.
  const stopOnSignal = () => void server.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
  try {
    const only = process.env.SYNC_BENCH_ONLY?.split(',');
    const wanted = (part: string) => !only || only.includes(part);
    const bytes = wanted('bytes') ? await bytesPerChange(server) : [];
    const client = wanted('client') ? await clientSyncBench(server, asOf()) : [];
    const throughput = wanted('server') ? await serverChangesPerSecond(server) : [];
    return [...throughput, ...bytes, ...client];
  } finally {
    process.off('SIGINT', stopOnSignal).off('SIGTERM', stopOnSignal);
    await server.stop();
  }
}
