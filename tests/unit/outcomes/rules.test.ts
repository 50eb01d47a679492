import { describe, expect, it } from 'vitest';
import { adsmFor, classifyEpisode, contactEntryProblems, CONTACT_TYPES, createOutcomes, measureTotalProblems, programmeRates, type EpisodeInput } from '../../../shared/outcomes';

/**
 * Issue #7 rules, expected values typed from the reference (§2.1, §2.2, §4), never read from the catalogue.
 * Referral on 2026-01-05, discharge on 2026-03-02.
 */
type C = NonNullable<EpisodeInput['contacts']>[number];
type M = NonNullable<EpisodeInput['measures']>[number];
const contact = (date: string, extra: Partial<C> = {}): C => ({ date, type: 'treatment', attendance: 5, ...extra });
const score = (date: string, instrumentId: string, total: number, contactId?: string): M => ({ date, instrumentId, total, ...(contactId ? { contactId } : {}) });
const base = (extra: Partial<EpisodeInput> = {}): EpisodeInput => ({
  referralReceived: '2026-01-05',
  problemDescriptor: null,
  pathway: 'core',
  contacts: [contact('2026-01-26'), contact('2026-02-23')],
  measures: [score('2026-01-26', 'phq9', 15), score('2026-01-26', 'gad7', 12), score('2026-02-23', 'phq9', 5), score('2026-02-23', 'gad7', 4)],
  dischargeDate: '2026-03-02',
  endCode: '46',
  ...extra,
});

describe('same instrument twice on one date: the later contact wins (issue #7 item 1)', () => {
  it('by contact time', () => {
    const e = base({
      contacts: [contact('2026-01-26'), contact('2026-02-23', { id: 'pm', time: '15:00' }), contact('2026-02-23', { id: 'am', time: '09:30' })],
      measures: [score('2026-01-26', 'phq9', 15), score('2026-01-26', 'gad7', 12), score('2026-02-23', 'phq9', 5, 'pm'), score('2026-02-23', 'phq9', 12, 'am'), score('2026-02-23', 'gad7', 4, 'pm')],
    });
    const r = classifyEpisode(e);
    expect(r.phq9.last).toEqual({ date: '2026-02-23', total: 5 }); // the 15:00 contact, though its score is lower
    expect(r.recovered).toBe(true);
    // And the other way round: the later contact's higher score wins.
    const swapped = { ...e, measures: [score('2026-01-26', 'phq9', 15), score('2026-01-26', 'gad7', 12), score('2026-02-23', 'phq9', 12, 'pm'), score('2026-02-23', 'phq9', 5, 'am'), score('2026-02-23', 'gad7', 4, 'pm')] };
    expect(classifyEpisode(swapped).phq9.last).toEqual({ date: '2026-02-23', total: 12 });
    expect(classifyEpisode(swapped).recovered).toBe(false);
  });
  it('by contact id when neither contact has a time', () => {
    const e = base({
      contacts: [contact('2026-01-26'), contact('2026-02-23', { id: 'b' }), contact('2026-02-23', { id: 'a' })],
      measures: [score('2026-01-26', 'phq9', 15), score('2026-01-26', 'gad7', 12), score('2026-02-23', 'gad7', 9, 'b'), score('2026-02-23', 'gad7', 3, 'a'), score('2026-02-23', 'phq9', 5, 'a')],
    });
    expect(classifyEpisode(e).anxiety.last).toEqual({ date: '2026-02-23', total: 9 });
    expect(classifyEpisode(e).recovered).toBe(false);
  });
});

