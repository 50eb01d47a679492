import { daysBetween } from '../domain/dates';
import type { InstrumentDefinition } from './instrumentSchema';
import { ATTENDED_CODES, contactWindow, TREATMENT_TYPES, type Contact, type Episode, type MeasureRecord } from './episodeSchema';
import { meets, showCut, type ReliableChange } from './scoring';

/** One instrument's score on a date. */
export interface ScoreAt {
  date: string;
  total: number;
}

/**
 * One instrument's first and last scores in the referral, taken on their own (ref §4 "Paired scores"): one score
 * per date (two on a date: the later contact wins), `first` on the earliest date, `last` on the latest.
 */
export interface InstrumentScores {
  instrumentId: string;
  /** Dates with a countable score. */
  count: number;
  /** Null with no score. */
  first: ScoreAt | null;
  /** Null with fewer than two dates: no change can be measured (ref §4: ≥ 2 measurement points). */
  last: ScoreAt | null;
}

/** WSAS, PHQ-15, DDS-17, IBS-SSS: reported beside recovery, never part of it (ref §2.2 notes, §3, §8). */
export interface SupplementaryScores extends InstrumentScores {
  /** Null where the measure has no caseness, or none for this referral (PHQ-15 outside MUS), or no score. */
  casenessFirst: boolean | null;
  casenessLast: boolean | null;
  note: string;
}

export interface EpisodeReasons {
  finishedCourse: string;
  waits: string;
  anxietyMeasure: string;
  pairedScores: string;
  casenessAtStart: string;
  recovered: string;
  reliablyImproved: string;
  reliablyRecovered: string;
  reliablyDeteriorated: string;
  noReliableChange: string;
}

export interface EpisodeClassification {
  finishedCourse: boolean;
  /** Attended treatment contacts from referral to discharge, both inclusive (ref §4). */
  treatmentContacts: number;
  firstTreatmentDate: string | null;
  secondTreatmentDate: string | null;
  /** Referral received → first attended treatment contact (ref §4). */
  waitDays: number | null;
  within6Weeks: boolean | null;
  within18Weeks: boolean | null;
  /** The anxiety measure used for outcomes: the ADSM, or GAD-7 (ref §2.1). */
  anxietyMeasure: string;
  phq9: InstrumentScores;
  anxiety: InstrumentScores;
  /** Two or more PHQ-9 scores and two or more of the anxiety measure (ref §4 "Paired scores"). */
  pairedScores: boolean;
  /** Null without paired scores (then not "not at caseness" either). */
  casenessAtStart: boolean | null;
  recovered: boolean;
  reliablyImproved: boolean;
  reliablyRecovered: boolean;
  reliablyDeteriorated: boolean;
  noReliableChange: boolean;
  supplementary: SupplementaryScores[];
  reasons: EpisodeReasons;
  /** Warnings about the data, not errors: e.g. a contact outside the referral window, ignored by the counts. */
  dataQuality: string[];
}

export interface EpisodeRules {
  instrument(id: string): InstrumentDefinition;
  adsmFor(descriptor: string | null | undefined): string | null;
  isMus(descriptor: string | null | undefined): boolean;
  reliableChange(instrumentId: string, first: number, last: number): ReliableChange;
}

const SIX_WEEKS_DAYS = 42; // ref §4, §8: ≤ 42 days
const EIGHTEEN_WEEKS_DAYS = 126; // ref §4, §8: ≤ 126 days
/** ref §2.2 notes, §3, §8: recorded and reported, never in recovery. */
export const SUPPLEMENTARY_MEASURES = ['wsas', 'phq15', 'dds17', 'ibs-sss'] as const;

/** Contact order: date, then start time (none first), then id; type and attendance only make the sort total. */
export const byContactOrder = (a: Contact, b: Contact): number =>
  a.date.localeCompare(b.date) ||
  (a.time ?? '').localeCompare(b.time ?? '') ||
  (a.id ?? '').localeCompare(b.id ?? '') ||
  a.type.localeCompare(b.type) ||
  a.attendance - b.attendance;

/** Contacts on or after the referral and on or before discharge, in contact order (ref §4). */
export function contactsInWindow(episode: Episode): Contact[] {
  return episode.contacts.filter((c) => contactWindow(c, episode) === 'in').sort(byContactOrder);
}

/** Attended, treatment-based, inside the referral window (ref §4 "Finished a course of treatment", §5.4). */
export function treatmentContactsOf(episode: Episode): Contact[] {
  return contactsInWindow(episode).filter((c) => ATTENDED_CODES.has(c.attendance) && TREATMENT_TYPES.has(c.type));
}

