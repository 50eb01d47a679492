import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { openDatabase, type OpenedDatabase } from '../server/db/open';
import type { ServerDatabase } from '../server/db/schema';
import { createTeam, createUser, enrolDevice, redeemEnrolmentCode } from '../server/directory';
import { MIGRATION_NAMES } from '../electron/services/store/migrations';
import { PushResponse, SYNC_PROTOCOL_VERSION, type RowPayload, type SyncCommand } from '../shared/sync/protocol';
import { startPostgres, type TempPostgres } from '../tests/server/support/postgres';
import type { TeamMember } from '../resources/synthetic/episode';
import { addRows, emptyRows, LOAD_ORDER, type TableRows } from '../resources/synthetic/rows';
import type { SyntheticPatientRecord } from '../resources/synthetic/service';

/**
 * The team sync server as a team would run it, for the sync benchmarks: `server/main.ts` in its own process
 * (`npm run server`'s entry) on a throwaway PostgreSQL cluster (TOOLCHAIN.md's recipe, the server tests' helper),
 * with a team, its users and enrolled devices made through the admin functions the CLI uses.
 */
export interface BenchServer {
  url: string;
  /** The same database, opened here for the admin steps only; the server process does all sync work. */
  db: Kysely<ServerDatabase>;
  stop(): Promise<void>;
}

export interface BenchDevice {
  userId: string;
  token: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function serverProcess(databaseUrl: string, port: number): Promise<ChildProcess> {
  const root = join(__dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/main.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`sync server did not start in 60 s: ${errors}`)), 60_000);
    // It logs a line per request (never bodies); read and drop them so the pipe never fills.
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('sync server on')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sync server exited (${code}): ${errors}`));
    });
  });
}

export async function startBenchServer(): Promise<BenchServer> {
  const cluster: TempPostgres = await startPostgres();
  let opened: OpenedDatabase | undefined;
  let child: ChildProcess | undefined;
  try {
    const databaseUrl = await cluster.newDatabase('sync_bench');
    opened = await openDatabase({ databaseUrl });
    const port = await freePort();
    child = await serverProcess(databaseUrl, port);
    const running = child;
    const db = opened;
    return {
      url: `http://127.0.0.1:${port}`,
      db: opened.db,
      async stop() {
        running.removeAllListeners('exit');
        running.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 200));
        await db.close();
        cluster.stop();
      },
    };
  } catch (error) {
    child?.kill('SIGKILL');
    await opened?.close();
    cluster.stop();
    throw error;
  }
}

/**
 * A team on the server: one supervisor and `clinicians` PWPs and HITs, each with an enrolled device. Returns the
 * generator's view of the same people (ids are the server's), so generated caseloads belong to real users.
 */
export async function benchTeam(db: Kysely<ServerDatabase>, clinicians: number): Promise<{ teamId: string; team: TeamMember[]; devices: Map<string, BenchDevice> }> {
  const teamId = await createTeam(db, `bench team ${Date.now()}`);
  const team: TeamMember[] = [];
  const devices = new Map<string, BenchDevice>();
  const enrol = async (userId: string) => {
    const { code } = await enrolDevice(db, userId, `bench laptop ${devices.size + 1}`);
    const redeemed = await redeemEnrolmentCode(db, code);
    if (!redeemed) throw new Error('enrolment failed');
    devices.set(userId, { userId, token: redeemed.token });
  };
  const supervisorId = await createUser(db, { teamId, displayName: 'Bench Supervisor', role: 'supervisor' });
  team.push({ id: supervisorId, displayName: 'Bench Supervisor', role: 'supervisor', supervisorId: null });
  await enrol(supervisorId);
  for (let i = 0; i < clinicians; i++) {
    const role = i % 2 === 0 ? 'pwp' : 'hit';
    const displayName = `Bench Clinician ${i + 1}`;
    const id = await createUser(db, { teamId, displayName, role, supervisorId });
    team.push({ id, displayName, role, supervisorId });
    await enrol(id);
  }
  return { teamId, team, devices };
}

/**
 * What a device's outbox would push for rows it wrote: each row whole, at its version, as a new row on the
 * server (base 0), in the order its foreign keys need, with this device's mutation sequence.
 */
export function* commandsOf(records: Iterable<SyntheticPatientRecord>, firstMutationSeq = 1): Generator<SyncCommand> {
  let seq = firstMutationSeq;
  for (const record of records) {
    for (const command of commandsOfRows(addRows(emptyRows(), record))) yield { ...command, mutation_seq: seq++ };
  }
}

/** The commands for some rows, in foreign-key order; mutation_seq is left 0 for the caller to number. */
export function commandsOfRows(rows: TableRows): SyncCommand[] {
  return LOAD_ORDER.flatMap((table) =>
    rows[table].map((row) => ({
      op_id: uuidv7(),
      mutation_seq: 0,
      schema_version: MIGRATION_NAMES.length,
      table,
      row_id: row.id,
      row_version: row.version,
      base_version: 0,
      tombstone: false,
      payload: row as unknown as RowPayload,
    })),
  );
}

export function takeBatch(commands: Iterator<SyncCommand>, size: number): SyncCommand[] {
  const batch: SyncCommand[] = [];
  while (batch.length < size) {
    const next = commands.next();
    if (next.done) break;
    batch.push(next.value);
  }
  return batch;
}

/** One push over HTTP, as the app's transport sends it; the reply is checked against the protocol. */
export async function pushBatch(url: string, token: string, commands: SyncCommand[]): Promise<PushResponse> {
  const response = await fetch(`${url}/v1/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ protocol_version: SYNC_PROTOCOL_VERSION, commands }),
  });
  const body: unknown = await response.json();
  if (!response.ok) throw new Error(`push refused: HTTP ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  return PushResponse.parse(body);
}

/** A TCP relay in front of the server that counts every byte each way: what a change costs on the wire. */
export async function countingRelay(target: string): Promise<{ url: string; bytes(): { up: number; down: number }; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  let up = 0;
  let down = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => (up += chunk.length));
    upstream.on('data', (chunk) => (down += chunk.length));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('relay has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    bytes: () => ({ up, down }),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
