import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditEventWire, AuditPushResponse } from '../../shared/sync/protocol';
import type { ServerDatabase } from '../db/schema';

/**
 * Each device's audit chain, kept by the server as the device sent it (DESIGN §6). The server holds the chain's
 * head per device: new events must continue it exactly. Re-sending events the server already holds, unchanged,
 * is harmless (a lost reply); anything else that does not continue the head means the device's history was
 * rewritten, which the server refuses, records and shows to the team's admin (`list-devices`).
 */

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * The device's own hash of an event: the same canonical form as electron/services/audit/auditChain.ts
 * hashEvent (the server cannot import the app's services, and a different form would reject every honest chain).
 */
export function auditEventHash(event: Omit<AuditEventWire, 'hash'>): string {
  const canonical = JSON.stringify([event.seq, event.id, event.at, event.actor_id, event.action, event.entity, event.entity_ids, event.prev_hash]);
  return createHash('sha256').update(canonical).digest('hex');
}

export type AuditPushResult = AuditPushResponse | { rewritten: string };

export async function appendAuditEvents(db: Kysely<ServerDatabase>, deviceId: string, events: readonly AuditEventWire[]): Promise<AuditPushResult> {
  const result = await db.transaction().execute(async (trx) => {
    const device = await trx.selectFrom('devices').select(['audit_head_seq', 'audit_head_hash']).where('id', '=', deviceId).forNoKeyUpdate().executeTakeFirstOrThrow();
    let headSeq = Number(device.audit_head_seq);
    let headHash = device.audit_head_hash ?? AUDIT_GENESIS_HASH;
    const sorted = [...events].sort((a, b) => a.seq - b.seq);
    const stored = new Map(
      (
        await trx
          .selectFrom('device_audit')
          .select(['seq', 'hash'])
          .where('device_id', '=', deviceId)
          .where(
            'seq',
            'in',
            sorted.map((e) => e.seq),
          )
          .execute()
      ).map((r) => [Number(r.seq), r.hash]),
    );
    const fresh: AuditEventWire[] = [];
    for (const event of sorted) {
      const field = `events.${events.indexOf(event)}`;
      if (auditEventHash(event) !== event.hash) return { rewritten: `${field}.hash` };
      if (event.seq <= headSeq) {
        // Already held: it must be the very same event, or the device has changed its past.
        if (stored.get(event.seq) !== event.hash) return { rewritten: `${field}.hash` };
        continue;
      }
      if (event.seq !== headSeq + 1) return { rewritten: `${field}.seq` };
      // An empty head is the genesis: a device's chain is sent from its first event.
      if (event.prev_hash !== headHash) return { rewritten: `${field}.prev_hash` };
      fresh.push(event);
      headSeq = event.seq;
      headHash = event.hash;
    }
    if (fresh.length > 0) {
      await trx
        .insertInto('device_audit')
        .values(fresh.map((e) => ({ device_id: deviceId, ...e })))
        .execute();
      await trx.updateTable('devices').set({ audit_head_seq: headSeq, audit_head_hash: headHash }).where('id', '=', deviceId).execute();
    }
    return { head_seq: headSeq, head_hash: headHash };
  });
  if ('rewritten' in result) {
    // Outside the refused transaction: nothing of the batch is kept, but the flag is.
    await db.updateTable('devices').set({ history_rewritten_at: new Date() }).where('id', '=', deviceId).where('history_rewritten_at', 'is', null).execute();
  }
  return result;
}
