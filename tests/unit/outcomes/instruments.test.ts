import { describe, expect, it } from 'vitest';
import { createOutcomes, hba1cFromPercent, hba1cToPercent, OutcomeError, reliableChange, scoreMeasure } from '../../../shared/outcomes';
import { spread } from './helpers';

/**
 * Expected values are typed in from the domain reference (ref §n), not read from the catalogue, so a wrong
 * catalogue entry fails here.
 */
function expectError(fn: () => unknown, code: string, paths: string[]): OutcomeError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(OutcomeError);
  const e = caught as OutcomeError;
  expect(e.code).toBe(code);
  expect(e.fields.map((f) => f.path)).toEqual(paths);
  return e;
}

describe('PHQ-9 (ref §1, §8: 9 × 0–3, caseness ≥ 10, reliable change ≥ 6, Kroenke bands)', () => {
  it.each([
    [0, 'Minimal', false],
    [4, 'Minimal', false],
    [5, 'Mild', false],
    [9, 'Mild', false],
    [10, 'Moderate', true],
    [11, 'Moderate', true],
    [14, 'Moderate', true],
    [15, 'Moderately severe', true],
    [19, 'Moderately severe', true],
    [20, 'Severe', true],
    [27, 'Severe', true],
  ])('total %i → %s, caseness %s', (total, severity, caseness) => {
    const r = scoreMeasure('phq9', spread(total, 9, 3));
    expect(r).toMatchObject({ total, severity, caseness, complete: true, missing: [], warnings: [] });
  });

  it('item 9 above 0 raises a risk flag and never changes the total', () => {
    const answers = [0, 0, 0, 0, 0, 0, 0, 0, 2];
    const r = scoreMeasure('phq9', answers);
    expect(r.total).toBe(2);
    expect(r.riskFlags).toEqual([expect.objectContaining({ flag: 'phq9-item9', item: '9', value: 2 })]);
    expect(scoreMeasure('phq9', [3, 3, 3, 3, 3, 3, 3, 3, 0]).riskFlags).toEqual([]);
  });

  it('raises the risk flag even when other items are missing', () => {
    const r = scoreMeasure('phq9', [1, null, 1, 1, 1, 1, 1, 1, 1]);
    expect(r).toMatchObject({ complete: false, total: null, severity: null, caseness: null, missing: ['2'] });
    expect(r.riskFlags).toHaveLength(1);
  });

  it('does not prorate missing answers', () => {
    expect(scoreMeasure('phq9', [3, 3, 3, 3, 3, 3, 3, null, null])).toMatchObject({ complete: false, total: null, missing: ['8', '9'] });
  });

  it.each([
    [16, 10, 'improved'],
    [16, 11, 'none'],
    [10, 16, 'deteriorated'],
    [10, 15, 'none'],
    [27, 0, 'improved'],
  ])('reliable change %i → %i is %s', (first, last, expected) => expect(reliableChange('phq9', first, last)).toBe(expected));

  it('carries its SNOMED code (ref §5.6)', () => expect(createOutcomes().instrument('phq9').snomed).toBe('720433000'));
});

describe('GAD-7 (ref §1, §8: 7 × 0–3, caseness ≥ 8 not 10, reliable change ≥ 4)', () => {
  it.each([
    [0, 'Minimal', false],
    [4, 'Minimal', false],
    [5, 'Mild', false],
    [7, 'Mild', false],
    [8, 'Mild', true],
    [9, 'Mild', true],
    [10, 'Moderate', true],
    [14, 'Moderate', true],
    [15, 'Severe', true],
    [21, 'Severe', true],
  ])('total %i → %s, caseness %s', (total, severity, caseness) => {
    expect(scoreMeasure('gad7', spread(total, 7, 3))).toMatchObject({ total, severity, caseness });
  });
  it.each([
    [12, 8, 'improved'],
    [12, 9, 'none'],
    [8, 12, 'deteriorated'],
    [8, 11, 'none'],
  ])('reliable change %i → %i is %s', (first, last, expected) => expect(reliableChange('gad7', first, last)).toBe(expected));
  it('carries its SNOMED code (ref §5.6)', () => expect(createOutcomes().instrument('gad7').snomed).toBe('445455005'));
});

