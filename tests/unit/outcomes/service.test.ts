import { describe, expect, it } from 'vitest';
import { END_CODES, programmeFigures, programmeRates, programmeRatesBy, REFERRAL_SOURCES, type EpisodeInput } from '../../../shared/outcomes';

/**
 * Service figures (issue #7 item 6). A small caseload whose every figure is worked out by hand from ref §4
 * (and §2.1 for ADSM completeness); period March 2026.
 */
type C = NonNullable<EpisodeInput['contacts']>[number];
type M = NonNullable<EpisodeInput['measures']>[number];
const tx = (date: string, attendance = 5, type: C['type'] = 'treatment'): C => ({ date, type, attendance });
const m = (date: string, instrumentId: string, total: number): M => ({ date, instrumentId, total });
const period = { start: '2026-03-01', end: '2026-03-31' };

const caseload: EpisodeInput[] = [
  // a: received in period; first treatment 8 days after referral; DNA; second treatment 14 days after the first;
  // a "contact" the day before referral (not counted, not in the DNA rate). A repeat of d (same patient).
  { id: 'a', patientId: 'P1', referralReceived: '2026-03-02', referralSource: 'A1', clinicianId: 'c1', step: 2, pathway: 'core', contacts: [tx('2026-03-01', 3), tx('2026-03-10'), tx('2026-03-17', 3), tx('2026-03-24')] },
  // b: integrated LTC (diabetes); finished in period, recovered; 3 treatment contacts; wait 35 days; WSAS 20 → 10, DDS-17 3 → 2.
  {
    id: 'b', patientId: 'P2', referralReceived: '2025-12-01', referralSource: 'B1', clinicianId: 'c1', step: 3, pathway: 'integrated-ltc', ltcCodes: ['44054006'],
    contacts: [tx('2026-01-05'), tx('2026-02-02'), tx('2026-03-02')],
    measures: [m('2026-01-05', 'phq9', 15), m('2026-01-05', 'gad7', 12), m('2026-03-02', 'phq9', 5), m('2026-03-02', 'gad7', 4), m('2026-01-05', 'wsas', 20), m('2026-03-02', 'wsas', 10), m('2026-01-05', 'dds17', 3), m('2026-03-02', 'dds17', 2)],
    dischargeDate: '2026-03-05', endCode: '46',
  },
  // c: panic disorder with a single PDSS score, so outcomes fall back to GAD-7 (ADSM completeness 0 of 1);
  // finished, recovered; wait 10 days; second treatment in period, 40 days after the first.
  {
    id: 'c', patientId: 'P3', referralReceived: '2026-01-10', problemDescriptor: 'F41.0', pathway: 'core',
    contacts: [tx('2026-01-20'), tx('2026-03-01')],
    measures: [m('2026-01-20', 'phq9', 9), m('2026-01-20', 'gad7', 10), m('2026-01-21', 'pdss', 13), m('2026-03-01', 'phq9', 9), m('2026-03-01', 'gad7', 5)],
    dischargeDate: '2026-03-10', endCode: '47',
  },
  // d: P1's earlier referral, 2 attended contacts, discharged 91 days before a was received.
  { id: 'd', patientId: 'P1', referralReceived: '2025-06-01', clinicianId: 'c9', pathway: 'core', contacts: [tx('2025-06-10'), tx('2025-07-01')], dischargeDate: '2025-12-01', endCode: '46' },
  // e: open; last attended contact 150 days before the period end; a DNA in the period.
  { id: 'e', patientId: 'P4', referralReceived: '2025-10-01', pathway: 'core', contacts: [tx('2025-11-01'), tx('2026-03-05', 3)] },
  // f: ended in period before treatment (assessment only); end code 12.
  { id: 'f', patientId: 'P5', referralReceived: '2026-02-01', pathway: 'core', contacts: [tx('2026-02-10', 5, 'assessment')], dischargeDate: '2026-03-15', endCode: '12' },
  // g: ended in period treated once; end code 43 is v1.5, invalid in v2.
  { id: 'g', patientId: 'P6', referralReceived: '2026-02-01', pathway: 'core', contacts: [tx('2026-02-15')], dischargeDate: '2026-03-20', endCode: '43' },
  // i: open; entered treatment in period 90 days after referral.
  { id: 'i', patientId: 'P7', referralReceived: '2025-12-20', referralSource: 'A1', clinicianId: 'c2', step: 2, pathway: 'core', contacts: [tx('2026-03-20')] },
  // malformed: excluded, listed.
  { id: 'bad', referralReceived: '2026-03-03', pathway: 'elsewhere' } as unknown as EpisodeInput,
];
const r = programmeRates(caseload, period);

