import { z } from 'zod';
import { ROLES } from '../domain/people';
import { SYNCED_TABLES } from './tables';

/**
 * The sync wire protocol (server/PROTOCOL.md), shared so the client and the team server validate the same
 * shapes. Pure: no I/O, no clocks.
 */

/** Bumped when a message shape changes incompatibly; the server refuses any other value explicitly. */
export const SYNC_PROTOCOL_VERSION = 2;

/**
 * Store schema versions (the app's migration count) whose rows this server understands. A client outside the
 * range is told to update rather than having its rows half-understood.
 */
export const MIN_SCHEMA_VERSION = 2;
export const MAX_SCHEMA_VERSION = 16;

export const MAX_PUSH_COMMANDS = 500;
export const MAX_PULL_LIMIT = 1000;
export const DEFAULT_PULL_LIMIT = 500;
/** Bytes: large enough for a batch of notes, small enough that one client cannot tie up the server. */
export const MAX_BODY_BYTES = 1_048_576;

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_ANY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const UuidV7 = z.string().regex(UUID_V7, 'must be a lower-case UUIDv7');
export const Uuid = z.string().regex(UUID_ANY, 'must be a lower-case UUID');
/** Only tables that travel through the change log (shared/sync/tables.ts); anything else is refused at the door. */
export const TableName = z.enum(SYNCED_TABLES, { message: 'must be a synced table' });
/** Looser on the way out: a log written under an older table list must stay readable. */
const LoggedTableName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/);
const Seq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** A row's column values as the store holds them; JSON scalars only, because SQLite holds nothing else. */
export const RowPayload = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type RowPayload = z.infer<typeof RowPayload>;

/** One outbox entry: a whole-row write or a tombstone, at the row version the client produced. */
export const SyncCommand = z
  .strictObject({
    op_id: UuidV7,
    mutation_seq: Seq.min(1),
    schema_version: z.number().int().positive(),
    table: TableName,
    row_id: Uuid,
    row_version: z.number().int().positive(),
    base_version: z.number().int().nonnegative(),
    tombstone: z.boolean(),
    payload: RowPayload.nullable(),
  })
  .refine((c) => (c.tombstone ? c.payload === null : c.payload !== null), {
    message: 'a tombstone carries no payload; a write carries one',
    path: ['payload'],
  });
export type SyncCommand = z.infer<typeof SyncCommand>;

export const PushRequest = z.strictObject({
  protocol_version: z.number().int(),
  commands: z.array(SyncCommand).min(1).max(MAX_PUSH_COMMANDS),
});
export type PushRequest = z.infer<typeof PushRequest>;

/**
 * applied: written now at server_seq, as sent. merged: the base was stale but the fields this write changed were
 * untouched by others, so the server merged them into the current row and logged the result at server_seq (the
 * pull brings it back). conflict: the base was stale and the write collides with someone else's change to the
 * same field, a high-risk field or a versioned document; nothing the user wrote was lost or overwritten: a
 * sync_conflicts row (conflict_id) was logged at server_seq holding both sides for a clinician to merge.
 * duplicate: written before (same op_id or an older mutation_seq of this client); server_seq is where.
 * gap: an earlier mutation_seq of this client has not arrived; resend from expected_seq, nothing was written.
 * tombstoned: the row was deleted; the write is dropped for good. forbidden: the row is outside this user's
 * scope or role (re-checked on every write); nothing was written, and the client keeps the change for the user.
 */
export const PushAck = z.discriminatedUnion('status', [
  z.strictObject({ op_id: UuidV7, status: z.literal('applied'), server_seq: Seq }),
  z.strictObject({ op_id: UuidV7, status: z.literal('merged'), server_seq: Seq }),
  z.strictObject({ op_id: UuidV7, status: z.literal('conflict'), server_seq: Seq, conflict_id: UuidV7 }),
  z.strictObject({ op_id: UuidV7, status: z.literal('duplicate'), server_seq: Seq.nullable() }),
  z.strictObject({ op_id: UuidV7, status: z.literal('gap'), expected_seq: Seq }),
  z.strictObject({ op_id: UuidV7, status: z.literal('tombstoned') }),
  z.strictObject({ op_id: UuidV7, status: z.literal('forbidden'), reason: z.enum(['out_of_scope', 'role', 'signed']) }),
]);
export type PushAck = z.infer<typeof PushAck>;

export const PushResponse = z.strictObject({ acks: z.array(PushAck), last_mutation_seq: Seq });
export type PushResponse = z.infer<typeof PushResponse>;

/** Query strings arrive as text; coerce, then bound. */
export const PullQuery = z.strictObject({
  after: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
  protocol_version: z.coerce.number().int(),
});
export type PullQuery = z.infer<typeof PullQuery>;

export const LoggedChange = z.strictObject({
  server_seq: Seq.min(1),
  op_id: UuidV7,
  client_id: Uuid,
  table: LoggedTableName,
  row_id: Uuid,
  row_version: z.number().int().positive(),
  tombstone: z.boolean(),
  payload: RowPayload.nullable(),
  received_at: z.string(),
});
export type LoggedChange = z.infer<typeof LoggedChange>;

