import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyEpisode, defaultOutcomes, REPORT_ENTRY_VERSION, type EpisodeInput } from '../../../shared/outcomes';
import { removeDir } from '../../helpers/tempStore';
import { contactInput, gad7Answers, harness, patientInput, phq9Answers, referralInput, type Harness } from '../episode/episodeHarness';

/**
 * Kept report entries (electron/services/reports/reportEntries.ts, migration 0015) must never change a figure:
 * after any write, by a service or straight to the table as sync applies a pull, the report equals the report
 * made from nothing (every kept entry thrown away first).
 */
let h: Harness;
const period = { start: '2026-01-01', end: '2026-06-30' };
const referrals: { id: string; version: number }[] = [];

async function report() {
  return h.call('reports.service', { period, filters: {}, unitCosts: { 'gp-appointments': 39 } });
}
async function reportFromNothing() {
  await sql`delete from report_entries`.execute(h.engine.context().db);
  return report();
}
async function kept(referralId?: string): Promise<{ referral_id: string; rules: string }[]> {
  const db = h.engine.context().db;
  const rows = await sql<{ referral_id: string; rules: string }>`select referral_id, rules from report_entries`.execute(db);
  return rows.rows.filter((r) => referralId === undefined || r.referral_id === referralId);
}
/** The report with kept entries, then from nothing: equal, and the first one read what the second made. */
async function expectSameAsFromNothing() {
  const withKept = await report();
  expect(withKept).toEqual(await reportFromNothing());
  return withKept;
}

beforeAll(async () => {
  h = await harness();
  for (const [i, first, last, sessions] of [[0, 18, 6, 4], [1, 16, 14, 3], [2, 12, 4, 2], [3, 20, 19, 5]] as const) {
    const p = await h.call('patients.create', patientInput({ givenName: `Case${i}`, familyName: 'Entry' }));
    const r = await h.call('referrals.create', referralInput(p.id, { receivedDate: '2026-01-05' }));
    for (let s = 0; s < sessions; s++) {
      const date = new Date(Date.UTC(2026, 1, 2 + 7 * s)).toISOString().slice(0, 10);
      const c = await h.call('contacts.create', contactInput(r.id, date));
      const total = Math.round(first + ((last - first) * s) / Math.max(1, sessions - 1));
      await h.call('measures.record', { referralId: r.id, contactId: c.id, date, instrumentId: 'phq9', answers: phq9Answers(total), completedBy: 'patient' });
      await h.call('measures.record', { referralId: r.id, contactId: c.id, date, instrumentId: 'gad7', answers: gad7Answers(Math.min(21, total - 2)), completedBy: 'patient' });
    }
    referrals.push({ id: r.id, version: (await h.call('referrals.get', { id: r.id })).referral.version });
  }
});
afterAll(async () => {
  await h.engine.close();
  removeDir(h.dir);
});

describe('kept report entries', () => {
  it('are made by the first report, one per referral considered, and read by the next', async () => {
    const first = await reportFromNothing();
    expect((await kept()).length).toBe(first.referralsConsidered);
    expect(first.referralsConsidered).toBe(4);
    expect(await report()).toEqual(first);
  });

  it('are dropped by a contact, a score or a discharge written through the services, and the figures follow', async () => {
    const [a, b, c] = referrals;
    const before = await report();
    await h.call('contacts.create', contactInput(a!.id, '2026-03-30', { attendance: 3 }));
    expect(await kept(a!.id)).toEqual([]);
    const afterDna = await expectSameAsFromNothing();
    expect(afterDna.figures.find((f) => f.id === 'dnaRate')!.count).toBe(before.figures.find((f) => f.id === 'dnaRate')!.count! + 1);

    await h.call('measures.record', { referralId: b!.id, date: '2026-03-02', instrumentId: 'phq9', answers: phq9Answers(4), completedBy: 'patient' });
    expect(await kept(b!.id)).toEqual([]);
    await expectSameAsFromNothing();

    // Healthcare use is kept with the entry: a new service-use record drops it too.
    await report();
    await h.call('measures.record', { referralId: b!.id, date: '2026-03-03', instrumentId: 'service-use', answers: [4, 1, 0, 2, 0, 1], completedBy: 'clinician' });
    expect(await kept(b!.id)).toEqual([]);
    await expectSameAsFromNothing();

    const current = await h.call('referrals.get', { id: c!.id });
    await h.call('referrals.discharge', { id: c!.id, version: current.referral.version, endCode: '46', dischargeDate: '2026-03-20' });
    expect(await kept(c!.id)).toEqual([]);
    const afterDischarge = await expectSameAsFromNothing();
    expect(afterDischarge.figures.find((f) => f.id === 'ended')!.value).toBe(before.figures.find((f) => f.id === 'ended')!.value! + 1);
  });

  it('are dropped by a write straight to the tables, as sync applies a pull', async () => {
    const [, , , d] = referrals;
    await report();
    const db = h.engine.context().db;
    await sql`update contacts set attendance = 3 where referral_id = ${d!.id} and date = '2026-02-02'`.execute(db);
    expect(await kept(d!.id)).toEqual([]);
    await expectSameAsFromNothing();
    await sql`update measures set deleted_at = '2026-06-30T10:00:00Z' where referral_id = ${d!.id} and instrument_id = 'phq9' and date = '2026-02-09'`.execute(db);
    expect(await kept(d!.id)).toEqual([]);
    await expectSameAsFromNothing();
    await sql`update referrals set discharge_date = '2026-04-01', end_code = '46', status = 'discharged' where id = ${d!.id}`.execute(db);
    expect(await kept(d!.id)).toEqual([]);
    await expectSameAsFromNothing();
  });

  it('made under other outcome settings are not read: a settings change makes each one again', async () => {
    await report();
    const rulesBefore = new Set((await kept()).map((r) => r.rules));
    expect(rulesBefore.size).toBe(1);
    await h.call('serviceSettings.update', { version: null, outcomes: { ptsdMeasure: 'ies-r' } });
    const withOldKept = await report();
    // The report made every entry again under the new rules rather than read the old ones.
    const rulesAfter = new Set((await kept()).map((r) => r.rules));
    expect(rulesAfter.size).toBe(1);
    expect([...rulesAfter][0]).not.toBe([...rulesBefore][0]);
    expect(withOldKept).toEqual(await reportFromNothing());
  });
});

