import { END_CODES, END_CODE_GROUPS, END_CODE_GROUP_LABELS } from './codes';
import type { Average, FirstLastMeans, ProgrammeRates, Rate } from './programme';

/** One published (or local) figure, flat, ready for export. */
export interface ProgrammeFigure {
  id: string;
  label: string;
  kind: 'count' | 'rate' | 'mean' | 'median';
  /** The count, the rate (0–1), the mean or the median; null with no denominator, or when suppressed. */
  value: number | null;
  count: number | null;
  denominator: number | null;
  /** How many referrals the figure is from: what suppression looks at. */
  referrals: number;
  /** Its reference row, e.g. "ref §4 Recovery". */
  source: string;
  /** True for figures NHS England does not publish (the ≤ 14 / ≤ 84-day bands, the WSAS/DDS/PHQ-15 means). */
  local: boolean;
  suppressed: boolean;
  note?: string;
}

interface Spec {
  id: string;
  label: string;
  source: string;
  local?: boolean;
  get: (r: ProgrammeRates) => number | Rate | (Average & { kind: 'mean' | 'median' });
}

const avg = (a: Average, kind: 'mean' | 'median') => ({ ...a, kind });
const fl = (id: string, label: string, get: (r: ProgrammeRates) => FirstLastMeans): Spec[] => [
  { id: `${id}First`, label: `Mean first ${label} (finished courses)`, source: 'ref §1, §3 (local)', local: true, get: (r) => avg({ value: get(r).first, n: get(r).n, ...(get(r).reason ? { reason: get(r).reason! } : {}) }, 'mean') },
  { id: `${id}Last`, label: `Mean last ${label} (finished courses)`, source: 'ref §1, §3 (local)', local: true, get: (r) => avg({ value: get(r).last, n: get(r).n, ...(get(r).reason ? { reason: get(r).reason! } : {}) }, 'mean') },
];

/** Every figure and the reference row it comes from (ref §4; §2.1 for ADSM completeness). */
const FIGURES: Spec[] = [
  { id: 'referralsReceived', label: 'Referrals received', source: 'ref §4, §6 (referrals)', get: (r) => r.referralsReceived },
  { id: 'enteredTreatment', label: 'Entered treatment', source: 'ref §4 Entered treatment', get: (r) => r.enteredTreatment },
  { id: 'ended', label: 'Referrals ended', source: 'ref §4 Cohort (discharge in period)', get: (r) => r.ended },
  { id: 'endedBeforeTreatment', label: 'Ended before treatment', source: 'ref §4 Ended before treatment', get: (r) => r.endedBeforeTreatment },
  { id: 'endedTreatedOnce', label: 'Ended treated once', source: 'ref §4 Ended treated once', get: (r) => r.endedTreatedOnce },
  { id: 'finished', label: 'Finished a course of treatment', source: 'ref §4 Finished a course of treatment', get: (r) => r.finished },
  { id: 'notAtCaseness', label: 'Finished, not at caseness at the start', source: 'ref §4 Caseness', get: (r) => r.notAtCaseness },
  { id: 'recovery', label: 'Recovery rate', source: 'ref §4 Recovery; Denominators', get: (r) => r.recovery },
  { id: 'reliableRecovery', label: 'Reliable recovery rate', source: 'ref §4 Reliable recovery; Denominators', get: (r) => r.reliableRecovery },
  { id: 'reliableImprovement', label: 'Reliable improvement rate', source: 'ref §4 Reliable improvement; Denominators', get: (r) => r.reliableImprovement },
  { id: 'reliableDeterioration', label: 'Reliable deterioration rate', source: 'ref §4 Reliable deterioration; Denominators', get: (r) => r.reliableDeterioration },
  { id: 'noReliableChange', label: 'No reliable change', source: 'ref §4 No reliable change', get: (r) => r.noReliableChange },
  { id: 'finishedWithin42Days', label: 'Finished courses: first treatment within 6 weeks', source: 'ref §4 Wait measurement', get: (r) => r.startedWithin6Weeks },
  { id: 'finishedWithin126Days', label: 'Finished courses: first treatment within 18 weeks', source: 'ref §4 Wait measurement', get: (r) => r.startedWithin18Weeks },
  { id: 'enteredWithin14Days', label: 'Entered treatment within 14 days', source: 'ref §4 Wait measurement (local band)', local: true, get: (r) => r.enteredTreatmentWaits.within14Days },
  { id: 'enteredWithin42Days', label: 'Entered treatment within 6 weeks', source: 'ref §4 Wait measurement', get: (r) => r.enteredTreatmentWaits.within42Days },
  { id: 'enteredWithin84Days', label: 'Entered treatment within 12 weeks', source: 'ref §4 Wait measurement (local band)', local: true, get: (r) => r.enteredTreatmentWaits.within84Days },
  { id: 'enteredWithin126Days', label: 'Entered treatment within 18 weeks', source: 'ref §4 Wait measurement', get: (r) => r.enteredTreatmentWaits.within126Days },
  { id: 'enteredMeanWaitDays', label: 'Mean days to first treatment (entered treatment)', source: 'ref §4 Wait measurement', get: (r) => avg(r.enteredTreatmentWaits.meanDays, 'mean') },
  { id: 'enteredMedianWaitDays', label: 'Median days to first treatment (entered treatment)', source: 'ref §4 Wait measurement', get: (r) => avg(r.enteredTreatmentWaits.medianDays, 'median') },
  { id: 'firstToSecondWithin28Days', label: 'First to second treatment: 28 days or fewer', source: 'ref §4 1st→2nd treatment wait', get: (r) => r.firstToSecondWaits.within28Days },
  { id: 'firstToSecond29To56Days', label: 'First to second treatment: 29–56 days', source: 'ref §4 1st→2nd treatment wait', get: (r) => r.firstToSecondWaits.days29To56 },
  { id: 'firstToSecond57To90Days', label: 'First to second treatment: 57–90 days', source: 'ref §4 1st→2nd treatment wait', get: (r) => r.firstToSecondWaits.days57To90 },
  { id: 'firstToSecondOver90Days', label: 'First to second treatment: over 90 days', source: 'ref §4 1st→2nd treatment wait (CDP_B03)', get: (r) => r.firstToSecondWaits.over90Days },
  { id: 'dnaRate', label: 'DNA rate (contacts)', source: 'ref §4 DNA rate', get: (r) => r.dnaRate },
  { id: 'meanTreatmentContacts', label: 'Mean attended treatment contacts per finished course', source: 'ref §4 Finished a course; §6 mean sessions', get: (r) => avg(r.meanTreatmentContacts, 'mean') },
  { id: 'openNoContactOver90Days', label: 'Open referrals with no contact for over 90 days', source: 'ref §4 Open, no contact > 90 days', get: (r) => r.openNoContactOver90Days },
  { id: 'repeatReferrals', label: 'Repeat referrals within 365 days', source: 'ref §4 Repeat referral', get: (r) => r.repeatReferrals },
  { id: 'adsmCompleteness', label: 'ADSM completeness (finished, ADSM descriptor, outcome on the ADSM)', source: 'ref §2.1', get: (r) => r.adsmCompleteness },
  ...fl('wsas', 'WSAS', (r) => r.supplementaryMeans.wsas),
  ...fl('dds17', 'DDS-17', (r) => r.supplementaryMeans.dds17),
  ...fl('phq15', 'PHQ-15', (r) => r.supplementaryMeans.phq15),
];

