import type { AppErrorShape } from '../../../shared/contract/errors';
import { PATIENT_MODE_METHODS } from '../../../shared/contract/patientMode';
import type { CaseloadEngine } from '../engine';
import { activePatientMode } from './patientModeSession';

/** What a page may still call while a patient holds the laptop (issue #10 item 5): the mode's own, the status poll, lock. */
const OPEN_IN_PATIENT_MODE: ReadonlySet<string> = new Set<string>([...PATIENT_MODE_METHODS, 'session.status', 'session.lock']);

export const PATIENT_MODE_REFUSED: AppErrorShape = {
  code: 'PATIENT_MODE',
  message: 'Patient questionnaires are open. Only the clinician can leave them, with their passphrase.',
};

/**
 * The services' half of locked patient mode: while it is on, any other method is refused before its input is
 * read, so a page that tried anything else — a record, a list, a backup, even activity pings — gets nothing.
 * Null when the call may go ahead.
 */
export function patientModeRefusal(engine: CaseloadEngine, method: unknown): { ok: false; error: AppErrorShape } | null {
  if (typeof method === 'string' && OPEN_IN_PATIENT_MODE.has(method)) return null;
  if (!activePatientMode(engine)) return null;
  return { ok: false, error: PATIENT_MODE_REFUSED };
}
