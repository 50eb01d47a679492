import { describe, expect, it } from 'vitest';
import { classifyEpisode, createOutcomes, measuresDue, OutcomeError, programmeRates, type EpisodeClassification, type EpisodeInput } from '../../../shared/outcomes';

/** Builders for readable cases. Referral on 2026-01-05; dates are ISO. */
type C = NonNullable<EpisodeInput['contacts']>[number];
type M = NonNullable<EpisodeInput['measures']>[number];
const tx = (date: string, attendance = 5, type: C['type'] = 'treatment', id?: string): C => ({ date, type, attendance, ...(id ? { id } : {}) });
const pair = (date: string, phq9: number, anxiety: number, anxietyId = 'gad7', contactId?: string): M[] => [
  { date, instrumentId: 'phq9', total: phq9, ...(contactId ? { contactId } : {}) },
  { date, instrumentId: anxietyId, total: anxiety, ...(contactId ? { contactId } : {}) },
];
/** A finished course: assessment, two treatment contacts, discharged; scores at the two treatment contacts. */
function finished(firstScores: [number, number], lastScores: [number, number], extra: Partial<EpisodeInput> = {}, anxietyId = 'gad7'): EpisodeInput {
  return {
    referralReceived: '2026-01-05',
    problemDescriptor: null,
    pathway: 'core',
    contacts: [tx('2026-01-12', 5, 'assessment'), tx('2026-01-26'), tx('2026-02-23')],
    measures: [...pair('2026-01-26', firstScores[0], firstScores[1], anxietyId), ...pair('2026-02-23', lastScores[0], lastScores[1], anxietyId)],
    dischargeDate: '2026-03-02',
    endCode: '46',
    ...extra,
  };
}

type Flags = Partial<Pick<EpisodeClassification, 'finishedCourse' | 'treatmentContacts' | 'casenessAtStart' | 'recovered' | 'reliablyImproved' | 'reliablyRecovered' | 'reliablyDeteriorated' | 'noReliableChange' | 'anxietyMeasure' | 'waitDays' | 'within6Weeks' | 'within18Weeks' | 'firstTreatmentDate' | 'secondTreatmentDate' | 'pairedScores'>> & {
  phq9?: Partial<EpisodeClassification['phq9']>;
  anxiety?: Partial<EpisodeClassification['anxiety']>;
};
const score = (date: string, instrumentId: string, total: number, contactId?: string): M => ({ date, instrumentId, total, ...(contactId ? { contactId } : {}) });

