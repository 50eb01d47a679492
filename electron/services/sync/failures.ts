import type { SyncStatus } from '../../../shared/contract/sync';
import { SyncTransportError, type SyncFailure } from './transport';

/**
 * Why a round failed, in words for the clinician (the badge and the Sync screen show them). A transport code
 * never reaches the screen bare: each one says what it means for this laptop and what to do.
 */
const MESSAGES: Record<SyncFailure, string> = {
  network: 'Offline: the team server could not be reached. Your changes are kept on this laptop and will be sent when it can be.',
  version_unsupported: 'This app must be updated before it can sync. Your changes are kept on this laptop until then.',
  clock_ahead: "This laptop's clock is wrong (ahead of the team server's). Set the date and time correctly, then sync again.",
  unauthorized: 'This device was signed out by your team (revoked), or its enrolment has expired. Ask your team admin for a new code.',
  forbidden: 'The team server refused this device. Ask your team admin to check your account.',
  rate_limited: 'The team server is busy. Sync will try again shortly.',
  history_rewritten: "This laptop's audit trail no longer matches what it sent before. Your team admin has been told; sync is paused.",
  resync_required: 'The team server was restored from a backup. This laptop will fetch the team record again.',
  payload_too_large: 'A change was too large for the team server to accept. Ask your team admin for help.',
  bad_request: 'The team server did not accept a change from this laptop. Ask your team admin for help.',
  not_found: 'The team server address does not answer as a sync server. Check the address.',
  internal: 'The team server had a problem. Sync will try again shortly.',
  bad_response: 'The team server sent a reply this app does not understand. Sync will try again shortly.',
  outbox_gap: 'Sync stopped: this laptop and the team server disagree about which changes were sent. Ask your team admin for help.',
};

/** Failures that another attempt cannot fix until a person acts: the badge says "refused", not "offline". */
const NEEDS_A_PERSON: ReadonlySet<SyncFailure> = new Set(['version_unsupported', 'clock_ahead', 'unauthorized', 'forbidden', 'history_rewritten', 'outbox_gap']);

export type LastError = NonNullable<SyncStatus['lastError']>;

export function describeFailure(error: unknown): LastError {
  if (error instanceof SyncTransportError) return { code: error.code, message: MESSAGES[error.code] };
  return { code: 'internal', message: 'Sync stopped on an unexpected problem on this laptop. It will try again shortly.' };
}

export function needsAPerson(code: string): boolean {
  return NEEDS_A_PERSON.has(code as SyncFailure);
}
