import { createHash } from 'node:crypto';
import {
  type AuditEventWire,
  AuditPushResponse,
  canonicalJson,
  DirectoryResponse,
  EnrolResponse,
  type LoggedChange,
  PullResponse,
  PushResponse,
  SYNC_PROTOCOL_VERSION,
  StatusResponse,
  SyncError,
  type SyncCommand,
  type SyncErrorCode,
} from '../../../shared/sync/protocol';

/** The client's view of the team server (server/PROTOCOL.md); an in-memory one stands in for it in tests. */
export interface SyncTransport {
  push(commands: SyncCommand[]): Promise<PushResponse>;
  /** Resolves only with a page whose checksum matches its contents. */
  pull(after: number, limit: number): Promise<PullResponse>;
}

/**
 * `network`: the server was not reached or did not answer in time; `bad_response`: it answered nonsense;
 * `outbox_gap`: the server is missing a mutation this device no longer holds (a local bug, never retried blindly).
 */
export type SyncFailure = SyncErrorCode | 'network' | 'bad_response' | 'outbox_gap';

export class SyncTransportError extends Error {
  constructor(
    readonly code: SyncFailure,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Protocol v2: the checksum covers the page's changes and its purges (shared/sync/protocol.ts PullResponse). */
export function pageChecksum(changes: readonly LoggedChange[], purge: readonly string[] = []): string {
  return createHash('sha256').update(canonicalJson({ changes, purge }), 'utf8').digest('hex');
}

interface HttpOptions {
  baseUrl: string;
  timeoutMs?: number;
  /** Aborts every request in flight: the session locking ends the round at once. */
  signal?: AbortSignal;
}

/** The server's other channels, beside the change log: reachability and clock, the team directory, the audit chain. */
export interface TeamChannels {
  status(timeoutMs?: number): Promise<StatusResponse>;
  directory(): Promise<DirectoryResponse>;
  pushAudit(events: AuditEventWire[]): Promise<AuditPushResponse>;
}

async function request(options: HttpOptions, path: string, init: { token?: string; body?: unknown; timeoutMs?: number }): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(options.baseUrl + path, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: signalFor(options, init.timeoutMs),
    });
  } catch (error) {
    throw new SyncTransportError('network', error instanceof Error ? error.message : 'request failed');
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new SyncTransportError(response.ok ? 'bad_response' : 'network', `unreadable reply (HTTP ${response.status})`);
  }
  if (!response.ok) {
    const refusal = SyncError.safeParse(json);
    if (!refusal.success) throw new SyncTransportError('bad_response', `HTTP ${response.status} without a typed error`);
    throw new SyncTransportError(refusal.data.error.code, refusal.data.error.message, refusal.data.error.field);
  }
  return json;
}

function parseReply<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new SyncTransportError('bad_response', `the server's ${what} reply does not match the protocol`);
  return parsed.data;
}

function signalFor(options: HttpOptions, timeoutMs: number | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs ?? options.timeoutMs ?? 15_000);
  return options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
}

/** The transport over HTTP(S), validating every reply with the protocol's schemas. */
export function httpTransport(options: HttpOptions & { token: string }): SyncTransport & TeamChannels {
  return {
    async status(timeoutMs) {
      const json = await request(options, `/v1/status?protocol_version=${SYNC_PROTOCOL_VERSION}`, { token: options.token, ...(timeoutMs ? { timeoutMs } : {}) });
      return parseReply(StatusResponse, json, 'status');
    },
    async directory() {
      const json = await request(options, `/v1/directory?protocol_version=${SYNC_PROTOCOL_VERSION}`, { token: options.token });
      return parseReply(DirectoryResponse, json, 'directory');
    },
    async pushAudit(events) {
      const json = await request(options, '/v1/audit', { token: options.token, body: { protocol_version: SYNC_PROTOCOL_VERSION, events } });
      return parseReply(AuditPushResponse, json, 'audit');
    },
    async push(commands) {
      const json = await request(options, '/v1/push', { token: options.token, body: { protocol_version: SYNC_PROTOCOL_VERSION, commands } });
      return parseReply(PushResponse, json, 'push');
    },
    async pull(after, limit) {
      const json = await request(options, `/v1/pull?after=${after}&limit=${limit}&protocol_version=${SYNC_PROTOCOL_VERSION}`, { token: options.token });
      const page = parseReply(PullResponse, json, 'pull');
      if (pageChecksum(page.changes, page.purge) !== page.checksum) throw new SyncTransportError('bad_response', 'a pulled page failed its checksum');
      return page;
    },
  };
}

/** Exchanges the one-time code the admin printed for this device's token. */
export async function enrolDevice(options: HttpOptions, code: string): Promise<EnrolResponse> {
  const json = await request(options, '/v1/enrol', { body: { code, protocol_version: SYNC_PROTOCOL_VERSION } });
  return parseReply(EnrolResponse, json, 'enrol');
}
