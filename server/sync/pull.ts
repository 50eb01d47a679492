import type { Kysely } from 'kysely';
import { canonicalJson, type LoggedChange, type PullResponse, type RowPayload } from '../../shared/sync/protocol';
import { sha256Hex } from '../auth/secrets';
import type { ServerDatabase } from '../db/schema';

/**
 * One page of the team's log after a cursor. Safe to page by `server_seq > after` because pushes commit
 * their sequence numbers in order (see push.ts); the same cursor always yields the same page.
 */
export async function pullPage(db: Kysely<ServerDatabase>, teamId: string, after: number, limit: number): Promise<PullResponse | 'cursor_ahead'> {
  // A cursor past the team's last seq means the server lost history (restored from an older backup): paging on
  // from it would silently skip every change until the log grew past the cursor, so the client must start over.
  const counter = await db.selectFrom('team_counters').select('last_seq').where('team_id', '=', teamId).executeTakeFirstOrThrow();
  if (after > Number(counter.last_seq)) return 'cursor_ahead';
  const rows = await db
    .selectFrom('change_log')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('server_seq', '>', after)
    .orderBy('server_seq')
    .limit(limit + 1)
    .execute();
  const changes: LoggedChange[] = rows.slice(0, limit).map((r) => ({
    server_seq: Number(r.server_seq),
    op_id: r.op_id,
    client_id: r.client_id,
    table: r.table_name,
    row_id: r.row_id,
    row_version: r.row_version,
    tombstone: r.tombstone,
    payload: r.payload as RowPayload | null,
    received_at: new Date(r.received_at).toISOString(),
  }));
  return {
    changes,
    next_cursor: changes.at(-1)?.server_seq ?? after,
    has_more: rows.length > limit,
    checksum: pageChecksum(changes),
  };
}

export function pageChecksum(changes: readonly LoggedChange[]): string {
  return sha256Hex(canonicalJson(changes));
}
