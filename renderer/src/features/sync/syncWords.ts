import type { SyncStatus } from '../../../../shared/contract/sync';

export interface BadgeWords {
  text: string;
  /** Mantine colour: grey when there is nothing to say, red for what needs the clinician. */
  color: 'gray' | 'teal' | 'blue' | 'orange' | 'red';
  /** What a screen reader and the tooltip say in full. */
  detail: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "5 min ago", "3 hours ago", "2 days ago": by this device's clock, for display only. */
export function ago(iso: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${plural(hours, 'hour')} ago`;
  return `${plural(Math.floor(hours / 24), 'day')} ago`;
}

/**
 * The shell's sync badge (issue #9 §3, DESIGN §7 "sync state always visible"). What needs a person comes first:
 * conflicts, then a refusal, then staleness past the threshold, then offline with what is waiting, then online.
 */
export function badgeWords(status: SyncStatus, now = new Date()): BadgeWords {
  if (!status.enrolled) {
    const waiting = status.pendingChanges > 0 ? ` ${plural(status.pendingChanges, 'change')} will be sent when it is enrolled.` : '';
    return { text: 'Not enrolled', color: 'gray', detail: `This device is not enrolled with a team server: the caseload is kept, encrypted, on this device only.${waiting}` };
  }
  if (status.openConflicts > 0) {
    const text = plural(status.openConflicts, 'conflict');
    return { text, color: 'red', detail: `${text} to resolve: your change and the team's met on the same record. Open the conflicts inbox.` };
  }
  if (status.refusedChanges > 0) {
    const text = `${plural(status.refusedChanges, 'change')} refused`;
    return { text, color: 'red', detail: `${text} by the team server (outside your caseload or role, or a signed note). They are kept on this laptop: open the conflicts inbox to deal with them.` };
  }
  if (status.state === 'refused' && status.lastError) return { text: 'Sync stopped', color: 'red', detail: status.lastError.message };
  if (status.hoursSinceSync !== null && status.hoursSinceSync >= status.staleAfterHours) {
    const text = `Not synced for ${plural(status.hoursSinceSync, 'hour')}`;
    return { text, color: 'orange', detail: `${text}. ${status.lastError?.message ?? 'Connect to the team network and choose Sync now.'}` };
  }
  if (status.state === 'syncing') return { text: 'Syncing…', color: 'blue', detail: 'Sending and fetching changes with the team server.' };
  const synced = status.lastSyncedAt ? `synced ${ago(status.lastSyncedAt, now)}` : 'not synced yet';
  if (status.state === 'offline') {
    const waiting = status.pendingChanges > 0 ? `${plural(status.pendingChanges, 'change')} waiting` : synced;
    return { text: `Offline · ${waiting}`, color: 'gray', detail: `${status.lastError?.message ?? 'The team server has not been reached yet in this session.'} Last ${synced}.` };
  }
  const waiting = status.pendingChanges > 0 ? ` · ${plural(status.pendingChanges, 'change')} to send` : '';
  return { text: `Online · ${synced}${waiting}`, color: 'teal', detail: `Connected to ${status.serverUrl ?? 'the team server'}; ${synced}.` };
}

/**
 * A light badge with black text: the tint carries the colour. Mantine's light variant puts shade 9 on shade 1,
 * which is below AA contrast for teal and orange (4.3:1 at badge size).
 */
export function readableBadge(color: BadgeWords['color']): { color: string; variant: 'light'; styles: { label: { color: string } } } {
  return { color, variant: 'light', styles: { label: { color: 'var(--mantine-color-black)' } } };
}