describe('service figures NHS England publishes (ref §4)', () => {
  it('referrals received, entered treatment, ended', () => {
    expect(r.referralsReceived).toBe(1);
    expect(r.enteredTreatment).toBe(2);
    expect(r.ended).toBe(4);
  });
  it('ended before treatment and ended treated once, of the referrals ended', () => {
    expect(r.endedBeforeTreatment).toEqual({ count: 1, denominator: 4, rate: 0.25 });
    expect(r.endedTreatedOnce).toEqual({ count: 1, denominator: 4, rate: 0.25 });
  });
  it('finished courses, recovery and no reliable change', () => {
    expect(r.finished).toBe(2);
    expect(r.recovery).toEqual({ count: 2, denominator: 2, rate: 1 });
    expect(r.noReliableChange).toEqual({ count: 0, denominator: 2, rate: 0 });
  });
  it('waits for the finished cohort (≤ 42, ≤ 126 days)', () => {
    expect(r.startedWithin6Weeks).toEqual({ count: 2, denominator: 2, rate: 1 });
    expect(r.startedWithin18Weeks).toEqual({ count: 2, denominator: 2, rate: 1 });
  });
  it('waits for the entering-treatment cohort: 8 and 90 days', () => {
    expect(r.enteredTreatmentWaits).toEqual({
      n: 2,
      within14Days: { count: 1, denominator: 2, rate: 0.5 },
      within42Days: { count: 1, denominator: 2, rate: 0.5 },
      within84Days: { count: 1, denominator: 2, rate: 0.5 },
      within126Days: { count: 2, denominator: 2, rate: 1 },
      meanDays: { value: 49, n: 2 },
      medianDays: { value: 49, n: 2 },
    });
  });
  it('first to second treatment bands: 14 and 40 days', () => {
    expect(r.firstToSecondWaits).toEqual({
      n: 2,
      within28Days: { count: 1, denominator: 2, rate: 0.5 },
      days29To56: { count: 1, denominator: 2, rate: 0.5 },
      days57To90: { count: 0, denominator: 2, rate: 0 },
      over90Days: { count: 0, denominator: 2, rate: 0 },
    });
    expect(r.firstToSecondOver90Days).toEqual({ count: 0, denominator: 2, rate: 0 });
  });
  it('DNA rate: 2 DNAs of 7 contacts in the period, from 5 referrals; the pre-referral contact is not counted', () => {
    expect(r.dnaRate).toEqual({ count: 2, denominator: 7, rate: 2 / 7, referrals: 5 });
  });
  it('mean attended treatment contacts per finished course: (3 + 2) / 2', () => {
    expect(r.meanTreatmentContacts).toEqual({ value: 2.5, n: 2 });
  });
  it('open referrals with no contact for more than 90 days: 1 of 3 open', () => {
    expect(r.openNoContactOver90Days).toEqual({ count: 1, denominator: 3, rate: 1 / 3 });
  });
  it('open, no contact > 90 days runs from the last attended treatment, over the open referrals that had one (NHSE KM)', () => {
    const extra: EpisodeInput[] = [
      // j: waiting for treatment, assessed 200 days before the period end: not in the figure at all.
      { id: 'j', referralReceived: '2025-09-01', pathway: 'core', contacts: [tx('2025-09-12', 5, 'assessment')] },
      // k: last treatment 91 days before 31 March (30 Dec); an assessment since does not reset it.
      { id: 'k', referralReceived: '2025-10-01', pathway: 'core', contacts: [tx('2025-12-30'), tx('2026-03-01', 5, 'assessment')] },
      // l: last treatment exactly 90 days before (31 Dec): not over 90.
      { id: 'l', referralReceived: '2025-10-01', pathway: 'core', contacts: [tx('2025-12-31')] },
    ];
    expect(programmeRates([...caseload, ...extra], period).openNoContactOver90Days).toEqual({ count: 2, denominator: 5, rate: 2 / 5 });
  });
  it('repeat referrals within 365 days of an earlier referral with ≥ 2 appointments', () => {
    expect(r.repeatReferrals).toEqual({ count: 1, denominator: 1, rate: 1 });
    const notRepeat = caseload.map((e) => (e.id === 'd' ? { ...e, contacts: [tx('2025-06-10')] } : e));
    expect(programmeRates(notRepeat, period).repeatReferrals.count).toBe(0);
    const tooLate = caseload.map((e) => (e.id === 'd' ? { ...e, dischargeDate: '2025-03-01', referralReceived: '2025-01-01', contacts: [tx('2025-01-10'), tx('2025-02-01')] } : e));
    expect(programmeRates(tooLate, period).repeatReferrals.count).toBe(0); // 366 days
  });
  it('end codes by code and by v2 group, with invalid codes counted', () => {
    expect(r.endCodes).toEqual({ ended: 4, byCode: { '46': 1, '47': 1, '12': 1, '43': 1 }, byGroup: { 'referred-not-seen': 0, 'seen-not-taken-on': 1, 'seen-and-taken-on': 2 }, invalid: 1 });
  });
  it('ADSM completeness (ref §2.1): the panic referral fell back to GAD-7', () => {
    expect(r.adsmCompleteness).toEqual({ count: 0, denominator: 1, rate: 0 });
  });
  it('local: mean first and last WSAS, DDS-17 and PHQ-15 for finished courses', () => {
    expect(r.supplementaryMeans.wsas).toEqual({ n: 1, first: 20, last: 10 });
    expect(r.supplementaryMeans.dds17).toEqual({ n: 1, first: 3, last: 2 });
    expect(r.supplementaryMeans.phq15).toMatchObject({ n: 0, first: null, last: null, reason: expect.any(String) });
  });
  it('the malformed referral is excluded and listed, the rest reported', () => {
    expect(r.dataQuality.excluded).toEqual([{ index: 8, id: 'bad', reasons: [expect.stringMatching(/^episodes\.8\.pathway/)] }]);
    expect(r.dataQuality.warnings).toEqual([{ index: 0, id: 'a', warnings: [expect.stringContaining('2026-03-01')] }]);
  });
  it('an empty period: zero counts, null rates with reasons', () => {
    const empty = programmeRates(caseload, { start: '2030-01-01', end: '2030-01-31' });
    expect(empty.referralsReceived).toBe(0);
    for (const rate of [empty.endedBeforeTreatment, empty.dnaRate, empty.repeatReferrals, empty.adsmCompleteness, empty.enteredTreatmentWaits.within14Days, empty.firstToSecondWaits.over90Days]) {
      expect(rate.rate).toBeNull();
      expect(rate.reason).toMatch(/^no /);
    }
    expect(empty.enteredTreatmentWaits.medianDays).toMatchObject({ value: null, n: 0 });
  });
});

