import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import {
  AuditPushRequest,
  type AuditPushResponse,
  type DirectoryResponse,
  DirectoryWrite,
  EnrolRequest,
  type EnrolResponse,
  MAX_BODY_BYTES,
  MAX_SCHEMA_VERSION,
  MIN_SCHEMA_VERSION,
  PullQuery,
  PushRequest,
  type PushResponse,
  type StatusResponse,
  SYNC_PROTOCOL_VERSION,
} from '../../shared/sync/protocol';
import type { Role } from '../../shared/domain/people';
import { futureStamp } from '../../shared/sync/clock';
import { FailureWindow } from '../auth/failure-window';
import { secretMatches, splitToken } from '../auth/secrets';
import type { ServerDatabase } from '../db/schema';
import { listDirectory, redeemEnrolmentCode, writeDirectoryUser } from '../directory';
import { appendAuditEvents } from '../sync/audit';
import { applyPush, forgedAuthorField } from '../sync/push';
import type { Actor } from '../sync/scope';
import { pullPage } from '../sync/pull';
import { fromZodError, HttpRefusal, sendRefusal } from './errors';

/** How long a device token lasts without use (a clinic laptop syncs at least weekly; a lost one stops working). */
export const TOKEN_IDLE_EXPIRY_DAYS = 90;

export interface AppOptions {
  db: Kysely<ServerDatabase>;
  failures?: FailureWindow;
  https?: { cert: Buffer; key: Buffer };
  /** The server's clock, authoritative for the sync; injectable so tests can move it. */
  now?: () => number;
  /** One line per request: method, route, status, time. Never bodies or query strings. */
  log?: (line: string) => void;
}