const CASES: [string, EpisodeInput, Flags][] = [
  // Recovery and reliable change on PHQ-9 + GAD-7 (ref §4, §8)
  ['1 recovered and reliably improved', finished([15, 12], [5, 4]), { finishedCourse: true, casenessAtStart: true, recovered: true, reliablyImproved: true, reliablyRecovered: true, reliablyDeteriorated: false, noReliableChange: false }],
  ['2 caseness on PHQ-9 only; recovers', finished([12, 5], [4, 3]), { casenessAtStart: true, recovered: true, reliablyImproved: true, reliablyRecovered: true }],
  ['3 caseness on GAD-7 only; recovers', finished([8, 10], [7, 5]), { casenessAtStart: true, recovered: true, reliablyImproved: true, reliablyRecovered: true }],
  ['4 not at caseness: no recovery, but reliable improvement still counts', finished([8, 6], [3, 2]), { casenessAtStart: false, recovered: false, reliablyImproved: true, reliablyRecovered: false }],
  ['5 PHQ-9 10 at start is caseness (≥ 10)', finished([10, 7], [9, 7]), { casenessAtStart: true, recovered: true, reliablyImproved: false, reliablyRecovered: false, noReliableChange: true }],
  ['6 PHQ-9 9 and GAD-7 7 at start is not caseness', finished([9, 7], [2, 2]), { casenessAtStart: false, recovered: false }],
  ['7 GAD-7 8 at start is caseness (≥ 8, not 10)', finished([4, 8], [4, 7]), { casenessAtStart: true, recovered: true }],
  ['8 PHQ-9 last exactly 10: not recovered', finished([18, 12], [10, 3]), { recovered: false, reliablyImproved: true, reliablyRecovered: false }],
  ['9 GAD-7 last exactly 8: not recovered', finished([18, 12], [5, 8]), { recovered: false, reliablyImproved: true, reliablyRecovered: false }],
  ['10 PHQ-9 fall of exactly 6 is reliable', finished([16, 5], [10, 5]), { reliablyImproved: true }],
  ['11 PHQ-9 fall of 5 is not reliable', finished([16, 5], [11, 5]), { reliablyImproved: false, noReliableChange: true }],
  ['12 GAD-7 fall of exactly 4 is reliable', finished([5, 12], [5, 8]), { reliablyImproved: true }],
  ['13 GAD-7 fall of 3 is not reliable', finished([5, 12], [5, 9]), { reliablyImproved: false, noReliableChange: true }],
  ['14 PHQ-9 rise of 6: reliable deterioration', finished([8, 5], [14, 6]), { reliablyDeteriorated: true, reliablyImproved: false, noReliableChange: false }],
  ['15 GAD-7 rise of 4: reliable deterioration', finished([12, 8], [12, 12]), { reliablyDeteriorated: true, recovered: false }],
  ['16 mixed change (PHQ-9 better, GAD-7 worse) is neither', finished([16, 8], [10, 12]), { reliablyImproved: false, reliablyDeteriorated: false, noReliableChange: true }],
  ['17 mixed change the other way is neither', finished([8, 15], [14, 10]), { reliablyImproved: false, reliablyDeteriorated: false, noReliableChange: true }],
  ['18 both improve reliably', finished([20, 18], [8, 9]), { reliablyImproved: true, recovered: false, reliablyRecovered: false }],
  ['19 recovered but not reliably improved: not reliably recovered', finished([10, 8], [9, 7]), { recovered: true, reliablyImproved: false, reliablyRecovered: false }],
  ['20 deterioration while not at caseness still counts', finished([3, 2], [9, 7]), { casenessAtStart: false, reliablyDeteriorated: true }],
  // Measurement points: first and last per instrument, each needing ≥ 2 scores (ref §4 "Paired scores")
  ['21 one score of each: no paired scores, caseness unknown, stays finished', { ...finished([15, 12], [5, 4]), measures: pair('2026-01-26', 15, 12) }, { finishedCourse: true, pairedScores: false, casenessAtStart: null, phq9: { count: 1, first: { date: '2026-01-26', total: 15 }, last: null }, recovered: false, reliablyImproved: false, reliablyDeteriorated: false, noReliableChange: true }],
  ['22 PHQ-9 alone: no paired scores, caseness unknown', { ...finished([15, 12], [5, 4]), measures: [score('2026-01-26', 'phq9', 15), score('2026-02-23', 'phq9', 4)] }, { pairedScores: false, casenessAtStart: null, anxiety: { instrumentId: 'gad7', count: 0, first: null, last: null }, recovered: false, noReliableChange: true }],
  ['23 a later PHQ-9 without GAD-7 is the PHQ-9 last score (rise of 5: not reliable; GAD-7 fall of 6: reliable)', { ...finished([15, 12], [9, 6]), measures: [...pair('2026-01-26', 15, 12), ...pair('2026-02-09', 9, 6), score('2026-02-23', 'phq9', 20)] }, { phq9: { first: { date: '2026-01-26', total: 15 }, last: { date: '2026-02-23', total: 20 } }, anxiety: { last: { date: '2026-02-09', total: 6 } }, recovered: false, reliablyImproved: true, reliablyDeteriorated: false }],
  ['24 scores on the discharge date count', { ...finished([15, 12], [15, 12]), measures: [...pair('2026-01-26', 15, 12), ...pair('2026-03-02', 4, 3)] }, { phq9: { last: { date: '2026-03-02', total: 4 } }, anxiety: { last: { date: '2026-03-02', total: 3 } }, recovered: true }],
  ['25 scores after discharge are never last', { ...finished([15, 12], [5, 4]), measures: [...pair('2026-01-26', 15, 12), ...pair('2026-02-23', 5, 4), ...pair('2026-06-01', 20, 18)] }, { phq9: { last: { date: '2026-02-23', total: 5 } }, anxiety: { last: { date: '2026-02-23', total: 4 } }, recovered: true }],
  ['26 scores taken at a follow-up contact are never last', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-01-12', 5, 'assessment'), tx('2026-01-26'), tx('2026-02-23'), tx('2026-03-02', 5, 'follow-up', 'fu')], measures: [...pair('2026-01-26', 15, 12), ...pair('2026-02-23', 5, 4), ...pair('2026-03-02', 20, 18, 'gad7', 'fu')] }, { phq9: { last: { date: '2026-02-23', total: 5 } }, treatmentContacts: 2 }],
  ['27 a same-day duplicate with no contact to order it by: the higher total', { ...finished([15, 12], [5, 4]), measures: [...pair('2026-01-26', 15, 12), ...pair('2026-02-23', 5, 4), score('2026-02-23', 'phq9', 11)] }, { phq9: { last: { date: '2026-02-23', total: 11 } }, recovered: false }],
  // Instruments on different dates (issue #7)
  ['27a GAD-7 the day after PHQ-9 at every session: paired, recovered', { ...finished([15, 12], [5, 4]), measures: [score('2026-01-26', 'phq9', 15), score('2026-01-27', 'gad7', 12), score('2026-02-23', 'phq9', 5), score('2026-02-24', 'gad7', 4)] }, { pairedScores: true, casenessAtStart: true, recovered: true, reliablyImproved: true, reliablyRecovered: true, anxiety: { first: { date: '2026-01-27', total: 12 }, last: { date: '2026-02-24', total: 4 } } }],
  ['27b GAD-7 missed at the last session: its last is the earlier score, and the recovery counts', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-01-26'), tx('2026-02-09'), tx('2026-02-23')], measures: [...pair('2026-01-26', 15, 12), ...pair('2026-02-09', 11, 7), score('2026-02-23', 'phq9', 5)] }, { recovered: true, reliablyImproved: true, reliablyRecovered: true, phq9: { last: { date: '2026-02-23', total: 5 } }, anxiety: { last: { date: '2026-02-09', total: 7 } } }],
  ['27c GAD-7 missed at the first session: its first is the next score', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-01-26'), tx('2026-02-09'), tx('2026-02-23')], measures: [score('2026-01-26', 'phq9', 9), ...pair('2026-02-09', 8, 9), ...pair('2026-02-23', 3, 4)] }, { casenessAtStart: true, recovered: true, reliablyImproved: true, phq9: { first: { date: '2026-01-26', total: 9 } }, anxiety: { first: { date: '2026-02-09', total: 9 } } }],
  ['27d a later lone PHQ-9 is the PHQ-9 last even when the earlier one is paired', { ...finished([15, 12], [5, 4]), measures: [...pair('2026-01-26', 15, 12), score('2026-02-20', 'phq9', 4), score('2026-02-16', 'phq9', 14), score('2026-02-23', 'gad7', 3)] }, { recovered: true, phq9: { count: 3, last: { date: '2026-02-20', total: 4 } } }],
  // ADSMs (ref §2.1)
  ['28 social phobia uses SPIN (cut-off 19)', finished([8, 30], [5, 15], { problemDescriptor: 'F40.1' }, 'spin'), { anxietyMeasure: 'spin', casenessAtStart: true, recovered: true, reliablyImproved: true }],
  ['29 SPIN 18 with PHQ-9 8 is not caseness', finished([8, 18], [5, 10], { problemDescriptor: 'F40.1' }, 'spin'), { anxietyMeasure: 'spin', casenessAtStart: false }],
  ['30 social phobia without SPIN scores falls back to GAD-7', finished([8, 12], [5, 6], { problemDescriptor: 'F40.1' }), { anxietyMeasure: 'gad7', casenessAtStart: true, recovered: true }],
  ['31 one SPIN score but two GAD-7 scores: GAD-7', { ...finished([8, 12], [5, 6], { problemDescriptor: 'F40.1' }), measures: [...pair('2026-01-26', 8, 12), ...pair('2026-02-23', 5, 6), { date: '2026-01-26', instrumentId: 'spin', total: 40 }] }, { anxietyMeasure: 'gad7' }],
  ['32 panic disorder uses PDSS', finished([9, 14], [4, 6], { problemDescriptor: 'F41.0' }, 'pdss'), { anxietyMeasure: 'pdss', casenessAtStart: true, recovered: true, reliablyImproved: true }],
  ['33 OCD (F42.1) uses the OCI by default: 100 → 70 is a fall of 30 (< 32) and 70 ≥ 40', finished([9, 100], [9, 70], { problemDescriptor: 'F42.1' }, 'oci'), { anxietyMeasure: 'oci', casenessAtStart: true, reliablyImproved: false, recovered: false }],
  ['33a OCI total 100 → 39: recovered (< 40) and reliably improved (fall of 61)', finished([9, 100], [9, 39], { problemDescriptor: 'F42' }, 'oci'), { anxietyMeasure: 'oci', recovered: true, reliablyImproved: true, reliablyRecovered: true }],
  ['33b OCI fall of exactly 32 is reliable; a last of 40 is still caseness', finished([9, 72], [9, 40], { problemDescriptor: 'F42.0' }, 'oci'), { reliablyImproved: true, recovered: false }],
  ['33c OCI fall of 31 is not reliable', finished([9, 72], [9, 41], { problemDescriptor: 'F42.0' }, 'oci'), { reliablyImproved: false, noReliableChange: true }],
  ['33d PDSS fall of exactly 5 is not reliable (guide: > 5)', finished([9, 13], [9, 8], { problemDescriptor: 'F41.0' }, 'pdss'), { anxietyMeasure: 'pdss', reliablyImproved: false, noReliableChange: true, recovered: false }],
  ['33e PDSS fall of 6 is reliable', finished([9, 13], [9, 7], { problemDescriptor: 'F41.0' }, 'pdss'), { anxietyMeasure: 'pdss', reliablyImproved: true, recovered: true, reliablyRecovered: true }],
  ['33f PDSS rise of exactly 5 is not reliable deterioration', finished([9, 8], [9, 13], { problemDescriptor: 'F41.0' }, 'pdss'), { reliablyDeteriorated: false, noReliableChange: true }],
  ['33g PDSS rise of 6 is reliable deterioration', finished([9, 8], [9, 14], { problemDescriptor: 'F41.0' }, 'pdss'), { reliablyDeteriorated: true }],
  ['33h MI exactly 2.3 with PHQ-9 9 is not caseness (guide: > 2.3)', finished([9, 2.3], [5, 1.8], { problemDescriptor: 'F40.0' }, 'mi-alone'), { anxietyMeasure: 'mi-alone', casenessAtStart: false, recovered: false, reliablyImproved: false }],
  ['33i MI 3.1 is caseness; a last of exactly 2.3 is below it, so recovered', finished([9, 3.1], [9, 2.3], { problemDescriptor: 'F40.0' }, 'mi-alone'), { casenessAtStart: true, recovered: true, reliablyImproved: true }],
  ['34 PTSD uses PCL-5 by default', finished([9, 50], [9, 30], { problemDescriptor: 'F43.1' }, 'pcl5'), { anxietyMeasure: 'pcl5', recovered: true, reliablyImproved: true }],
  ['35 health anxiety uses HAI (short)', finished([9, 30], [9, 20], { problemDescriptor: 'F45.2' }, 'hai-short'), { anxietyMeasure: 'hai-short', recovered: false, reliablyImproved: true }],
  ['36 agoraphobia uses the Mobility Inventory mean (fractional)', finished([9, 3.1], [9, 2.2], { problemDescriptor: 'F40.0' }, 'mi-alone'), { anxietyMeasure: 'mi-alone', casenessAtStart: true, recovered: true, reliablyImproved: true }],
  ['37 GAD (F41.1) uses GAD-7', finished([15, 12], [5, 4], { problemDescriptor: 'F41.1' }), { anxietyMeasure: 'gad7', recovered: true }],
  ['38 specific phobia (F40.2) has no ADSM', finished([15, 12], [5, 4], { problemDescriptor: 'F40.2' }), { anxietyMeasure: 'gad7' }],
  ['39 BDD (SNOMED 83482000) has no ADSM', finished([15, 12], [5, 4], { problemDescriptor: '83482000' }), { anxietyMeasure: 'gad7' }],
  // Finished a course of treatment (ref §4, §5.4)
  ['40 assessment-only contacts never finish a course', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-01-12', 5, 'assessment'), tx('2026-01-26', 5, 'assessment'), tx('2026-02-23', 5, 'assessment')] }, { finishedCourse: false, treatmentContacts: 0, waitDays: null, within6Weeks: null }],
  ['41 DNA and cancellations do not count', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-01-19', 3), tx('2026-01-20', 2), tx('2026-01-21', 4), tx('2026-01-22', 7), tx('2026-01-26')] }, { treatmentContacts: 1, finishedCourse: false }],
  ['42 arrived late but seen (6) counts', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-01-26', 6), tx('2026-02-23', 6)] }, { treatmentContacts: 2, finishedCourse: true }],
  ['43 assessment-and-treatment and review-and-treatment count', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-01-26', 5, 'assessment-and-treatment'), tx('2026-02-23', 5, 'review-and-treatment')] }, { treatmentContacts: 2, finishedCourse: true, firstTreatmentDate: '2026-01-26' }],
  ['44 follow-up and post-discharge contacts never count as treatment', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-01-26'), tx('2026-03-02', 5, 'follow-up'), tx('2026-04-01')] }, { treatmentContacts: 1, finishedCourse: false }],
  ['45 still open: not finished however many sessions', { ...finished([15, 12], [5, 4]), dischargeDate: undefined, endCode: undefined, contacts: [tx('2026-01-26'), tx('2026-02-02'), tx('2026-02-09'), tx('2026-02-16')] }, { finishedCourse: false, treatmentContacts: 4, recovered: true }],
  ['46 discharged after one treatment contact: not finished', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-01-26')] }, { finishedCourse: false, treatmentContacts: 1 }],
  // Waits (ref §4: referral → first attended treatment; ≤ 42 and ≤ 126 days)
  ['47 a wait of exactly 42 days is within 6 weeks', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-02-16'), tx('2026-02-23')] }, { waitDays: 42, within6Weeks: true, within18Weeks: true }],
  ['48 a wait of 43 days is not', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-02-17'), tx('2026-02-23')] }, { waitDays: 43, within6Weeks: false, within18Weeks: true }],
  ['49 126 days is within 18 weeks', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-05-11'), tx('2026-05-18')], dischargeDate: '2026-05-18', measures: [...pair('2026-05-11', 15, 12), ...pair('2026-05-18', 5, 4)] }, { waitDays: 126, within18Weeks: true, within6Weeks: false }],
  ['50 127 days is not', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-05-12'), tx('2026-05-18')], dischargeDate: '2026-05-18', measures: [...pair('2026-05-12', 15, 12), ...pair('2026-05-18', 5, 4)] }, { waitDays: 127, within18Weeks: false }],
  ['51 the wait runs to the first attended treatment, not a missed one', { ...finished([15, 12], [5, 4]), contacts: [tx('2026-01-12', 3), tx('2026-02-23'), tx('2026-02-27')] }, { firstTreatmentDate: '2026-02-23', waitDays: 49, within6Weeks: false }],
];

describe('classifyEpisode: table of episodes (ref §2.1, §4, §5.4, §8)', () => {
  it('has at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));
  it.each(CASES)('%s', (_name, episode, expected) => {
    const result = classifyEpisode(episode);
    expect(result).toMatchObject(expected);
    for (const reason of Object.values(result.reasons)) expect(reason.length).toBeGreaterThan(10);
  });

  it('a service choosing IES-R for PTSD gets IES-R', () => {
    const service = createOutcomes({ ptsdMeasure: 'ies-r' });
    expect(service.classifyEpisode(finished([9, 50], [9, 30], { problemDescriptor: 'F43.1' }, 'ies-r'))).toMatchObject({ anxietyMeasure: 'ies-r', reliablyImproved: true });
  });

  it('a service choosing the OCI-R for OCD gets the OCI-R, and its reasons say its values are unverified', () => {
    const service = createOutcomes({ ocdMeasure: 'oci-r' });
    const r = service.classifyEpisode(finished([9, 40], [9, 24], { problemDescriptor: 'F42.1' }, 'oci-r'));
    expect(r).toMatchObject({ anxietyMeasure: 'oci-r', reliablyImproved: true, recovered: false });
    expect(r.reasons.casenessAtStart).toMatch(/unverified/);
    expect(r.reasons.reliablyImproved).toMatch(/unverified/);
    // The default OCI cannot take an OCI-R episode's scores as its own: it has none, so GAD-7 is the fallback.
    expect(classifyEpisode(finished([9, 40], [9, 24], { problemDescriptor: 'F42.1' }, 'oci-r')).anxietyMeasure).toBe('gad7');
  });

  it('no warning once the ADSM values are the guide\'s (ref §2.2 verified)', () => {
    const r = classifyEpisode(finished([8, 30], [5, 15], { problemDescriptor: 'F40.1' }, 'spin'));
    expect(r.reasons.casenessAtStart).not.toMatch(/unverified/);
    expect(r.reasons.reliablyImproved).not.toMatch(/unverified/);
    expect(r.reasons.casenessAtStart).toContain('Social Phobia Inventory ≥ 19');
    expect(classifyEpisode(finished([9, 3.1], [9, 2.3], { problemDescriptor: 'F40.0' }, 'mi-alone')).reasons.casenessAtStart).toContain('> 2.3');
  });

  it('explains mixed change and the fallback in plain English', () => {
    expect(classifyEpisode(finished([16, 8], [10, 12])).reasons.noReliableChange).toMatch(/mixed change/);
    expect(classifyEpisode(finished([8, 12], [5, 6], { problemDescriptor: 'F40.1' })).reasons.anxietyMeasure).toMatch(/fallback/);
  });
});

describe('programmeRates: NHSE denominators (ref §4)', () => {
  const period = { start: '2026-03-01', end: '2026-03-31' };
  const episodes: EpisodeInput[] = [
    finished([15, 12], [5, 4]), // recovered, RI, RR
    finished([12, 10], [11, 9]), // at caseness, not recovered, no change
    finished([8, 6], [3, 2]), // not at caseness, RI
    finished([8, 5], [14, 6]), // at caseness? PHQ 8, GAD 5 → not at caseness; deteriorated
    { ...finished([15, 12], [5, 4]), dischargeDate: '2026-04-02' }, // discharged outside the period
    { ...finished([15, 12], [5, 4]), contacts: [tx('2026-01-26')] }, // discharged in period, not finished
    { ...finished([15, 12], [5, 4]), dischargeDate: undefined, endCode: undefined, contacts: [tx('2026-01-02'), tx('2026-03-10')], referralReceived: '2026-01-01' }, // open; 2nd treatment in period, 67 days after 1st
    { ...finished([15, 12], [5, 4]), dischargeDate: undefined, endCode: undefined, contacts: [tx('2025-11-20'), tx('2026-03-20')], referralReceived: '2025-11-01' }, // open; 2nd in period, 120 days after 1st
  ];
  const rates = programmeRates(episodes, period);

  it('counts finished courses discharged in the period', () => expect(rates.finished).toBe(4));
  it('recovery excludes referrals not at caseness at the start', () => {
    expect(rates.notAtCaseness).toBe(2);
    expect(rates.recovery).toEqual({ count: 1, denominator: 2, rate: 0.5 });
    expect(rates.reliableRecovery).toEqual({ count: 1, denominator: 2, rate: 0.5 });
  });
  it('reliable improvement and deterioration count all finished referrals', () => {
    expect(rates.reliableImprovement).toEqual({ count: 2, denominator: 4, rate: 0.5 });
    expect(rates.reliableDeterioration).toEqual({ count: 1, denominator: 4, rate: 0.25 });
  });
  it('waits are measured on finished courses', () => {
    expect(rates.startedWithin6Weeks).toEqual({ count: 4, denominator: 4, rate: 1 });
    expect(rates.startedWithin18Weeks.denominator).toBe(4);
  });
  it('first-to-second waits over 90 days use episodes whose second treatment is in the period', () => {
    expect(rates.firstToSecondOver90Days).toEqual({ count: 1, denominator: 2, rate: 0.5 });
  });
  it('an empty period has null rates, not zero', () => {
    const empty = programmeRates(episodes, { start: '2030-01-01', end: '2030-01-31' });
    expect(empty.recovery).toMatchObject({ count: 0, denominator: 0, rate: null });
    expect(empty.recovery.reason).toMatch(/no finished course/);
  });
  it('an episode without paired scores stays in the denominators with no reliable change', () => {
    const single = { ...finished([15, 12], [5, 4]), measures: pair('2026-01-26', 15, 12) };
    const r = programmeRates([single], period);
    expect(r.recovery.denominator).toBe(1);
    expect(r.reliableImprovement).toEqual({ count: 0, denominator: 1, rate: 0 });
  });
});

describe('measuresDue (ref §1, §2.1, §3)', () => {
  const base: EpisodeInput = { referralReceived: '2026-01-05', problemDescriptor: 'F41.1', pathway: 'core', contacts: [tx('2026-01-12', 5, 'assessment')] };
  const ids = (e: EpisodeInput, c: Parameters<typeof measuresDue>[1]) => measuresDue(e, c).map((d) => d.instrumentId);

  it('every session: PHQ-9, GAD-7, WSAS and the phobia scales', () => {
    expect(ids(base, { date: '2026-01-26', type: 'treatment' })).toEqual(['phq9', 'gad7', 'wsas', 'phobia']);
  });
  it('adds the ADSM where the problem calls for one, keeping GAD-7', () => {
    expect(ids({ ...base, problemDescriptor: 'F41.0' }, { date: '2026-01-26', type: 'treatment' })).toEqual(['phq9', 'gad7', 'pdss', 'wsas', 'phobia']);
  });
  it('employment status at the first and the final contact', () => {
    expect(ids(base, { date: '2026-01-12', type: 'assessment' })).toContain('employment');
    expect(ids(base, { date: '2026-03-01', type: 'treatment', final: true })).toContain('employment');
    expect(ids(base, { date: '2026-02-01', type: 'treatment' })).not.toContain('employment');
  });
  it('the assessment PEQ at assessment, the treatment PEQ at the final contact (ref §1)', () => {
    expect(ids(base, { date: '2026-01-12', type: 'assessment' })).toContain('peq-assessment');
    expect(ids(base, { date: '2026-01-12', type: 'assessment' })).not.toContain('peq-treatment');
    expect(ids(base, { date: '2026-03-01', type: 'treatment', final: true })).toContain('peq-treatment');
    expect(ids(base, { date: '2026-03-01', type: 'treatment', final: true })).not.toContain('peq-assessment');
    expect(ids(base, { date: '2026-02-01', type: 'treatment' })).not.toEqual(expect.arrayContaining(['peq-assessment']));
    expect(ids(base, { date: '2026-02-01', type: 'treatment' })).not.toContain('peq-treatment');
  });
  it('integrated LTC pathway: service use at assessment, final contact and follow-up; DDS-17 and HbA1c with diabetes', () => {
    const ltc: EpisodeInput = { ...base, pathway: 'integrated-ltc', ltcCodes: ['44054006'] };
    for (const c of [{ date: '2026-01-12', type: 'assessment' as const }, { date: '2026-03-01', type: 'treatment' as const, final: true }, { date: '2026-06-01', type: 'follow-up' as const }]) {
      expect(ids(ltc, c)).toEqual(expect.arrayContaining(['service-use', 'dds17', 'hba1c']));
    }
    expect(ids(ltc, { date: '2026-02-01', type: 'treatment' })).not.toContain('service-use');
    const copd: EpisodeInput = { ...ltc, ltcCodes: ['13645005'] };
    expect(ids(copd, { date: '2026-01-12', type: 'assessment' })).toContain('service-use');
    expect(ids(copd, { date: '2026-01-12', type: 'assessment' })).not.toContain('dds17');
    expect(ids(base, { date: '2026-01-12', type: 'assessment' })).not.toContain('service-use');
  });
  it('gives a reason for each', () => {
    for (const d of measuresDue(base, { date: '2026-01-26', type: 'treatment' })) expect(d.reason).toMatch(/ref §/);
  });
});

describe('bad episodes are rejected with the fields named', () => {
  const fieldsOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(OutcomeError);
      return (e as OutcomeError).fields.map((f) => f.path);
    }
    throw new Error('expected an OutcomeError');
  };
  it('bad referral source, step and contact time', () => {
    const bad = { ...finished([15, 12], [5, 4]), referralSource: 'Z9', step: 5, contacts: [{ date: '2026-01-26', time: '25:00', type: 'treatment', attendance: 5 }] };
    expect(fieldsOf(() => classifyEpisode(bad as never))).toEqual(['episode.referralSource', 'episode.step', 'episode.contacts.0.time']);
  });
  it('impossible dates, attendance codes and contact types', () => {
    const bad = { ...finished([15, 12], [5, 4]), referralReceived: '2026-02-30', contacts: [{ date: '2026-01-26', type: 'therapy', attendance: 9 }] };
    expect(fieldsOf(() => classifyEpisode(bad as never))).toEqual(expect.arrayContaining(['episode.referralReceived', 'episode.contacts.0.type', 'episode.contacts.0.attendance']));
  });
  it('a discharge date without an end code', () => {
    expect(fieldsOf(() => classifyEpisode({ ...finished([15, 12], [5, 4]), endCode: undefined }))).toEqual(['episode.endCode']);
  });
  it('scores outside the instrument range, unknown instruments and dangling contact ids', () => {
    const bad = { ...finished([15, 12], [5, 4]), measures: [{ date: '2026-01-26', instrumentId: 'phq9', total: 28 }, { date: '2026-01-26', instrumentId: 'hads', total: 3 }, { date: '2026-01-26', instrumentId: 'gad7', total: 3, contactId: 'nope' }] };
    expect(fieldsOf(() => classifyEpisode(bad))).toEqual(expect.arrayContaining(['episode.measures.2.contactId']));
    const bad2 = { ...finished([15, 12], [5, 4]), measures: [{ date: '2026-01-26', instrumentId: 'phq9', total: 28 }, { date: '2026-01-26', instrumentId: 'hads', total: 3 }] };
    expect(fieldsOf(() => classifyEpisode(bad2))).toEqual(['episode.measures.0.total', 'episode.measures.1.instrumentId']);
  });
  it('a malformed problem descriptor', () => {
    expect(fieldsOf(() => classifyEpisode({ ...finished([15, 12], [5, 4]), problemDescriptor: 'anxiety' }))).toEqual(['episode.problemDescriptor']);
  });
  it('a bad period or episode list', () => {
    expect(fieldsOf(() => programmeRates([], { start: '2026-04-01', end: '2026-03-01' }))).toEqual(['period.end']);
    expect(fieldsOf(() => programmeRates('x' as never, { start: '2026-03-01', end: '2026-03-31' }))).toEqual(['episodes']);
    // A malformed episode no longer fails the report: it is excluded, with the fields named (issue #7 item 5).
    const r = programmeRates([{ referralReceived: 'x' } as never], { start: '2026-03-01', end: '2026-03-31' });
    expect(r.dataQuality.excludedCount).toBe(1);
    expect(r.dataQuality.excluded[0]!.reasons.join(' ')).toMatch(/episodes\.0\.referralReceived.*episodes\.0\.pathway|episodes\.0\.pathway.*episodes\.0\.referralReceived/);
  });
  it('a bad contact for measuresDue', () => {
    expect(fieldsOf(() => measuresDue(finished([15, 12], [5, 4]), { date: 'soon', type: 'session' } as never))).toEqual(['contact.date', 'contact.type']);
  });
});
