import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../shared/domain/dates';
import { pausedDaysWithin, pausesOverlap, pauseSummary, waitingClock } from '../../../shared/domain/waitingClock';

describe('waiting clock and pauses (issue #10 §8, IDS108)', () => {
  it('keeps the wait the programme measures and counts pause days beside it', () => {
    const clock = waitingClock('2026-04-01', null, '2026-06-30', [{ startDate: '2026-04-10', endDate: '2026-04-24' }, { startDate: '2026-06-20', endDate: null }]);
    expect(clock).toEqual({ waitedDays: 90, waiting: true, sixWeeksOn: '2026-05-13', eighteenWeeksOn: '2026-08-05', pausedDays: 24, openPause: true });
    // After the first treatment the clock stops, and so does an open pause's count.
    expect(waitingClock('2026-04-01', '2026-06-25', '2026-06-30', [{ startDate: '2026-06-20', endDate: null }])).toMatchObject({ waitedDays: 85, waiting: false, pausedDays: 5 });
  });

  it('counts only the part of a pause inside the wait', () => {
    expect(pausedDaysWithin([{ startDate: '2026-03-25', endDate: '2026-04-05' }], '2026-04-01', '2026-05-01')).toBe(4);
    expect(pausedDaysWithin([{ startDate: '2026-04-25', endDate: '2026-05-10' }], '2026-04-01', '2026-05-01')).toBe(6);
    expect(pausedDaysWithin([{ startDate: '2026-05-02', endDate: null }], '2026-04-01', '2026-05-01')).toBe(0);
  });

  it('pause days never exceed the wait, whatever the pauses (property)', () => {
    const day = fc.integer({ min: 0, max: 400 }).map((n) => addDays('2026-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 300 }), fc.array(fc.tuple(day, fc.option(fc.integer({ min: 1, max: 60 }), { nil: null })), { maxLength: 5 }), (from, length, raw) => {
        const until = addDays(from, length);
        // Non-overlapping, as the service keeps them.
        const pauses: { startDate: string; endDate: string | null }[] = [];
        for (const [start, len] of raw) {
          const p = { startDate: start, endDate: len === null ? null : addDays(start, len) };
          if (!pauses.some((q) => pausesOverlap(p, q))) pauses.push(p);
        }
        const paused = pausedDaysWithin(pauses, from, until);
        expect(paused).toBeGreaterThanOrEqual(0);
        expect(paused).toBeLessThanOrEqual(daysBetween(from, until));
      }),
    );
  });

  it('two pauses overlap unless one ends on or before the day the other starts', () => {
    expect(pausesOverlap({ startDate: '2026-04-01', endDate: '2026-04-10' }, { startDate: '2026-04-10', endDate: null })).toBe(false);
    expect(pausesOverlap({ startDate: '2026-04-01', endDate: '2026-04-11' }, { startDate: '2026-04-10', endDate: '2026-04-12' })).toBe(true);
    expect(pausesOverlap({ startDate: '2026-04-01', endDate: null }, { startDate: '2030-01-01', endDate: '2030-01-02' })).toBe(true);
  });

  it('summarises the pauses of the referrals entering treatment, with a median over those that paused', () => {
    const summary = pauseSummary([
      { receivedDate: '2026-01-01', firstTreatmentDate: '2026-03-01', pauses: [{ startDate: '2026-01-10', endDate: '2026-01-20' }] },
      { receivedDate: '2026-01-01', firstTreatmentDate: '2026-02-01', pauses: [] },
      { receivedDate: '2026-01-01', firstTreatmentDate: '2026-03-01', pauses: [{ startDate: '2026-02-01', endDate: '2026-02-21' }, { startDate: '2026-02-25', endDate: null }] },
    ]);
    expect(summary).toEqual({ enteredTreatment: 3, withPause: 2, pausedDays: 34, medianPausedDays: 17 });
    expect(pauseSummary([]).medianPausedDays).toBeNull();
  });
});