/**
 * A fixed set of episodes, made without randomness, covering what an entry holds: recovery and its kin, ADSMs,
 * waits, DNAs, a follow-up after discharge, a contact outside the window, HbA1c, WSAS, and a malformed episode.
 */
function fixtureEpisodes(): EpisodeInput[] {
  const descriptors = ['F32.1', 'F41.1', 'F40.1', 'F43.1', 'F42', null];
  const out: EpisodeInput[] = [];
  for (let i = 0; i < 36; i++) {
    const sessions = i % 7;
    const received = `2025-0${1 + (i % 6)}-1${i % 10}`;
    const day = (n: number) => new Date(Date.parse(`${received}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const descriptor = descriptors[i % descriptors.length]!;
    const contacts: NonNullable<EpisodeInput['contacts']> = [];
    const measures: NonNullable<EpisodeInput['measures']> = [];
    for (let s = 0; s < sessions; s++) {
      const date = day(20 + 7 * s + (i % 3) * 20);
      const attendance = (i + s) % 5 === 0 ? 3 : 5;
      contacts.push({ id: `c${i}-${s}`, date, time: '10:00', type: s === 0 ? 'assessment' : 'treatment', attendance });
      if (attendance === 3) continue;
      measures.push({ date, instrumentId: 'phq9', total: Math.max(0, 10 + (i % 12) - s * (i % 4)), contactId: `c${i}-${s}` });
      measures.push({ date, instrumentId: 'gad7', total: Math.max(0, 9 + (i % 9) - s * (i % 3)), contactId: `c${i}-${s}` });
      if (i % 4 === 0) measures.push({ date, instrumentId: 'wsas', total: 20 - s, contactId: `c${i}-${s}` });
      if (i % 5 === 0 && (s === 0 || s === sessions - 1)) measures.push({ date, instrumentId: 'hba1c', total: 70 - s, contactId: `c${i}-${s}` });
    }
    const discharged = i % 3 !== 0;
    const dischargeDate = day(20 + 7 * sessions + 60);
    if (discharged && i % 4 === 1) contacts.push({ id: `f${i}`, date: day(20 + 7 * sessions + 90), type: 'follow-up', attendance: i % 8 === 1 ? 3 : 5 });
    if (i % 9 === 2) contacts.push({ id: `o${i}`, date: day(-3), type: 'treatment', attendance: 5 });
    out.push({
      id: `r${i}`,
      patientId: `p${i % 30}`,
      referralReceived: received,
      referralSource: i % 2 === 0 ? 'A1' : 'B1',
      clinicianId: `u${i % 3}`,
      step: i % 2 === 0 ? 2 : 3,
      problemDescriptor: descriptor,
      pathway: i % 2 === 0 ? 'integrated-ltc' : 'core',
      ltcCodes: i % 2 === 0 ? ['44054006'] : [],
      contacts,
      measures: i === 35 ? [{ date: received, instrumentId: 'phq9', total: 40 }] : measures,
      ...(discharged ? { dischargeDate, endCode: sessions >= 2 ? '46' : '12' } : {}),
    });
  }
  return out;
}

describe('REPORT_ENTRY_VERSION', () => {
  it('is raised whenever what reportEntry makes changes, so that kept entries made under old rules are never read', () => {
    const entries = fixtureEpisodes().map((e) => defaultOutcomes.reportEntry(e));
    expect(entries.filter((e) => !e.ok)).toHaveLength(1);
    // The entries carry the engine's own classification (the figures read nothing else of an episode's scores).
    const withResult = entries.flatMap((e, i) => (e.ok ? [{ e, i }] : []));
    for (const { e, i } of withResult) {
      const { reasons: _reasons, ...classification } = classifyEpisode(fixtureEpisodes()[i]!);
      expect(e.result).toEqual(classification);
    }
    const fingerprint = createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 16);
    // Changed classification, facts or entry shape? Raise REPORT_ENTRY_VERSION (shared/outcomes/programme.ts)
    // and record the new fingerprint with it.
    expect({ version: REPORT_ENTRY_VERSION, fingerprint }).toEqual({ version: 1, fingerprint: '8b29b4fa4c414690' });
  });
});