describe('PHQ-4 (Kroenke 2009: positive if PHQ-2 ≥ 3 or GAD-2 ≥ 3; bands 0–2 / 3–5 / 6–8 / 9–12)', () => {
  // item order: gad-1, gad-2, phq-1, phq-2
  it.each([
    [[0, 0, 0, 0], 0, 'None', false],
    [[1, 1, 0, 0], 2, 'None', false],
    [[1, 1, 1, 0], 3, 'Mild', false],
    [[2, 0, 1, 1], 4, 'Mild', false],
    [[2, 1, 0, 0], 3, 'Mild', true],
    [[0, 0, 1, 2], 3, 'Mild', true],
    [[2, 0, 2, 1], 5, 'Mild', true],
    [[1, 1, 2, 2], 6, 'Moderate', true],
    [[2, 2, 2, 2], 8, 'Moderate', true],
    [[3, 3, 3, 0], 9, 'Severe', true],
    [[3, 3, 3, 3], 12, 'Severe', true],
  ])('%j → total %i, %s, positive %s', (answers, total, severity, positive) => {
    const r = scoreMeasure('phq4', answers);
    expect(r).toMatchObject({ total, severity, caseness: null, screen: { positive } });
    expect(r.subscales).toEqual({ gad2: answers[0]! + answers[1]!, phq2: answers[2]! + answers[3]! });
  });
  it('a positive subscale is positive even with the other half missing', () => {
    expect(scoreMeasure('phq4', [2, 2, null, null]).screen).toMatchObject({ positive: true });
    expect(scoreMeasure('phq4', [1, 1, null, null]).screen).toBeNull();
  });
});

describe('WSAS (ref §1: 5 × 0–8, work may be N/A, no programme caseness; Mundt bands [U])', () => {
  it.each([
    [0, 'Subclinical'],
    [9, 'Subclinical'],
    [10, 'Significant impairment'],
    [20, 'Significant impairment'],
    [21, 'Moderately severe or worse'],
    [40, 'Moderately severe or worse'],
  ])('total %i → %s, with an unverified-band warning', (total, severity) => {
    const r = scoreMeasure('wsas', spread(total, 5, 8));
    expect(r).toMatchObject({ total, severity, caseness: null });
    expect(r.warnings.join(' ')).toMatch(/unverified/);
  });
  it('work "not applicable" totals the other four and says so', () => {
    const r = scoreMeasure('wsas', ['na', 8, 8, 8, 8]);
    expect(r).toMatchObject({ total: 32, complete: true, notApplicable: ['work'] });
    expect(r.warnings[0]).toContain('the other 4 items (range 0–32)');
  });
  it('only the work item may be "not applicable"', () => {
    expectError(() => scoreMeasure('wsas', [1, 'na', 1, 1, 1]), 'INVALID_ANSWERS', ['answers.1']);
  });
  it('has no reliable-change value', () => expectError(() => reliableChange('wsas', 20, 10), 'NO_RELIABLE_CHANGE', ['instrumentId']));
});

describe('IAPT Phobia Scales (ref §1: 3 × 0–8; ≥ 4 on any item = caseness, not used in recovery)', () => {
  it.each([
    [[0, 0, 0], false],
    [[3, 3, 3], false],
    [[4, 0, 0], true],
    [[0, 4, 0], true],
    [[0, 0, 4], true],
    [[8, 8, 8], true],
    [[3, null, 0], null],
    [[4, null, 0], true],
  ])('%j → caseness %s', (answers, caseness) => {
    expect(scoreMeasure('phobia', answers).caseness).toBe(caseness);
  });
  it('reports each scale separately', () => {
    expect(scoreMeasure('phobia', [1, 5, 7]).subscales).toEqual({ social: 1, agoraphobic: 5, specific: 7 });
  });
});

