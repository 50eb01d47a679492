import { describe, expect, it } from 'vitest';
import { casePriority, supervisionFlags, type CaseFacts } from '../../../shared/domain/supervisionFlags';

const quiet: CaseFacts = {
  today: '2026-11-23',
  receivedDate: '2026-10-20',
  lastAttendedContactDate: '2026-11-20',
  attendanceCodes: [5, 5],
  firstTreatmentDate: '2026-11-01',
  treatmentContacts: 2,
  reliablyImproved: false,
  reliablyDeteriorated: false,
  changeReason: 'No paired scores yet',
  latestPhq9Item9: 0,
  latestPhq9Date: '2026-11-20',
  latestRiskLevel: 'low',
  latestRiskDate: '2026-11-01',
  discussInSupervision: false,
  missingAtLastContact: [],
};
const kinds = (f: Partial<CaseFacts>) => supervisionFlags({ ...quiet, ...f }).map((x) => x.kind);

describe('supervision flags (issue #11 §1)', () => {
  it('a case going well raises nothing', () => expect(kinds({})).toEqual([]));

  it('risk: PHQ-9 item 9 above 0, or a high risk level, with the reason', () => {
    const [flag] = supervisionFlags({ ...quiet, latestPhq9Item9: 1 });
    expect(flag).toEqual({ kind: 'risk', reason: expect.stringContaining('item 9 answered 1 on 20/11/2026') });
    expect(kinds({ latestRiskLevel: 'high' })).toEqual(['risk']);
    expect(kinds({ latestRiskLevel: 'moderate' })).toEqual([]);
  });

  it('no reliable improvement only from the 4th treatment session', () => {
    expect(kinds({ treatmentContacts: 3 })).toEqual([]);
    expect(kinds({ treatmentContacts: 4 })).toEqual(['no-reliable-improvement']);
    expect(kinds({ treatmentContacts: 4, reliablyImproved: true })).toEqual([]);
    expect(kinds({ treatmentContacts: 6, reliablyDeteriorated: true })).toEqual(['reliable-deterioration']);
  });

  it('waits: over 42 days, then 16 weeks (112 days) or more, without a first treatment', () => {
    const waiting = (received: string) => kinds({ firstTreatmentDate: null, receivedDate: received, lastAttendedContactDate: '2026-11-20' });
    expect(waiting('2026-10-12')).toEqual([]); // 42 days: within the standard
    expect(waiting('2026-10-11')).toEqual(['waiting-over-6-weeks']); // 43 days
    expect(waiting('2026-08-04')).toEqual(['waiting-over-6-weeks']); // 111 days
    expect(waiting('2026-08-03')).toEqual(['nearing-18-weeks']); // 112 days
  });

  it('no contact in 14 days, 2 or more DNAs, discuss, missing measures', () => {
    expect(kinds({ lastAttendedContactDate: '2026-11-09' })).toEqual([]);
    expect(kinds({ lastAttendedContactDate: '2026-11-08' })).toEqual(['no-recent-contact']);
    expect(kinds({ attendanceCodes: [5, 3] })).toEqual([]);
    expect(kinds({ attendanceCodes: [3, 5, 3] })).toEqual(['repeated-dna']);
    expect(kinds({ discussInSupervision: true })).toEqual(['discuss']);
    expect(supervisionFlags({ ...quiet, missingAtLastContact: ['phq9', 'gad7'] })[0]?.reason).toContain('phq9, gad7');
  });

  it('risk outranks every other flag put together but one', () => {
    const risk = supervisionFlags({ ...quiet, latestPhq9Item9: 2 });
    const others = supervisionFlags({ ...quiet, attendanceCodes: [3, 3], discussInSupervision: true, missingAtLastContact: ['phq9'] });
    expect(casePriority(risk)).toBeGreaterThan(casePriority(others));
  });
});
