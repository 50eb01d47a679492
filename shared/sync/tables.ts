/**
 * Which store tables travel through the team's change log, and why the others do not. A unit test lists
 * every table the store's migrations make and fails when one is in none of these lists, so a table added
 * later cannot be silently left on one laptop.
 */

/** Clinical tables: every row carries id, version, created/updated by/at and deleted_at (store migration 0002). */
export const SYNCED_TABLES = [
  'patients',
  'referrals',
  'contacts',
  'measures',
  'screenings',
  'risk_assessments',
  'notes',
  'note_versions',
  'contact_attempts',
  'actions',
  'service_settings',
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

/** Bookkeeping of this installation only: device settings and key-file anchors, the local chain head. */
export const DEVICE_ONLY_TABLES = ['settings', 'audit_head'] as const;

/** Replicated, but not as change-log rows: each has its own channel in a later slice of issue #9. */
export const OWN_CHANNEL_TABLES = {
  users: 'the team directory: authoritative on the server once a device is enrolled',
  audit_event: 'the audit chain: appended per device, with the server keeping each device chain head',
} as const;
