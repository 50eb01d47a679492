import { daysBetween } from '../domain/dates';
import type { InstrumentDefinition } from './instrumentSchema';
import { ATTENDED_CODES, TREATMENT_TYPES, type Contact, type Episode, type MeasureRecord } from './episodeSchema';
import type { ReliableChange } from './scoring';

export interface PairedScore {
  date: string;
  phq9: number;
  anxiety: number;
}

export interface EpisodeReasons {
  finishedCourse: string;
  waits: string;
  anxietyMeasure: string;
  casenessAtStart: string;
  recovered: string;
  reliablyImproved: string;
  reliablyRecovered: string;
  reliablyDeteriorated: string;
  noReliableChange: string;
}

export interface EpisodeClassification {
  finishedCourse: boolean;
  treatmentContacts: number;
  firstTreatmentDate: string | null;
  secondTreatmentDate: string | null;
  /** Referral received → first attended treatment contact (ref §4). */
  waitDays: number | null;
  within6Weeks: boolean | null;
  within18Weeks: boolean | null;
  anxietyMeasure: string;
  first: PairedScore | null;
  /** Null with fewer than two paired dates: no change can be measured (ref §4: ≥ 2 measurement points). */
  last: PairedScore | null;
  /** Null when there is no paired first score (then not "not at caseness" either). */
  casenessAtStart: boolean | null;
  recovered: boolean;
  reliablyImproved: boolean;
  reliablyRecovered: boolean;
  reliablyDeteriorated: boolean;
  noReliableChange: boolean;
  reasons: EpisodeReasons;
}

export interface EpisodeRules {
  instrument(id: string): InstrumentDefinition;
  adsmFor(descriptor: string | null | undefined): string | null;
  reliableChange(instrumentId: string, first: number, last: number): ReliableChange;
}

const SIX_WEEKS_DAYS = 42; // ref §4, §8: ≤ 42 days
const EIGHTEEN_WEEKS_DAYS = 126; // ref §4, §8: ≤ 126 days

const byContactOrder = (a: Contact, b: Contact) =>
  a.date.localeCompare(b.date) || a.type.localeCompare(b.type) || a.attendance - b.attendance || (a.id ?? '').localeCompare(b.id ?? '');

/** Attended, treatment-based, and not after discharge (ref §4 "Finished a course of treatment", §5.4). */
export function treatmentContactsOf(episode: Episode): Contact[] {
  return episode.contacts
    .filter((c) => ATTENDED_CODES.has(c.attendance) && TREATMENT_TYPES.has(c.type))
    .filter((c) => episode.dischargeDate === undefined || c.date <= episode.dischargeDate)
    .sort(byContactOrder);
}

/** Scores that may count: on or before discharge, and not taken at a follow-up or post-discharge contact. */
function countableMeasures(episode: Episode): MeasureRecord[] {
  const contactById = new Map(episode.contacts.filter((c) => c.id).map((c) => [c.id!, c]));
  return episode.measures.filter((m) => {
    if (episode.dischargeDate !== undefined && m.date > episode.dischargeDate) return false;
    const contact = m.contactId ? contactById.get(m.contactId) : undefined;
    if (contact && (contact.type === 'follow-up' || (episode.dischargeDate !== undefined && contact.date > episode.dischargeDate))) return false;
    return true;
  });
}

/** One score per instrument per date; a same-day duplicate keeps the higher (worse) total, whatever the order given. */
function scoresByDate(measures: MeasureRecord[], instrumentId: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of measures) if (m.instrumentId === instrumentId) out.set(m.date, Math.max(out.get(m.date) ?? -Infinity, m.total));
  return out;
}

function pairs(phq9: Map<string, number>, anxiety: Map<string, number>): PairedScore[] {
  return [...phq9.keys()]
    .filter((d) => anxiety.has(d))
    .sort()
    .map((date) => ({ date, phq9: phq9.get(date)!, anxiety: anxiety.get(date)! }));
}

