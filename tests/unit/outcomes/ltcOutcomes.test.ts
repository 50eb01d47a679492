import { describe, expect, it } from 'vitest';
import { classifyEpisode, effectSize, effectSizes, hba1cChange, healthcareUseChange, type EpisodeInput, type FinishedCourse } from '../../../shared/outcomes';
import { reportCsv, csvCell } from '../../../electron/services/reports/reportCsv';
import type { ComputedReport } from '../../../electron/services/reports/serviceReport';

/** A finished LTC course: assessment, three attended treatments, PHQ-9 and GAD-7 first → last, optional HbA1c. */
function course(id: string, phq9: [number, number], gad7: [number, number], hba1c: number[] = []): FinishedCourse {
  const dates = ['2025-02-01', '2025-03-01', '2025-04-01'];
  const episode: EpisodeInput = {
    id,
    referralReceived: '2025-01-01',
    pathway: 'integrated-ltc',
    ltcCodes: ['44054006'],
    contacts: dates.map((date, i) => ({ id: `${id}-c${i}`, date, type: 'treatment' as const, attendance: 5 })),
    measures: [
      { date: dates[0]!, instrumentId: 'phq9', total: phq9[0] },
      { date: dates[2]!, instrumentId: 'phq9', total: phq9[1] },
      { date: dates[0]!, instrumentId: 'gad7', total: gad7[0] },
      { date: dates[2]!, instrumentId: 'gad7', total: gad7[1] },
      ...hba1c.map((total, i) => ({ date: dates[i === 0 ? 0 : 2]!, instrumentId: 'hba1c', total })),
    ],
    dischargeDate: '2025-04-01',
    endCode: '46',
  };
  return { episode, result: classifyEpisode(episode) };
}

describe('LTC pathway figures (issue #11 item 2)', () => {
  it('effect size is (mean first − mean last) ÷ sample SD of the first scores, with the number of pairs', () => {
    // firsts 10, 14, 18: mean 14, SD 4; lasts 6, 8, 10: mean 8 → d = 1.5
    const e = effectSize('phq9', [{ first: 10, last: 6 }, { first: 14, last: 8 }, { first: 18, last: 10 }]);
    expect(e).toEqual({ instrumentId: 'phq9', pairs: 3, meanFirst: 14, meanLast: 8, sdFirst: 4, effectSize: 1.5 });
    expect(effectSize('phq9', [{ first: 10, last: 6 }]).effectSize).toBeNull();
    expect(effectSize('phq9', [{ first: 10, last: 6 }, { first: 10, last: 2 }]).reason).toMatch(/spread is 0/);
  });

  it('takes each instrument’s own pairs from the classified courses', () => {
    const courses = [course('a', [10, 6], [12, 4]), course('b', [14, 8], [8, 4]), course('c', [18, 10], [10, 4])];
    const sizes = effectSizes(courses);
    expect(sizes.map((s) => s.instrumentId)).toEqual(['gad7', 'phq9']);
    expect(sizes.find((s) => s.instrumentId === 'phq9')!.effectSize).toBeCloseTo(1.5, 12);
    expect(sizes.find((s) => s.instrumentId === 'gad7')).toMatchObject({ pairs: 3, meanFirst: 10, meanLast: 4, sdFirst: 2, effectSize: 3 });
  });

  it('HbA1c change needs two values on different dates, LTC pathway only', () => {
    const h = hba1cChange([course('a', [12, 5], [10, 3], [70, 60]), course('b', [12, 5], [10, 3], [80, 76]), course('c', [12, 5], [10, 3], [90])]);
    expect(h).toEqual({ n: 2, meanFirst: 75, meanLast: 68, meanChange: -7 });
    const core = course('d', [12, 5], [10, 3], [70, 60]);
    expect(hba1cChange([{ ...core, episode: { ...core.episode, pathway: 'core' } }]).n).toBe(0);
  });

  it('healthcare use sums first and last records per item, and savings use only the unit costs entered', () => {
    const items = ['gp-appointments', 'ae-attendances'];
    const use = new Map([
      ['a', [{ date: '2025-02-01', counts: { 'gp-appointments': 6, 'ae-attendances': 2 } }, { date: '2025-04-01', counts: { 'gp-appointments': 2, 'ae-attendances': 1 } }]],
      ['b', [{ date: '2025-02-01', counts: { 'gp-appointments': 4 } }]],
    ]);
    const h = healthcareUseChange([course('a', [12, 5], [10, 3]), course('b', [12, 5], [10, 3])], use, items, { 'gp-appointments': 39 });
    expect(h.n).toBe(1);
    expect(h.items).toEqual([
      { itemId: 'gp-appointments', before: 6, after: 2, unitCost: 39, saving: 156 },
      { itemId: 'ae-attendances', before: 2, after: 1, unitCost: null, saving: null },
    ]);
    expect(h.totalSaving).toBe(156);
    expect(healthcareUseChange([course('a', [12, 5], [10, 3])], use, items, {}).totalSaving).toBeNull();
  });
});

describe('report CSV', () => {
  it('quotes cells and defuses spreadsheet formulas in names the team typed', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('Diabetes clinic, Lister')).toBe('"Diabetes clinic, Lister"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(0.5)).toBe('0.5');
  });

  it('suppresses LTC tables taken over 1–4 courses', () => {
    const computed = {
      report: { effectSizes: [effectSize('phq9', [{ first: 10, last: 6 }, { first: 14, last: 8 }, { first: 18, last: 10 }])], hba1c: { n: 2, meanFirst: 75, meanLast: 68, meanChange: -7 } },
    } as unknown as ComputedReport;
    const es = reportCsv('effect-sizes', computed, 5);
    expect(es.suppressed).toBe(1);
    expect(es.text).toContain('phq9,,,,,,true,suppressed: from fewer than 5 courses');
    expect(es.text).not.toContain('1.5');
    expect(reportCsv('hba1c', computed, 5).text).not.toContain('-7');
  });
});
