import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { createTeam, createUser, enrolDevice, redeemEnrolmentCode } from '../../../server/directory';
import type { ServerDatabase } from '../../../server/db/schema';
import { buildApp, type AppOptions } from '../../../server/http/app';
import type { Role } from '../../../shared/domain/people';
import { SYNC_PROTOCOL_VERSION, type SyncCommand } from '../../../shared/sync/protocol';
import type { SyncedTable } from '../../../shared/sync/tables';
import type { Actor } from '../../../server/sync/scope';

let teams = 0;

export interface Device {
  teamId: string;
  userId: string;
  deviceId: string;
  token: string;
  role: Role;
}

/** Who wrote what: push() names each device's own user as a command's author unless the command says otherwise. */
const userOfDevice = new Map<string, string>();

/** A new team with one enrolled device per user, each user with the role given (pwp by default). */
export async function teamWithDevices(db: Kysely<ServerDatabase>, count: number, roles: readonly Role[] = []): Promise<Device[]> {
  const teamId = await createTeam(db, `team ${process.pid}-${++teams}-${Math.random()}`);
  const devices: Device[] = [];
  for (let i = 0; i < count; i++) {
    const role = roles[i] ?? 'pwp';
    const userId = await createUser(db, { teamId, displayName: `Clinician ${i}`, role });
    devices.push(await enrolledDevice(db, teamId, userId, role, `laptop ${i}`));
  }
  return devices;
}

/** One more enrolled device for an existing user. */
export async function enrolledDevice(db: Kysely<ServerDatabase>, teamId: string, userId: string, role: Role, label = 'laptop'): Promise<Device> {
  const { code } = await enrolDevice(db, userId, label);
  const redeemed = await redeemEnrolmentCode(db, code);
  if (!redeemed) throw new Error('enrolment failed');
  userOfDevice.set(redeemed.deviceId, userId);
  return { teamId, userId, deviceId: redeemed.deviceId, token: redeemed.token, role };
}

/** The in-process identity applyPush and pullPage take. */
export const actorOf = (device: Device): Actor => ({ deviceId: device.deviceId, teamId: device.teamId, userId: device.userId, role: device.role });

type Fields = Record<string, string | number | boolean | null>;

/**
 * A write to a team-wide row (service_settings): every device of the team sees these, whatever its scope, so
 * the ordering and exactly-once suites are not about scope.
 */
export function write(mutationSeq: number, rowId: string, fields: Fields = {}, rowVersion = 1): SyncCommand {
  return row('service_settings', mutationSeq, rowId, { outcome_overrides: '{}', ...fields }, rowVersion);
}

/** A whole-row write to any synced table, at `rowVersion` from base `rowVersion - 1` unless `base` says otherwise. */
export function row(table: SyncedTable, mutationSeq: number, rowId: string, fields: Fields = {}, rowVersion = 1, base = rowVersion - 1): SyncCommand {
  return {
    op_id: uuidv7(),
    mutation_seq: mutationSeq,
    schema_version: 2,
    table,
    row_id: rowId,
    row_version: rowVersion,
    base_version: base,
    tombstone: false,
    payload: { id: rowId, version: rowVersion, ...fields },
  };
}

export function tombstone(mutationSeq: number, rowId: string, rowVersion: number, table: SyncedTable = 'service_settings'): SyncCommand {
  return { ...row(table, mutationSeq, rowId, {}, rowVersion), tombstone: true, payload: null };
}

/** Stamps the device's user as the author of every write that does not name one (the server requires it). */
export function authoredBy(deviceToken: string, commands: SyncCommand[]): SyncCommand[] {
  const userId = userOfDevice.get(deviceToken.split('.')[0]!);
  return commands.map((c) => (c.payload && userId && !('updated_by' in c.payload) ? { ...c, payload: { ...c.payload, updated_by: userId } } : c));
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
  call(url, '/v1/push', { token, json: { protocol_version: SYNC_PROTOCOL_VERSION, commands: authoredBy(token, commands) } });

export const pull = (url: string, token: string, after: number, limit = 500) =>
  call(url, `/v1/pull?after=${after}&limit=${limit}&protocol_version=${SYNC_PROTOCOL_VERSION}`, { token });

/**
 * Everything a request could write, to prove a refused request wrote nothing: the log and the current rows in
 * full (not just counts), counters, device and audit state.
 */
export async function snapshot(db: Kysely<ServerDatabase>) {
  const log = await db.selectFrom('change_log').select(['team_id', 'server_seq', 'op_id', 'table_name', 'row_id', 'row_version', 'tombstone', 'payload']).orderBy('team_id').orderBy('server_seq').execute();
  const current = await db.selectFrom('current_rows').selectAll().orderBy('team_id').orderBy('table_name').orderBy('row_id').execute();
  const counters = await db.selectFrom('team_counters').select(['team_id', 'last_seq']).orderBy('team_id').execute();
  const clients = await db.selectFrom('client_state').select(['client_id', 'last_mutation_seq']).orderBy('client_id').execute();
  const devices = await db
    .selectFrom('devices')
    .select(['id', 'token_hash', 'enrol_code_hash', 'revoked_at', 'audit_head_seq', 'audit_head_hash'])
    .orderBy('id')
    .execute();
  const users = await db.selectFrom('users').select(['id', 'role', 'supervisor_id', 'active', 'version']).orderBy('id').execute();
  const audit = await db.selectFrom('device_audit').select(['device_id', 'seq', 'hash']).orderBy('device_id').orderBy('seq').execute();
  return {
    log: log.map((r) => JSON.stringify({ ...r, server_seq: Number(r.server_seq) })),
    current: current.map((r) => JSON.stringify({ ...r, server_seq: Number(r.server_seq) })),
    counters: counters.map((c) => `${c.team_id}:${Number(c.last_seq)}`),
    clients: clients.map((c) => `${c.client_id}:${Number(c.last_mutation_seq)}`),
    devices: devices.map((d) => `${d.id}:${d.token_hash}:${d.enrol_code_hash}:${d.revoked_at ? 'revoked' : ''}:${Number(d.audit_head_seq)}:${d.audit_head_hash}`),
    users: users.map((u) => JSON.stringify(u)),
    audit: audit.map((a) => `${a.device_id}:${Number(a.seq)}:${a.hash}`),
  };
}
