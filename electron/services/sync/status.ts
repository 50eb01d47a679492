import type { SyncStatus } from '../../../shared/contract/sync';
import { needsAPerson } from './failures';
import type { Enrolment, LocalCounts } from './localStore';
import type { SchedulerState } from './scheduler';

/** Past this many hours without a completed round the badge turns to a warning (issue #9 §3); a device setting. */
export const DEFAULT_STALE_AFTER_HOURS = 24;

/**
 * The badge's one source: what the store holds (enrolment, counts) and what this session's scheduler saw.
 * Hours are counted by the device clock from the server's time of the last pulled page: display only, as
 * DESIGN §5.8 allows.
 */
export function syncStatusOf(input: {
  enrolment: Enrolment | null;
  counts: LocalCounts;
  scheduler: SchedulerState | null;
  now: Date;
  staleAfterHours: number;
}): SyncStatus {
  const { enrolment, counts, scheduler, now, staleAfterHours } = input;
  if (!enrolment) {
    return {
      enrolled: false,
      serverUrl: null,
      state: 'not-enrolled',
      lastSyncedAt: null,
      hoursSinceSync: null,
      staleAfterHours,
      pendingChanges: counts.pending,
      openConflicts: counts.openConflicts,
      refusedChanges: counts.refused,
      lastError: null,
      nextAttemptAt: null,
    };
  }
  const since = enrolment.lastSyncedAt ? Date.parse(enrolment.lastSyncedAt) : Number.NaN;
  const hoursSinceSync = Number.isNaN(since) ? null : Math.max(0, Math.floor((now.getTime() - since) / 3_600_000));
  const lastError = scheduler?.lastError ?? null;
  const state: SyncStatus['state'] = scheduler?.running
    ? 'syncing'
    : lastError
      ? needsAPerson(lastError.code)
        ? 'refused'
        : 'offline'
      : scheduler?.lastSuccessAt
        ? 'online'
        : 'offline';
  return {
    enrolled: true,
    serverUrl: enrolment.serverUrl,
    state,
    lastSyncedAt: enrolment.lastSyncedAt,
    hoursSinceSync,
    staleAfterHours,
    pendingChanges: counts.pending,
    openConflicts: counts.openConflicts,
    refusedChanges: counts.refused,
    lastError,
    nextAttemptAt: scheduler?.nextAttemptAt?.toISOString() ?? null,
  };
}