describe('PHQ-15 (ref §3: 15 × 0–2; 5 / 10 / 15 = low / medium / high; menstrual item may be N/A → 0–28)', () => {
  it.each([
    [0, 'Minimal'],
    [4, 'Minimal'],
    [5, 'Low'],
    [9, 'Low'],
    [10, 'Medium'],
    [14, 'Medium'],
    [15, 'High'],
    [30, 'High'],
  ])('total %i → %s', (total, severity) => expect(scoreMeasure('phq15', spread(total, 15, 2))).toMatchObject({ total, severity }));
  it('items score 0–2, not 0–3', () => expectError(() => scoreMeasure('phq15', [3, ...Array(14).fill(0)]), 'INVALID_ANSWERS', ['answers.0']));
  it('the menstrual item "not applicable" gives a 0–28 range', () => {
    const answers: (number | 'na')[] = Array(15).fill(2);
    answers[3] = 'na';
    const r = scoreMeasure('phq15', answers);
    expect(r.total).toBe(28);
    expect(r.warnings[0]).toContain('range 0–28');
  });
});

describe('DDS2 — the seed’s diabetes screen (ref §3, §7: 2 × 1–6, mean; Fisher 2008 mean ≥ 3)', () => {
  it.each([
    [[1, 1], 1, false],
    [[2, 3], 2.5, false],
    [[3, 3], 3, true],
    [[2, 4], 3, true],
    [[6, 6], 6, true],
  ])('%j → mean %f, positive %s', (answers, total, positive) => {
    expect(scoreMeasure('dds2', answers)).toMatchObject({ total, caseness: null, screen: { positive } });
  });
  it('0 is not on the 1–6 scale', () => expectError(() => scoreMeasure('dds2', [0, 3]), 'INVALID_ANSWERS', ['answers.0']));
  it('a service may choose the newer mean ≥ 2.0 rule', () => {
    const newer = createOutcomes({ dds2Rule: 'dds-guidance-mean-2' });
    expect(newer.scoreMeasure('dds2', [2, 2]).screen?.positive).toBe(true);
    expect(newer.scoreMeasure('dds2', [1, 2]).screen?.positive).toBe(false);
    expect(newer.scoreMeasure('dds2', [2, 2]).screen?.label).toContain('2.0');
  });
});

describe('DDS-17 (ref §3: 17 × 1–6, mean; 4 subscales; < 2 / 2–2.9 / ≥ 3)', () => {
  it.each([
    [17, 1, 'Little or no distress'],
    [33, 1.94, 'Little or no distress'],
    [34, 2, 'Moderate distress'],
    [50, 2.94, 'Moderate distress'],
    [51, 3, 'High distress'],
    [102, 6, 'High distress'],
  ])('sum %i → mean %f, %s', (sum, mean, severity) => {
    expect(scoreMeasure('dds17', spread(sum, 17, 6, 1))).toMatchObject({ total: mean, severity });
  });
  it('scores the four subscales from the reference’s item lists', () => {
    const answers = Array(17).fill(1);
    for (const i of [1, 4, 7, 10, 14]) answers[i - 1] = 6; // emotional burden
    for (const i of [9, 13, 17]) answers[i - 1] = 4; // interpersonal
    expect(scoreMeasure('dds17', answers).subscales).toEqual({ 'emotional-burden': 6, physician: 1, regimen: 1, interpersonal: 4 });
  });
});

