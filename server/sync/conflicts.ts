import { v7 as uuidv7 } from 'uuid';
import type { RowPayload } from '../../shared/sync/protocol';
import type { SyncedTable, TablePolicy } from '../../shared/sync/tables';

/**
 * The server's rule for a write whose base_version is below the row's current version (DESIGN §5.3–5.4,
 * server/PROTOCOL.md "Conflicts"): fields this write changed are judged against fields others changed since the
 * same base. Pure, so the client's model test and the server agree on one implementation.
 */

/** Columns every write restamps: they say who wrote last, not what the row holds, so they never conflict. */
const BOOKKEEPING = new Set(['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by']);

const valueOf = (row: RowPayload, column: string) => row[column] ?? null;

/** Content columns whose value differs between two versions of a row. */
export function changedColumns(from: RowPayload, to: RowPayload): string[] {
  const columns = new Set([...Object.keys(from), ...Object.keys(to)]);
  return [...columns].filter((c) => !BOOKKEEPING.has(c) && valueOf(from, c) !== valueOf(to, c)).sort();
}

export type StaleWriteOutcome =
  | { kind: 'merged'; row: RowPayload }
  | { kind: 'conflict'; conflict: 'document' | 'high-risk' | 'field'; fields: string[]; row: RowPayload | null };

/**
 * `base`: the row as logged at the write's base_version; `current`: the team's row now; `mine`: what the stale
 * write carried. A document with a real content change is never merged (its text becomes a sibling in a
 * conflict row); otherwise the undisputed fields are merged onto the current row at `currentVersion + 1` and the
 * disputed ones keep the team's value. `row` is null when nothing of the write can be merged.
 */
export function judgeStaleWrite(policy: TablePolicy, base: RowPayload, current: RowPayload, mine: RowPayload, currentVersion: number): StaleWriteOutcome {
  const minesChanged = changedColumns(base, mine);
  const othersChanged = new Set(changedColumns(base, current));
  if (policy.document && minesChanged.length > 0) return { kind: 'conflict', conflict: 'document', fields: minesChanged, row: null };
  const disputed = minesChanged.filter((c) => othersChanged.has(c) && valueOf(mine, c) !== valueOf(current, c));
  const merging = minesChanged.filter((c) => !disputed.includes(c));
  const row: RowPayload = { ...current };
  for (const column of merging) row[column] = valueOf(mine, column);
  if (mine.updated_by !== undefined) row.updated_by = mine.updated_by;
  if (mine.updated_at !== undefined) row.updated_at = mine.updated_at;
  row.version = currentVersion + 1;
  if (disputed.length === 0) return { kind: 'merged', row };
  const highRisk = disputed.some((c) => policy.highRisk.includes(c));
  return { kind: 'conflict', conflict: highRisk ? 'high-risk' : 'field', fields: disputed, row: merging.length > 0 ? row : null };
}

/** A row of the synced `sync_conflicts` table (store migration 0004), exactly the agreed columns. */
export function conflictRow(input: {
  patientId: string;
  table: SyncedTable;
  rowId: string;
  kind: 'document' | 'high-risk' | 'field';
  fields: readonly string[];
  baseVersion: number;
  theirs: RowPayload;
  mine: RowPayload;
  userId: string;
  at: string;
}): RowPayload {
  return {
    id: uuidv7(),
    version: 1,
    created_by: input.userId,
    updated_by: input.userId,
    created_at: input.at,
    updated_at: input.at,
    deleted_at: null,
    patient_id: input.patientId,
    table_name: input.table,
    row_id: input.rowId,
    kind: input.kind,
    fields: JSON.stringify(input.fields),
    base_version: input.baseVersion,
    theirs: JSON.stringify(input.theirs),
    mine: JSON.stringify(input.mine),
    mine_by: input.userId,
    status: 'open',
    resolved_by: null,
    resolved_at: null,
    resolution_note: null,
  };
}
