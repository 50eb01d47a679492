import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { AuditVerification, auditMethods } from '../../../shared/contract/audit';
import type { ContextSource, HandlerMap } from '../handlers';
import type { AuditEventTable, CaseloadDb } from '../store/schema';

/**
 * Append-only, hash-chained audit trail (DESIGN.md §6).
 *
 * Threat model: this detects accidental or casual tampering and software faults — a row edited, inserted or
 * deleted with a database tool, or a truncated tail (the chain head, count and last hash, is kept in its own
 * table). Someone who holds the data key can rewrite the whole chain and its head consistently; that is out of
 * scope until the chain is synced to the server, which then holds an independent copy.
 */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditAction =
  // The device joining its team's server, and leaving it (electron/services/sync/runtime.ts).
  | 'enrol'
  | 'sign-out'
  | 'create'
  | 'update'
  | 'view'
  | 'list'
  | 'sign'
  | 'addendum'
  | 'discharge'
  | 'step-change'
  | 'unlock'
  | 'unlock-failed'
  | 'lock'
  | 'setup'
  | 'change-passphrase'
  | 'change-cipher'
  | 'backup'
  | 'restore'
  | 'restore-other-caseload'
  | 'audit-head-repaired'
  | 'patient-mode-start'
  | 'patient-mode-exit'
  // Sync (electron/services/sync): pulled rows applied, rows leaving scope removed, a conflict merged, the
  // pre-enrolment owner id mapped to the server's user id, the team directory replaced.
  | 'sync-apply'
  | 'purge'
  | 'merge'
  | 'adopt-identity'
  | 'directory'
  // A change the server refused, set aside by the clinician once they copied what they needed.
  | 'set-aside'
  // Letters (electron/services/caseload/letters.ts).
  | 'finalise'
  | 'export'
  | 'record-sent';

export interface AuditInput {
  actorId: string;
  action: AuditAction;
  entity: string;
  entityIds: readonly string[];
}

type ChainFields = Omit<AuditEventTable, 'hash'>;

export function hashEvent(row: ChainFields): string {
  const canonical = JSON.stringify([row.seq, row.id, row.at, row.actor_id, row.action, row.entity, row.entity_ids, row.prev_hash]);
  return createHash('sha256').update(canonical).digest('hex');
}

type Db = Transaction<CaseloadDb> | Kysely<CaseloadDb>;

/**
 * Appends one event. Inside a transaction it joins it (the event commits with the change it records);
 * otherwise it opens its own, so an event and the chain head are never written apart — a crash between the
 * two once left the head behind and every later unlock failing on a duplicate seq.
 * The next seq and previous hash come from the last event itself; the head is the cross-check.
 */
