import type { SyncCommand } from './protocol';

/** How far ahead of the server's clock a row's own stamps may be before the push is refused. */
export const MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;

/** The stamp columns every clinical row carries (store migration 0002). */
const STAMP_COLUMNS = ['created_at', 'updated_at', 'deleted_at'] as const;

/**
 * The first stamp in a command's row that lies more than a day after `serverNowMs`, as a field path, or null.
 * Client clocks are for display only, but a laptop whose clock runs days ahead would write rows that look newer
 * than everything the team does for days; refusing them makes the user fix the clock instead.
 */
export function futureStamp(command: SyncCommand, serverNowMs: number): string | null {
  if (!command.payload) return null;
  for (const column of STAMP_COLUMNS) {
    const value = command.payload[column];
    if (typeof value !== 'string') continue;
    const at = Date.parse(value);
    if (Number.isFinite(at) && at > serverNowMs + MAX_CLOCK_AHEAD_MS) return `payload.${column}`;
  }
  return null;
}
