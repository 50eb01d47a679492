import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../../electron/services/audit/auditChain';
import type { CaseloadDb } from '../../electron/services/store/schema';
import type { TeamMember } from './episode';
import { addRows, emptyRows, LOAD_ORDER, rowCount, type LoadTable, type TableRows } from './rows';
import type { SyntheticPatientRecord } from './service';

/** The audit entity each table's creations are recorded under: the names the caseload services use. */
const AUDIT_ENTITY: Record<LoadTable, string> = {
  patients: 'patient',
  referrals: 'referral',
  contacts: 'contact',
  risk_assessments: 'risk-assessment',
  measures: 'measure',
  notes: 'note',
  note_versions: 'note',
  contact_attempts: 'contact-attempt',
  actions: 'action',
};

/**
 * Ids per audit event: an event travels to the team server as `AuditEventWire`, whose entity_ids holds at most
 * 4,096 characters; 100 UUIDs in a JSON array take 3,901.
 */
const IDS_PER_EVENT = 100;
/** SQLite allows 32,766 bound values per statement; stay well under it. */
const VALUES_PER_INSERT = 30_000;

export interface LoadOptions {
  /** Who the audit trail names as having made the rows: the store's owner. */
  actorId: string;
  /** Team members missing from the store's directory are added first (the rows name them as caseholders). */
  team?: readonly TeamMember[];
  /** Rows per transaction: large, so that loading is bound by SQLite rather than by commits. */
  rowsPerTransaction?: number;
  now?: () => Date;
}

export type LoadCounts = Record<LoadTable, number>;

async function insertAll<T extends LoadTable>(trx: Transaction<CaseloadDb>, table: T, rows: CaseloadDb[T][]): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0]!).length;
  const chunk = Math.max(1, Math.floor(VALUES_PER_INSERT / perRow));
  for (let i = 0; i < rows.length; i += chunk) {
    // Kysely's insert typing cannot follow a table name held in a type parameter; the rows are that table's own.
    const insert = trx.insertInto(table) as unknown as { values(rows: readonly object[]): { execute(): Promise<unknown> } };
    await insert.values(rows.slice(i, i + chunk)).execute();
  }
}

async function writeBatch(db: Kysely<CaseloadDb>, rows: TableRows, options: LoadOptions): Promise<void> {
  const now = options.now ?? (() => new Date());
  await db.transaction().execute(async (trx) => {
    for (const table of LOAD_ORDER) {
      const batch = rows[table];
      await insertAll(trx, table, batch);
      // Every write is audited in its own transaction (DESIGN §6): one event per hundred rows, naming each.
      for (let i = 0; i < batch.length; i += IDS_PER_EVENT) {
        const ids = batch.slice(i, i + IDS_PER_EVENT).map((r) => r.id);
        await appendAudit(trx, { actorId: options.actorId, action: 'create', entity: AUDIT_ENTITY[table], entityIds: ids }, now());
      }
    }
  });
}

async function addTeam(db: Kysely<CaseloadDb>, team: readonly TeamMember[], options: LoadOptions): Promise<void> {
  const now = options.now ?? (() => new Date());
  await db.transaction().execute(async (trx) => {
    const known = new Set((await trx.selectFrom('users').select('id').execute()).map((u) => u.id));
    // Supervisors first: a clinician's row names its supervisor.
    const missing = [...team].sort((a, b) => Number(a.supervisorId !== null) - Number(b.supervisorId !== null)).filter((m) => !known.has(m.id));
    if (missing.length === 0) return;
    const at = now().toISOString();
    for (const m of missing) {
      await trx.insertInto('users').values({ id: m.id, display_name: m.displayName, role: m.role, supervisor_id: m.supervisorId, version: 1, created_at: at, updated_at: at }).execute();
    }
    await appendAudit(trx, { actorId: options.actorId, action: 'create', entity: 'user', entityIds: missing.map((m) => m.id) }, now());
  });
}

/**
 * Writes a synthetic service into an open store in large transactions, audited, rows exactly as generated.
 * Streams: only one transaction's rows are held at a time, so W2 loads without holding five years in memory.
 * A failure rolls back the transaction in progress; earlier transactions stay (each is whole patients).
 */
export async function loadSynthetic(db: Kysely<CaseloadDb>, records: Iterable<SyntheticPatientRecord>, options: LoadOptions): Promise<LoadCounts> {
  const perTransaction = options.rowsPerTransaction ?? 50_000;
  if (options.team) await addTeam(db, options.team, options);
  const counts = Object.fromEntries(LOAD_ORDER.map((t) => [t, 0])) as LoadCounts;
  let pending = emptyRows();
  const flush = async () => {
    for (const t of LOAD_ORDER) counts[t] += pending[t].length;
    await writeBatch(db, pending, options);
    pending = emptyRows();
  };
  for (const record of records) {
    addRows(pending, record);
    if (rowCount(pending) >= perTransaction) await flush();
  }
  if (rowCount(pending) > 0) await flush();
  return counts;
}