describe('Talking Health COPD and cardiac screens (ref §3, §7: local, no published cut-off)', () => {
  it.each(['copd-screen', 'cardiac-screen'])('%s gives no result until the service sets a cut-off, and never caseness', (id) => {
    const r = scoreMeasure(id, [3, 3]);
    expect(r).toMatchObject({ total: 6, caseness: null, screen: null });
    expect(r.warnings.join(' ')).toContain('has not set a cut-off');
  });
  it('with a service cut-off, the result is a "positive screen (service cut-off)"', () => {
    const service = createOutcomes({ instruments: { 'copd-screen': { screenThreshold: 4 } } });
    expect(service.scoreMeasure('copd-screen', [2, 2])).toMatchObject({ caseness: null, screen: { positive: true, label: 'positive screen (service cut-off)' } });
    expect(service.scoreMeasure('copd-screen', [1, 2]).screen?.positive).toBe(false);
  });
  it('the service may set the response scale too', () => {
    const service = createOutcomes({ instruments: { 'cardiac-screen': { responseOptions: [{ value: 0, label: 'No' }, { value: 1, label: 'Yes' }], screenThreshold: 1 } } });
    expect(service.scoreMeasure('cardiac-screen', [0, 1]).screen?.positive).toBe(true);
    expectError(() => service.scoreMeasure('cardiac-screen', [2, 0]), 'INVALID_ANSWERS', ['answers.0']);
  });
});