export async function appendAudit(db: Db, event: AuditInput, now = new Date()): Promise<void> {
  if (!db.isTransaction) {
    await (db as Kysely<CaseloadDb>).transaction().execute((trx) => appendAudit(trx, event, now));
    return;
  }
  const last = await db.selectFrom('audit_event').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const head = await db.selectFrom('audit_head').select('count').where('id', '=', 1).executeTakeFirst();
  const fields: ChainFields = {
    // Past a truncated tail (head ahead of the events) the gap stays visible to verify.
    seq: Math.max(last?.seq ?? 0, head?.count ?? 0) + 1,
    id: uuidv7(),
    at: now.toISOString(),
    actor_id: event.actorId,
    action: event.action,
    entity: event.entity,
    entity_ids: JSON.stringify(event.entityIds),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = hashEvent(fields);
  await db.insertInto('audit_event').values({ ...fields, hash }).execute();
  await db
    .insertInto('audit_head')
    .values({ id: 1, count: fields.seq, last_hash: hash })
    .onConflict((oc) => oc.column('id').doUpdateSet({ count: fields.seq, last_hash: hash }))
    .execute();
}

/** The chain's current head: what the key file and backups record as the anchor. */
export async function auditAnchorOf(db: Db): Promise<{ count: number; hash: string }> {
  const last = await db.selectFrom('audit_event').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return { count: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH };
}

/**
 * On open: compares the head with the last event. A head behind the last event (a crash between the two
 * writes, possible before they shared a transaction) is repaired and said; a head ahead of it, or naming
 * another hash, is a truncated or edited tail and is only reported — `audit.verify` names the rows.
 * Never fatal to unlocking. Returns what the person should be told, if anything.
 */
export async function reconcileAuditHead(db: Kysely<CaseloadDb>, actorId: string, now: Date): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    const last = await auditAnchorOf(trx);
    const head = await trx.selectFrom('audit_head').select(['count', 'last_hash']).where('id', '=', 1).executeTakeFirst();
    const headCount = head?.count ?? 0;
    if (headCount === last.count && (head?.last_hash ?? GENESIS_HASH) === last.hash) return null;
    if (headCount < last.count) {
      await trx
        .insertInto('audit_head')
        .values({ id: 1, count: last.count, last_hash: last.hash })
        .onConflict((oc) => oc.column('id').doUpdateSet({ count: last.count, last_hash: last.hash }))
        .execute();
      await appendAudit(trx, { actorId, action: 'audit-head-repaired', entity: 'audit', entityIds: [] }, now);
      return `The audit trail's head was behind its last event (${headCount} of ${last.count}), as after a crash; it has been brought up to date.`;
    }
    return `The audit trail does not match its recorded head (${headCount} events recorded, ${last.count} present). Run "Verify audit trail" and tell your service's information governance lead.`;
  });
}

/** Walks the chain and names every row that breaks it. */
export function verifyChain(rows: readonly AuditEventTable[], head: { count: number; last_hash: string } | undefined): AuditVerification {
  const problems: AuditVerification['problems'] = [];
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const headCount = head?.count ?? 0;
  for (const row of rows) {
    if (row.seq > expectedSeq) {
      problems.push({
        seq: expectedSeq,
        kind: 'deleted',
        detail: row.seq - expectedSeq === 1 ? `event ${expectedSeq} is missing` : `events ${expectedSeq}–${row.seq - 1} are missing`,
      });
    } else if (row.seq < expectedSeq) {
      problems.push({ seq: row.seq, kind: 'reordered', detail: `event ${row.seq} appears out of order` });
    }
    if (hashEvent(row) !== row.hash) {
      problems.push({ seq: row.seq, kind: 'edited', detail: `event ${row.seq} does not match its own hash` });
    } else if (row.prev_hash !== prevHash && row.seq === expectedSeq) {
      problems.push({ seq: row.seq, kind: 'inserted', detail: `event ${row.seq} does not follow the event before it` });
    }
    if (row.seq > headCount) {
      problems.push({ seq: row.seq, kind: 'inserted', detail: `event ${row.seq} is beyond the recorded chain head (${headCount})` });
    }
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
  }
  const lastSeq = expectedSeq - 1;
  if (lastSeq < headCount) {
    problems.push({
      seq: lastSeq + 1,
      kind: 'truncated',
      detail: `the chain head records ${headCount} events but only ${lastSeq} remain`,
    });
  } else if (lastSeq === headCount && headCount > 0 && head && head.last_hash !== prevHash) {
    problems.push({ seq: lastSeq, kind: 'head-mismatch', detail: 'the last event does not match the recorded chain head' });
  }
  return { ok: problems.length === 0, count: rows.length, problems };
}

export async function verifyAudit(db: Kysely<CaseloadDb>): Promise<AuditVerification> {
  const rows = await db.selectFrom('audit_event').selectAll().orderBy('seq').execute();
  const head = await db.selectFrom('audit_head').select(['count', 'last_hash']).where('id', '=', 1).executeTakeFirst();
  return verifyChain(rows, head);
}

export function auditHandlers(context: ContextSource): HandlerMap<typeof auditMethods> {
  return { 'audit.verify': () => verifyAudit(context().db) };
}
