import { z } from 'zod';
import { SYNCED_TABLES } from './tables';

/**
 * The sync wire protocol (server/PROTOCOL.md), shared so the client and the team server validate the same
 * shapes. Pure: no I/O, no clocks.
 */

/** Bumped when a message shape changes incompatibly; the server refuses any other value explicitly. */
export const SYNC_PROTOCOL_VERSION = 1;

/**
 * Store schema versions (the app's migration count) whose rows this server understands. A client outside the
 * range is told to update rather than having its rows half-understood.
 */
export const MIN_SCHEMA_VERSION = 2;
export const MAX_SCHEMA_VERSION = 3;

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
 * applied: written now at server_seq. duplicate: written before (same op_id or an older mutation_seq of this
 * client); server_seq is where. gap: an earlier mutation_seq of this client has not arrived; resend from
 * expected_seq, nothing was written. tombstoned: the row was deleted; the write is dropped for good.
 */
export const PushAck = z.discriminatedUnion('status', [
  z.strictObject({ op_id: UuidV7, status: z.literal('applied'), server_seq: Seq }),
  z.strictObject({ op_id: UuidV7, status: z.literal('duplicate'), server_seq: Seq.nullable() }),
  z.strictObject({ op_id: UuidV7, status: z.literal('gap'), expected_seq: Seq }),
  z.strictObject({ op_id: UuidV7, status: z.literal('tombstoned') }),
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
  changes: z.array(LoggedChange),
  /** Pass as `after` next time; equals the request's `after` when the page is empty. */
  next_cursor: Seq,
  has_more: z.boolean(),
  /** SHA-256 (hex) of canonicalJson(changes): the client recomputes it before applying the page. */
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PullResponse = z.infer<typeof PullResponse>;

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