export function buildApp(options: AppOptions): FastifyInstance {
  const { db } = options;
  const failures = options.failures ?? new FailureWindow();
  const clock = options.now ?? Date.now;
  const common = { logger: false, bodyLimit: MAX_BODY_BYTES, trustProxy: false } as const;
  // The https and http instances differ only in their server type, which nothing here touches.
  const app = (options.https ? Fastify({ ...common, https: options.https }) : Fastify(common)) as unknown as FastifyInstance;

  app.setErrorHandler((error: { code?: string; statusCode?: number }, _request, reply) => {
    if (error instanceof HttpRefusal) return sendRefusal(reply, error);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendRefusal(reply, new HttpRefusal('payload_too_large', `body over ${MAX_BODY_BYTES} bytes`));
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendRefusal(reply, new HttpRefusal('bad_request', 'body: must be application/json', 'body'), 415);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Malformed JSON, wrong content type, empty body: Fastify's own parsers refused it before any handler.
      return sendRefusal(reply, new HttpRefusal('bad_request', `body: ${error.code ?? 'unreadable request'}`, 'body'));
    }
    options.log?.(`internal error ${error.code ?? ''}`.trim());
    return sendRefusal(reply, new HttpRefusal('internal', 'internal error'));
  });
  app.setNotFoundHandler((_request, reply) => sendRefusal(reply, new HttpRefusal('not_found', 'no such endpoint')));
  if (options.log) {
    const log = options.log;
    app.addHook('onResponse', async (request, reply) => {
      log(`${request.method} ${request.routeOptions.url ?? '-'} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`);
    });
  }

  async function authenticate(request: FastifyRequest): Promise<Actor> {
    const wait = failures.retryAfterMs(request.ip);
    if (wait > 0) throw new HttpRefusal('rate_limited', 'too many failed attempts; try again later', undefined, wait);
    const refuse = (message: string): never => {
      failures.recordFailure(request.ip);
      throw new HttpRefusal('unauthorized', message);
    };
    const header = request.headers.authorization;
    const parts = header?.startsWith('Bearer ') ? splitToken(header.slice('Bearer '.length)) : null;
    if (!parts) return refuse('a device token is required');
    const device = await db
      .selectFrom('devices')
      .innerJoin('users', 'users.id', 'devices.user_id')
      .select(['devices.id', 'devices.team_id', 'devices.user_id', 'devices.token_hash', 'devices.revoked_at', 'devices.last_seen_at', 'users.role', 'users.active'])
      .where('devices.id', '=', parts.deviceId)
      .executeTakeFirst();
    if (!device?.token_hash || !secretMatches(parts.secret, device.token_hash)) {
      // A revoked device's hash is cleared, so it lands here too; say so without confirming which tokens exist.
      return refuse(device?.revoked_at ? 'this device has been revoked' : 'unknown or invalid device token');
    }
    // Checked after the token, so the message tells nothing to someone without a valid one.
    if (!device.active) return refuse("this device's user has been deactivated by the team's admin");
    // A token idle for too long has expired: a laptop lost in a drawer stops being a way in on its own.
    if (device.last_seen_at && clock() - new Date(device.last_seen_at).getTime() > TOKEN_IDLE_EXPIRY_DAYS * 86_400_000) {
      return refuse(`this device's token expired after ${TOKEN_IDLE_EXPIRY_DAYS} days without syncing; ask your team admin for a new enrolment code`);
    }
    await db.updateTable('devices').set({ last_seen_at: new Date(clock()) }).where('id', '=', device.id).execute();
    return { deviceId: device.id, teamId: device.team_id, userId: device.user_id, role: device.role as Role };
  }

  app.post('/v1/enrol', async (request, reply) => {
    const wait = failures.retryAfterMs(request.ip);
    if (wait > 0) throw new HttpRefusal('rate_limited', 'too many failed attempts; try again later', undefined, wait);
    const body = parse(EnrolRequest, request.body, 'body');
    requireProtocol(body.protocol_version, 'protocol_version');
    const enrolled = await redeemEnrolmentCode(db, body.code);
    if (!enrolled) {
      failures.recordFailure(request.ip);
      throw new HttpRefusal('unauthorized', 'this code is not valid: it may be mistyped, used already, expired or revoked');
    }
    const response: EnrolResponse = { device_id: enrolled.deviceId, user_id: enrolled.userId, team_id: enrolled.teamId, token: enrolled.token };
    return reply.code(201).send(response);
  });

  app.post('/v1/push', async (request) => {
    const device = await authenticate(request);
    const body = parse(PushRequest, request.body, 'body');
    requireProtocol(body.protocol_version, 'protocol_version');
    body.commands.forEach((command, i) => {
      if (command.schema_version < MIN_SCHEMA_VERSION || command.schema_version > MAX_SCHEMA_VERSION) {
        throw new HttpRefusal(
          'version_unsupported',
          `schema version ${command.schema_version} is not supported by this server (${MIN_SCHEMA_VERSION}–${MAX_SCHEMA_VERSION}); update the app or the server`,
          `commands.${i}.schema_version`,
        );
      }
    });
    const serverNow = clock();
    body.commands.forEach((command, i) => {
      const stamp = futureStamp(command, serverNow);
      if (stamp) {
        throw new HttpRefusal('clock_ahead', `this device's clock is more than a day ahead of the server's; correct it and sync again`, `commands.${i}.${stamp}`);
      }
    });
    const forged = forgedAuthorField(body.commands, device.userId);
    if (forged) throw new HttpRefusal('bad_request', `${forged}: must be the user this device is enrolled for`, forged);
    const { acks, lastMutationSeq } = await applyPush(db, device, body.commands, { now: clock });
    const response: PushResponse = { acks, last_mutation_seq: lastMutationSeq };
    return response;
  });

  app.get('/v1/pull', async (request) => {
    const device = await authenticate(request);
    const query = parse(PullQuery, request.query, 'query');
    requireProtocol(query.protocol_version, 'protocol_version');
    const page = await pullPage(db, device, query.after, query.limit, clock);
    if (page === 'cursor_ahead') {
      throw new HttpRefusal('resync_required', 'the server has no changes up to this cursor; pull again from 0', 'after');
    }
    return page;
  });

  app.get('/v1/status', async (request) => {
    const device = await authenticate(request);
    const response: StatusResponse = {
      server_time: new Date(clock()).toISOString(),
      protocol_version: SYNC_PROTOCOL_VERSION,
      min_schema_version: MIN_SCHEMA_VERSION,
      max_schema_version: MAX_SCHEMA_VERSION,
      user_id: device.userId,
      device_id: device.deviceId,
    };
    return response;
  });

  app.get('/v1/directory', async (request) => {
    const device = await authenticate(request);
    const response: DirectoryResponse = { users: await listDirectory(db, device.teamId), me: device.userId };
    return response;
  });

  app.post('/v1/directory', async (request) => {
    const device = await authenticate(request);
    const body = parse(DirectoryWrite, request.body, 'body');
    requireProtocol(body.protocol_version, 'protocol_version');
    if (device.role !== 'admin') throw new HttpRefusal('forbidden', "only the team's admin changes the directory");
    const result = await writeDirectoryUser(db, { teamId: device.teamId, userId: device.userId }, body.user, body.base_version);
    if ('refused' in result) throw new HttpRefusal('bad_request', `${result.field}: ${result.message}`, result.field);
    return result.user;
  });

  app.post('/v1/audit', async (request) => {
    const device = await authenticate(request);
    const body = parse(AuditPushRequest, request.body, 'body');
    requireProtocol(body.protocol_version, 'protocol_version');
    const result = await appendAuditEvents(db, device.deviceId, body.events);
    if ('rewritten' in result) {
      throw new HttpRefusal('history_rewritten', "this device's audit trail no longer continues what it sent before; the team's admin has been told", result.rewritten);
    }
    const response: AuditPushResponse = result;
    return response;
  });

  return app;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error, where);
  return result.data;
}

function requireProtocol(version: number, field: string): void {
  if (version !== SYNC_PROTOCOL_VERSION) {
    throw new HttpRefusal('version_unsupported', `sync protocol ${version} is not spoken here (this server speaks ${SYNC_PROTOCOL_VERSION}); update the app`, field);
  }
}