describe('ADSM score-entry shells (ref §2.2, verified against NHS Digital\'s guide v2.1: operators as printed, bare numbers inclusive)', () => {
  // [id, min, max, caseness ≥, reliable change ≥] — typed from the ref §2.2 table.
  it.each([
    ['spin', 0, 68, 19, 10],
    ['pcl5', 0, 80, 32, 10],
    ['oci', 0, 168, 40, 32],
    ['hai-short', 0, 54, 18, 4],
  ])('%s: range %i–%i, caseness ≥ %i, reliable change ≥ %i, verified (no warning)', (id, min, max, cut, rc) => {
    expect(scoreMeasure(id, [min]).total).toBe(min);
    expect(scoreMeasure(id, [max]).total).toBe(max);
    expect(scoreMeasure(id, [cut - 1]).caseness).toBe(false);
    expect(scoreMeasure(id, [cut]).caseness).toBe(true);
    expect(scoreMeasure(id, [cut + 1]).caseness).toBe(true);
    expect(scoreMeasure(id, [cut]).warnings).toEqual([]);
    expect(reliableChange(id, cut + rc, cut)).toBe('improved');
    expect(reliableChange(id, cut + rc - 1, cut)).toBe('none');
    expect(reliableChange(id, cut, cut + rc)).toBe('deteriorated');
    expectError(() => scoreMeasure(id, [max + 1]), 'INVALID_ANSWERS', ['answers.0']);
    expectError(() => scoreMeasure(id, [cut + 0.5]), 'INVALID_ANSWERS', ['answers.0']);
    expect(createOutcomes().instrument(id).items.every((i) => i.text === undefined)).toBe(true);
    expect(createOutcomes().instrument(id).caseness?.source).toMatch(/guide to IAPT data and publications v2\.1/);
  });
  it('PDSS: range 0–28, caseness ≥ 8, reliable change strictly above 5 (a change of exactly 5 is not reliable)', () => {
    expect(scoreMeasure('pdss', [7]).caseness).toBe(false);
    expect(scoreMeasure('pdss', [8])).toMatchObject({ caseness: true, warnings: [] });
    expect(reliableChange('pdss', 13, 8)).toBe('none'); // fall of 5
    expect(reliableChange('pdss', 14, 8)).toBe('improved'); // fall of 6
    expect(reliableChange('pdss', 8, 13)).toBe('none'); // rise of 5
    expect(reliableChange('pdss', 8, 14)).toBe('deteriorated'); // rise of 6
    expectError(() => scoreMeasure('pdss', [29]), 'INVALID_ANSWERS', ['answers.0']);
  });
  it('Mobility Inventory (alone) is a mean 1–5: caseness strictly above 2.3, reliable change ≥ 0.73', () => {
    expect(scoreMeasure('mi-alone', [2.29]).caseness).toBe(false);
    expect(scoreMeasure('mi-alone', [2.3]).caseness).toBe(false);
    expect(scoreMeasure('mi-alone', [2.31])).toMatchObject({ caseness: true, warnings: [] });
    expect(reliableChange('mi-alone', 3.0, 2.27)).toBe('improved');
    expect(reliableChange('mi-alone', 3.0, 2.28)).toBe('none');
    expectError(() => scoreMeasure('mi-alone', [0.9]), 'INVALID_ANSWERS', ['answers.0']);
    expectError(() => scoreMeasure('mi-alone', [5.1]), 'INVALID_ANSWERS', ['answers.0']);
  });
  it('a stored total must be possible for its instrument: whole for sums and whole-number entries, not for means', () => {
    const o = createOutcomes();
    expect(o.measureTotalProblems('phq9', 9.5)).toEqual([{ path: 'total', message: expect.stringContaining('whole number') }]);
    expect(o.measureTotalProblems('gad7', 7.9).map((p) => p.path)).toEqual(['total']);
    expect(o.measureTotalProblems('pdss', 5.5).map((p) => p.path)).toEqual(['total']);
    expect(o.measureTotalProblems('oci', 39.5).map((p) => p.path)).toEqual(['total']);
    expect(o.measureTotalProblems('mi-alone', 2.31)).toEqual([]); // a mean of 1–5 items (ref §2.2)
    expect(o.measureTotalProblems('dds17', 2.94)).toEqual([]); // a mean (ref §3)
    expect(o.measureTotalProblems('peq-treatment', 3)).toEqual([{ path: 'total', message: expect.stringContaining('no total') }]);
  });
  it('the OCI (not the OCI-R) takes totals above 72: a total of 100 is valid and at caseness', () => {
    expect(scoreMeasure('oci', [100])).toMatchObject({ total: 100, caseness: true, warnings: [] });
    expect(createOutcomes().measureTotalProblems('oci', 100)).toEqual([]);
    expect(createOutcomes().measureTotalProblems('oci-r', 100)).toEqual([{ path: 'total', message: expect.stringContaining('0 and 72') }]);
  });
  it('the OCI-R and IES-R are configured alternatives whose values are not the guide\'s, so they still warn', () => {
    expect(scoreMeasure('oci-r', [21]).caseness).toBe(true);
    expect(scoreMeasure('oci-r', [20]).caseness).toBe(false);
    expect(scoreMeasure('oci-r', [21]).warnings.join(' ')).toMatch(/unverified/);
    expect(scoreMeasure('ies-r', [33]).warnings.join(' ')).toMatch(/unverified/);
  });
  it('a service override replaces the value and keeps the instrument\'s operator', () => {
    const service = createOutcomes({ instruments: { spin: { caseness: 21, reliableChange: 12 }, 'mi-alone': { caseness: 2.5 }, pdss: { reliableChange: 4 } } });
    expect(service.scoreMeasure('spin', [20])).toMatchObject({ caseness: false, warnings: [] });
    expect(service.scoreMeasure('spin', [21]).caseness).toBe(true);
    expect(service.reliableChange('spin', 30, 19)).toBe('none');
    expect(service.reliableChange('spin', 31, 19)).toBe('improved');
    expect(service.scoreMeasure('mi-alone', [2.5]).caseness).toBe(false); // still strictly above
    expect(service.scoreMeasure('mi-alone', [2.51]).caseness).toBe(true);
    expect(service.reliableChange('pdss', 12, 8)).toBe('none'); // still strictly above: 4 is not > 4
    expect(service.reliableChange('pdss', 13, 8)).toBe('improved');
  });
});