export const PullResponse = z.strictObject({
  /**
   * Ascending server_seq, except that rows of patients newly in this device's scope (a new supervisee, a case
   * handed over) come first as their latest logged change, possibly below `after`: the client applies a row
   * only when its server_seq is above the one it holds, so order and repeats never matter.
   */
  changes: z.array(LoggedChange),
  /**
   * Patients that left this device's scope since its last pull. The client deletes their rows locally once none
   * of their changes is waiting in its outbox (DESIGN §5.6); until then it keeps them and asks again.
   */
  purge: z.array(Uuid),
  /** Pass as `after` next time; equals the request's `after` when the page is empty. */
  next_cursor: Seq,
  has_more: z.boolean(),
  /** SHA-256 (hex) of canonicalJson({ changes, purge }): the client recomputes it before applying the page. */
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
  /** The server's clock (ISO 8601): the only clock sync trusts. */
  server_time: z.string(),
});
export type PullResponse = z.infer<typeof PullResponse>;

/** GET /v1/status: reachability for the sync barrier, the server's clock and what it accepts. */
export const StatusResponse = z.strictObject({
  server_time: z.string(),
  protocol_version: z.number().int(),
  min_schema_version: z.number().int(),
  max_schema_version: z.number().int(),
  user_id: Uuid,
  device_id: Uuid,
});
export type StatusResponse = z.infer<typeof StatusResponse>;

/** The team directory (GET /v1/directory): authoritative for enrolled devices, replaces the local users table. */
export const DirectoryUser = z.strictObject({
  id: Uuid,
  display_name: z.string().min(1).max(100),
  role: z.enum(ROLES),
  supervisor_id: Uuid.nullable(),
  active: z.boolean(),
  version: z.number().int().positive(),
});
export type DirectoryUser = z.infer<typeof DirectoryUser>;
export const DirectoryResponse = z.strictObject({ users: z.array(DirectoryUser), me: Uuid });
export type DirectoryResponse = z.infer<typeof DirectoryResponse>;
/** POST /v1/directory: an admin adds or changes one user; `base_version` null for a new user. */
export const DirectoryWrite = z.strictObject({
  protocol_version: z.number().int(),
  user: DirectoryUser,
  base_version: z.number().int().positive().nullable(),
});
export type DirectoryWrite = z.infer<typeof DirectoryWrite>;

/** One event of a device's hash-chained audit trail, as the store holds it (electron/services/audit). */
export const AuditEventWire = z.strictObject({
  seq: Seq.min(1),
  id: Uuid,
  at: z.string(),
  actor_id: z.string().max(64),
  action: z.string().max(64),
  entity: z.string().max(64),
  // A caseload view names up to 1,000 record ids (about 39 characters each in JSON).
  entity_ids: z.string().max(65_536),
  prev_hash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AuditEventWire = z.infer<typeof AuditEventWire>;
/**
 * POST /v1/audit: the device's next events, in seq order, continuing the chain the server holds for it. An
 * event whose seq the server already holds with another hash, or whose prev_hash is not the server's head, is
 * refused with `history_rewritten` and the device is flagged for the team's admin.
 */
export const AuditPushRequest = z.strictObject({ protocol_version: z.number().int(), events: z.array(AuditEventWire).min(1).max(MAX_PUSH_COMMANDS) });
export type AuditPushRequest = z.infer<typeof AuditPushRequest>;
export const AuditPushResponse = z.strictObject({ head_seq: Seq, head_hash: z.string() });
export type AuditPushResponse = z.infer<typeof AuditPushResponse>;

export const EnrolRequest = z.strictObject({ code: z.string().min(1).max(64), protocol_version: z.number().int() });
export const EnrolResponse = z.strictObject({
  device_id: Uuid,
  user_id: Uuid,
  team_id: Uuid,
  /** Shown once: the server keeps only its hash. Sent as `Authorization: Bearer <token>`. */
  token: z.string(),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

export const SYNC_ERROR_CODES = [
  'bad_request', // `field` names the first offending field
  'unauthorized',
  'forbidden',
  'rate_limited',
  'version_unsupported', // the app must be updated (or the server is older than the app)
  'clock_ahead', // a row stamp is more than a day ahead of the server's clock: fix the device's clock
  'history_rewritten', // the device's audit chain no longer continues what it sent before
  'resync_required', // the pull cursor is beyond the server's log (it was restored): pull again from 0
  'payload_too_large',
  'not_found',
  'internal',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

export const SyncError = z.strictObject({
  error: z.strictObject({ code: z.enum(SYNC_ERROR_CODES), message: z.string(), field: z.string().optional() }),
});
export type SyncError = z.infer<typeof SyncError>;

/**
 * JSON with object keys sorted at every depth, so a checksum does not depend on how a database (jsonb
 * reorders keys) or a serializer happened to order them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
