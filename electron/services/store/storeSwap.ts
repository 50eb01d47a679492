import { copyFileSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { z } from 'zod';
import { withCompanions, type StorePaths } from '../session/storePaths';
import { writeFileAtomic } from './atomicWrite';
import { AuditAnchor } from './keyFile';

/**
 * Replacing the database file (key rotation, cipher migration, restore) is made crash-safe with one commit
 * point: the new database is written in full to `next` and a journal records why and the audit anchor `next`
 * ends on; then the key file is rewritten (an atomic rename) for `next`, carrying that anchor. Until that rename
 * nothing has changed; after it, the next unlock sees the key file's anchor is the journal's and finishes the move
 * (rollForward). The anchor, not "which file the key opens", decides: a restore of this caseload's own backup has
 * the same key as the live file.
 *
 * What happens to the file being replaced depends on why: a rotated or migrated database is deleted (an old
 * passphrase must never open a copy of today's data); a database replaced by a restore is kept beside the store,
 * renamed, together with the key file that opens it — the two are only ever deleted together.
 */
export type SwapReason = 'rotate' | 'migrate-cipher' | 'restore';
const Journal = z.strictObject({
  reason: z.enum(['rotate', 'migrate-cipher', 'restore']),
  stamp: z.string().regex(/^[0-9TZ]+$/),
  /** The audit anchor `next` ends on: the key file carries it exactly when the swap has committed. */
  anchor: AuditAnchor,
});
type Journal = z.infer<typeof Journal>;

export function replacedName(file: string, stamp: string): string {
  return `${file}.replaced-${stamp}`;
}

/** Before the commit point: `next` is complete and durable; record why, and keep the key file a restore pairs with. */
export function prepareSwap(paths: StorePaths, reason: SwapReason, stamp: string, anchor: AuditAnchor): void {
  for (const f of withCompanions(paths.next).slice(1)) rmSync(f, { force: true });
  if (reason === 'restore' && existsSync(paths.keyFile)) copyFileSync(paths.keyFile, replacedName(paths.keyFile, stamp));
  writeFileAtomic(paths.swapJournal, JSON.stringify({ reason, stamp, anchor } satisfies Journal));
}

function readJournal(paths: StorePaths): Journal | null {
  try {
    return Journal.parse(JSON.parse(readFileSync(paths.swapJournal, 'utf8')));
  } catch {
    return null;
  }
}

export function swapPending(paths: StorePaths): boolean {
  return existsSync(paths.next) || existsSync(paths.swapJournal);
}

/**
 * At unlock, with the key file just read: finish a swap that committed (its anchor is the journal's), or forget
 * one that did not. Safe to repeat after a crash at any point inside either.
 */
export function resolvePendingSwap(paths: StorePaths, keyFileAnchor: AuditAnchor | null): void {
  const journal = readJournal(paths);
  const committed = !!journal && !!keyFileAnchor && journal.anchor.count === keyFileAnchor.count && journal.anchor.hash === keyFileAnchor.hash;
  if (!committed) abandonSwap(paths);
  else if (existsSync(paths.next)) rollForward(paths);
  else rmSync(paths.swapJournal, { force: true }); // the move had finished; only the journal was left
}

/** After the commit point (the key file is now `next`'s): move the live database out and `next` in. */
export function rollForward(paths: StorePaths): void {
  const journal = readJournal(paths);
  // A missing journal cannot say the old file may go: keep it, as a restore would.
  const keep = !journal || journal.reason === 'restore';
  const stamp = journal?.stamp ?? new Date().toISOString().replace(/[-:.]/g, '');
  for (const f of withCompanions(paths.db)) {
    if (!existsSync(f)) continue;
    if (keep) renameSync(f, replacedName(f, stamp));
    else rmSync(f, { force: true });
  }
  renameSync(paths.next, paths.db);
  rmSync(paths.swapJournal, { force: true });
}

/** The commit point was never reached: the live files are the store; forget the copy. */
export function abandonSwap(paths: StorePaths): void {
  const journal = readJournal(paths);
  if (journal?.reason === 'restore') rmSync(replacedName(paths.keyFile, journal.stamp), { force: true });
  for (const f of withCompanions(paths.next)) rmSync(f, { force: true });
  rmSync(paths.swapJournal, { force: true });
}