describe('supplementary MUS/LTC measures (ref §2.2 notes)', () => {
  it('Francis IBS-SSS: score entry 0–500, caseness ≥ 75, no reliable-change value', () => {
    expect(scoreMeasure('ibs-sss', [74]).caseness).toBe(false);
    expect(scoreMeasure('ibs-sss', [75])).toMatchObject({ total: 75, caseness: true, warnings: [] });
    expect(scoreMeasure('ibs-sss', [500]).total).toBe(500);
    expectError(() => scoreMeasure('ibs-sss', [501]), 'INVALID_ANSWERS', ['answers.0']);
    expectError(() => reliableChange('ibs-sss', 300, 100), 'NO_RELIABLE_CHANGE', ['instrumentId']);
  });
  it('PHQ-15 caseness ≥ 10 only for an MUS problem descriptor', () => {
    const ten = spread(10, 15, 2);
    const nine = spread(9, 15, 2);
    expect(scoreMeasure('phq15', ten, { problemDescriptor: 'F45.1' }).caseness).toBe(true);
    expect(scoreMeasure('phq15', nine, { problemDescriptor: 'F45.1' }).caseness).toBe(false);
    expect(scoreMeasure('phq15', ten, { problemDescriptor: 'F45.9' }).caseness).toBe(true); // somatoform, unspecified
    // Not an unspecified MUS: IBS is measured with the IBS-SSS (ref §2.2 notes), CFS is a named descriptor too.
    expect(scoreMeasure('phq15', ten, { problemDescriptor: 'K58.0' }).caseness).toBeNull();
    expect(scoreMeasure('phq15', ten, { problemDescriptor: '10743008' }).caseness).toBeNull();
    expect(scoreMeasure('phq15', ten, { problemDescriptor: 'G93.3' }).caseness).toBeNull();
    expect(createOutcomes({ musDescriptors: ['F45', 'K58'] }).scoreMeasure('phq15', ten, { problemDescriptor: 'K58.0' }).caseness).toBe(true);
    // Not MUS: depression with diabetes, health anxiety (its own ADSM, subcodes too), or no descriptor at all.
    expect(scoreMeasure('phq15', ten, { problemDescriptor: 'F32.1' }).caseness).toBeNull();
    expect(scoreMeasure('phq15', ten, { problemDescriptor: 'F45.2' }).caseness).toBeNull();
    expect(scoreMeasure('phq15', ten, { problemDescriptor: 'F45.21' }).caseness).toBeNull();
    expect(scoreMeasure('phq15', ten).caseness).toBeNull();
    expect(scoreMeasure('phq15', ten).severity).toBe('Medium');
  });
});

