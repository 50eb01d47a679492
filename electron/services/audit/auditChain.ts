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
  | 'create'
  | 'update'
  | 'view'
  | 'list'
  | 'sign'
  | 'addendum'
  | 'discharge'
  | 'unlock'
  | 'lock'
  | 'setup'
  | 'change-passphrase'
  | 'backup'
  | 'restore';

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

/** Appends one event; call inside the same transaction as the change it records. */
export async function appendAudit(trx: Transaction<CaseloadDb> | Kysely<CaseloadDb>, event: AuditInput, now = new Date()): Promise<void> {
  const head = await trx.selectFrom('audit_head').select(['count', 'last_hash']).where('id', '=', 1).executeTakeFirst();
  const count = head?.count ?? 0;
  const fields: ChainFields = {
    seq: count + 1,
    id: uuidv7(),
    at: now.toISOString(),
    actor_id: event.actorId,
    action: event.action,
    entity: event.entity,
    entity_ids: JSON.stringify(event.entityIds),
    prev_hash: head?.last_hash ?? GENESIS_HASH,
  };
  const hash = hashEvent(fields);
  await trx.insertInto('audit_event').values({ ...fields, hash }).execute();
  await trx
    .insertInto('audit_head')
    .values({ id: 1, count: fields.seq, last_hash: hash })
    .onConflict((oc) => oc.column('id').doUpdateSet({ count: fields.seq, last_hash: hash }))
    .execute();
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
