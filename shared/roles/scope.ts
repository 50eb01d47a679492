import type { Role } from '../domain/people';

/**
 * Whose patients a person sees (issue #10 §9, DESIGN §5.6): a referral's caseholder is what scope hangs on.
 * PWPs and HITs see the patients whose referral they hold (or whom they registered and have not referred yet);
 * a supervisor also sees their supervisees' patients; the booking clerk books for the whole team and sees
 * every patient's demographics; the admin sees no patients (the method policy refuses them every patient read);
 * the service lead reports on the whole team (the method policy gives them reports and exports only).
 */
export interface DirectoryEntry {
  id: string;
  supervisorId: string | null;
}

/** The caseholders whose patients `role` sees, or null for the whole team. */
export function caseholdersInScope(role: Role, selfId: string, directory: readonly DirectoryEntry[]): string[] | null {
  if (role === 'booking-clerk' || role === 'service-lead') return null;
  if (role === 'supervisor') return [selfId, ...directory.filter((u) => u.supervisorId === selfId && u.id !== selfId).map((u) => u.id)];
  if (role === 'admin') return [];
  return [selfId];
}