function caveat(def: InstrumentDefinition, what: 'caseness' | 'reliableChange'): string {
  const v = def[what];
  return v && !v.verified ? ` (${def.title} ${what === 'caseness' ? 'cut-off' : 'reliable-change value'} ${what === 'caseness' ? def.caseness!.threshold : def.reliableChange!.value} is unverified: ${v.source})` : '';
}

export function classify(episode: Episode, rules: EpisodeRules): EpisodeClassification {
  const treatment = treatmentContactsOf(episode);
  const firstTreatmentDate = treatment[0]?.date ?? null;
  const secondTreatmentDate = treatment[1]?.date ?? null;
  const discharged = episode.dischargeDate !== undefined;
  const finishedCourse = discharged && treatment.length >= 2;
  const waitDays = firstTreatmentDate ? daysBetween(episode.referralReceived, firstTreatmentDate) : null;

  const measures = countableMeasures(episode);
  const phq9Def = rules.instrument('phq9');
  const gad7Def = rules.instrument('gad7');
  const phq9 = scoresByDate(measures, 'phq9');
  const adsm = rules.adsmFor(episode.problemDescriptor);
  const adsmPairs = adsm ? pairs(phq9, scoresByDate(measures, adsm)) : [];
  const gadPairs = pairs(phq9, scoresByDate(measures, 'gad7'));

  // ref §2.1: PHQ-9 + the recommended ADSM; if the ADSM has no paired first and last scores, PHQ-9 + GAD-7.
  let anxietyId: string;
  let anxietyReason: string;
  if (!adsm) {
    anxietyId = 'gad7';
    anxietyReason = 'GAD-7: the problem descriptor does not call for an anxiety disorder specific measure (ref §2.1).';
  } else if (adsmPairs.length >= 2 || (adsmPairs.length === 1 && gadPairs.length < 2)) {
    anxietyId = adsm;
    anxietyReason = `${rules.instrument(adsm).title}: the recommended measure for ${episode.problemDescriptor} (ref §2.1).`;
  } else {
    anxietyId = 'gad7';
    anxietyReason = `GAD-7 as fallback: ${rules.instrument(adsm).title} is recommended for ${episode.problemDescriptor} but has ${adsmPairs.length === 0 ? 'no' : 'too few'} dates paired with PHQ-9 (ref §2.1).`;
  }
  const anxietyDef = anxietyId === 'gad7' ? gad7Def : rules.instrument(anxietyId);
  const paired = anxietyId === 'gad7' ? gadPairs : adsmPairs;
  const first = paired[0] ?? null;
  const last = paired.length >= 2 ? paired[paired.length - 1]! : null;

  const phqCut = phq9Def.caseness!.threshold;
  const anxCut = anxietyDef.caseness!.threshold;
  const anxName = anxietyDef.title.split(' (')[0];
  const casenessAtStart = first ? first.phq9 >= phqCut || first.anxiety >= anxCut : null;
  const recovered = casenessAtStart === true && last !== null && last.phq9 < phqCut && last.anxiety < anxCut;
  const phqChange = first && last ? rules.reliableChange('phq9', first.phq9, last.phq9) : 'none';
  const anxChange = first && last ? rules.reliableChange(anxietyId, first.anxiety, last.anxiety) : 'none';
  // ref §4: reliable improvement on at least one measure and no reliable deterioration on the other; and the mirror.
  const reliablyImproved = (phqChange === 'improved' || anxChange === 'improved') && phqChange !== 'deteriorated' && anxChange !== 'deteriorated';
  const reliablyDeteriorated = (phqChange === 'deteriorated' || anxChange === 'deteriorated') && phqChange !== 'improved' && anxChange !== 'improved';
  const reliablyRecovered = recovered && reliablyImproved; // ref §4: Recovery AND ReliableImprovement (NHSE SQL)
  const noReliableChange = !reliablyImproved && !reliablyDeteriorated;

  const casenessCaveat = caveat(anxietyDef, 'caseness');
  const changeCaveat = caveat(anxietyDef, 'reliableChange');
  const scores = (p: PairedScore) => `PHQ-9 ${p.phq9}, ${anxName} ${p.anxiety} on ${p.date}`;
  const change = `PHQ-9 ${phqChange === 'none' ? 'no reliable change' : `reliably ${phqChange}`}, ${anxName} ${anxChange === 'none' ? 'no reliable change' : `reliably ${anxChange}`}`;
  const noChangeYet = first ? 'only one paired date, so no change can be measured' : 'no dates with both PHQ-9 and the anxiety measure';

  const reasons: EpisodeReasons = {
    finishedCourse: finishedCourse
      ? `Discharged on ${episode.dischargeDate} after ${treatment.length} attended treatment contacts (ref §4: ≥ 2).`
      : discharged
        ? `Discharged with ${treatment.length} attended treatment contact${treatment.length === 1 ? '' : 's'}; a finished course needs at least 2 (ref §4).`
        : `Not discharged yet (${treatment.length} attended treatment contact${treatment.length === 1 ? '' : 's'} so far).`,
    waits:
      waitDays === null
        ? 'No attended treatment contact, so no wait to first treatment.'
        : `${waitDays} days from referral (${episode.referralReceived}) to first treatment (${firstTreatmentDate}); 6 weeks = 42 days, 18 weeks = 126 days (ref §4).`,
    anxietyMeasure: anxietyReason,
    casenessAtStart: first
      ? `${casenessAtStart ? 'At' : 'Not at'} caseness at the first paired score: ${scores(first)} (cut-offs PHQ-9 ≥ ${phqCut}, ${anxName} ≥ ${anxCut}; ref §4)${casenessCaveat}.`
      : `Unknown: ${noChangeYet}.`,
    recovered: recovered
      ? `Recovered: at caseness at the start and below both cut-offs at the last paired score (${scores(last!)}; ref §4)${casenessCaveat}.`
      : casenessAtStart === false
        ? 'Not counted for recovery: not at caseness at the start (ref §4).'
        : !last
          ? `Not recovered: ${noChangeYet}.`
          : `Not recovered: at the last paired score (${scores(last)}) at least one measure is at or above its cut-off${casenessCaveat}.`,
    reliablyImproved: last
      ? `${reliablyImproved ? 'Reliably improved' : 'Not reliably improved'}: ${change} (PHQ-9 ≥ ${phq9Def.reliableChange!.value}, ${anxName} ≥ ${anxietyDef.reliableChange!.value}; ref §4)${changeCaveat}.`
      : `Not reliably improved: ${noChangeYet}.`,
    reliablyRecovered: reliablyRecovered ? 'Reliably recovered: recovered and reliably improved (ref §4).' : `Not reliably recovered: ${!recovered ? 'not recovered' : 'not reliably improved'} (ref §4).`,
    reliablyDeteriorated: last
      ? `${reliablyDeteriorated ? 'Reliably deteriorated' : 'Not reliably deteriorated'}: ${change} (ref §4)${changeCaveat}.`
      : `Not reliably deteriorated: ${noChangeYet}.`,
    noReliableChange: noReliableChange
      ? last && phqChange !== 'none' && anxChange !== 'none'
        ? `No reliable change overall: mixed change (${change}) counts as neither improvement nor deterioration.`
        : `No reliable change: ${last ? change : noChangeYet}.`
      : 'Reliable change was measured (see above).',
  };

  return {
    finishedCourse,
    treatmentContacts: treatment.length,
    firstTreatmentDate,
    secondTreatmentDate,
    waitDays,
    within6Weeks: waitDays === null ? null : waitDays <= SIX_WEEKS_DAYS,
    within18Weeks: waitDays === null ? null : waitDays <= EIGHTEEN_WEEKS_DAYS,
    anxietyMeasure: anxietyId,
    first,
    last,
    casenessAtStart,
    recovered,
    reliablyImproved,
    reliablyRecovered,
    reliablyDeteriorated,
    noReliableChange,
    reasons,
  };
}
