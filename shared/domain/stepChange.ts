import type { EndCode, ReferralSourceCode, Step } from '../outcomes';

/**
 * Stepped care (ref §5.7): a step change ends this referral and opens a new one for the same patient, whose
 * source of referral (ref §5.2) says why: N1 stepped up from low intensity, N2 stepped down from high intensity.
 */
export type StepDirection = 'up' | 'down';

export function stepDirection(from: Step, to: Step): StepDirection | null {
  if (to === from) return null;
  return to > from ? 'up' : 'down';
}

export const STEP_CHANGE_SOURCE: Record<StepDirection, Extract<ReferralSourceCode, 'N1' | 'N2'>> = { up: 'N1', down: 'N2' };

/**
 * The end code of the referral a step change closes. The v1.5 codes 40 (stepped up) and 41 (stepped down) are
 * invalid in v2 (ref §4 "End codes", §5.6), so the v2 code follows what happened in the episode: taken on for
 * treatment (an attended treatment contact), it ends by agreement at 46 "mutually agreed completion of
 * treatment"; not taken on, at 13 "referred to another therapy service by mutual agreement". Either way the
 * new referral's N1/N2 source carries the step.
 */
export function stepChangeEndCode(attendedTreatmentContacts: number): Extract<EndCode, '46' | '13'> {
  return attendedTreatmentContacts > 0 ? '46' : '13';
}

/** Goals in the patient's words, each rated 0–10 at sessions (issue #10 item 2): 0 not at all, 10 fully achieved. */
export const GOAL_RATING_MIN = 0;
export const GOAL_RATING_MAX = 10;