describe('PEQ, employment, HbA1c and service use', () => {
  it('PEQ answers may be "not applicable" and have no total', () => {
    expect(scoreMeasure('peq-treatment', [4, 3, 'na', 2, 1, 'na'])).toMatchObject({ total: null, complete: true, notApplicable: ['q3', 'q6'] });
    expect(scoreMeasure('peq-assessment', [1, 0, 1, 'na', 4])).toMatchObject({ complete: true });
    expectError(() => scoreMeasure('peq-treatment', [5, 3, 3, 2, 1, 0]), 'INVALID_ANSWERS', ['answers.0']);
  });
  it('employment status takes the data-set codes (ref §5.6)', () => {
    const def = createOutcomes().instrument('employment');
    expect(def.items[0]!.options!.map((o) => o.code)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', 'ZZ']);
    expect(scoreMeasure('employment', [1, 37, 0, 0, 0, 0, 0]).complete).toBe(true);
    expect(scoreMeasure('employment', [8, 'na', 'na', 'na', 0, 0, 0]).complete).toBe(true);
    expectError(() => scoreMeasure('employment', [9, 0, 0, 0, 0, 0, 0]), 'INVALID_ANSWERS', ['answers.0']);
  });
  it('HbA1c is a value in mmol/mol, and converts from % (ref §3)', () => {
    expect(scoreMeasure('hba1c', [48]).total).toBe(48);
    expectError(() => scoreMeasure('hba1c', [48.5]), 'INVALID_ANSWERS', ['answers.0']);
    expect(hba1cFromPercent(6.5)).toBe(48);
    expect(hba1cFromPercent(7.5)).toBe(58);
    expect(hba1cToPercent(48)).toBe(6.5);
    expectError(() => hba1cFromPercent(48), 'INVALID_INPUT', ['percent']);
  });
  it('service use reports each count over the service’s recall period', () => {
    const r = scoreMeasure('service-use', [3, 1, 0, 2, 0, 5]);
    expect(r.subscales).toEqual({ 'gp-appointments': 3, 'ae-attendances': 1, 'emergency-admissions': 0, 'outpatient-appointments': 2, 'ambulance-conveyances': 0, 'specialist-nurse-contacts': 5 });
    expect(createOutcomes().config.serviceUseRecallMonths).toBe(3);
    expect(createOutcomes({ serviceUseRecallMonths: 6 }).config.serviceUseRecallMonths).toBe(6);
    expectError(() => scoreMeasure('service-use', [-1, 0, 0, 0, 0, 0]), 'INVALID_ANSWERS', ['answers.0']);
  });
});

describe('catalogue', () => {
  it('ships item text only where the licence allows it', () => {
    const withText = createOutcomes().instruments().filter((d) => d.items.some((i) => i.text)).map((d) => d.id);
    for (const id of ['phq9', 'gad7', 'phq4', 'phq15', 'wsas', 'phobia', 'dds2', 'dds17', 'peq-assessment', 'peq-treatment']) expect(withText).toContain(id);
    for (const id of ['spin', 'pdss', 'mi-alone', 'oci', 'oci-r', 'pcl5', 'ies-r', 'hai-short', 'ibs-sss']) expect(withText).not.toContain(id);
  });
  it('a service can add a licensed measure as a score-entry shell, validated like the catalogue', () => {
    const hads = { id: 'hads-a', version: '1', title: 'HADS anxiety', kind: 'score-entry' as const, items: [{ id: 'total', range: { min: 0, max: 21, integer: true } }], scoring: { method: 'value' as const }, caseness: { threshold: 11, basis: 'total' as const, verified: true, source: 'ref §3' }, licence: 'GL Assessment licence held by the service', source: 'ref §3' };
    const service = createOutcomes({ extraInstruments: [hads] });
    expect(service.scoreMeasure('hads-a', [11]).caseness).toBe(true);
    expect(() => createOutcomes({ extraInstruments: [{ ...hads, items: [{ id: 'total', text: 'licensed wording', range: { min: 0, max: 21, integer: true } }] }] })).toThrow(OutcomeError);
  });
});

describe('bad input', () => {
  it('an unknown instrument', () => expectError(() => scoreMeasure('hads', [1]), 'UNKNOWN_INSTRUMENT', ['instrumentId']));
  it('the wrong number of answers', () => expectError(() => scoreMeasure('gad7', [1, 1, 1]), 'INVALID_ANSWERS', ['answers']));
  it('not an array', () => expectError(() => scoreMeasure('gad7', 'seven' as never), 'INVALID_ANSWERS', ['answers']));
  it('every out-of-range and non-integer answer is listed, and nothing is scored', () => {
    expectError(() => scoreMeasure('phq9', [4, 1, 1.5, 1, -1, 1, 1, 1, 'x']), 'INVALID_ANSWERS', ['answers.0', 'answers.2', 'answers.4', 'answers.8']);
  });
  it('reliable change with impossible scores', () => expectError(() => reliableChange('phq9', 30, Number.NaN), 'INVALID_INPUT', ['first', 'last']));
  it('a malformed service configuration', () => {
    expect(() => createOutcomes({ instruments: { nope: { caseness: 3 } } })).toThrow(OutcomeError);
    expect(() => createOutcomes({ instruments: { wsas: { caseness: 3 } } })).toThrow(/no caseness rule/);
    expect(() => createOutcomes({ serviceUseRecallMonths: 0 })).toThrow(OutcomeError);
  });
});