describe('split by dimension; a missing value is "not recorded"', () => {
  it('by pathway', () => {
    const s = programmeRatesBy(caseload, period, 'pathway');
    expect(s.groups.map((g) => [g.key, g.rates.finished])).toEqual([['core', 1], ['integrated-ltc', 1]]);
    expect(s.dataQuality.excludedCount).toBe(1);
    // The pre-referral contact of a is listed once for the whole split, not lost.
    expect(s.dataQuality.warnings).toEqual([{ index: 0, id: 'a', warnings: [expect.stringContaining('2026-03-01')] }]);
  });
  it('by referral source, with labels from ref §5.2', () => {
    const s = programmeRatesBy(caseload, period, 'referralSource');
    expect(s.groups.map((g) => g.key)).toEqual(['A1', 'B1', 'not recorded']);
    expect(s.groups[0]).toMatchObject({ label: 'A1 GP', rates: { referralsReceived: 1, enteredTreatment: 2 } });
    expect(s.groups[2]!.label).toBe('Not recorded');
  });
  it('by clinician: a repeat referral is found across groups', () => {
    const s = programmeRatesBy(caseload, period, 'clinician');
    expect(s.groups.map((g) => g.key)).toEqual(['c1', 'c2', 'c9', 'not recorded']);
    expect(s.groups[0]!.rates.repeatReferrals).toEqual({ count: 1, denominator: 1, rate: 1 });
  });
  it('by step and by long-term condition', () => {
    expect(programmeRatesBy(caseload, period, 'step').groups.map((g) => [g.key, g.label])).toEqual([['2', 'Step 2'], ['3', 'Step 3'], ['not recorded', 'Not recorded']]);
    const ltc = programmeRatesBy(caseload, period, 'ltc');
    expect(ltc.groups.map((g) => [g.key, g.rates.finished])).toEqual([['44054006', 1], ['not recorded', 1]]);
  });
  it('an unknown dimension is an error', () => {
    expect(() => programmeRatesBy(caseload, period, 'postcode' as never)).toThrow(/dimension/);
  });
});

