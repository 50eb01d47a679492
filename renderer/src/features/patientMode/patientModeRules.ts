import type { MethodOutput } from '../../../../shared/contract/contract';
import type { PatientAnswer, PatientModeView } from '../../../../shared/contract/patientMode';

/** The mode's screen rules that need no page: which key picks which answer, what the clinician is told at the end. */
export type Question = Extract<PatientModeView, { stage: 'question' }>;

/** The key that picks an option: its own digit (as on paper, "0 = not at all"), or n for "does not apply". */
export function optionForKey(question: Question, key: string): PatientAnswer | null {
  if (key === 'n' || key === 'N') return question.options.some((o) => o.value === 'na') ? 'na' : null;
  if (!/^\d$/.test(key)) return null;
  return question.options.find((o) => o.value === Number(key))?.value ?? null;
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
