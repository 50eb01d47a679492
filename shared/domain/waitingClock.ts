import { addDays, daysBetween } from './dates';

/** ref §4, §8: the waiting standards are 6 weeks (42 days) and 18 weeks (126 days) to first treatment. */
export const SIX_WEEKS_DAYS = 42;
export const EIGHTEEN_WEEKS_DAYS = 126;

/** A patient-initiated break in waiting (ref §5.1 IDS108); an open pause has no end date yet. */
export interface PauseSpan {
  startDate: string;
  endDate: string | null;
}

export interface WaitingClock {
  /** Days from referral to first attended treatment, or to today while still waiting; pauses are NOT subtracted. */
  waitedDays: number;
  waiting: boolean;
  sixWeeksOn: string;
  eighteenWeeksOn: string;
  /** Days inside patient-initiated pauses within the wait, shown beside it and reported separately (IDS108). */
  pausedDays: number;
  openPause: boolean;
}

/**
 * The waiting clock of one referral: it runs from the referral's receipt to the first attended treatment (ref §4
 * "Wait measurement"). Patient-initiated pauses are counted and shown next to the wait, never taken off it: the
 * national wait measure has no pause rule in the reference, so the clock stays the one the figures use.
 */
export function waitingClock(receivedDate: string, firstTreatmentDate: string | null, today: string, pauses: readonly PauseSpan[]): WaitingClock {
  const until = firstTreatmentDate ?? today;
  return {
    waitedDays: daysBetween(receivedDate, until),
    waiting: firstTreatmentDate === null,
    sixWeeksOn: addDays(receivedDate, SIX_WEEKS_DAYS),
    eighteenWeeksOn: addDays(receivedDate, EIGHTEEN_WEEKS_DAYS),
    pausedDays: pausedDaysWithin(pauses, receivedDate, until),
    openPause: pauses.some((p) => p.endDate === null),
  };
}

/** Days of the pauses inside [from, until): a pause is counted from its start to its end date (the day waiting resumes). */
export function pausedDaysWithin(pauses: readonly PauseSpan[], from: string, until: string): number {
  let days = 0;
  for (const p of pauses) {
    const start = p.startDate > from ? p.startDate : from;
    const endOrNow = p.endDate ?? until;
    const end = endOrNow < until ? endOrNow : until;
    if (end > start) days += daysBetween(start, end);
  }
  return days;
}

/** Two pauses of one referral may not overlap; an open pause runs on without end. */
export function pausesOverlap(a: PauseSpan, b: PauseSpan): boolean {
  const aEnd = a.endDate ?? '9999-12-31';
  const bEnd = b.endDate ?? '9999-12-31';
  return a.startDate < bEnd && b.startDate < aEnd;
}

export interface PauseSummary {
  /** Referrals whose first attended treatment fell in the period: the cohort the entered-treatment waits count. */
  enteredTreatment: number;
  /** Of those, the ones with a patient-initiated pause during their wait. */
  withPause: number;
  /** Paused days inside those waits, in total and the median per paused referral; null when none paused. */
  pausedDays: number;
  medianPausedDays: number | null;
}

/**
 * Pauses reported beside the waits of the referrals entering treatment (IDS108): how many paused and for how long.
 * The waits themselves are the programme's, unchanged (ref §4).
 */
export function pauseSummary(entered: readonly { receivedDate: string; firstTreatmentDate: string; pauses: readonly PauseSpan[] }[]): PauseSummary {
  const paused = entered.map((e) => pausedDaysWithin(e.pauses, e.receivedDate, e.firstTreatmentDate)).filter((d) => d > 0).sort((a, b) => a - b);
  const mid = paused.length / 2;
  return {
    enteredTreatment: entered.length,
    withPause: paused.length,
    pausedDays: paused.reduce((a, b) => a + b, 0),
    medianPausedDays: paused.length === 0 ? null : paused.length % 2 ? paused[Math.floor(mid)]! : (paused[mid - 1]! + paused[mid]!) / 2,
  };
}
