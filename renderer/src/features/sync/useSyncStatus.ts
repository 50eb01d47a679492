import { useCallback, useEffect, useState } from 'react';
import type { SyncStatus } from '../../../../shared/contract/sync';
import { api } from '../../lib/api';

/**
 * One status for the badge and the Sync screen: polled, and refreshed at once by whoever changes it (Sync now,
 * enrolment, a merge), so the two never disagree for long.
 */
const listeners = new Set<(s: SyncStatus) => void>();
let latest: SyncStatus | null = null;

export function publishSyncStatus(status: SyncStatus): void {
  latest = status;
  for (const l of listeners) l(status);
}

export async function refreshSyncStatus(): Promise<SyncStatus | null> {
  try {
    const status = await api['sync.status']({});
    publishSyncStatus(status);
    return status;
  } catch {
    return null; // locked or closing: the session screen takes over
  }
}

export function useSyncStatus(pollMs = 10_000): { status: SyncStatus | null; refresh: () => Promise<SyncStatus | null> } {
  const [status, setStatus] = useState<SyncStatus | null>(latest);
  useEffect(() => {
    listeners.add(setStatus);
    void refreshSyncStatus();
    const timer = setInterval(() => void refreshSyncStatus(), pollMs);
    return () => {
      listeners.delete(setStatus);
      clearInterval(timer);
    };
  }, [pollMs]);
  return { status, refresh: useCallback(refreshSyncStatus, []) };
}
