import type { MethodOutput } from '../../../../shared/contract/contract';
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

/** What the clinician is told on return: what was saved, what was left unfinished (and so not kept), wrong passphrases. */
export function exitNotices(result: MethodOutput<'patientMode.exit'>): string[] {
  const saved = result.saved.length;
  const risky = result.saved.filter((m) => m.riskFlags.length > 0);
  return [
    // Said first: the patient may still be in the room (DESIGN §4, PHQ-9 item 9 raises a risk alert).
    ...risky.map((m) => `Risk alert: the patient's ${m.instrumentId === 'phq9' ? 'PHQ-9 item 9 (thoughts of being better off dead or of self-harm)' : m.instrumentId} was answered above 0. Review it now; the note cannot be signed until a risk review is saved.`),
    `Patient questionnaires ended: ${saved === 0 ? 'none was completed' : `${saved} saved to this session as patient-completed`}.`,
    ...(result.unfinished.length > 0 ? [`Not finished, so not kept: ${result.unfinished.join(', ')}.`] : []),
    ...result.notices,
  ];
}