describe('ADSM → GAD-7 fallback with fewer than two ADSM scores, said in reasons (ref §2.1, §4)', () => {
  const panic = (adsm: M[]) =>
    base({ problemDescriptor: 'F41.0', measures: [score('2026-01-26', 'phq9', 9), score('2026-01-26', 'gad7', 10), score('2026-02-23', 'phq9', 5), score('2026-02-23', 'gad7', 5), ...adsm] });
  it('two PDSS scores on dates of their own: PDSS', () => {
    const r = classifyEpisode(panic([score('2026-01-27', 'pdss', 14), score('2026-02-24', 'pdss', 7)]));
    expect(r).toMatchObject({ anxietyMeasure: 'pdss', pairedScores: true, recovered: true, reliablyImproved: true, anxiety: { first: { date: '2026-01-27', total: 14 }, last: { date: '2026-02-24', total: 7 } } });
    expect(r.reasons.anxietyMeasure).toMatch(/recommended measure for F41\.0/);
  });
  it('one PDSS score: GAD-7, and the reason says why', () => {
    const r = classifyEpisode(panic([score('2026-01-27', 'pdss', 14)]));
    expect(r).toMatchObject({ anxietyMeasure: 'gad7', casenessAtStart: true, recovered: true });
    expect(r.reasons.anxietyMeasure).toMatch(/fallback.*only one score/);
  });
  it('two PDSS scores on one date are one score: GAD-7', () => {
    const r = classifyEpisode(panic([score('2026-01-27', 'pdss', 14), score('2026-01-27', 'pdss', 7)]));
    expect(r.anxietyMeasure).toBe('gad7');
  });
  it('no PDSS and one GAD-7: no paired scores, and the reason says GAD-7 has only one', () => {
    const r = classifyEpisode(base({ problemDescriptor: 'F41.0', measures: [score('2026-01-26', 'phq9', 9), score('2026-02-23', 'phq9', 5), score('2026-02-23', 'gad7', 5)] }));
    expect(r).toMatchObject({ anxietyMeasure: 'gad7', pairedScores: false, casenessAtStart: null });
    expect(r.reasons.anxietyMeasure).toMatch(/no scores.*GAD-7 has only one/);
  });
});

describe('ADSM by problem descriptor, subcodes included (ref §2.1)', () => {
  it.each([
    ['F40.0', 'mi-alone'],
    ['F40.00', 'mi-alone'], // WHO ICD-10: agoraphobia without panic disorder
    ['F4001', 'mi-alone'], // agoraphobia with panic disorder, undotted
    ['F40.1', 'spin'],
    ['F40.10', 'spin'],
    ['F41.0', 'pdss'],
    ['F41.01', 'pdss'],
    ['F42', 'oci'],
    ['F42.2', 'oci'],
    ['F43.1', 'pcl5'],
    ['F43.10', 'pcl5'],
    ['F45.2', 'hai-short'],
    ['F45.21', 'hai-short'],
  ])('%s → %s', (descriptor, expected) => expect(adsmFor(descriptor)).toBe(expected));
  it.each(['F40.2', 'F40.20', 'F41.1', 'F41.2', 'F43.0', 'F43.2', 'F45.0', 'F32.1', '83482000'])('%s → GAD-7 (null)', (descriptor) => expect(adsmFor(descriptor)).toBeNull());
  it('an F40.01 referral with two MI scores is measured on the MI (> 2.3), not GAD-7', () => {
    const r = classifyEpisode(
      base({ problemDescriptor: 'F40.01', measures: [score('2026-01-26', 'phq9', 9), score('2026-01-26', 'mi-alone', 3.1), score('2026-02-23', 'phq9', 5), score('2026-02-23', 'mi-alone', 2.3)] }),
    );
    // MI 3.1 > 2.3: caseness; last 2.3 is not above 2.3: recovered; fall 0.8 ≥ 0.73: reliably improved.
    expect(r).toMatchObject({ anxietyMeasure: 'mi-alone', casenessAtStart: true, recovered: true, reliablyImproved: true });
  });
});