function toFigure(spec: Spec, r: ProgrammeRates): ProgrammeFigure {
  const v = spec.get(r);
  const common = { id: spec.id, label: spec.label, source: spec.source, local: spec.local ?? false, suppressed: false };
  if (typeof v === 'number') return { ...common, kind: 'count', value: v, count: v, denominator: null, referrals: v };
  if ('denominator' in v) {
    // The DNA rate counts contacts: its referrals are the referrals those contacts belong to.
    const referrals = 'referrals' in v && typeof v.referrals === 'number' ? v.referrals : v.denominator;
    return { ...common, kind: 'rate', value: v.rate, count: v.count, denominator: v.denominator, referrals, ...(v.reason ? { note: v.reason } : {}) };
  }
  return { ...common, kind: v.kind, value: v.value, count: null, denominator: null, referrals: v.n, ...(v.reason ? { note: v.reason } : {}) };
}

/**
 * The report as flat figures, each citing its reference row, in a fixed order; then the end-code breakdown (ref §4
 * "End codes", §5.6) by group, by code and invalid codes. With `suppressBelow` (e.g. 5), a figure loses its value,
 * count and denominator (`suppressed: true`) for export when it is from 1 to `suppressBelow − 1` referrals, or when
 * its count is from 1 to `suppressBelow − 1`: a rate of 2 in 40 discloses the 2 as surely as the count does, and
 * NHS England's own dashboards suppress every small count, numerators included. A zero discloses nothing and is kept.
 */
export function programmeFigures(rates: ProgrammeRates, options: { suppressBelow?: number } = {}): ProgrammeFigure[] {
  const endCodes = rates.endCodes;
  const endCodeFigure = (id: string, label: string, n: number): ProgrammeFigure => ({ id, label, kind: 'count', value: n, count: n, denominator: null, referrals: n, source: 'ref §4 End codes, §5.6', local: false, suppressed: false });
  const figures = [
    ...FIGURES.map((spec) => toFigure(spec, rates)),
    ...END_CODE_GROUPS.map((g) => endCodeFigure(`endCodeGroup.${g}`, `End code group: ${END_CODE_GROUP_LABELS[g]}`, endCodes.byGroup[g])),
    ...END_CODES.map((c) => endCodeFigure(`endCode.${c.code}`, `End code ${c.code}: ${c.label}`, endCodes.byCode[c.code] ?? 0)),
    endCodeFigure('endCode.invalid', 'End codes not valid in v2', endCodes.invalid),
  ];
  const limit = options.suppressBelow;
  if (limit === undefined) return figures;
  const small = (n: number | null) => n !== null && n > 0 && n < limit;
  return figures.map((f) =>
    small(f.referrals) || small(f.count)
      ? { ...f, value: null, count: null, denominator: null, suppressed: true, note: small(f.referrals) ? `suppressed: from fewer than ${limit} referrals` : `suppressed: a count below ${limit}` }
      : f,
  );
}
