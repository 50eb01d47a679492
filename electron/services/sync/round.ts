import type { PullResponse, SyncCommand } from '../../../shared/sync/protocol';
import { type SyncTransport, SyncTransportError } from './transport';

/** Commands waiting to be pushed, oldest (lowest mutation_seq) first. */
export interface Outbox {
  pending(limit: number): Promise<SyncCommand[]>;
  /** The server has answered for these for good (applied, duplicate or tombstoned): remove them. */
  settle(opIds: string[]): Promise<void>;
}

/** Where pulled pages land. `apply` must write the page's rows and its cursor in one transaction. */
export interface Inbox {
  cursor(): Promise<number>;
  apply(page: PullResponse): Promise<void>;
}

export interface RoundResult {
  pushed: number;
  pulled: number;
}

/**
 * One sync round: push the outbox in order until it is empty, then pull until the log's end. Pushing first
 * means the pull brings back the device's own changes with their server_seq, so the store ends in the team's
 * order. Any transport failure ends the round; the caller retries later with backoff, and both halves resume
 * where they stopped because the server is idempotent and the cursor only moves with an applied page.
 */
export async function syncRound(transport: SyncTransport, outbox: Outbox, inbox: Inbox, limits = { batch: 200, page: 500, maxRequests: 1_000 }): Promise<RoundResult> {
  let pushed = 0;
  let pulled = 0;
  let requests = 0;
  for (; requests < limits.maxRequests; requests++) {
    const batch = await outbox.pending(limits.batch);
    if (batch.length === 0) break;
    const reply = await transport.push(batch);
    const gap = reply.acks.find((a) => a.status === 'gap');
    const settled = reply.acks.filter((a) => a.status !== 'gap').map((a) => a.op_id);
    await outbox.settle(settled);
    pushed += reply.acks.filter((a) => a.status === 'applied').length;
    // Sent from the head of the outbox, a gap means the outbox lost a command the server never had.
    if (gap?.status === 'gap') throw new SyncTransportError('outbox_gap', `the server expects mutation ${gap.expected_seq}, which the outbox no longer holds`);
  }
  for (; requests < limits.maxRequests; requests++) {
    const after = await inbox.cursor();
    const page = await transport.pull(after, limits.page);
    if (page.changes.length > 0) await inbox.apply(page);
    pulled += page.changes.length;
    if (!page.has_more) break;
  }
  return { pushed, pulled };
}