describe('contacts from referral to discharge only, both inclusive (ref §4)', () => {
  it('a contact one day before the referral is not counted, is named as a data-quality warning, and is no error', () => {
    const r = classifyEpisode(base({ contacts: [contact('2026-01-04', { id: 'early' }), contact('2026-02-23')] }));
    expect(r.treatmentContacts).toBe(1);
    expect(r.finishedCourse).toBe(false);
    expect(r.firstTreatmentDate).toBe('2026-02-23');
    expect(r.dataQuality).toEqual([expect.stringMatching(/2026-01-04 \(early\) is before the referral was received \(2026-01-05\)/)]);
  });
  it('a contact on the referral date and one on the discharge day both count', () => {
    const r = classifyEpisode(base({ contacts: [contact('2026-01-05'), contact('2026-03-02')] }));
    expect(r).toMatchObject({ treatmentContacts: 2, finishedCourse: true, waitDays: 0, firstTreatmentDate: '2026-01-05', secondTreatmentDate: '2026-03-02', dataQuality: [] });
  });
  it('a treatment contact the day after discharge is not counted and is warned about; a follow-up is not warned about', () => {
    const r = classifyEpisode(base({ contacts: [contact('2026-01-26'), contact('2026-03-03'), contact('2026-06-01', { type: 'follow-up' })] }));
    expect(r.treatmentContacts).toBe(1);
    expect(r.dataQuality).toEqual([expect.stringMatching(/2026-03-03 is after the discharge \(2026-03-02\)/)]);
  });
  it('a score dated before the referral is not counted and is warned about', () => {
    const r = classifyEpisode(base({ measures: [score('2026-01-01', 'phq9', 20), ...(base().measures ?? [])] }));
    expect(r.phq9.first).toEqual({ date: '2026-01-26', total: 15 });
    expect(r.dataQuality).toEqual([expect.stringMatching(/phq9 score dated 2026-01-01 is before the referral/)]);
  });
  it('an attended employment-support contact never counts as treatment (ref §4: excluded since v2.0)', () => {
    expect(CONTACT_TYPES).toContain('employment-support');
    const r = classifyEpisode(base({ contacts: [contact('2026-01-26'), contact('2026-02-09', { type: 'employment-support' }), contact('2026-02-16', { type: 'employment-support', attendance: 6 })] }));
    expect(r).toMatchObject({ treatmentContacts: 1, finishedCourse: false, secondTreatmentDate: null });
  });
  it('two attended treatment contacts on the same date count as two', () => {
    const r = classifyEpisode(base({ contacts: [contact('2026-01-26', { time: '09:00' }), contact('2026-01-26', { time: '14:00' })] }));
    expect(r).toMatchObject({ treatmentContacts: 2, finishedCourse: true, firstTreatmentDate: '2026-01-26', secondTreatmentDate: '2026-01-26' });
  });
});

describe('entry checks for forms', () => {
  const referral = { referralReceived: '2026-01-05', dischargeDate: '2026-03-02' };
  it('contactEntryProblems refuses a contact before the referral or after discharge, naming `date`', () => {
    expect(contactEntryProblems(contact('2026-01-04'), referral)).toEqual([{ path: 'date', message: expect.stringContaining('before the referral') }]);
    expect(contactEntryProblems(contact('2026-03-03'), referral)).toEqual([{ path: 'date', message: expect.stringContaining('after the discharge') }]);
    expect(contactEntryProblems(contact('2026-01-05'), referral)).toEqual([]);
    expect(contactEntryProblems(contact('2026-03-02'), referral)).toEqual([]);
    expect(contactEntryProblems(contact('2026-03-03', { type: 'follow-up' }), referral)).toEqual([]);
    expect(contactEntryProblems(contact('2026-09-01'), { referralReceived: '2026-01-05' })).toEqual([]); // still open
  });
  it('contactEntryProblems names malformed fields', () => {
    expect(contactEntryProblems({ date: '2026-02-30', type: 'session', attendance: 1, time: '9am' }, referral).map((p) => p.path)).toEqual(['date', 'time', 'type', 'attendance']);
  });
  it('the episode schema no longer refuses a contact before the referral (it is a warning there)', () => {
    expect(() => classifyEpisode(base({ contacts: [contact('2025-12-01')] }))).not.toThrow();
  });
  it('measureTotalProblems checks a total against the instrument range (PHQ-9 0–27, GAD-7 0–21)', () => {
    expect(measureTotalProblems('phq9', 27)).toEqual([]);
    expect(measureTotalProblems('phq9', 28)).toEqual([{ path: 'total', message: expect.stringContaining('0 and 27') }]);
    expect(measureTotalProblems('gad7', -1).map((p) => p.path)).toEqual(['total']);
    expect(measureTotalProblems('hads', 3).map((p) => p.path)).toEqual(['instrumentId']);
    expect(measureTotalProblems('phq9', Number.NaN).map((p) => p.path)).toEqual(['total']);
  });
});