interface Counted {
  measures: MeasureRecord[];
  warnings: string[];
}

/** Scores that may count: inside the referral window and not taken at a follow-up or out-of-window contact. */
function countableMeasures(episode: Episode): Counted {
  const contactById = new Map(episode.contacts.filter((c) => c.id).map((c) => [c.id!, c]));
  const warnings: string[] = [];
  const measures = episode.measures.filter((m) => {
    if (m.date < episode.referralReceived) {
      warnings.push(`A ${m.instrumentId} score dated ${m.date} is before the referral was received (${episode.referralReceived}); it is not counted.`);
      return false;
    }
    if (episode.dischargeDate !== undefined && m.date > episode.dischargeDate) return false;
    const contact = m.contactId ? contactById.get(m.contactId) : undefined;
    if (contact && (contact.type === 'follow-up' || contactWindow(contact, episode) !== 'in')) return false;
    return true;
  });
  return { measures, warnings: warnings.sort() };
}

/**
 * One score per date, in date order. Two on one date: the later contact wins — by contact time, then contact id
 * (issue #7); a score with no contact comes first, and with nothing else to tell two apart the higher total wins,
 * so the result never depends on the order the data arrives in.
 */
function scoresOf(measures: MeasureRecord[], instrumentId: string, contactById: Map<string, Contact>): ScoreAt[] {
  const key = (m: MeasureRecord) => {
    const c = m.contactId ? contactById.get(m.contactId) : undefined;
    return [c?.time ?? '', c?.id ?? ''] as const;
  };
  const ordered = measures
    .filter((m) => m.instrumentId === instrumentId)
    .sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      return a.date.localeCompare(b.date) || ka[0].localeCompare(kb[0]) || ka[1].localeCompare(kb[1]) || a.total - b.total;
    });
  const byDate = new Map<string, number>();
  for (const m of ordered) byDate.set(m.date, m.total);
  return [...byDate.entries()].map(([date, total]) => ({ date, total }));
}

function summarise(instrumentId: string, scores: ScoreAt[]): InstrumentScores {
  return { instrumentId, count: scores.length, first: scores[0] ?? null, last: scores.length >= 2 ? scores[scores.length - 1]! : null };
}

function caveat(def: InstrumentDefinition, what: 'caseness' | 'reliableChange'): string {
  const v = def[what];
  if (!v || v.verified) return '';
  const value = what === 'caseness' ? def.caseness!.threshold : def.reliableChange!.value;
  return ` (${def.title} ${what === 'caseness' ? 'cut-off' : 'reliable-change value'} ${value} is unverified: ${v.source})`;
}