describe('export figures: sources, local flags, small-number suppression', () => {
  it('every figure cites its reference row; the ≤ 14 / ≤ 84-day bands and the WSAS/DDS/PHQ-15 means are local', () => {
    const f = programmeFigures(r);
    for (const x of f) expect(x.source).toMatch(/^ref §/);
    const byId = new Map(f.map((x) => [x.id, x]));
    expect(byId.get('enteredWithin14Days')!.local).toBe(true);
    expect(byId.get('enteredWithin84Days')!.local).toBe(true);
    expect(byId.get('enteredWithin42Days')!.local).toBe(false);
    expect(byId.get('wsasFirst')).toMatchObject({ local: true, value: 20 });
    expect(byId.get('recovery')).toMatchObject({ value: 1, count: 2, denominator: 2, local: false, suppressed: false });
    expect(byId.get('endCode.invalid')).toMatchObject({ value: 1 });
    expect(byId.get('endCodeGroup.seen-and-taken-on')).toMatchObject({ value: 2 });
    expect(f.filter((x) => x.id.startsWith('endCode.')).length).toBe(END_CODES.length + 1);
  });
  it('figures from fewer than 5 referrals, or with a count below 5, are suppressed for export; zero is kept', () => {
    const byId = new Map(programmeFigures(r, { suppressBelow: 5 }).map((x) => [x.id, x]));
    expect(byId.get('referralsReceived')).toMatchObject({ value: null, count: null, suppressed: true });
    expect(byId.get('recovery')).toMatchObject({ value: null, count: null, denominator: null, suppressed: true });
    // 5 referrals, but 2 DNAs: the rate would disclose the 2.
    expect(byId.get('dnaRate')).toMatchObject({ value: null, count: null, denominator: null, referrals: 5, suppressed: true, note: 'suppressed: a count below 5' });
    expect(byId.get('endCode.50')).toMatchObject({ value: 0, suppressed: false });
    expect(byId.get('endCode.invalid')).toMatchObject({ value: null, suppressed: true });
  });
  it('a rate of a small count in a large denominator is suppressed; 0 of 6 and 5 of 6 are kept', () => {
    const many = (n: number, recovered: number): EpisodeInput[] =>
      Array.from({ length: n }, (_, k) => ({
        id: `m${k}`, referralReceived: '2026-01-05', pathway: 'core', contacts: [tx('2026-01-26'), tx('2026-02-23')], dischargeDate: '2026-03-02', endCode: '46',
        // Recovered: 15/12 → 5/4. Not recovered: 15/12 → 14/11 (still at caseness).
        measures: [m('2026-01-26', 'phq9', 15), m('2026-01-26', 'gad7', 12), m('2026-02-23', 'phq9', k < recovered ? 5 : 14), m('2026-02-23', 'gad7', k < recovered ? 4 : 11)],
      }));
    const fig = (n: number, recovered: number) => programmeFigures(programmeRates(many(n, recovered), period), { suppressBelow: 5 }).find((x) => x.id === 'recovery')!;
    expect(fig(6, 2)).toMatchObject({ value: null, count: null, suppressed: true });
    expect(fig(6, 0)).toMatchObject({ value: 0, count: 0, denominator: 6, suppressed: false });
    expect(fig(6, 5)).toMatchObject({ value: 5 / 6, count: 5, denominator: 6, suppressed: false });
  });
});

describe('code lists for screens', () => {
  it('v2 end codes with their groups (ref §4 "End codes")', () => {
    const group = (g: string) => END_CODES.filter((c) => c.group === g).map((c) => c.code).sort();
    expect(group('referred-not-seen')).toEqual(['50']);
    expect(group('seen-not-taken-on')).toEqual(['10', '11', '12', '13', '14', '16', '17', '95']);
    expect(group('seen-and-taken-on')).toEqual(['46', '47', '48', '49', '96']);
    for (const c of END_CODES) expect(c.label.length).toBeGreaterThan(3);
  });
  it('referral sources (ref §5.2)', () => {
    const codes = REFERRAL_SOURCES.map((s) => s.code);
    expect(codes).toHaveLength(41);
    expect(REFERRAL_SOURCES.find((s) => s.code === 'B1')!.label).toBe('Self-referral');
    expect(codes).toEqual(expect.arrayContaining(['A1', 'N1', 'N2', 'N4', 'Q1']));
    expect(codes).not.toContain('N3');
  });
});
