import { z } from 'zod';
import { recordId } from '../domain/people';
import { baseVersion, none, text } from './schemas';

/**
 * The app's side of sync (issue #9 §3): status for the shell's badge, "Sync now", enrolment, sign-out and the
 * conflicts inbox. The wire protocol itself is shared/sync/protocol.ts; the renderer never talks to the server.
 */

export const SyncStatus = z.strictObject({
  /** Not enrolled: the device is an island and the badge says so; nothing is ever sent. */
  enrolled: z.boolean(),
  serverUrl: z.string().nullable(),
  /** online: the last attempt reached the server; offline: it did not (backing off); syncing: a round is running. */
  state: z.enum(['not-enrolled', 'online', 'offline', 'syncing', 'refused']),
  /** Server time of the last completed round, ISO 8601; null before the first. */
  lastSyncedAt: z.string().nullable(),
  /** Whole hours since lastSyncedAt (or since enrolment), by the device clock; the badge warns past the threshold. */
  hoursSinceSync: z.number().int().nonnegative().nullable(),
  staleAfterHours: z.number().int().positive(),
  pendingChanges: z.number().int().nonnegative(),
  openConflicts: z.number().int().nonnegative(),
  /** Changes the server refused for good (outside scope, signed note): kept for the user, never dropped. */
  refusedChanges: z.number().int().nonnegative(),
  /** Why the last attempt failed, in words for the clinician (e.g. "The app must be updated"); null when it did not. */
  lastError: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  nextAttemptAt: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/** One side of a conflict: the row's fields as each side left them, with who and when. */
export const ConflictSide = z.strictObject({
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  by: z.string(),
  byName: z.string().nullable(),
  at: z.string(),
});
export const SyncConflict = z.strictObject({
  id: recordId,
  /** What the clinician sees: "Session note", "Risk assessment", "Attendance"… */
  label: z.string(),
  table: z.string(),
  rowId: recordId,
  patientId: recordId,
  patientName: z.string(),
  kind: z.enum(['document', 'high-risk', 'field', 'refused']),
  /** The fields in dispute (for a document: the body). */
  fields: z.array(z.string()),
  /** What the team's record holds now. */
  theirs: ConflictSide,
  /** What this side wrote from a stale base. */
  mine: ConflictSide,
  status: z.enum(['open', 'resolved']),
  version: z.number().int().positive(),
  createdAt: z.string(),
});
export type SyncConflict = z.infer<typeof SyncConflict>;

export const syncMethods = {
  'sync.status': { input: none, output: SyncStatus },
  /** Runs one round now (push then pull); resolves when it ends, with the new status either way. */
  'sync.now': { input: none, output: SyncStatus },
  'sync.enrol': {
    input: z.strictObject({
      serverUrl: z.url({ protocol: /^https?$/, message: 'must be the server address the team gave you, starting https://' }),
      code: z.string().trim().min(12, 'must be the 12-character code from your team admin').max(20, 'must be the 12-character code from your team admin'),
    }),
    output: SyncStatus,
  },
  /**
   * Pushes every pending change, then removes this device's caseload store. Refused while changes remain
   * unsent (the server unreachable, or refused changes not yet dealt with); `confirm` must be the literal text
   * so a stray call cannot wipe a laptop.
   */
  'sync.signOut': { input: z.strictObject({ confirm: z.literal('remove this caseload from this device') }), output: SyncStatus },
  'sync.conflicts': { input: z.strictObject({ status: z.enum(['open', 'resolved']).default('open') }), output: z.array(SyncConflict) },
  /**
   * An explicit merge: the chosen value for each disputed field (or the merged body), written as a new version
   * on top of the team's current row and audited; the conflict is closed on every device by sync.
   */
  /**
   * Sets aside a change the team server refused for good, once the clinician has copied what they need: it leaves
   * this laptop's outbox (audited, naming the change and its record), so the badge clears and sign-out is possible.
   */
  'sync.setAsideRefused': {
    input: z.strictObject({ id: recordId, confirm: z.literal('set this refused change aside') }),
    output: SyncStatus,
  },
  'sync.resolveConflict': {
    input: z.strictObject({
      id: recordId,
      version: baseVersion,
      fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
      note: text(500).optional(),
    }),
    output: SyncConflict,
  },
} as const;
