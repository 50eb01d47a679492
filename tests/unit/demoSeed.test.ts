import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoEpisodes } from '../../electron/host/demoSeed';
import { syntheticPatients } from '../../resources/demo/syntheticPatients';
import { spreadTotal } from '../../resources/demo/syntheticEpisodes';
import { removeDir, setUpEngine, tempDir } from '../helpers/tempStore';

/** Issue #8 item 11: the demo opens on referrals at every stage, each stored through the real services. */
describe('demo caseload', () => {
  const dir = tempDir('caseload-demo-seed-');
  afterAll(() => removeDir(dir));

  it('has a referral at every stage, treatment with 2–10 sessions of measures, both discharge outcomes, an item-9 alert and a DNA follow-up', async () => {
    const engine = await setUpEngine(dir);
    const h = engine.handlers();
    const ids: string[] = [];
    for (const p of syntheticPatients(24)) ids.push((await h['patients.create'](p)).id);
    await seedDemoEpisodes(h, ids, new Date('2026-11-23T10:00:00'));
    const details = [];
    for (const id of ids) {
      for (const r of (await h['referrals.listForPatient']({ patientId: id })).referrals) details.push(await h['referrals.get']({ id: r.id }));
    }
    const statuses = new Set(details.map((d) => d.referral.status));
    expect([...statuses].sort()).toEqual(['awaiting-spa', 'awaiting-triage', 'discharged', 'in-treatment', 'waiting-assessment', 'waiting-treatment']);
    const sessionsInTreatment = details.filter((d) => d.referral.status === 'in-treatment').map((d) => new Set(d.measures.filter((m) => m.instrumentId === 'phq9').map((m) => m.date)).size);
    expect(Math.min(...sessionsInTreatment)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...sessionsInTreatment)).toBe(10);
    const discharged = details.filter((d) => d.referral.status === 'discharged').map((d) => d.classification);
    expect(discharged.map((c) => [c.finishedCourse, c.recovered]).sort()).toEqual([
      [true, false],
      [true, true],
    ]);
    expect(details.filter((d) => d.openRiskAlerts.length > 0)).toHaveLength(1);
    expect(details.flatMap((d) => d.actions)).toHaveLength(1);
    expect(details.some((d) => d.contacts.some((c) => c.attendance === null && c.date > '2026-11-23'))).toBe(true); // booked ahead
    expect((await h['audit.verify']({})).ok).toBe(true);
    await engine.close();
  });

  it('spreads a total over items exactly, and refuses one that cannot fit', () => {
    expect(spreadTotal(13, 8, 3)).toEqual([2, 2, 2, 2, 2, 1, 1, 1]);
    expect(spreadTotal(13, 8, 3).reduce((a, b) => a + b, 0)).toBe(13);
    expect(() => spreadTotal(25, 8, 3)).toThrow(RangeError);
  });
});
