import { daysBetween } from '../domain/dates';
import type { EpisodeClassification } from './episode';
import type { Episode, Period } from './episodeSchema';

export interface Rate {
  count: number;
  denominator: number;
  /** count ÷ denominator, or null when the denominator is 0 (then `reason` says why). */
  rate: number | null;
  reason?: string;
}

/** An episode left out of a report because it is malformed, with the fields at fault. */
export interface ExcludedEpisode {
  index: number;
  id?: string;
  reasons: string[];
}

export interface DataQuality {
  /** Malformed episodes: excluded from every figure. */
  excluded: ExcludedEpisode[];
  excludedCount: number;
  /** Episodes that count but carry data-quality warnings (e.g. a contact outside the referral window). */
  warnings: { index: number; id?: string; warnings: string[] }[];
}

export interface ProgrammeRates {
  period: Period;
  /** Referrals discharged in the period having finished a course of treatment (ref §4). */
  finished: number;
  notAtCaseness: number;
  recovery: Rate;
  reliableRecovery: Rate;
  reliableImprovement: Rate;
  reliableDeterioration: Rate;
  startedWithin6Weeks: Rate;
  startedWithin18Weeks: Rate;
  firstToSecondOver90Days: Rate;
  dataQuality: DataQuality;
}

const rate = (count: number, denominator: number, empty = 'no referrals in the denominator for this period'): Rate =>
  denominator === 0 ? { count, denominator, rate: null, reason: empty } : { count, denominator, rate: count / denominator };
const inPeriod = (date: string | null | undefined, p: Period) => !!date && date >= p.start && date <= p.end;

/**
 * Programme rates with NHSE's denominators (ref §4, "Denominators"):
 * - recovery and reliable recovery: finished − finished not at caseness at the start;
 * - reliable improvement and deterioration: all finished;
 * - waits: finished in the period, first attended treatment ≤ 42 / ≤ 126 days from referral;
 * - 1st → 2nd treatment > 90 days: referrals whose second treatment falls in the period (CDP_B03).
 */
export function programmeRatesOf(items: { index: number; episode: Episode; result: EpisodeClassification }[], excluded: ExcludedEpisode[], period: Period): ProgrammeRates {
  const finished = items.filter(({ episode, result }) => result.finishedCourse && inPeriod(episode.dischargeDate, period)).map((i) => i.result);
  const notAtCaseness = finished.filter((r) => r.casenessAtStart === false).length;
  const recoveryDenominator = finished.length - notAtCaseness;
  const waited = finished.filter((r) => r.waitDays !== null);
  const secondInPeriod = items.map((i) => i.result).filter((r) => inPeriod(r.secondTreatmentDate, period));
  return {
    period,
    finished: finished.length,
    notAtCaseness,
    recovery: rate(finished.filter((r) => r.recovered).length, recoveryDenominator),
    reliableRecovery: rate(finished.filter((r) => r.reliablyRecovered).length, recoveryDenominator),
    reliableImprovement: rate(finished.filter((r) => r.reliablyImproved).length, finished.length),
    reliableDeterioration: rate(finished.filter((r) => r.reliablyDeteriorated).length, finished.length),
    startedWithin6Weeks: rate(waited.filter((r) => r.within6Weeks).length, waited.length),
    startedWithin18Weeks: rate(waited.filter((r) => r.within18Weeks).length, waited.length),
    firstToSecondOver90Days: rate(secondInPeriod.filter((r) => daysBetween(r.firstTreatmentDate!, r.secondTreatmentDate!) > 90).length, secondInPeriod.length),
    dataQuality: {
      excluded,
      excludedCount: excluded.length,
      warnings: items
        .filter((i) => i.result.dataQuality.length > 0)
        .map((i) => ({ index: i.index, ...(i.episode.id !== undefined ? { id: i.episode.id } : {}), warnings: i.result.dataQuality })),
    },
  };
}
