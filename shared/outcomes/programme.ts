import { daysBetween } from '../domain/dates';
import { END_CODE_GROUPS, endCodeGroup, REFERRAL_SOURCES, type EndCodeGroup } from './codes';
import { treatmentContactsOf, type EpisodeClassification } from './episode';
import { ATTENDED_CODES, contactWindow, type Episode, type MeasureRecord, type Period } from './episodeSchema';

export interface Rate {
  count: number;
  denominator: number;
  /** count ÷ denominator, or null when the denominator is 0 (then `reason` says why). */
  rate: number | null;
  reason?: string;
}

/** A mean or median of `n` values. */
export interface Average {
  /** Null when there is nothing to average (then `reason` says why). */
  value: number | null;
  n: number;
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

/** Waits from referral to first attended treatment for the referrals entering treatment in the period. */
export interface EnteredTreatmentWaits {
  n: number;
  /** Local figure (not published by NHS England). */
  within14Days: Rate;
  within42Days: Rate;
  /** Local figure (not published by NHS England). */
  within84Days: Rate;
  within126Days: Rate;
  meanDays: Average;
  medianDays: Average;
}

/** First → second attended treatment, for referrals whose second treatment falls in the period (ref §4). */
export interface FirstToSecondWaits {
  n: number;
  within28Days: Rate;
  days29To56: Rate;
  days57To90: Rate;
  over90Days: Rate;
}

/** End codes of the referrals ended in the period (ref §4 "End codes", §5.6). */
export interface EndCodeBreakdown {
  ended: number;
  byCode: Record<string, number>;
  byGroup: Record<EndCodeGroup, number>;
  /** Codes not valid in v2 (e.g. v1.5's 40–45). */
  invalid: number;
}

/** Local figure: mean first and last score of finished courses with two or more scores of the measure. */
export interface FirstLastMeans {
  n: number;
  first: number | null;
  last: number | null;
  reason?: string;
}

export interface ProgrammeRates {
  period: Period;
  /** Referrals received in the period. */
  referralsReceived: number;
  /** First attended treatment in the period (ref §4 "Entered treatment"). */
  enteredTreatment: number;
  /** Referrals discharged in the period. */
  ended: number;
  /** Ended with no attended treatment, of the referrals ended in the period (ref §4 "Ended before treatment"). */
  endedBeforeTreatment: Rate;
  /** Ended with exactly one attended treatment, of the referrals ended in the period (ref §4 "Ended treated once"). */
  endedTreatedOnce: Rate;
  /** Referrals discharged in the period having finished a course of treatment (ref §4). */
  finished: number;
  notAtCaseness: number;
  recovery: Rate;
  reliableRecovery: Rate;
  reliableImprovement: Rate;
  reliableDeterioration: Rate;
  /** Of all finished courses (ref §4 "No reliable change"). */
  noReliableChange: Rate;
  /** Finished cohort: first treatment ≤ 42 days from referral (ref §4 "Wait measurement"). */
  startedWithin6Weeks: Rate;
  /** Finished cohort: ≤ 126 days. */
  startedWithin18Weeks: Rate;
  enteredTreatmentWaits: EnteredTreatmentWaits;
  firstToSecondOver90Days: Rate;
  firstToSecondWaits: FirstToSecondWaits;
  /** Contacts in the period with attendance code 3, of all contacts in the period (ref §4 "DNA rate"). */
  dnaRate: Rate & { referrals: number };
  /** Attended treatment contacts per finished course (ref §4, §6 "mean sessions"). */
  meanTreatmentContacts: Average;
  /** Open at the period end, last attended treatment more than 90 days before it, of the open with a treatment (ref §4). */
  openNoContactOver90Days: Rate;
  /** Received in the period ≤ 365 days after the same patient's earlier referral with ≥ 2 attended contacts ended (ref §4). */
  repeatReferrals: Rate;
  endCodes: EndCodeBreakdown;
  /** Finished referrals whose descriptor calls for an ADSM and whose outcome used it (ref §2.1). */
  adsmCompleteness: Rate;
  /** Local figures: WSAS, DDS-17 and PHQ-15 first and last means for finished courses. */
  supplementaryMeans: { wsas: FirstLastMeans; dds17: FirstLastMeans; phq15: FirstLastMeans };
  dataQuality: DataQuality;
}

/**
 * The version of what `reportEntry` makes. Reports keep entries between runs (electron/services/reports), so a
 * change to classification or to EpisodeFacts must raise it, or kept entries would be read under the new rules;
 * tests/unit/outcomes/reportEntries.test.ts fails on a changed entry until it is raised.
 */
export const REPORT_ENTRY_VERSION = 1;

/** A classification without its worded reasons: what the figures read (the reasons are words for a person). */
export type ReportResult = Omit<EpisodeClassification, 'reasons'>;

/** The referral as the figures see it: every field but its contacts, and of its measures the HbA1c values only (ltcOutcomes.ts). */
export type ReportEpisode = Omit<Episode, 'contacts' | 'measures'> & { measures: MeasureRecord[] };

/**
 * What the period figures read of a referral's contacts (ref §4), found once when it is classified, so that a
 * report over any period needs neither the contacts again nor another classification.
 */
export interface EpisodeFacts {
  /** Dates of the attended treatment contacts in the referral window, in contact order. */
  treatmentDates: string[];
  /** Attended contacts in the window (a repeat referral follows one with two or more, ref §4). */
  attendedInWindow: number;
  /** Contacts that count for the DNA rate — in the window, or a follow-up after discharge — as [date, attendance code]. */
  dnaCounted: [string, number][];
}

/** One valid episode as the report sees it. */
export interface ReportItem {
  index: number;
  episode: ReportEpisode;
  result: ReportResult;
  /** The ADSM its problem descriptor calls for, or null (ref §2.1). */
  adsm: string | null;
  facts: EpisodeFacts;
}

// ref §4 "DNA rate": contacts in the period; a contact outside its referral's window is not counted (a follow-up is).
const countsForDna = (w: ReturnType<typeof contactWindow>) => w === 'in' || w === 'follow-up';

/** The facts of one episode's contacts that the period figures need (see EpisodeFacts). */
export function episodeFacts(e: Episode): EpisodeFacts {
  return {
    treatmentDates: treatmentContactsOf(e).map((c) => c.date),
    attendedInWindow: e.contacts.filter((c) => ATTENDED_CODES.has(c.attendance) && contactWindow(c, e) === 'in').length,
    dnaCounted: e.contacts.filter((c) => countsForDna(contactWindow(c, e))).map((c) => [c.date, c.attendance]),
  };
}

/** The classification as the figures keep it: every field but the worded reasons, which are never computed here. */
export function reportResultOf(c: EpisodeClassification): ReportResult {
  return {
    finishedCourse: c.finishedCourse,
    treatmentContacts: c.treatmentContacts,
    firstTreatmentDate: c.firstTreatmentDate,
    secondTreatmentDate: c.secondTreatmentDate,
    waitDays: c.waitDays,
    within6Weeks: c.within6Weeks,
    within18Weeks: c.within18Weeks,
    anxietyMeasure: c.anxietyMeasure,
    phq9: c.phq9,
    anxiety: c.anxiety,
    pairedScores: c.pairedScores,
    casenessAtStart: c.casenessAtStart,
    recovered: c.recovered,
    reliablyImproved: c.reliablyImproved,
    reliablyRecovered: c.reliablyRecovered,
    reliablyDeteriorated: c.reliablyDeteriorated,
    noReliableChange: c.noReliableChange,
    supplementary: c.supplementary,
    dataQuality: c.dataQuality,
  };
}

/** The referral without its contacts, and with its HbA1c values only (what hba1cChange reads). */
export function reportEpisodeOf(e: Episode): ReportEpisode {
  const { contacts: _contacts, measures, ...rest } = e;
  return { ...rest, measures: measures.filter((m) => m.instrumentId === 'hba1c') };
}

const rate = (count: number, denominator: number, empty = 'no referrals in the denominator for this period'): Rate =>
  denominator === 0 ? { count, denominator, rate: null, reason: empty } : { count, denominator, rate: count / denominator };
const inPeriod = (date: string | null | undefined, p: Period) => !!date && date >= p.start && date <= p.end;
const meanOf = (values: number[], empty: string): Average =>
  values.length === 0 ? { value: null, n: 0, reason: empty } : { value: values.reduce((a, b) => a + b, 0) / values.length, n: values.length };
function medianOf(values: number[], empty: string): Average {
  if (values.length === 0) return { value: null, n: 0, reason: empty };
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return { value: s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, n: s.length };
}

const REPEAT_WINDOW_DAYS = 365; // ref §4 "Repeat referral"
const NO_CONTACT_DAYS = 90; // ref §4 "Open, no contact > 90 days"

/**
 * Referrals received within 365 days of the discharge of the same patient's earlier referral that had two or
 * more attended contacts (ref §4, NHSE PDT 2.14). Without a patientId a referral cannot be matched.
 */
function repeatIndexes(items: readonly ReportItem[]): Set<number> {
  const byPatient = new Map<string, ReportItem[]>();
  for (const i of items) {
    if (i.episode.patientId === undefined) continue;
    const group = byPatient.get(i.episode.patientId);
    if (group) group.push(i);
    else byPatient.set(i.episode.patientId, [i]);
  }
  const repeats = new Set<number>();
  for (const group of byPatient.values()) {
    for (const later of group) {
      const isRepeat = group.some((earlier) => {
        if (earlier === later || earlier.episode.dischargeDate === undefined) return false;
        const gap = daysBetween(earlier.episode.dischargeDate, later.episode.referralReceived);
        return gap >= 0 && gap <= REPEAT_WINDOW_DAYS && earlier.facts.attendedInWindow >= 2;
      });
      if (isRepeat) repeats.add(later.index);
    }
  }
  return repeats;
}

function firstLast(finished: readonly ReportItem[], instrumentId: string): FirstLastMeans {
  const scored = finished.map((i) => i.result.supplementary.find((s) => s.instrumentId === instrumentId)).filter((s) => s !== undefined && s.last !== null);
  if (scored.length === 0) return { n: 0, first: null, last: null, reason: 'no finished course with two or more scores of this measure' };
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { n: scored.length, first: avg(scored.map((s) => s!.first!.total)), last: avg(scored.map((s) => s!.last!.total)) };
}

/**
 * The service figures (ref §4; §2.1 for ADSM completeness), over the given episodes. `repeats` is computed over
 * every episode, so that splitting a report never hides a patient's earlier referral.
 */
function aggregate(items: readonly ReportItem[], repeats: ReadonlySet<number>, excluded: ExcludedEpisode[], period: Period): ProgrammeRates {
  const received = items.filter((i) => inPeriod(i.episode.referralReceived, period));
  const ended = items.filter((i) => inPeriod(i.episode.dischargeDate, period));
  const finishedItems = ended.filter((i) => i.result.finishedCourse);
  const finished = finishedItems.map((i) => i.result);
  const notAtCaseness = finished.filter((r) => r.casenessAtStart === false).length;
  const recoveryDenominator = finished.length - notAtCaseness;
  const waited = finished.filter((r) => r.waitDays !== null);

  const entering = items.filter((i) => inPeriod(i.result.firstTreatmentDate, period)).map((i) => i.result.waitDays!);
  const within = (days: number) => rate(entering.filter((w) => w <= days).length, entering.length, 'no referral entered treatment in the period');

  const secondGaps = items.filter((i) => inPeriod(i.result.secondTreatmentDate, period)).map((i) => daysBetween(i.result.firstTreatmentDate!, i.result.secondTreatmentDate!));
  const band = (lo: number, hi: number) => rate(secondGaps.filter((g) => g >= lo && g <= hi).length, secondGaps.length, 'no second treatment in the period');

  // ref §4 "DNA rate": contacts in the period that count for it (EpisodeFacts.dnaCounted).
  let contactsInPeriod = 0;
  let dnasInPeriod = 0;
  let referralsWithContacts = 0;
  for (const i of items) {
    let any = false;
    for (const [date, attendance] of i.facts.dnaCounted) {
      if (!inPeriod(date, period)) continue;
      any = true;
      contactsInPeriod += 1;
      if (attendance === 3) dnasInPeriod += 1;
    }
    if (any) referralsWithContacts += 1;
  }

  // ref §4 "Open, no contact > 90 days" (NHSE KM 143–160): the last contact is the last attended *treatment* session
  // (TherapySession_LastDate), and the denominator is the open referrals that have had one. A referral still waiting
  // for treatment is not "without contact": counting it would dilute the rate with the waiting list.
  const lastTreatment = (i: ReportItem) => i.facts.treatmentDates.filter((d) => d <= period.end).pop();
  const lastOfOpen = new Map<ReportItem, string>();
  for (const i of items) {
    if (i.episode.referralReceived > period.end || (i.episode.dischargeDate !== undefined && i.episode.dischargeDate <= period.end)) continue;
    const last = lastTreatment(i);
    if (last !== undefined) lastOfOpen.set(i, last);
  }
  const open = [...lastOfOpen.keys()];
  const stale = open.filter((i) => daysBetween(lastOfOpen.get(i)!, period.end) > NO_CONTACT_DAYS);

  const matchable = received.filter((i) => i.episode.patientId !== undefined);

  const byCode: Record<string, number> = {};
  const byGroup = Object.fromEntries(END_CODE_GROUPS.map((g) => [g, 0])) as Record<EndCodeGroup, number>;
  let invalid = 0;
  for (const i of ended) {
    const code = i.episode.endCode!;
    byCode[code] = (byCode[code] ?? 0) + 1;
    const group = endCodeGroup(code);
    if (group) byGroup[group] += 1;
    else invalid += 1;
  }

  const adsmFinished = finishedItems.filter((i) => i.adsm !== null);

  return {
    period,
    referralsReceived: received.length,
    enteredTreatment: entering.length,
    ended: ended.length,
    endedBeforeTreatment: rate(ended.filter((i) => i.result.treatmentContacts === 0).length, ended.length, 'no referral ended in the period'),
    endedTreatedOnce: rate(ended.filter((i) => i.result.treatmentContacts === 1).length, ended.length, 'no referral ended in the period'),
    finished: finished.length,
    notAtCaseness,
    recovery: rate(finished.filter((r) => r.recovered).length, recoveryDenominator, 'no finished course at caseness in the period'),
    reliableRecovery: rate(finished.filter((r) => r.reliablyRecovered).length, recoveryDenominator, 'no finished course at caseness in the period'),
    reliableImprovement: rate(finished.filter((r) => r.reliablyImproved).length, finished.length, 'no finished course in the period'),
    reliableDeterioration: rate(finished.filter((r) => r.reliablyDeteriorated).length, finished.length, 'no finished course in the period'),
    noReliableChange: rate(finished.filter((r) => r.noReliableChange).length, finished.length, 'no finished course in the period'),
    startedWithin6Weeks: rate(waited.filter((r) => r.within6Weeks).length, waited.length, 'no finished course in the period'),
    startedWithin18Weeks: rate(waited.filter((r) => r.within18Weeks).length, waited.length, 'no finished course in the period'),
    enteredTreatmentWaits: {
      n: entering.length,
      within14Days: within(14),
      within42Days: within(42),
      within84Days: within(84),
      within126Days: within(126),
      meanDays: meanOf(entering, 'no referral entered treatment in the period'),
      medianDays: medianOf(entering, 'no referral entered treatment in the period'),
    },
    firstToSecondOver90Days: band(91, Infinity),
    firstToSecondWaits: { n: secondGaps.length, within28Days: band(0, 28), days29To56: band(29, 56), days57To90: band(57, 90), over90Days: band(91, Infinity) },
    dnaRate: { ...rate(dnasInPeriod, contactsInPeriod, 'no contacts in the period'), referrals: referralsWithContacts },
    meanTreatmentContacts: meanOf(finished.map((r) => r.treatmentContacts), 'no finished course in the period'),
    openNoContactOver90Days: rate(stale.length, open.length, 'no referral open at the end of the period with an attended treatment'),
    repeatReferrals: rate(matchable.filter((i) => repeats.has(i.index)).length, matchable.length, 'no referral received in the period with a patient id'),
    endCodes: { ended: ended.length, byCode, byGroup, invalid },
    adsmCompleteness: rate(adsmFinished.filter((i) => i.result.anxietyMeasure === i.adsm).length, adsmFinished.length, 'no finished course with an ADSM problem descriptor'),
    supplementaryMeans: { wsas: firstLast(finishedItems, 'wsas'), dds17: firstLast(finishedItems, 'dds17'), phq15: firstLast(finishedItems, 'phq15') },
    dataQuality: { excluded, excludedCount: excluded.length, warnings: warningsOf(items) },
  };
}

/** The data-quality warnings of the episodes that count, each listed once. */
function warningsOf(items: readonly ReportItem[]): DataQuality['warnings'] {
  return items
    .filter((i) => i.result.dataQuality.length > 0)
    .map((i) => ({ index: i.index, ...(i.episode.id !== undefined ? { id: i.episode.id } : {}), warnings: i.result.dataQuality }));
}

/**
 * Programme rates with NHSE's denominators (ref §4, "Denominators"):
 * - recovery and reliable recovery: finished − finished not at caseness at the start;
 * - reliable improvement, deterioration and no reliable change: all finished;
 * - waits: finished in the period, first attended treatment ≤ 42 / ≤ 126 days from referral;
 * - 1st → 2nd treatment: referrals whose second treatment falls in the period (CDP_B03).
 */
export function programmeRatesOf(items: readonly ReportItem[], excluded: ExcludedEpisode[], period: Period): ProgrammeRates {
  return aggregate(items, repeatIndexes(items), excluded, period);
}

export const DIMENSIONS = ['pathway', 'ltc', 'referralSource', 'clinician', 'step'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const NOT_RECORDED = 'not recorded';

export interface ProgrammeRatesGroup {
  /** The value split on, or 'not recorded'. */
  key: string;
  label: string;
  rates: ProgrammeRates;
}

export interface ProgrammeRatesSplit {
  dimension: Dimension;
  /** Sorted by key, "not recorded" last. With `ltc`, a referral with several conditions is in each of their groups. */
  groups: ProgrammeRatesGroup[];
  /** Malformed episodes cannot be placed in a group: they are listed here, with every counted episode's warnings. */
  dataQuality: DataQuality;
}

const SOURCE_LABEL = new Map<string, string>(REFERRAL_SOURCES.map((s) => [s.code, s.label]));

function keysOf(e: ReportEpisode, dimension: Dimension): string[] {
  switch (dimension) {
    case 'pathway':
      return [e.pathway];
    case 'ltc':
      return e.ltcCodes.length > 0 ? [...new Set(e.ltcCodes)] : [NOT_RECORDED];
    case 'referralSource':
      return [e.referralSource ?? NOT_RECORDED];
    case 'clinician':
      return [e.clinicianId ?? NOT_RECORDED];
    case 'step':
      return [e.step !== undefined ? String(e.step) : NOT_RECORDED];
  }
}

function labelOf(key: string, dimension: Dimension): string {
  if (key === NOT_RECORDED) return 'Not recorded';
  if (dimension === 'pathway') return key === 'integrated-ltc' ? 'Integrated LTC pathway' : 'Core pathway';
  if (dimension === 'referralSource') return `${key} ${SOURCE_LABEL.get(key) ?? ''}`.trim();
  if (dimension === 'step') return `Step ${key}`;
  return key;
}

/** The same figures split by pathway, long-term condition, referral source (ref §5.2), clinician or step. */
export function programmeRatesSplit(items: readonly ReportItem[], excluded: ExcludedEpisode[], period: Period, dimension: Dimension): ProgrammeRatesSplit {
  const repeats = repeatIndexes(items);
  const groups = new Map<string, ReportItem[]>();
  for (const i of items) {
    for (const key of keysOf(i.episode, dimension)) {
      // Appended in place: copying the group on each add is quadratic, minutes for a year of a large service.
      const group = groups.get(key);
      if (group) group.push(i);
      else groups.set(key, [i]);
    }
  }
  const keys = [...groups.keys()].sort((a, b) => (a === NOT_RECORDED ? 1 : b === NOT_RECORDED ? -1 : a.localeCompare(b)));
  return {
    dimension,
    groups: keys.map((key) => ({ key, label: labelOf(key, dimension), rates: aggregate(groups.get(key)!, repeats, [], period) })),
    // Every episode's warnings once, not per group: with 'ltc' an episode sits in several groups.
    dataQuality: { excluded, excludedCount: excluded.length, warnings: warningsOf(items) },
  };
}
