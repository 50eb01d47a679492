import type { Classification } from '../../../../shared/contract/referrals';

/**
 * The engine's classification in plain words for the screen. Every judgement here is a flag `classifyEpisode`
 * set; this only chooses the words ("so far" while the episode is open).
 */
export interface OutcomeWord {
  text: string;
  tone: 'good' | 'bad' | 'neutral';
}

export function outcomeWords(c: Classification, discharged: boolean): OutcomeWord[] {
  const soFar = discharged ? '' : ' so far';
  const words: OutcomeWord[] = [];
  words.push(
    c.casenessAtStart === null
      ? { text: 'Caseness at the start not known yet', tone: 'neutral' }
      : { text: c.casenessAtStart ? 'At caseness at the start' : 'Not at caseness at the start', tone: 'neutral' },
  );
  if (c.casenessAtStart) words.push(c.recovered ? { text: `Recovered${soFar}`, tone: 'good' } : { text: `Not recovered${soFar}`, tone: 'bad' });
  if (c.reliablyImproved) words.push({ text: `Reliably improved${soFar}`, tone: 'good' });
  if (c.reliablyDeteriorated) words.push({ text: `Reliably deteriorated${soFar}`, tone: 'bad' });
  if (c.noReliableChange && c.pairedScores) words.push({ text: `No reliable change${soFar}`, tone: 'neutral' });
  if (c.reliablyRecovered) words.push({ text: 'Reliably recovered', tone: 'good' });
  if (discharged) words.push({ text: c.finishedCourse ? 'Finished a course of treatment' : 'Did not finish a course of treatment', tone: 'neutral' });
  if (c.waitDays !== null) {
    const band = c.within6Weeks ? 'within 6 weeks' : c.within18Weeks ? 'within 18 weeks' : 'over 18 weeks';
    words.push({ text: `${c.waitDays} days to first treatment (${band})`, tone: c.within6Weeks ? 'neutral' : 'bad' });
  }
  return words;
}

export const REASON_ORDER: { key: string; label: string }[] = [
  { key: 'casenessAtStart', label: 'Caseness at the start' },
  { key: 'recovered', label: 'Recovery' },
  { key: 'reliablyImproved', label: 'Reliable improvement' },
  { key: 'reliablyDeteriorated', label: 'Reliable deterioration' },
  { key: 'reliablyRecovered', label: 'Reliable recovery' },
  { key: 'finishedCourse', label: 'Course of treatment' },
  { key: 'waits', label: 'Waits' },
  { key: 'anxietyMeasure', label: 'Anxiety measure' },
  { key: 'pairedScores', label: 'Paired scores' },
];
