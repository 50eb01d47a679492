import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { createTeam, createUser, enrolDevice, redeemEnrolmentCode } from '../../../server/directory';
import type { ServerDatabase } from '../../../server/db/schema';
import { buildApp, type AppOptions } from '../../../server/http/app';
import { SYNC_PROTOCOL_VERSION, type SyncCommand } from '../../../shared/sync/protocol';

let teams = 0;

export interface Device {
  teamId: string;
  userId: string;
  deviceId: string;
  token: string;
}

/** A new team with one enrolled device per entry of `labels`, each for its own user. */
export async function teamWithDevices(db: Kysely<ServerDatabase>, count: number): Promise<Device[]> {
  const teamId = await createTeam(db, `team ${process.pid}-${++teams}-${Math.random()}`);
  const devices: Device[] = [];
  for (let i = 0; i < count; i++) {
    const userId = await createUser(db, { teamId, displayName: `Clinician ${i}`, role: 'pwp' });
    const { code } = await enrolDevice(db, userId, `laptop ${i}`);
    const redeemed = await redeemEnrolmentCode(db, code);
    if (!redeemed) throw new Error('enrolment failed');
    devices.push({ teamId, userId, deviceId: redeemed.deviceId, token: redeemed.token });
  }
  return devices;
}

export function write(mutationSeq: number, rowId: string, fields: Record<string, string | number | boolean | null> = {}, rowVersion = 1): SyncCommand {
  return {
    op_id: uuidv7(),
    mutation_seq: mutationSeq,
    schema_version: 2,
    table: 'patients',
    row_id: rowId,
    row_version: rowVersion,
    base_version: rowVersion - 1,
    tombstone: false,
    payload: { id: rowId, given_name: 'Synthetic', version: rowVersion, ...fields },
  };
}

export function tombstone(mutationSeq: number, rowId: string, rowVersion: number): SyncCommand {
  return { ...write(mutationSeq, rowId, {}, rowVersion), tombstone: true, payload: null };
}

export const newRowId = (): string => uuidv7();

/** The app listening on a real socket on 127.0.0.1, as a device would reach it. */
export async function listening(options: AppOptions): Promise<{ app: FastifyInstance; url: string }> {
  const app = buildApp(options);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
}

export async function call<T = unknown>(
  url: string,
  path: string,
  init: { method?: 'GET' | 'POST'; token?: string; json?: unknown; raw?: string } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.json !== undefined || init.raw !== undefined) {
    headers['content-type'] = 'application/json';
    body = init.raw ?? JSON.stringify(init.json);
  }
  const response = await fetch(url + path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export const push = (url: string, token: string, commands: SyncCommand[]) =>
  call(url, '/v1/push', { token, json: { protocol_version: SYNC_PROTOCOL_VERSION, commands } });

export const pull = (url: string, token: string, after: number, limit = 500) =>
  call(url, `/v1/pull?after=${after}&limit=${limit}&protocol_version=${SYNC_PROTOCOL_VERSION}`, { token });

/** Row counts of every table a request could write, to prove a refused request wrote nothing. */
export async function snapshot(db: Kysely<ServerDatabase>) {
  const count = async (table: 'change_log' | 'client_state' | 'devices' | 'team_counters') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const counters = await db.selectFrom('team_counters').select(['team_id', 'last_seq']).orderBy('team_id').execute();
  const clients = await db.selectFrom('client_state').select(['client_id', 'last_mutation_seq']).orderBy('client_id').execute();
  const devices = await db.selectFrom('devices').select(['id', 'token_hash', 'enrol_code_hash', 'revoked_at']).orderBy('id').execute();
  return {
    changes: await count('change_log'),
    counters: counters.map((c) => `${c.team_id}:${Number(c.last_seq)}`),
    clients: clients.map((c) => `${c.client_id}:${Number(c.last_mutation_seq)}`),
    devices: devices.map((d) => `${d.id}:${d.token_hash}:${d.enrol_code_hash}:${d.revoked_at ? 'revoked' : ''}`),
  };
}