describe('supplementary measures never replace PHQ-9 and the anxiety measure (ref §2.2 notes, §3)', () => {
  const phq15 = (descriptor: string | null) =>
    base({ problemDescriptor: descriptor, measures: [...(base().measures ?? []), score('2026-01-26', 'phq15', 14), score('2026-02-23', 'phq15', 9), score('2026-01-26', 'wsas', 22), score('2026-02-23', 'wsas', 10)] });
  it('PHQ-15 caseness ≥ 10 for an MUS descriptor; recovery still on PHQ-9 and GAD-7', () => {
    const r = classifyEpisode(phq15('F45.0'));
    expect(r).toMatchObject({ anxietyMeasure: 'gad7', recovered: true });
    expect(r.supplementary).toEqual([
      expect.objectContaining({ instrumentId: 'wsas', first: { date: '2026-01-26', total: 22 }, last: { date: '2026-02-23', total: 10 }, casenessFirst: null, casenessLast: null }),
      expect.objectContaining({ instrumentId: 'phq15', first: { date: '2026-01-26', total: 14 }, last: { date: '2026-02-23', total: 9 }, casenessFirst: true, casenessLast: false }),
    ]);
  });
  it('no PHQ-15 caseness for a diabetes patient with depression', () => {
    const r = classifyEpisode({ ...phq15('F32.1'), pathway: 'integrated-ltc', ltcCodes: ['44054006'] });
    expect(r.supplementary.find((s) => s.instrumentId === 'phq15')).toMatchObject({ casenessFirst: null, casenessLast: null });
  });
  it('a service can name its own MUS descriptors', () => {
    const service = createOutcomes({ musDescriptors: ['F48.0'] });
    expect(service.classifyEpisode(phq15('F48.0')).supplementary.find((s) => s.instrumentId === 'phq15')?.casenessFirst).toBe(true);
    expect(service.classifyEpisode(phq15('F45.0')).supplementary.find((s) => s.instrumentId === 'phq15')?.casenessFirst).toBeNull();
  });
});

describe('programmeRates never fails a whole report for one bad episode (issue #7 item 5)', () => {
  const period = { start: '2026-03-01', end: '2026-03-31' };
  /** 1,000 generated episodes: a deterministic mix of recovered, not at caseness and unfinished referrals. */
  const generated: EpisodeInput[] = Array.from({ length: 1000 }, (_, i) => {
    const kind = i % 4;
    if (kind === 0) return base({ id: `r${i}` }); // recovered
    if (kind === 1) return base({ id: `r${i}`, measures: [score('2026-01-26', 'phq9', 8), score('2026-01-26', 'gad7', 6), score('2026-02-23', 'phq9', 3), score('2026-02-23', 'gad7', 2)] }); // not at caseness
    if (kind === 2) return base({ id: `r${i}`, measures: [score('2026-01-26', 'phq9', 15), score('2026-01-27', 'gad7', 12), score('2026-02-23', 'phq9', 14), score('2026-02-24', 'gad7', 11)] }); // at caseness, no change
    return base({ id: `r${i}`, contacts: [contact('2026-01-26')] }); // ended treated once
  });
  const malformed = [
    { ...base({ id: 'bad-date' }), referralReceived: '2026-02-30' },
    { ...base({ id: 'bad-score' }), measures: [score('2026-01-26', 'phq9', 28)] },
    { ...base(), dischargeDate: undefined, id: 'bad-end' },
  ];
  const episodes = [...generated.slice(0, 10), malformed[0], ...generated.slice(10, 500), malformed[1], ...generated.slice(500), malformed[2]] as EpisodeInput[];
  const r = programmeRates(episodes, period);

  it('excludes the three malformed episodes, each listed with its index, id and reasons', () => {
    expect(r.dataQuality.excludedCount).toBe(3);
    expect(r.dataQuality.excluded).toEqual([
      { index: 10, id: 'bad-date', reasons: [expect.stringMatching(/^episodes\.10\.referralReceived: /)] },
      { index: 501, id: 'bad-score', reasons: [expect.stringMatching(/^episodes\.501\.measures\.0\.total: must be between 0 and 27/)] },
      { index: 1002, id: 'bad-end', reasons: [expect.stringMatching(/^episodes\.1002\.dischargeDate: /)] },
    ]);
  });
  it('reports the other 1,000 with NHSE denominators', () => {
    expect(r.finished).toBe(750);
    expect(r.notAtCaseness).toBe(250);
    expect(r.recovery).toEqual({ count: 250, denominator: 500, rate: 0.5 });
    expect(r.reliableImprovement).toEqual({ count: 500, denominator: 750, rate: 500 / 750 });
  });
  it('a non-array is still an error: there is no report to give', () => {
    expect(() => programmeRates({} as never, period)).toThrow(/episodes/);
  });
  it('data-quality warnings are listed without excluding the episode', () => {
    const w = programmeRates([base({ id: 'w', contacts: [contact('2026-01-04'), contact('2026-01-26'), contact('2026-02-23')] })], period);
    expect(w.finished).toBe(1);
    expect(w.dataQuality.warnings).toEqual([{ index: 0, id: 'w', warnings: [expect.stringContaining('before the referral')] }]);
  });
});
