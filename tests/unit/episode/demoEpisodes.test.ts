import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoEpisodes } from '../../../electron/host/demoEpisodes';
import type { CaseloadEngine } from '../../../electron/services/engine';
import { syntheticPatients } from '../../../resources/demo/syntheticPatients';
import { SYNTHETIC_EPISODES } from '../../../resources/demo/syntheticEpisodes';
import { removeDir, setUpEngine, tempDir } from '../../helpers/tempStore';

/** The demo caseload is written through the real services; each stage must come out as its label says. */
let dir: string;
let engine: CaseloadEngine;
beforeAll(async () => {
  dir = tempDir();
  engine = await setUpEngine(dir);
  const h = engine.handlers();
  const ids: string[] = [];
  for (const p of syntheticPatients(12)) ids.push((await h['patients.create'](p)).id);
  await seedDemoEpisodes(h, ids);
});
afterAll(async () => {
  await engine.close();
  removeDir(dir);
});

describe('demo episodes', () => {
  it('cover every stage, with recovered and not-recovered discharges, an open item-9 alert and a DNA follow-up', async () => {
    const h = engine.handlers();
    const { rows } = await h['caseload.list']({ discharged: true });
    const episodes = rows.filter((r) => r.episode).map((r) => r.episode!);
    expect(episodes).toHaveLength(SYNTHETIC_EPISODES.length);
    expect(new Set(episodes.map((e) => e.status))).toEqual(new Set(['awaiting-spa', 'awaiting-triage', 'waiting-assessment', 'waiting-treatment', 'in-treatment', 'discharged']));
    const details = await Promise.all(episodes.map((e) => h['referrals.get']({ id: e.referralId })));
    const discharged = details.filter((d) => d.referral.status === 'discharged');
    expect(discharged.map((d) => d.classification.recovered).sort()).toEqual([false, true]);
    expect(discharged.find((d) => d.classification.recovered)!.classification.reliablyImproved).toBe(true);
    expect(details.filter((d) => d.openRiskAlerts.length > 0)).toHaveLength(1);
    expect(episodes.filter((e) => e.riskFlag)).toHaveLength(1);
    expect(details.some((d) => d.actions.some((a) => a.kind === 'dna-follow-up'))).toBe(true);
    // Ten individual sessions and the diabetes course's first meeting, which counts in the member's episode.
    expect(Math.max(...details.map((d) => d.classification.treatmentContacts))).toBe(11);
    const { groups } = await h['groups.list']({});
    expect(groups.map((g) => [g.title, g.memberCount, g.sessionsHeld])).toEqual([['Living well with diabetes', 1, 1]]);
    const waiting = details.find((d) => d.referral.status === 'waiting-treatment')!;
    expect((await h['waiting.get']({ referralId: waiting.referral.id })).pausedDays).toBe(7);
    expect(episodes.some((e) => e.nextAppointment !== null)).toBe(true);
    expect((await h['audit.verify']({})).problems).toEqual([]);
  });
});
