import { MAX_PULL_LIMIT, type PullResponse, type PushAck, type SyncCommand } from '../../../shared/sync/protocol';
import { type SyncTransport, SyncTransportError } from './transport';

/** Commands waiting to be pushed, oldest (lowest mutation_seq) first; a command is resent unchanged until answered. */
export interface Outbox {
  pending(limit: number): Promise<SyncCommand[]>;
  /**
   * The server's answers: applied, merged, conflict, duplicate and tombstoned are final (remove the command);
   * forbidden is final too but the change is kept for the user; gap leaves the command to be resent in order.
   */
  settle(acks: readonly PushAck[]): Promise<void>;
}

/** Where pulled pages land. `apply` must write the page's rows, purges and cursor in one transaction. */
export interface Inbox {
  cursor(): Promise<number>;
  apply(page: PullResponse): Promise<void>;
}

export interface RoundResult {
  /** Commands the server wrote (applied, or merged with others' changes). */
  pushed: number;
  /** Commands that raised a conflict for a clinician to resolve. */
  conflicts: number;
  /** Commands the server refused for good (outside scope or role, a signed note); kept on this device. */
  refused: number;
  pulled: number;
  /** The server's clock at the last pulled page (ISO 8601), or null when no page was pulled. */
  serverTime: string | null;
}

/**
 * One sync round: push the outbox in order until it is empty, then pull until the log's end. Pushing first
 * means the pull brings back the device's own changes with their server_seq (and the server's merges), so the
 * store ends in the team's order. Any transport failure ends the round; the caller retries later with backoff,
 * and both halves resume where they stopped because the server is idempotent and the cursor only moves with an
 * applied page. A page is applied even when it holds no changes: it may carry purges and the server's clock.
 */
export async function syncRound(transport: SyncTransport, outbox: Outbox, inbox: Inbox, limits = { batch: 200, page: MAX_PULL_LIMIT, maxRequests: 1_000 }): Promise<RoundResult> {
  const result: RoundResult = { pushed: 0, conflicts: 0, refused: 0, pulled: 0, serverTime: null };
  let requests = 0;
  for (; requests < limits.maxRequests; requests++) {
    const batch = await outbox.pending(limits.batch);
    if (batch.length === 0) break;
    const reply = await transport.push(batch);
    await outbox.settle(reply.acks);
    for (const ack of reply.acks) {
      if (ack.status === 'applied' || ack.status === 'merged') result.pushed++;
      else if (ack.status === 'conflict') result.conflicts++;
      else if (ack.status === 'forbidden') result.refused++;
    }
    const gap = reply.acks.find((a) => a.status === 'gap');
    // Sent from the head of the outbox, a gap means the outbox lost a command the server never had.
    if (gap?.status === 'gap') throw new SyncTransportError('outbox_gap', `the server expects mutation ${gap.expected_seq}, which the outbox no longer holds`);
  }
  for (; requests < limits.maxRequests; requests++) {
    const after = await inbox.cursor();
    const page = await transport.pull(after, limits.page);
    await inbox.apply(page);
    result.pulled += page.changes.length;
    result.serverTime = page.server_time;
    if (!page.has_more) break;
  }
  return result;
}