const shortName = (def: InstrumentDefinition) => def.title.split(' (')[0]!;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function classify(episode: Episode, rules: EpisodeRules): EpisodeClassification {
  const dataQuality: string[] = [];
  for (const c of [...episode.contacts].sort(byContactOrder)) {
    const where = contactWindow(c, episode);
    if (where === 'in' || where === 'follow-up') continue; // the wording below is for the others only
    const what = `A ${c.type} contact on ${c.date}${c.id ? ` (${c.id})` : ''}`;
    // ref §4: outside the window a contact is ignored by the count, not an error.
    if (where === 'before-referral') dataQuality.push(`${what} is before the referral was received (${episode.referralReceived}); it is not counted (ref §4).`);
    if (where === 'after-discharge') dataQuality.push(`${what} is after the discharge (${episode.dischargeDate}); it is not counted (ref §4).`);
  }

  const treatment = treatmentContactsOf(episode);
  const firstTreatmentDate = treatment[0]?.date ?? null;
  const secondTreatmentDate = treatment[1]?.date ?? null;
  const discharged = episode.dischargeDate !== undefined;
  const finishedCourse = discharged && treatment.length >= 2;
  const waitDays = firstTreatmentDate ? daysBetween(episode.referralReceived, firstTreatmentDate) : null;

  const counted = countableMeasures(episode);
  dataQuality.push(...counted.warnings);
  const contactById = new Map(episode.contacts.filter((c) => c.id).map((c) => [c.id!, c]));
  const scores = (id: string) => summarise(id, scoresOf(counted.measures, id, contactById));

  const phq9Def = rules.instrument('phq9');
  const phq9 = scores('phq9');
  const adsm = rules.adsmFor(episode.problemDescriptor);
  const adsmScores = adsm ? scores(adsm) : null;
  const gad7 = scores('gad7');

  // ref §2.1, §8: PHQ-9 + the recommended ADSM; with fewer than two ADSM scores, PHQ-9 + GAD-7.
  let anxiety: InstrumentScores;
  let anxietyReason: string;
  if (!adsm || !adsmScores) {
    anxiety = gad7;
    anxietyReason = 'GAD-7: the problem descriptor does not call for an anxiety disorder specific measure (ref §2.1).';
  } else if (adsmScores.count >= 2) {
    anxiety = adsmScores;
    anxietyReason = `${rules.instrument(adsm).title}: the recommended measure for ${episode.problemDescriptor}, with ${plural(adsmScores.count, 'score')} (ref §2.1).`;
  } else {
    anxiety = gad7;
    anxietyReason =
      `GAD-7 as fallback: ${rules.instrument(adsm).title} is recommended for ${episode.problemDescriptor} but has ${adsmScores.count === 0 ? 'no scores' : 'only one score'}, ` +
      `and outcomes need at least two (ref §2.1, §4)${gad7.count < 2 ? `; GAD-7 has ${gad7.count === 0 ? 'none' : 'only one'} either` : ''}.`;
  }
  const anxietyDef = rules.instrument(anxiety.instrumentId);
  const pairedScores = phq9.count >= 2 && anxiety.count >= 2;

  const phqCase = phq9Def.caseness!;
  const anxCase = anxietyDef.caseness!;
  const anxName = shortName(anxietyDef);
  const atCase = (def: InstrumentDefinition, total: number) => meets(total, def.caseness!.operator, def.caseness!.threshold);

  const casenessAtStart = pairedScores ? atCase(phq9Def, phq9.first!.total) || atCase(anxietyDef, anxiety.first!.total) : null;
  const recovered = casenessAtStart === true && !atCase(phq9Def, phq9.last!.total) && !atCase(anxietyDef, anxiety.last!.total);
  const phqChange: ReliableChange = pairedScores ? rules.reliableChange('phq9', phq9.first!.total, phq9.last!.total) : 'none';
  const anxChange: ReliableChange = pairedScores ? rules.reliableChange(anxiety.instrumentId, anxiety.first!.total, anxiety.last!.total) : 'none';
  // ref §4: reliable improvement on at least one measure and no reliable deterioration on the other; and the mirror.
  const reliablyImproved = (phqChange === 'improved' || anxChange === 'improved') && phqChange !== 'deteriorated' && anxChange !== 'deteriorated';
  const reliablyDeteriorated = (phqChange === 'deteriorated' || anxChange === 'deteriorated') && phqChange !== 'improved' && anxChange !== 'improved';
  const reliablyRecovered = recovered && reliablyImproved; // ref §4: Recovery AND ReliableImprovement (NHSE SQL)
  const noReliableChange = !reliablyImproved && !reliablyDeteriorated;

  // The reasons are words for a person (episode screen, supervision flags, letters), never read by the figures:
  // a report classifies tens of thousands of episodes, so they are put together on first reading, once.
  const wordReasons = (): EpisodeReasons => {
    const casenessCaveat = caveat(anxietyDef, 'caseness');
    const changeCaveat = caveat(anxietyDef, 'reliableChange');
    const cuts = `PHQ-9 ${showCut(phqCase.operator, phqCase.threshold)}, ${anxName} ${showCut(anxCase.operator, anxCase.threshold)}`;
    const at = (which: 'first' | 'last') => `PHQ-9 ${phq9[which]!.total} on ${phq9[which]!.date}, ${anxName} ${anxiety[which]!.total} on ${anxiety[which]!.date}`;
    const changeText = `PHQ-9 ${phqChange === 'none' ? 'no reliable change' : `reliably ${phqChange}`}, ${anxName} ${anxChange === 'none' ? 'no reliable change' : `reliably ${anxChange}`}`;
    const rcText = (def: InstrumentDefinition) => `${shortName(def)} change ${showCut(def.reliableChange!.operator, def.reliableChange!.value)}`;
    const notPaired = `no paired scores: PHQ-9 has ${plural(phq9.count, 'score')} and ${anxName} ${plural(anxiety.count, 'score')}; each needs at least two (ref §4)`;

    return {
      finishedCourse: finishedCourse
        ? `Discharged on ${episode.dischargeDate} after ${treatment.length} attended treatment contacts between referral and discharge (ref §4: ≥ 2).`
        : discharged
          ? `Discharged with ${plural(treatment.length, 'attended treatment contact')}; a finished course needs at least 2 (ref §4).`
          : `Not discharged yet (${plural(treatment.length, 'attended treatment contact')} so far).`,
      waits:
        waitDays === null
          ? 'No attended treatment contact, so no wait to first treatment.'
          : `${waitDays} days from referral (${episode.referralReceived}) to first treatment (${firstTreatmentDate}); 6 weeks = 42 days, 18 weeks = 126 days (ref §4).`,
      anxietyMeasure: anxietyReason,
      pairedScores: pairedScores
        ? `Paired scores: first and last taken per instrument — ${at('first')}; then ${at('last')} (ref §4).`
        : `No paired scores: ${notPaired.slice('no paired scores: '.length)}.`,
      casenessAtStart: pairedScores
        ? `${casenessAtStart ? 'At' : 'Not at'} caseness at the start: ${at('first')} (cut-offs ${cuts}; ref §2.2, §4)${casenessCaveat}.`
        : `Unknown: ${notPaired}.`,
      recovered: recovered
        ? `Recovered: at caseness at the start and below both cut-offs at the last scores (${at('last')}; ${cuts}; ref §4)${casenessCaveat}.`
        : casenessAtStart === false
          ? 'Not counted for recovery: not at caseness at the start (ref §4).'
          : !pairedScores
            ? `Not recovered: ${notPaired}.`
            : `Not recovered: at the last scores (${at('last')}) at least one measure meets its cut-off (${cuts})${casenessCaveat}.`,
      reliablyImproved: pairedScores
        ? `${reliablyImproved ? 'Reliably improved' : 'Not reliably improved'}: ${changeText} (reliable: ${rcText(phq9Def)}, ${rcText(anxietyDef)}; ref §2.2, §4)${changeCaveat}.`
        : `Not reliably improved: ${notPaired}.`,
      reliablyRecovered: reliablyRecovered ? 'Reliably recovered: recovered and reliably improved (ref §4).' : `Not reliably recovered: ${!recovered ? 'not recovered' : 'not reliably improved'} (ref §4).`,
      reliablyDeteriorated: pairedScores
        ? `${reliablyDeteriorated ? 'Reliably deteriorated' : 'Not reliably deteriorated'}: ${changeText} (ref §4)${changeCaveat}.`
        : `Not reliably deteriorated: ${notPaired}.`,
      noReliableChange: noReliableChange
        ? pairedScores && phqChange !== 'none' && anxChange !== 'none'
          ? `No reliable change overall: mixed change (${changeText}) counts as neither improvement nor deterioration.`
          : `No reliable change: ${pairedScores ? changeText : notPaired}.`
        : 'Reliable change was measured (see above).',
    };
  };
  let reasons: EpisodeReasons | undefined;

  const mus = rules.isMus(episode.problemDescriptor);
  const supplementary = SUPPLEMENTARY_MEASURES.flatMap((id): SupplementaryScores[] => {
    const s = scores(id);
    if (s.count === 0) return [];
    const def = rules.instrument(id);
    const rule = def.caseness && (def.caseness.when === 'always' || mus) ? def.caseness : null;
    const caseAt = (score: ScoreAt | null) => (rule && score ? meets(score.total, rule.operator, rule.threshold) : null);
    const note = rule
      ? `${shortName(def)} caseness ${showCut(rule.operator, rule.threshold)} (ref §2.2 notes); supplementary, not part of recovery.`
      : def.caseness
        ? `${shortName(def)} caseness applies only to a medically unexplained symptoms descriptor (ref §2.2 notes); supplementary, not part of recovery.`
        : `${shortName(def)} has no programme caseness; supplementary, not part of recovery (ref §1, §3).`;
    return [{ ...s, casenessFirst: caseAt(s.first), casenessLast: caseAt(s.last), note }];
  });

  return {
    finishedCourse,
    treatmentContacts: treatment.length,
    firstTreatmentDate,
    secondTreatmentDate,
    waitDays,
    within6Weeks: waitDays === null ? null : waitDays <= SIX_WEEKS_DAYS,
    within18Weeks: waitDays === null ? null : waitDays <= EIGHTEEN_WEEKS_DAYS,
    anxietyMeasure: anxiety.instrumentId,
    phq9,
    anxiety,
    pairedScores,
    casenessAtStart,
    recovered,
    reliablyImproved,
    reliablyRecovered,
    reliablyDeteriorated,
    noReliableChange,
    supplementary,
    get reasons() {
      return (reasons ??= wordReasons());
    },
    dataQuality,
  };
}
