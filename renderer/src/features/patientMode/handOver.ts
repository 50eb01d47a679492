import type { Place } from '../../app/navigation';

/**
 * What the page remembers across the hand-over, in memory only: where the clinician was, so leaving the mode
 * returns to that session record. The mode's screens never read it; a reload forgets it (the caseload opens).
 */
let returnPlace: Place | null = null;

export const SESSION_CHANGED_EVENT = 'caseload:session-changed';

export function handOver(from: Place): void {
  returnPlace = from;
  window.dispatchEvent(new Event(SESSION_CHANGED_EVENT));
}

export function takeReturnPlace(): Place | null {
  const place = returnPlace;
  returnPlace = null;
  return place;
}

